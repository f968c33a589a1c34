"""Draft an opinion from a workshop, read it, edit it, download its PDF."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consultation import access
from consultation.councils.services import council_by_slug
from consultation.errors import NotFound
from consultation.extensions import db
from consultation.i18n import current_language
from consultation.opinions import services
from consultation.opinions.forms import NewOpinionForm, OpinionForm
from consultation.opinions.pdf import render_opinion_pdf
from consultation.permissions import can_draft_opinion
from consultation.proposals.services import ranked_proposals
from consultation.text import render_markdown
from consultation.web import utcnow
from consultation.workshops.services import workshop_in_council

bp = Blueprint("opinions", __name__, url_prefix="/councils/<slug>")


@bp.route("/workshops/<int:workshop_id>/opinions/new", methods=["GET", "POST"])
@access.authenticated
def create(slug: str, workshop_id: int):
    council = council_by_slug(slug)
    workshop = workshop_in_council(access.current_actor(), council, workshop_id)
    services.check_can_draft_from(current_user, workshop)
    form = NewOpinionForm()
    if request.method == "GET":
        form.title.data = _("Opinion of the council on: %(title)s", title=workshop.title)
    if form.validate_on_submit():
        opinion = services.create_opinion(
            current_user,
            workshop,
            title=form.title.data,
            recommendations=form.recommendations.data,
            language=current_language().code,
            top=form.top.data,
            now=utcnow(),
        )
        db.session.commit()
        flash(_("The draft opinion is saved."), "success")
        return redirect(url_for("opinions.show", slug=slug, opinion_id=opinion.id))
    top = form.top.data if isinstance(form.top.data, int) and 1 <= form.top.data <= 500 else 10
    return render_template(
        "opinions/new.html",
        council=council,
        workshop=workshop,
        form=form,
        proposals=ranked_proposals(workshop, access.current_actor(), limit=top),
    ), 422 if request.method == "POST" else 200


def _opinion(slug: str, opinion_id: int):
    council = council_by_slug(slug)
    opinion = services.readable_opinion(access.current_actor(), opinion_id)
    if opinion.council_id != council.id:
        raise NotFound()
    return council, opinion


@bp.get("/opinions/<int:opinion_id>")
@access.public
def show(slug: str, opinion_id: int):
    council, opinion = _opinion(slug, opinion_id)
    return render_template(
        "opinions/show.html",
        council=council,
        opinion=opinion,
        recommendations_html=render_markdown(opinion.recommendations),
        can_edit=opinion.status == "draft" and can_draft_opinion(access.current_actor(), council.id),
    )


@bp.route("/opinions/<int:opinion_id>/edit", methods=["GET", "POST"])
@access.authenticated
def edit(slug: str, opinion_id: int):
    council, opinion = _opinion(slug, opinion_id)
    services.check_can_edit(current_user, opinion)
    form = OpinionForm(obj=opinion)
    if form.validate_on_submit():
        services.update_opinion(
            current_user, opinion, title=form.title.data, recommendations=form.recommendations.data, now=utcnow()
        )
        db.session.commit()
        flash(_("The opinion is saved."), "success")
        return redirect(url_for("opinions.show", slug=slug, opinion_id=opinion.id))
    status = 422 if request.method == "POST" else 200
    return render_template("opinions/edit.html", council=council, opinion=opinion, form=form), status


@bp.get("/opinions/<int:opinion_id>.pdf")
@access.public
def pdf(slug: str, opinion_id: int):
    council, opinion = _opinion(slug, opinion_id)
    lang = current_language().code
    document = render_opinion_pdf(opinion, lang)
    filename = f"avis-{council.slug}-{opinion.id}-{lang}.pdf"
    return Response(
        document,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
