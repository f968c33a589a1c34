"""Running a workshop live: the facilitator console (phases, agenda timer, moderation, paper input,
history) and the projector view, which updates itself by polling a fragment with an ETag."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from consultation import access
from consultation.councils.services import council_by_slug
from consultation.errors import Conflict, NotFound
from consultation.extensions import db
from consultation.forms import ButtonForm
from consultation.i18n import current_language
from consultation.permissions import Actor
from consultation.proposals import services as proposals
from consultation.voting import services as votes
from consultation.web import utcnow
from consultation.workshops import attendance, phases, services
from consultation.workshops.forms import (
    EditProposalForm,
    MergeForm,
    PaperCountForm,
    PaperProposalForm,
    RejectForm,
    WalkInForm,
)
from consultation.workshops.history import attendance_label, describe
from consultation.workshops.live import live_response, live_state, live_version
from consultation.workshops.pdf import signin_sheet_pdf
from consultation.workshops.qr import join_qr_svg

bp = Blueprint("console", __name__, url_prefix="/councils/<slug>/workshops/<int:workshop_id>")


def _managed(slug: str, workshop_id: int):
    council = council_by_slug(slug)
    return council, services.managed_workshop(access.current_actor(), council, workshop_id)


def join_url(workshop) -> str | None:
    if not workshop.join_code:
        return None
    return url_for("join.phone", code=workshop.join_code, _external=True)


def _choices(ranked) -> list[SelectChoice]:
    return [SelectChoice("", _("Choose a proposal"))] + [
        SelectChoice(str(r.proposal.id), r.proposal.title) for r in ranked
    ]


def _render(council, workshop, *, status: int = 200, **forms):
    now = utcnow()
    state = live_state(workshop, Actor.anonymous(), now=now, limit=0)  # its own list below: every status
    everything = proposals.proposals_for_moderation(workshop)
    open_ones = [r for r in everything if r.proposal.status in ("submitted", "accepted")]
    merge_form = forms.get("merge_form") or MergeForm(prefix="merge", formdata=None)
    count_form = forms.get("count_form") or PaperCountForm(prefix="count", formdata=None)
    merge_form.target.choices = merge_form.source.choices = count_form.proposal.choices = _choices(open_ones)
    url = join_url(workshop)
    workshop_votes = votes.votes_of(access.current_actor(), council, workshop_id=workshop.id)
    return (
        render_template(
            "workshops/console.html",
            council=council,
            workshop=workshop,
            state=state,
            proposals=everything,
            revisions=proposals.revisions_of([r.proposal for r in everything]),
            edit_forms=forms.get("edit_forms", {}),
            edit_form_for=lambda p: EditProposalForm(
                prefix=f"edit-{p.id}", formdata=None, data={"title": p.title, "body": p.body}
            ),
            reject_form_for=lambda p: RejectForm(prefix=f"reject-{p.id}", formdata=None),
            reject_forms=forms.get("reject_forms", {}),
            merge_form=merge_form,
            count_form=count_form,
            paper_form=forms.get("paper_form") or PaperProposalForm(prefix="paper", formdata=None),
            later_phases=[p for p in phases.ORDER if phases.can_move(workshop.phase_enum, p)],
            history=[(event, describe(event)) for event in services.history_of(workshop)],
            join_url=url,
            qr=join_qr_svg(url, _("QR code to join the workshop")) if url else None,
            is_closed=workshop.phase == "closed",
            votes_url=url_for("votes.index", slug=council.slug, workshop=workshop.id),
            workshop_votes=workshop_votes,
            ballots_by_vote=votes.ballots_by_vote([v.id for v in workshop_votes]),
        ),
        status,
    )


def _back(slug: str, workshop_id: int, anchor: str | None = None):
    return redirect(url_for("console.show", slug=slug, workshop_id=workshop_id, _anchor=anchor))


@bp.get("/console")
@access.authenticated
def show(slug: str, workshop_id: int):
    council, workshop = _managed(slug, workshop_id)
    return _render(council, workshop)


@bp.post("/console/agenda/<int:item_id>/start")
@access.authenticated
def start_item(slug: str, workshop_id: int, item_id: int):
    _council, workshop = _managed(slug, workshop_id)
    if not ButtonForm().validate_on_submit():
        raise Conflict()
    item = services.start_agenda_item(current_user, workshop, item_id, now=utcnow())
    db.session.commit()
    flash(_("Started: %(item)s.", item=item.title), "success")
    return _back(slug, workshop_id, "agenda")


@bp.post("/console/agenda/end")
@access.authenticated
def end_item(slug: str, workshop_id: int):
    _council, workshop = _managed(slug, workshop_id)
    if not ButtonForm().validate_on_submit():
        raise Conflict()
    services.end_agenda_item(current_user, workshop, now=utcnow())
    db.session.commit()
    flash(_("The agenda item is over."), "success")
    return _back(slug, workshop_id, "agenda")


def _proposal(workshop, proposal_id: int):
    return proposals.proposal_in_workshop(access.current_actor(), workshop, proposal_id)


@bp.post("/console/proposals/<int:proposal_id>/accept")
@access.authenticated
def accept(slug: str, workshop_id: int, proposal_id: int):
    _council, workshop = _managed(slug, workshop_id)
    if not ButtonForm().validate_on_submit():
        raise Conflict()
    proposal = proposals.accept_proposal(current_user, _proposal(workshop, proposal_id), now=utcnow())
    db.session.commit()
    flash(_("Accepted: %(title)s", title=proposal.title), "success")
    return _back(slug, workshop_id, f"moderate-{proposal_id}")


@bp.post("/console/proposals/<int:proposal_id>/reject")
@access.authenticated
def reject(slug: str, workshop_id: int, proposal_id: int):
    council, workshop = _managed(slug, workshop_id)
    proposal = _proposal(workshop, proposal_id)
    form = RejectForm(prefix=f"reject-{proposal_id}")
    if not form.validate_on_submit():
        return _render(council, workshop, status=422, reject_forms={proposal_id: form})
    proposals.reject_proposal(current_user, proposal, reason=form.reason.data, now=utcnow())
    db.session.commit()
    flash(_("Not kept: %(title)s. The author sees the reason.", title=proposal.title), "success")
    return _back(slug, workshop_id, f"moderate-{proposal_id}")


@bp.post("/console/proposals/<int:proposal_id>/edit")
@access.authenticated
def edit_proposal(slug: str, workshop_id: int, proposal_id: int):
    council, workshop = _managed(slug, workshop_id)
    proposal = _proposal(workshop, proposal_id)
    form = EditProposalForm(prefix=f"edit-{proposal_id}")
    if not form.validate_on_submit():
        return _render(council, workshop, status=422, edit_forms={proposal_id: form})
    proposals.edit_proposal(current_user, proposal, title=form.title.data, body=form.body.data, now=utcnow())
    db.session.commit()
    flash(_("Corrected: %(title)s. The previous text is kept.", title=proposal.title), "success")
    return _back(slug, workshop_id, f"moderate-{proposal_id}")


@bp.post("/console/merge")
@access.authenticated
def merge(slug: str, workshop_id: int):
    council, workshop = _managed(slug, workshop_id)
    form = MergeForm(prefix="merge")
    form.target.choices = form.source.choices = _choices(
        [r for r in proposals.proposals_for_moderation(workshop) if r.proposal.status in ("submitted", "accepted")]
    )
    if not form.validate_on_submit() or form.target.data is None or form.source.data is None:
        if not form.errors:
            form.target.errors = [_("Choose the proposal to keep and its duplicate.")]
        return _render(council, workshop, status=422, merge_form=form)
    target = _proposal(workshop, form.target.data)
    proposals.merge_proposals(current_user, target, [_proposal(workshop, form.source.data)], now=utcnow())
    db.session.commit()
    flash(_("Merged into: %(title)s", title=target.title), "success")
    return _back(slug, workshop_id, f"moderate-{target.id}")


@bp.post("/console/paper-proposals")
@access.authenticated
def paper_proposal(slug: str, workshop_id: int):
    council, workshop = _managed(slug, workshop_id)
    form = PaperProposalForm(prefix="paper")
    if not form.validate_on_submit():
        return _render(council, workshop, status=422, paper_form=form)
    proposal = proposals.add_paper_proposal(
        current_user,
        workshop,
        title=form.title.data,
        body=form.body.data,
        paper_author=form.paper_author.data or "",
        language=workshop.language,
        now=utcnow(),
    )
    db.session.commit()
    flash(_("Sticky note added: %(title)s", title=proposal.title), "success")
    return _back(slug, workshop_id, "paper")


@bp.post("/console/paper-counts")
@access.authenticated
def paper_count(slug: str, workshop_id: int):
    council, workshop = _managed(slug, workshop_id)
    form = PaperCountForm(prefix="count")
    form.proposal.choices = _choices(
        [r for r in proposals.proposals_for_moderation(workshop) if r.proposal.status in ("submitted", "accepted")]
    )
    if not form.validate_on_submit() or form.proposal.data is None:
        if not form.errors:
            form.proposal.errors = [_("Choose a proposal.")]
        return _render(council, workshop, status=422, count_form=form)
    proposal = _proposal(workshop, form.proposal.data)
    proposals.add_paper_count(current_user, proposal, count=form.count.data, now=utcnow())
    db.session.commit()
    flash(_("Paper count added to: %(title)s", title=proposal.title), "success")
    return _back(slug, workshop_id, "paper")


# ---------------------------------------------------------------- votes


def _workshop_vote(council, workshop, vote_id: int):
    vote = votes.vote_in_council(access.current_actor(), council, vote_id)
    if vote.workshop_id != workshop.id:
        raise NotFound()
    return vote


@bp.post("/console/votes/<int:vote_id>/open")
@access.authenticated
def open_vote(slug: str, workshop_id: int, vote_id: int):
    council, workshop = _managed(slug, workshop_id)
    if not ButtonForm().validate_on_submit():
        raise Conflict()
    votes.open_vote(current_user, _workshop_vote(council, workshop, vote_id), now=utcnow())
    db.session.commit()
    flash(_("The vote is open: participants can vote from their phones."), "success")
    return _back(slug, workshop_id, "votes")


@bp.post("/console/votes/<int:vote_id>/close")
@access.authenticated
def close_vote(slug: str, workshop_id: int, vote_id: int):
    council, workshop = _managed(slug, workshop_id)
    if not ButtonForm().validate_on_submit():
        raise Conflict()
    votes.close_vote(current_user, _workshop_vote(council, workshop, vote_id), now=utcnow())
    db.session.commit()
    flash(_("The vote is closed and its result is recorded."), "success")
    return _back(slug, workshop_id, "votes")


# ---------------------------------------------------------------- projector


PROJECTOR_TOP = 12  # the wall shows the most supported proposals, not thousands


def _projector_version(slug: str, workshop_id: int):
    """The workshop, its council and the version of its wall, in one SELECT after the login's own."""
    now = utcnow()
    found = live_version(workshop_id, now=now, council_slug=slug, extra=(PROJECTOR_TOP, 1))
    if found is None:
        raise NotFound()
    version, _workshop, council = found
    workshop = services.managed_workshop(access.current_actor(), council, workshop_id)  # from the identity map
    return council, workshop, version, now


