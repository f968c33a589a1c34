"""A council's public page."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, get_timezone
from flask_babel import gettext as _

from consultation import access
from consultation.audit import services as audit
from consultation.councils.forms import TimeZoneForm
from consultation.councils.services import council_by_slug
from consultation.councils.zones import FRENCH_ZONES, is_zone, zone_label
from consultation.errors import NotAllowed
from consultation.extensions import db
from consultation.opinions.services import opinions_of_council
from consultation.permissions import can_manage_workshop
from consultation.privacy.rules import can_set_retention
from consultation.web import utcnow
from consultation.workshops.services import workshops_of

bp = Blueprint("councils", __name__, url_prefix="/councils")


@bp.app_template_global("time_zone_label")
def _time_zone_label() -> str:
    """The zone the page's times are in, named in the reader's language."""
    return zone_label(str(get_timezone()), get_locale())


@bp.app_template_filter("council_datetime")
def _council_datetime(value: datetime, council, format: str = "medium") -> str:
    """A time on a page that lists several councils: in its own council's zone, with the zone named."""
    moment = format_datetime(value, format, tzinfo=ZoneInfo(council.time_zone), locale=get_locale())
    return f"{moment} ({zone_label(council.time_zone, get_locale())})"


@bp.get("/<slug>")
@access.public
def show(slug: str):
    council = council_by_slug(slug)
    actor = access.current_actor()
    return render_template(
        "councils/show.html",
        council=council,
        workshops=workshops_of(actor, council),
        opinions=opinions_of_council(actor, council.id),
        can_manage=can_manage_workshop(actor, council.id),
        can_set_retention=can_set_retention(actor),
        can_set_time_zone=actor.is_admin,
    )


@bp.route("/<slug>/time-zone", methods=["GET", "POST"])
@access.authenticated
def time_zone(slug: str):
    """Platform administrators set the zone a council's times are typed and shown in."""
    actor = access.current_actor()
    if not actor.is_admin:
        raise NotAllowed()
    council = council_by_slug(slug)
    form = TimeZoneForm(obj=council)
    zones = list(FRENCH_ZONES) + ([council.time_zone] if council.time_zone not in FRENCH_ZONES else [])
    form.time_zone.choices = [(zone, f"{zone_label(zone, get_locale())} ({zone})") for zone in zones]
    if form.validate_on_submit() and is_zone(form.time_zone.data):
        previous, council.time_zone = council.time_zone, form.time_zone.data
        audit.record(
            "council.time_zone",
            actor_id=actor.user_id,
            details={"council": council.id, "from": previous, "to": council.time_zone},
            now=utcnow(),
        )
        db.session.commit()
        flash(_("The council's time zone is saved."), "success")
        return redirect(url_for("councils.show", slug=council.slug))
    status = 200 if request.method == "GET" else 422
    return render_template("councils/time_zone.html", council=council, form=form), status
