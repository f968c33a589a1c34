"""Taking part from a phone in the room, without an account: enter the code, pick a name (or none),
accept the charter, then submit and support proposals; the page updates itself by polling."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from consultation import access
from consultation.errors import Conflict, NotFound
from consultation.extensions import db, limiter
from consultation.i18n import current_language
from consultation.multilingual.services import reader_language
from consultation.proposals import services as proposals
from consultation.voting import forms as vote_forms
from consultation.voting import labels as vote_labels
from consultation.voting import services as votes
from consultation.voting.methods import InvalidBallot
from consultation.voting.models import Vote
from consultation.voting.rules import Status, may_change_ballot
from consultation.voting.schedule import apply_due
from consultation.web import utcnow
from consultation.workshops import attendance, phases, services
from consultation.workshops.forms import JoinCodeForm, JoinForm, PhoneProposalForm
from consultation.workshops.live import live_response, live_state, live_version
from consultation.workshops.models import WorkshopParticipant

bp = Blueprint("join", __name__, url_prefix="/join")

SESSION_KEY = "workshop_participants"
REMEMBERED = 10  # the session cookie stays small: only the last workshops joined


def _remembered_id(workshop) -> int | None:
    known = session.get(SESSION_KEY) or {}
    value = known.get(str(workshop.id)) if isinstance(known, dict) else None
    return value if isinstance(value, int) else None


def _remember(workshop, participant) -> None:
    known = dict(session.get(SESSION_KEY) or {})
    known.pop(str(workshop.id), None)
    known[str(workshop.id)] = participant.id
    session[SESSION_KEY] = dict(list(known.items())[-REMEMBERED:])


def current_participant(workshop):
    """This browser's identity in the workshop, from the session; a person with an account finds theirs."""
    participant = services.participant_in(workshop, _remembered_id(workshop))
    if participant is not None and participant.user_id is not None:
        if not current_user.is_authenticated or participant.user_id != current_user.id:
            return None  # someone else's account identity on a shared phone
    if participant is None and current_user.is_authenticated:
        participant = db.session.scalar(
            select(WorkshopParticipant).where(
                WorkshopParticipant.workshop_id == workshop.id, WorkshopParticipant.user_id == current_user.id
            )
        )
    return participant


@bp.route("", methods=["GET", "POST"])
@access.public
@limiter.limit("20 per minute", methods=["POST"])  # codes are short: no guessing them by the thousand
def enter():
    form = JoinCodeForm()
    if form.validate_on_submit():
        code = services.normalise_join_code(form.code.data)
        try:
            workshop = services.workshop_by_code(code)
        except NotFound as error:
            form.code.errors = [str(error.message)]
        else:
            return redirect(url_for("join.phone", code=workshop.join_code))
    status = 422 if request.method == "POST" else 200
    return render_template("workshops/join_enter.html", form=form), status


def _workshop(code: str):
    return services.workshop_by_code(code)


def _actor():
    return access.current_actor()


PHONE_PAGE = 50  # proposals per page on a phone: a workshop of thousands stays a light page


def _page() -> int:
    return max(request.args.get("page", 1, type=int) or 1, 1)


def _render_phone(workshop, participant, *, form=None, status: int = 200):
    state = live_state(
        workshop,
        _actor(),
        now=utcnow(),
        participant=participant,
        language=reader_language(),
        limit=PHONE_PAGE,
        page=_page(),
    )
    return (
        render_template(
            "workshops/phone.html",
            workshop=workshop,
            council=workshop.council,
            participant=participant,
            state=state,
            form=form or (PhoneProposalForm(formdata=None) if phases.accepts_proposals(workshop.phase_enum) else None),
            can_support=phases.accepts_supports(workshop.phase_enum),
            rejected=proposals.own_rejected(workshop, _actor(), participant.id),
            attendance=attendance.attendance_of(workshop, participant),
        ),
        status,
    )


