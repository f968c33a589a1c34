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
    if has_request_context() and (request.view_args or {}).get("slug") == slug:
        # The council whose page this is: its language and time zone (consultation.i18n) are read from
        # it rather than asked of the database again.
        g.council = council
    return council


def all_councils() -> list[Council]:
    return list(db.session.scalars(select(Council).order_by(Council.name)))
