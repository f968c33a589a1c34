"""/sitemap.xml and /robots.txt: the public pages search engines and open-data crawlers may visit.
A fixed number of queries (one per kind of page), selecting only ids and dates."""

from __future__ import annotations

from datetime import datetime
from html import escape

from flask import Blueprint, Response, url_for
from sqlalchemy import select

from consultation import access
from consultation.councils.models import Council
from consultation.extensions import db
from consultation.opinions.models import Opinion
from consultation.voting.models import Vote
from consultation.voting.rules import Status
from consultation.workshops.models import Workshop

bp = Blueprint("sitemap", __name__)

MAX_URLS = 50_000  # the sitemaps protocol's limit for one file


def _entry(location: str, modified: datetime | None = None) -> str:
    when = f"<lastmod>{modified.date().isoformat()}</lastmod>" if modified else ""
    return f"<url><loc>{escape(location)}</loc>{when}</url>"


def _urls() -> list[str]:
    entries = [_entry(url_for("main.index", _external=True)), _entry(url_for("pages.accessibility", _external=True))]
    entries.append(_entry(url_for("moderation.charter", _external=True)))
    slugs = dict(db.session.execute(select(Council.id, Council.slug)).all())
    for slug in slugs.values():
        entries.append(_entry(url_for("councils.show", slug=slug, _external=True)))
    workshops = db.session.execute(
        select(Workshop.id, Workshop.council_id, Workshop.phase_changed_at)
        .where(Workshop.is_published.is_(True))
        .order_by(Workshop.id)
    )
    for workshop_id, council_id, changed in workshops:
        entries.append(
            _entry(url_for("workshops.show", slug=slugs[council_id], workshop_id=workshop_id, _external=True), changed)
        )
    opinions = db.session.execute(
        select(Opinion.id, Opinion.council_id, Opinion.adopted_at)
        .where(Opinion.status == "adopted")
        .order_by(Opinion.id)
    )
    for opinion_id, council_id, adopted in opinions:
        entries.append(
            _entry(url_for("opinions.show", slug=slugs[council_id], opinion_id=opinion_id, _external=True), adopted)
        )
    votes = db.session.execute(
        select(Vote.id, Vote.council_id, Vote.closed_at).where(Vote.status == Status.CLOSED.value).order_by(Vote.id)
    )
    for vote_id, council_id, closed in votes:
        entries.append(
            _entry(url_for("votes.results", slug=slugs[council_id], vote_id=vote_id, _external=True), closed)
        )
    return entries[:MAX_URLS]


@bp.get("/sitemap.xml")
@access.public
def sitemap():
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + "\n".join(_urls()) + "\n</urlset>\n"
    )
    return Response(body, mimetype="application/xml")


@bp.get("/robots.txt")
@access.public
def robots():
    # Pages of people's accounts and the facilitators' tools are not for crawlers.
    body = (
        f"User-agent: *\nDisallow: /account\nDisallow: /join\nSitemap: {url_for('sitemap.sitemap', _external=True)}\n"
    )
    return Response(body, mimetype="text/plain")
