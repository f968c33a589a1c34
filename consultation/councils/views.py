"""A council's public page."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, get_timezone
from flask_babel import gettext as _
from sqlalchemy import select

from consultation import access
from consultation.audit import services as audit
from consultation.councils.forms import DistrictForm, RenameForm, ResidenceForm, ThemeForm, TimeZoneForm
from consultation.councils.models import District, Residence, Theme
from consultation.councils.services import council_by_slug
from consultation.councils.zones import FRENCH_ZONES, is_zone, zone_label
from consultation.errors import Conflict, NotAllowed, NotFound
from consultation.extensions import db
from consultation.forms import ButtonForm
from consultation.opinions.services import opinions_of_council
from consultation.permissions import (
    can_follow_project_requests,
    can_manage_districts,
    can_manage_members,
    can_manage_themes,
    can_manage_workshop,
    can_moderate,
)
from consultation.privacy.rules import can_set_retention
from consultation.voting.models import vote_districts
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
        can_manage_districts=can_manage_districts(actor, council.id),
        can_manage_themes=can_manage_themes(actor, council.id),
        can_say_district=bool(actor.roles_in(council.id)) and bool(council.districts),
        can_moderate=can_moderate(actor, council.id),
        can_manage_members=can_manage_members(actor, council.id),
        can_follow_projects=can_follow_project_requests(actor, council.id),
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


# ---------------------------------------------------------------------------------- districts


@bp.route("/<slug>/districts", methods=["GET", "POST"])
@access.authenticated
def districts(slug: str):
    council = council_by_slug(slug)
    if not can_manage_districts(access.current_actor(), council.id):
        raise NotAllowed()
    form = DistrictForm()
    if form.validate_on_submit():
        name = form.name.data.strip()
        if any(d.name.casefold() == name.casefold() for d in council.districts):
            form.name.errors = [_("The council already has this district.")]
        else:
            council.districts.append(District(name=name))
            db.session.commit()
            flash(_("The district is added."), "success")
            return redirect(url_for("councils.districts", slug=slug))
    status = 200 if request.method == "GET" else 422
    return _districts_page(council, form, status)


def _districts_page(council, form, status: int, renaming: RenameForm | None = None, renamed_id: int | None = None):
    return render_template(
        "councils/districts.html",
        council=council,
        form=form,
        button_form=ButtonForm(),
        used=_used_districts(council),
        renaming=renaming,
        renamed_id=renamed_id,
    ), status


def _used_districts(council) -> set[int]:
    return set(
        db.session.scalars(
            select(vote_districts.c.district_id).where(
                vote_districts.c.district_id.in_([d.id for d in council.districts] or [-1])
            )
        )
    )


@bp.post("/<slug>/districts/<int:district_id>/delete")
@access.authenticated
def delete_district(slug: str, district_id: int):
    council = council_by_slug(slug)
    if not can_manage_districts(access.current_actor(), council.id):
        raise NotAllowed()
    if not ButtonForm().validate_on_submit():
        raise Conflict()
    district = db.session.get(District, district_id)
    if district is None or district.council_id != council.id:
        raise NotFound()
    if district.id in _used_districts(council):
        raise Conflict(_("A vote is for this district's residents: the district stays."))
    db.session.delete(district)
    db.session.commit()
    flash(_("The district is removed."), "success")
    return redirect(url_for("councils.districts", slug=slug))


@bp.route("/<slug>/my-district", methods=["GET", "POST"])
@access.authenticated
def my_district(slug: str):
    """A person of the council says which district they live in (for votes of one district's residents)."""
    council = council_by_slug(slug)
    actor = access.current_actor()
    if not actor.roles_in(council.id):
        raise NotAllowed(_("Only the council's residents and members say where they live."))
    residence = db.session.scalar(
        select(Residence).where(Residence.user_id == actor.user_id, Residence.council_id == council.id)
    )
    form = ResidenceForm(data={"district": str(residence.district_id) if residence else ""})
    form.district.choices = [("", _("I would rather not say"))] + [(str(d.id), d.name) for d in council.districts]
    if form.validate_on_submit():
        chosen = int(form.district.data) if form.district.data else None
        if chosen is None:
            if residence is not None:
                db.session.delete(residence)
        elif residence is None:
            db.session.add(Residence(user_id=actor.user_id, council_id=council.id, district_id=chosen))
        else:
            residence.district_id, residence.updated_at = chosen, utcnow()
        db.session.commit()
        flash(_("Your district is saved."), "success")
        return redirect(url_for("councils.show", slug=slug))
    status = 200 if request.method == "GET" else 422
    return render_template("councils/my_district.html", council=council, form=form), status


@bp.post("/<slug>/districts/<int:district_id>/rename")
@access.authenticated
def rename_district(slug: str, district_id: int):
    council = council_by_slug(slug)
    if not can_manage_districts(access.current_actor(), council.id):
        raise NotAllowed()
    district = _item_of(council, District, district_id)
    form = RenameForm(prefix=f"district-{district.id}")
    if form.validate_on_submit():
        name = form.name.data.strip()
        if any(d.id != district.id and d.name.casefold() == name.casefold() for d in council.districts):
            form.name.errors = [_("The council already has this district.")]
        else:
            district.name = name
            db.session.commit()
            flash(_("The district is renamed."), "success")
            return redirect(url_for("councils.districts", slug=slug))
    return _districts_page(council, DistrictForm(formdata=None), 422, renaming=form, renamed_id=district.id)


def _item_of(council, model, item_id: int):
    item = db.session.get(model, item_id)
    if item is None or item.council_id != council.id:
        raise NotFound()
    return item


# ---------------------------------------------------------------------------------- themes


def _check_themes(council) -> None:
    if not can_manage_themes(access.current_actor(), council.id):
        raise NotAllowed()


def _themes_page(council, form, status: int, renaming: RenameForm | None = None, renamed_id: int | None = None):
    return render_template(
        "councils/themes.html",
        council=council,
        form=form,
        renaming=renaming,
        renamed_id=renamed_id,
    ), status


@bp.route("/<slug>/themes", methods=["GET", "POST"])
@access.authenticated
def themes(slug: str):
    """The themes proposals are filed under: facilitators, secretary, president and administrators set them."""
    council = council_by_slug(slug)
    _check_themes(council)
    form = ThemeForm()
    if form.validate_on_submit():
        name = form.name.data.strip()
        if any(t.name.casefold() == name.casefold() for t in council.themes):
            form.name.errors = [_("The council already has this theme.")]
        else:
            council.themes.append(Theme(name=name))
            db.session.commit()
            flash(_("The theme is added."), "success")
            return redirect(url_for("councils.themes", slug=slug))
    return _themes_page(council, form, 200 if request.method == "GET" else 422)


@bp.post("/<slug>/themes/<int:theme_id>/rename")
@access.authenticated
def rename_theme(slug: str, theme_id: int):
    council = council_by_slug(slug)
    _check_themes(council)
    theme = _item_of(council, Theme, theme_id)
    form = RenameForm(prefix=f"theme-{theme.id}")
    if form.validate_on_submit():
        name = form.name.data.strip()
        if any(t.id != theme.id and t.name.casefold() == name.casefold() for t in council.themes):
            form.name.errors = [_("The council already has this theme.")]
        else:
            theme.name = name
            db.session.commit()
            flash(_("The theme is renamed."), "success")
            return redirect(url_for("councils.themes", slug=slug))
    return _themes_page(council, ThemeForm(formdata=None), 422, renaming=form, renamed_id=theme.id)


@bp.post("/<slug>/themes/<int:theme_id>/delete")
@access.authenticated
def delete_theme(slug: str, theme_id: int):
    """The theme goes; the proposals filed under it stay, with no theme."""
    council = council_by_slug(slug)
    _check_themes(council)
    if not ButtonForm().validate_on_submit():
        raise Conflict()
    theme = _item_of(council, Theme, theme_id)
    council.themes.remove(theme)
    db.session.commit()
    flash(_("The theme is removed; its proposals stay, without a theme."), "success")
    return redirect(url_for("councils.themes", slug=slug))