@bp.get("/projector")
@access.authenticated
def projector(slug: str, workshop_id: int):
    council, workshop, version, now = _projector_version(slug, workshop_id)
    state = live_state(workshop, Actor.anonymous(), now=now, limit=PROJECTOR_TOP, version=version)
    url = join_url(workshop)
    return render_template(
        "workshops/projector.html",
        council=council,
        workshop=workshop,
        state=state,
        join_url=url,
        qr=join_qr_svg(url, _("QR code to join the workshop"), scale=8) if url else None,
        lang=current_language(),
    )


@bp.get("/projector/live")
@access.authenticated
def projector_live(slug: str, workshop_id: int):
    council, workshop, version, now = _projector_version(slug, workshop_id)
    etag = f"{get_locale()}-{version.etag}"
    if request.if_none_match.contains(etag):
        return live_response(None, etag)  # nothing changed: no proposal loaded, nothing rendered
    state = live_state(workshop, Actor.anonymous(), now=now, limit=PROJECTOR_TOP, version=version)
    body = render_template("workshops/_projector_live.html", council=council, workshop=workshop, state=state)
    return live_response(body, etag)


# ---------------------------------------------------------------- attendance

MARKS = {
    "present-room": ("present", "room"),
    "present-online": ("present", "online"),
    "excused": ("excused", "room"),
    "absent": ("absent", "room"),
}


