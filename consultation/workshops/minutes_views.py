"""A workshop's minutes: read the published version, write and version them, publish, export as PDF."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consultation import access
from consultation.councils.services import council_by_slug
from consultation.errors import NotFound
from consultation.extensions import db
from consultation.forms import ButtonForm
from consultation.i18n import current_language
from consultation.permissions import can_manage_workshop
from consultation.text import render_markdown
from consultation.web import utcnow
from consultation.workshops import minutes, services
from consultation.workshops.forms import MinutesForm
from consultation.workshops.pdf import minutes_pdf

bp = Blueprint("minutes", __name__, url_prefix="/councils/<slug>/workshops/<int:workshop_id>")


def _readable(slug: str, workshop_id: int):
    """The version a person may read: the latest for the facilitators, the published one for others."""
    council = council_by_slug(slug)
    actor = access.current_actor()
    workshop = services.workshop_in_council(actor, council, workshop_id)
    manager = can_manage_workshop(actor, council.id)
    versions = minutes.versions_of(workshop) if manager else []
    shown = None
    if manager:
        wanted = request.args.get("version", "")
        shown = next((v for v in versions if str(v.version) == wanted), versions[0] if versions else None)
    else:
        shown = minutes.published_minutes(workshop)
        if shown is None:
            raise NotFound()
    return council, workshop, manager, versions, shown


@bp.get("/minutes")
@access.public
def show(slug: str, workshop_id: int):
    council, workshop, manager, versions, shown = _readable(slug, workshop_id)
    return render_template(
        "workshops/minutes.html",
        council=council,
        workshop=workshop,
        can_manage=manager,
        versions=versions,
        shown=shown,
        body_html=render_markdown(shown.body) if shown else None,
        button_form=ButtonForm(),
    )


@bp.get("/minutes.pdf")
@access.public
def pdf(slug: str, workshop_id: int):
    _council, workshop, _manager, _versions, shown = _readable(slug, workshop_id)
    if shown is None:
        raise NotFound()
    body = minutes_pdf(workshop, shown, current_language().code)
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="minutes-{workshop.id}-v{shown.version}.pdf"'
    return response


@bp.route("/minutes/edit", methods=["GET", "POST"])
@access.authenticated
def edit(slug: str, workshop_id: int):
    council = council_by_slug(slug)
    workshop = services.managed_workshop(access.current_actor(), council, workshop_id)
    versions = minutes.versions_of(workshop)
    if request.method == "GET":
        regenerate = request.args.get("from") == "data" or not versions
        body = minutes.draft_text(workshop) if regenerate else versions[0].body
        form = MinutesForm(formdata=None, data={"body": body})
    else:
        form = MinutesForm()
        if form.validate_on_submit():
            saved = minutes.save_version(
                current_user, workshop, body=form.body.data, language=current_language().code, now=utcnow()
            )
            db.session.commit()
            flash(_("Version %(version)d of the minutes is saved.", version=saved.version), "success")
            return redirect(url_for("minutes.show", slug=slug, workshop_id=workshop.id))
    status = 422 if request.method == "POST" else 200
    return (
        render_template(
            "workshops/minutes_edit.html", council=council, workshop=workshop, form=form, versions=versions
        ),
        status,
    )


@bp.post("/minutes/publish")
@access.authenticated
def publish(slug: str, workshop_id: int):
    council = council_by_slug(slug)
    workshop = services.managed_workshop(access.current_actor(), council, workshop_id)
    published = minutes.publish(current_user, workshop, now=utcnow())
    db.session.commit()
    flash(_("Version %(version)d of the minutes is published.", version=published.version), "success")
    return redirect(url_for("minutes.show", slug=slug, workshop_id=workshop.id))
