"""Submit a proposal to a workshop; support it or withdraw the support."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consultation import access
from consultation.councils.services import council_by_slug
from consultation.errors import Conflict
from consultation.extensions import db
from consultation.i18n import current_language
from consultation.proposals import services
from consultation.web import utcnow
from consultation.workshops import phases
from consultation.workshops.services import workshop_in_council
from consultation.workshops.views import proposal_form_for

bp = Blueprint("proposals", __name__, url_prefix="/councils/<slug>/workshops/<int:workshop_id>/proposals")


@bp.route("/new", methods=["GET", "POST"])
@access.authenticated
def create(slug: str, workshop_id: int):
    council = council_by_slug(slug)
    workshop = workshop_in_council(access.current_actor(), council, workshop_id)
    if not phases.accepts_proposals(workshop.phase_enum):
        raise Conflict(_("This workshop does not take new proposals at this stage."))
    form = proposal_form_for(council)
    if form.validate_on_submit():
        proposal = services.submit_proposal(
            current_user,
            workshop,
            title=form.title.data,
            body=form.body.data,
            theme_id=form.theme.data,
            language=current_language().code,
            now=utcnow(),
        )
        db.session.commit()
        flash(_("Thank you, your proposal is published."), "success")
        return redirect(
            url_for("workshops.show", slug=slug, workshop_id=workshop.id, _anchor=f"proposal-{proposal.id}")
        )
    status = 422 if request.method == "POST" else 200
    return render_template("proposals/new.html", council=council, workshop=workshop, form=form), status


def _back_to(slug: str, workshop_id: int, proposal_id: int):
    return redirect(url_for("workshops.show", slug=slug, workshop_id=workshop_id, _anchor=f"proposal-{proposal_id}"))


@bp.post("/<int:proposal_id>/support")
@access.authenticated
def support(slug: str, workshop_id: int, proposal_id: int):
    proposal = services.find_proposal(access.current_actor(), council_by_slug(slug), workshop_id, proposal_id)
    services.support(current_user, proposal, now=utcnow())
    db.session.commit()
    flash(_("You support this proposal: %(title)s", title=proposal.title), "success")
    return _back_to(slug, workshop_id, proposal_id)


@bp.post("/<int:proposal_id>/unsupport")
@access.authenticated
def unsupport(slug: str, workshop_id: int, proposal_id: int):
    proposal = services.find_proposal(access.current_actor(), council_by_slug(slug), workshop_id, proposal_id)
    services.withdraw_support(current_user, proposal)
    db.session.commit()
    flash(_("You no longer support this proposal: %(title)s", title=proposal.title), "success")
    return _back_to(slug, workshop_id, proposal_id)
