"""Reading councils for the public pages."""

from __future__ import annotations

from flask import g, has_request_context, request
from sqlalchemy import select

from consultation.councils.models import Council
from consultation.errors import NotFound
from consultation.extensions import db


def council_by_slug(slug: str) -> Council:
    council = db.session.scalar(select(Council).where(Council.slug == slug))
    if council is None:
        raise NotFound()
    remember_page_council(council)
    return council


def remember_page_council(council: Council) -> None:
    """When `council` is the one whose page this request shows (its slug in the URL), keep it for the
    request: its language and time zone (consultation.i18n) are then read from it rather than asked of
    the database again."""
    if has_request_context() and (request.view_args or {}).get("slug") == council.slug:
        g.council = council


def all_councils() -> list[Council]:
    return list(db.session.scalars(select(Council).order_by(Council.name)))