def _render_attendance(council, workshop, *, walk_in_form=None, status: int = 200):
    return (
        render_template(
            "workshops/attendance.html",
            council=council,
            workshop=workshop,
            rows=attendance.sheet(workshop),
            figures=attendance.figures(workshop),
            walk_in_form=walk_in_form or WalkInForm(formdata=None),
            attendance_label=attendance_label,
            is_closed=workshop.phase == "closed",
        ),
        status,
    )


@bp.get("/console/attendance")
@access.authenticated
def attendance_sheet(slug: str, workshop_id: int):
    council, workshop = _managed(slug, workshop_id)
    return _render_attendance(council, workshop)


@bp.post("/console/attendance")
@access.authenticated
def mark_attendance(slug: str, workshop_id: int):
    _council, workshop = _managed(slug, workshop_id)
    if not ButtonForm().validate_on_submit():
        raise Conflict()
    mark = MARKS.get(request.form.get("mark", ""))
    if mark is None:
        raise Conflict(_("Choose present, excused or absent."))
    row = attendance.mark(
        current_user, workshop, request.form.get("person", ""), status=mark[0], channel=mark[1], now=utcnow()
    )
    db.session.commit()
    flash(
        _("Marked %(name)s: %(status)s", name=row.name or _("a participant"), status=attendance_label(*mark)), "success"
    )
    return redirect(url_for("console.attendance_sheet", slug=slug, workshop_id=workshop_id))


@bp.post("/console/attendance/walk-in")
@access.authenticated
def walk_in(slug: str, workshop_id: int):
    council, workshop = _managed(slug, workshop_id)
    form = WalkInForm()
    if not form.validate_on_submit():
        return _render_attendance(council, workshop, walk_in_form=form, status=422)
    row = attendance.add_walk_in(current_user, workshop, name=form.name.data, channel=form.channel.data, now=utcnow())
    db.session.commit()
    flash(_("Marked %(name)s: %(status)s", name=row.name, status=attendance_label("present", row.channel)), "success")
    return redirect(url_for("console.attendance_sheet", slug=slug, workshop_id=workshop_id))


@bp.get("/console/attendance.pdf")
@access.authenticated
def attendance_pdf(slug: str, workshop_id: int):
    _council, workshop = _managed(slug, workshop_id)
    lang = str(get_locale())
    body = signin_sheet_pdf(workshop, attendance.sheet(workshop), lang)
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="sign-in-sheet-{workshop.id}.pdf"'
    return response
