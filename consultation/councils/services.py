"""Reading councils for the public pages."""

from __future__ import annotations

from sqlalchemy import select

from consultation.councils.models import Council
from consultation.errors import NotFound
from consultation.extensions import db


def council_by_slug(slug: str) -> Council:
    council = db.session.scalar(select(Council).where(Council.slug == slug))
    if council is None:
        raise NotFound()
    return council


def all_councils() -> list[Council]:
    return list(db.session.scalars(select(Council).order_by(Council.name)))