@bp.route("/<code>", methods=["GET", "POST"])
@access.public
def phone(code: str):
    workshop = _workshop(code)
    participant = current_participant(workshop)
    if participant is not None:
        if code != workshop.join_code:
            return redirect(url_for("join.phone", code=workshop.join_code))
        return _render_phone(workshop, participant)
    form = JoinForm()
    if form.validate_on_submit():
        participant = services.join(
            workshop,
            user=current_user if current_user.is_authenticated else None,
            display_name=form.display_name.data or "",
            charter_accepted=bool(form.charter.data),
            now=utcnow(),
        )
        db.session.commit()
        _remember(workshop, participant)
        flash(_("Welcome! You take part in this workshop."), "success")
        return redirect(url_for("join.phone", code=workshop.join_code))
    status = 422 if request.method == "POST" else 200
    return render_template("workshops/join.html", workshop=workshop, council=workshop.council, form=form), status


def _participant_or_join(workshop):
    participant = current_participant(workshop)
    if participant is None:
        flash(_("Join the workshop first."), "info")
    return participant


@bp.post("/<code>/proposals")
@access.public
def submit(code: str):
    workshop = _workshop(code)
    participant = _participant_or_join(workshop)
    if participant is None:
        return redirect(url_for("join.phone", code=workshop.join_code))
    form = PhoneProposalForm()
    if not form.validate_on_submit():
        return _render_phone(workshop, participant, form=form, status=422)
    proposals.submit_as_participant(
        participant,
        workshop,
        title=form.title.data,
        body=form.body.data,
        language=current_language().code,
        now=utcnow(),
    )
    db.session.commit()
    flash(_("Thank you, your proposal is sent."), "success")
    return redirect(url_for("join.phone", code=workshop.join_code, _anchor="live"))


@bp.post("/<code>/proposals/<int:proposal_id>/<any(support, unsupport):action>")
@access.public
def support(code: str, proposal_id: int, action: str):
    workshop = _workshop(code)
    participant = _participant_or_join(workshop)
    if participant is None:
        return redirect(url_for("join.phone", code=workshop.join_code))
    proposal = proposals.proposal_in_workshop(_actor(), workshop, proposal_id)
    if action == "support":
        proposals.support_as_participant(participant, proposal, now=utcnow())
        message = _("You support this proposal: %(title)s", title=proposal.title)
    else:
        proposals.withdraw_as_participant(participant, proposal)
        message = _("You no longer support this proposal: %(title)s", title=proposal.title)
    db.session.commit()
    flash(message, "success")
    page = _page()
    return redirect(
        url_for(
            "join.phone", code=workshop.join_code, page=page if page > 1 else None, _anchor=f"proposal-{proposal.id}"
        )
    )


@bp.post("/<code>/check-in")
@access.public
def check_in(code: str):
    workshop = _workshop(code)
    participant = _participant_or_join(workshop)
    if participant is None:
        return redirect(url_for("join.phone", code=workshop.join_code))
    channel = request.form.get("channel", "")
    if channel not in ("room", "online"):
        raise Conflict(_("Say whether you are in the room or online."))
    attendance.check_in(participant, workshop, channel=channel, now=utcnow())
    db.session.commit()
    flash(_("Thank you, you are checked in."), "success")
    return redirect(url_for("join.phone", code=workshop.join_code))


@bp.get("/<code>/live")
@access.public
def live(code: str):
    workshop = _workshop(code)
    participant = current_participant(workshop)
    if participant is None:
        raise NotFound()
    now, page, language, actor = utcnow(), _page(), reader_language(), _actor()
    found = live_version(
        workshop.id,
        now=now,
        viewer_user_id=actor.user_id,
        participant_id=participant.id,
        language=language,
        extra=(PHONE_PAGE, page),
    )
    if found is None:
        raise NotFound()
    version = found[0]
    etag = f"{get_locale()}-{version.etag}"
    if request.if_none_match.contains(etag):
        return live_response(None, etag)  # nothing changed: no proposal loaded, nothing rendered
    state = live_state(
        workshop,
        actor,
        now=now,
        participant=participant,
        language=language,
        limit=PHONE_PAGE,
        page=page,
        version=version,
    )
    body = render_template(
        "workshops/_phone_live.html",
        workshop=workshop,
        council=workshop.council,
        state=state,
        can_support=phases.accepts_supports(workshop.phase_enum),
    )
    return live_response(body, etag)


