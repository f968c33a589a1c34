"""A workshop's page, with its proposals, and the facilitator's phase control."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from consultation import access
from consultation.councils.services import council_by_slug
from consultation.errors import Conflict
from consultation.extensions import db
from consultation.forms import ButtonForm
from consultation.permissions import can_draft_opinion, can_manage_workshop, can_take_part
from consultation.proposals.forms import ProposalForm
from consultation.proposals.services import ranked_proposals
from consultation.web import utcnow
from consultation.workshops import phases, services
from consultation.workshops.labels import phase_label
from consultation.workshops.phases import Phase

bp = Blueprint("workshops", __name__, url_prefix="/councils/<slug>/workshops")


def proposal_form_for(council, **kwargs) -> ProposalForm:
    form = ProposalForm(**kwargs)
    form.theme.choices = [SelectChoice("", _("No particular theme"))] + [
        SelectChoice(str(t.id), t.name) for t in council.themes
    ]
    return form


@bp.get("/<int:workshop_id>")
@access.public
def show(slug: str, workshop_id: int):
    council = council_by_slug(slug)
    actor = access.current_actor()
    workshop = services.workshop_in_council(actor, council, workshop_id)
    phase = workshop.phase_enum
    return render_template(
        "workshops/show.html",
        council=council,
        workshop=workshop,
        proposals=ranked_proposals(workshop, actor),
        form=proposal_form_for(council) if phases.accepts_proposals(phase) else None,
        button_form=ButtonForm(),
        can_submit=phases.accepts_proposals(phase) and can_take_part(actor),
        can_support=phases.accepts_supports(phase) and can_take_part(actor),
        can_manage=can_manage_workshop(actor, council.id),
        can_draft_opinion=can_draft_opinion(actor, council.id) and phases.proposal_phase_closed(phase),
        next_phase=phases.next_phase(phase),
        later_phases=[p for p in phases.ORDER if phases.can_move(phase, p)],
    )


@bp.post("/<int:workshop_id>/phase")
@access.authenticated
def move_phase(slug: str, workshop_id: int):
    council = council_by_slug(slug)
    workshop = services.workshop_in_council(access.current_actor(), council, workshop_id)
    target = request.form.get("phase", "")
    if target not in {p.value for p in Phase}:
        raise Conflict(_("Choose one of the workshop's phases."))
    services.move_to_phase(current_user, workshop, Phase(target), now=utcnow())
    db.session.commit()
    flash(_("The workshop moved to the phase: %(phase)s.", phase=phase_label(Phase(target))), "success")
    return redirect(url_for("workshops.show", slug=slug, workshop_id=workshop.id))