# ------------------------------------------------------------------------- votes from the phone


def _phone_vote(workshop, participant, vote_id: int, *, for_ballot: bool = False):
    """An open or closed vote of this workshop; a draft is not shown to the room. For a ballot, read with
    the vote's shared lock, which the ballot then relies on (voting.services.read_for_ballot)."""
    vote = votes.read_for_phone_ballot(vote_id) if for_ballot else db.session.get(Vote, vote_id)
    if vote is not None and vote.workshop_id == workshop.id:
        apply_due(vote, utcnow())  # a ballot sent after the planned closing finds the vote closed
    if vote is None or vote.workshop_id != workshop.id or vote.status == Status.DRAFT:
        raise NotFound()
    return vote


def _phone_ballot_form(vote, *, data=None):
    option_labels = votes.option_labels(vote)
    return vote_forms.build_ballot_form(
        vote.method,
        [(key, option_labels[key]) for key in votes.option_keys(vote)],
        grades=vote_labels.grade_labels(vote.grades),
        max_score=vote.max_score,
        points=vote.points,
        data=data,
    )


def _render_phone_ballot(workshop, participant, vote, *, form=None, error=None, status: int = 200):
    has_voted = bool(votes.participant_voted_in(participant, [vote]))
    may_vote = vote.status == Status.OPEN and vote.electorate == "workshop"
    may_change = may_change_ballot(is_secret=vote.is_secret, allows_change=vote.allows_change)
    if form is None and may_vote and (not has_voted or may_change):
        own = votes.participant_ballot(participant, vote) if has_voted else None
        form = _phone_ballot_form(vote, data=vote_forms.form_data_of(vote.method, own))
    grades = vote_labels.grade_labels(vote.grades)
    return (
        render_template(
            "workshops/phone_ballot.html",
            workshop=workshop,
            council=workshop.council,
            participant=participant,
            vote=vote,
            form=form if may_vote else None,
            error=error,
            has_voted=has_voted,
            may_vote=may_vote,
            explanation=vote_labels.method_explanation(
                vote.method, max_score=vote.max_score, points=vote.points, grades=grades
            ),
        ),
        status,
    )


@bp.get("/<code>/votes/<int:vote_id>")
@access.public
def ballot(code: str, vote_id: int):
    workshop = _workshop(code)
    participant = _participant_or_join(workshop)
    if participant is None:
        return redirect(url_for("join.phone", code=workshop.join_code))
    return _render_phone_ballot(workshop, participant, _phone_vote(workshop, participant, vote_id))


@bp.post("/<code>/votes/<int:vote_id>")
@access.public
@limiter.limit("30 per minute")
def cast(code: str, vote_id: int):
    workshop = _workshop(code)
    participant = _participant_or_join(workshop)
    if participant is None:
        return redirect(url_for("join.phone", code=workshop.join_code))
    vote = _phone_vote(workshop, participant, vote_id, for_ballot=True)
    votes.check_participant_can_cast(participant, vote)  # not open, not for the room, already cast: say why
    form = _phone_ballot_form(vote)
    if not form.validate_on_submit():
        return _render_phone_ballot(workshop, participant, vote, form=form, status=422)
    try:
        ballot_content = vote_forms.ballot_from(form, vote.method, votes.option_keys(vote))
        outcome = votes.cast_participant_ballot(participant, vote, ballot_content, now=utcnow())
    except InvalidBallot as problem:
        db.session.rollback()
        message = vote_labels.BALLOT_ERRORS.get(problem.reason, vote_labels.BALLOT_ERRORS["wrong_shape"])
        return _render_phone_ballot(workshop, participant, vote, form=form, error=str(message), status=422)
    db.session.commit()
    changed = outcome == "changed"
    flash(_("Your ballot is changed.") if changed else _("Your ballot is recorded. Thank you for voting."), "success")
    return redirect(url_for("join.phone", code=workshop.join_code, _anchor="live"))
