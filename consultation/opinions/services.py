"""Opinion actions: draft from a workshop, revise with history and comments, adopt by a council
vote, transmit, record the municipality's answer, follow, correct with a new version."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from consultation.accounts.models import User
from consultation.audit import services as audit
from consultation.consultations.models import Consultation
from consultation.dbutil import insert_ignoring_duplicates
from consultation.errors import Conflict, NotAllowed, NotFound
from consultation.extensions import db
from consultation.i18n import LANGUAGES
from consultation.opinions import rules
from consultation.opinions.models import (
    MunicipalAnswer,
    Opinion,
    OpinionComment,
    OpinionFollower,
    OpinionItem,
    OpinionRevision,
    Recommendation,
    RecommendationAnswer,
)
from consultation.permissions import (
    Actor,
    can_answer_opinion,
    can_draft_opinion,
    can_view_opinion,
)
from consultation.proposals.models import VISIBLE_STATUSES, Proposal, Support
from consultation.proposals.services import ranked_proposals
from consultation.workshops import phases
from consultation.workshops.models import Workshop

DEFAULT_TOP = 10


@dataclass(frozen=True)
class RecommendationDraft:
    text: str
    source_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class OpinionDraft:
    """What the drafting form gives: every section, and the recommendations with their sources."""

    title: str
    recommendations: tuple[RecommendationDraft, ...]
    context: str = ""
    findings: str = ""
    dissent: str = ""
    introduction: str = ""
    question_id: int | None = None


@dataclass(frozen=True)
class AnswerInput:
    recommendation_id: int
    status: rules.AnswerStatus
    reason: str = ""
    expected_on: date | None = None


@dataclass
class Timeline:
    events: list[tuple[str, date | datetime, str]] = field(default_factory=list)


def check_can_draft_from(user: User, workshop: Workshop) -> None:
    if not can_draft_opinion(user.actor, workshop.council_id):
        raise NotAllowed(_l("Only the members of this council can draft its opinions."))
    if not phases.proposal_phase_closed(workshop.phase_enum):
        raise Conflict(_l("Close the workshop's proposal phase before drafting an opinion from it."))


def check_can_edit(user: User, opinion: Opinion) -> None:
    if not can_draft_opinion(user.actor, opinion.council_id):
        raise NotAllowed(_l("Only the members of this council can draft its opinions."))
    if opinion.is_frozen:
        raise Conflict(_l("An adopted opinion can no longer be changed. Start a corrected version instead."))


def _apply_draft(opinion: Opinion, draft: OpinionDraft) -> None:
    recommendations = [r for r in draft.recommendations if r.text.strip()]
    if not recommendations:
        raise Conflict(_l("Write at least one recommendation."))
    allowed_sources = {item.proposal_id for item in opinion.items}
    if draft.question_id is not None:
        from consultation.referrals.models import Question

        question = db.session.get(Question, draft.question_id)
        if question is None or question.council_id != opinion.council_id:
            raise Conflict(_l("Choose one of the council's questions."))
    opinion.title = draft.title.strip()
    opinion.context = draft.context.strip()
    opinion.findings = draft.findings.strip()
    opinion.dissent = draft.dissent.strip()
    opinion.recommendations = draft.introduction.strip()
    opinion.question_id = draft.question_id
    opinion.recommendation_list.clear()
    db.session.flush()  # old rows gone before the new ones take their positions
    from consultation.proposals.models import Proposal

    for position, recommendation in enumerate(recommendations, start=1):
        source_ids = [i for i in recommendation.source_ids if i in allowed_sources]
        sources = list(db.session.scalars(select(Proposal).where(Proposal.id.in_(source_ids)))) if source_ids else []
        opinion.recommendation_list.append(
            Recommendation(position=position, text=recommendation.text.strip(), sources=sources)
        )


def snapshot(opinion: Opinion) -> dict:
    return {
        "title": opinion.title,
        "context": opinion.context,
        "findings": opinion.findings,
        "introduction": opinion.recommendations,
        "recommendations": [
            {"text": r.text, "sources": [p.id for p in r.sources]} for r in opinion.recommendation_list
        ],
        "dissent": opinion.dissent,
    }


def _record_revision(opinion: Opinion, user: User, now: datetime) -> OpinionRevision:
    last = db.session.scalar(select(func.max(OpinionRevision.number)).where(OpinionRevision.opinion_id == opinion.id))
    revision = OpinionRevision(
        opinion_id=opinion.id, number=(last or 0) + 1, author_id=user.id, created_at=now, snapshot=snapshot(opinion)
    )
    db.session.add(revision)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as error:  # two members saved at the same instant
        raise Conflict(_l("Someone else saved this opinion at the same moment. Reload it and try again.")) from error
    return revision


def create_opinion(
    user: User,
    workshop: Workshop,
    draft: OpinionDraft,
    *,
    language: str,
    top: int = DEFAULT_TOP,
    now: datetime,
) -> Opinion:
    check_can_draft_from(user, workshop)
    opinion = Opinion(
        council_id=workshop.council_id,
        workshop=workshop,
        created_by=user,
        title=draft.title.strip(),
        language=language if language in LANGUAGES else workshop.language,
        response_months=workshop.council.response_months,
        created_at=now,
        updated_at=now,
    )
    # The counts are frozen now, so the page and the PDF always say the same numbers.
    for position, ranked in enumerate(ranked_proposals(workshop, Actor.anonymous(), limit=top), start=1):
        opinion.items.append(
            OpinionItem(proposal_id=ranked.proposal.id, position=position, support_count=ranked.support_count)
        )
    db.session.add(opinion)
    db.session.flush()
    _apply_draft(opinion, draft)
    db.session.flush()
    _record_revision(opinion, user, now)
    return opinion


def gatherable_workshops(opinion: Opinion) -> list[Workshop]:
    """The council's workshops whose proposal phase is over and that the opinion does not gather yet."""
    gathered = set(opinion.workshop_ids)
    candidates = db.session.scalars(
        select(Workshop).where(Workshop.council_id == opinion.council_id).order_by(Workshop.starts_at, Workshop.id)
    )
    return [w for w in candidates if w.id not in gathered and phases.proposal_phase_closed(w.phase_enum)]


def gather_workshop(
    user: User, opinion: Opinion, workshop: Workshop, *, top: int = DEFAULT_TOP, now: datetime
) -> Opinion:
    """Add a workshop to the opinion: its most supported proposals join the annex, counts frozen now."""
    check_can_edit(user, opinion)
    if workshop.council_id != opinion.council_id:
        raise NotFound()
    check_can_draft_from(user, workshop)
    if workshop.id in opinion.workshop_ids:
        raise Conflict(_l("The opinion already gathers this workshop."))
    opinion.more_workshops.append(workshop)
    present = {item.proposal_id for item in opinion.items}
    position = max((item.position for item in opinion.items), default=0)
    for ranked in ranked_proposals(workshop, Actor.anonymous(), limit=top):
        if ranked.proposal.id not in present:
            position += 1
            opinion.items.append(
                OpinionItem(proposal_id=ranked.proposal.id, position=position, support_count=ranked.support_count)
            )
    opinion.updated_at = now
    db.session.flush()
    _record_revision(opinion, user, now)
    return opinion


# ------------------------------------------------------------------ online consultations


@dataclass(frozen=True)
class SupportedProposal:
    proposal: Proposal
    support_count: int


def ranked_consultation_proposals(consultation_id: int, *, limit: int = DEFAULT_TOP) -> list[SupportedProposal]:
    """The consultation's visible proposals (not hidden, withdrawn, rejected or merged), most supported
    first, in one query."""
    supports = func.count(Support.id)
    rows = db.session.execute(
        select(Proposal, supports)
        .outerjoin(Support, Support.proposal_id == Proposal.id)
        .where(
            Proposal.consultation_id == consultation_id,
            Proposal.status.in_(VISIBLE_STATUSES),
            Proposal.hidden_at.is_(None),
        )
        .group_by(Proposal.id)
        .order_by(supports.desc(), Proposal.created_at, Proposal.id)
        .limit(limit)
    ).all()
    return [SupportedProposal(proposal, int(count)) for proposal, count in rows]


def check_can_draft_from_consultation(user: User, consultation: Consultation, *, now: datetime) -> None:
    if not can_draft_opinion(user.actor, consultation.council_id):
        raise NotAllowed(_l("Only the members of this council can draft its opinions."))
    if not consultation.is_published or consultation.closes_at > now:
        raise Conflict(_l("An opinion gathers a consultation once it is closed: its figures are final then."))


def _add_items(opinion: Opinion, ranked: list[SupportedProposal]) -> None:
    present = {item.proposal_id for item in opinion.items}
    position = max((item.position for item in opinion.items), default=0)
    for entry in ranked:
        if entry.proposal.id not in present:
            position += 1
            opinion.items.append(
                OpinionItem(proposal_id=entry.proposal.id, position=position, support_count=entry.support_count)
            )


def create_opinion_from_consultation(
    user: User,
    consultation: Consultation,
    draft: OpinionDraft,
    *,
    language: str,
    top: int = DEFAULT_TOP,
    now: datetime,
) -> Opinion:
    """An opinion that starts from an online consultation (no workshop yet): its most supported
    proposals form the annex, counts frozen now."""
    check_can_draft_from_consultation(user, consultation, now=now)
    opinion = Opinion(
        council_id=consultation.council_id,
        created_by=user,
        title=draft.title.strip(),
        language=language if language in LANGUAGES else consultation.language,
        response_months=consultation.council.response_months,
        created_at=now,
        updated_at=now,
    )
    opinion.consultations.append(consultation)
    _add_items(opinion, ranked_consultation_proposals(consultation.id, limit=top))
    db.session.add(opinion)
    db.session.flush()
    _apply_draft(opinion, draft)
    db.session.flush()
    _record_revision(opinion, user, now)
    return opinion


def gatherable_consultations(opinion: Opinion, *, now: datetime) -> list[Consultation]:
    """The council's published consultations that are closed and not gathered yet."""
    gathered = set(opinion.consultation_ids)
    candidates = db.session.scalars(
        select(Consultation)
        .where(
            Consultation.council_id == opinion.council_id,
            Consultation.is_published.is_(True),
            Consultation.closes_at <= now,
        )
        .order_by(Consultation.opens_at, Consultation.id)
    )
    return [c for c in candidates if c.id not in gathered]


def gather_consultation(
    user: User, opinion: Opinion, consultation: Consultation, *, top: int = DEFAULT_TOP, now: datetime
) -> Opinion:
    """Add a consultation to the opinion: its most supported proposals join the annex, counts frozen now."""
    check_can_edit(user, opinion)
    if consultation.council_id != opinion.council_id:
        raise NotFound()
    check_can_draft_from_consultation(user, consultation, now=now)
    if consultation.id in opinion.consultation_ids:
        raise Conflict(_l("The opinion already gathers this consultation."))
    opinion.consultations.append(consultation)
    _add_items(opinion, ranked_consultation_proposals(consultation.id, limit=top))
    opinion.updated_at = now
    db.session.flush()
    _record_revision(opinion, user, now)
    return opinion


def release_consultation(user: User, opinion: Opinion, consultation_id: int, *, now: datetime) -> Opinion:
    """Take a consultation out of the opinion, with its proposals; an opinion keeps at least one source."""
    check_can_edit(user, opinion)
    consultation = next((c for c in opinion.consultations if c.id == consultation_id), None)
    if consultation is None:
        raise NotFound()
    if len(opinion.consultations) == 1 and not opinion.workshops:
        raise Conflict(_l("The opinion starts from this consultation: it cannot be taken out."))
    cited = {p.id for r in opinion.recommendation_list for p in r.sources if p.consultation_id == consultation_id}
    if cited:
        raise Conflict(_l("Recommendations cite proposals of this consultation: remove those sources first."))
    opinion.consultations.remove(consultation)
    kept = [item for item in opinion.items if item.proposal.consultation_id != consultation_id]
    opinion.items[:] = kept
    for position, item in enumerate(kept, start=1):
        item.position = position
    opinion.updated_at = now
    db.session.flush()
    _record_revision(opinion, user, now)
    return opinion


def release_workshop(user: User, opinion: Opinion, workshop_id: int, *, now: datetime) -> Opinion:
    """Take a gathered workshop out of the opinion, with its proposals (not the one it started from)."""
    check_can_edit(user, opinion)
    workshop = next((w for w in opinion.more_workshops if w.id == workshop_id), None)
    if workshop is None:
        raise Conflict(_l("Only a workshop gathered after the first one can be taken out."))
    cited = {p.id for r in opinion.recommendation_list for p in r.sources if p.workshop_id == workshop_id}
    if cited:
        raise Conflict(_l("Recommendations cite proposals of this workshop: remove those sources first."))
    opinion.more_workshops.remove(workshop)
    kept = [item for item in opinion.items if item.proposal.workshop_id != workshop_id]
    opinion.items[:] = kept
    for position, item in enumerate(kept, start=1):  # positions stay 1..n
        item.position = position
    opinion.updated_at = now
    db.session.flush()
    _record_revision(opinion, user, now)
    return opinion


def update_opinion(user: User, opinion: Opinion, draft: OpinionDraft, *, now: datetime) -> Opinion:
    check_can_edit(user, opinion)
    _apply_draft(opinion, draft)
    opinion.updated_at = now
    db.session.flush()
    _record_revision(opinion, user, now)
    return opinion


def readable_opinion(actor: Actor, opinion_id: int) -> Opinion:
    opinion = db.session.get(Opinion, opinion_id)
    if opinion is None or not can_view_opinion(actor, opinion.council_id, is_public=opinion.is_public):
        raise NotFound()
    return opinion


def opinions_of_council(actor: Actor, council_id: int, *, status: str | None = None) -> list[Opinion]:
    query = (
        select(Opinion)
        .where(Opinion.council_id == council_id)
        .order_by(Opinion.created_at.desc(), Opinion.id.desc())
        .options(
            selectinload(Opinion.answer),
            selectinload(Opinion.items).joinedload(OpinionItem.proposal),
            selectinload(Opinion.recommendation_list).selectinload(Recommendation.sources),
            selectinload(Opinion.recommendation_list).selectinload(Recommendation.answer),
        )
    )
    if not can_view_opinion(actor, council_id, is_public=False):
        query = query.where(Opinion.status == "adopted")
    if status in ("draft", "adopted"):
        query = query.where(Opinion.status == status)
    return list(db.session.scalars(query))


# --- drafting together: history, diffs, comments -------------------------------------------------


def revisions_of(opinion: Opinion) -> list[OpinionRevision]:
    return list(
        db.session.scalars(
            select(OpinionRevision)
            .where(OpinionRevision.opinion_id == opinion.id)
            .order_by(OpinionRevision.number.desc())
            .options(selectinload(OpinionRevision.author))
        )
    )


def snapshot_lines(data: dict) -> list[str]:
    lines = [f"# {data.get('title', '')}", "", "## context", *data.get("context", "").splitlines()]
    lines += ["", "## findings", *data.get("findings", "").splitlines(), "", "## recommendations"]
    lines += data.get("introduction", "").splitlines()
    for number, recommendation in enumerate(data.get("recommendations", []), start=1):
        sources = ", ".join(f"#{s}" for s in recommendation.get("sources", []))
        lines.append(f"{number}. {recommendation.get('text', '')}" + (f" [{sources}]" if sources else ""))
    lines += ["", "## dissent", *data.get("dissent", "").splitlines()]
    return lines


def diff(older: OpinionRevision, newer: OpinionRevision) -> list[tuple[str, str]]:
    """Line changes between two revisions: ("added"|"removed"|"same", text)."""
    changes = []
    for line in difflib.ndiff(snapshot_lines(older.snapshot), snapshot_lines(newer.snapshot)):
        code, text = line[:2], line[2:]
        if code == "? ":
            continue
        changes.append(({"+ ": "added", "- ": "removed"}.get(code, "same"), text))
    return changes


def revision_of(opinion: Opinion, number: int) -> OpinionRevision:
    revision = db.session.scalar(
        select(OpinionRevision).where(OpinionRevision.opinion_id == opinion.id, OpinionRevision.number == number)
    )
    if revision is None:
        raise NotFound()
    return revision


def add_comment(user: User, opinion: Opinion, body: str, *, now: datetime) -> OpinionComment:
    if not can_draft_opinion(user.actor, opinion.council_id):
        raise NotAllowed(_l("Only the members of this council can comment on its drafts."))
    if opinion.is_frozen:
        raise Conflict(_l("An adopted opinion can no longer be changed. Start a corrected version instead."))
    comment = OpinionComment(opinion_id=opinion.id, author_id=user.id, body=body.strip(), created_at=now)
    db.session.add(comment)
    db.session.flush()
    return comment


def comments_of(opinion: Opinion) -> list[OpinionComment]:
    return list(
        db.session.scalars(
            select(OpinionComment)
            .where(OpinionComment.opinion_id == opinion.id)
            .order_by(OpinionComment.created_at, OpinionComment.id)
            .options(selectinload(OpinionComment.author))
        )
    )


# --- adoption by the council's vote -------------------------------------------------------------


def record_adoption(user: User, opinion: Opinion, *, vote_id: int, result: dict, closed_at: datetime) -> bool:
    """Stamp the result of the council's closed motion vote on the opinion; True when adopted.

    An adopted opinion gets its number ("2026-03") and is frozen; a rejected or inquorate one stays a
    draft and the vote stays in its history."""
    if not can_draft_opinion(user.actor, opinion.council_id):
        raise NotAllowed(_l("Only the members of this council can record the adoption of its opinions."))
    if opinion.is_frozen:
        raise Conflict(_l("This opinion is already adopted."))
    if not opinion.recommendation_list:
        raise Conflict(_l("Write at least one recommendation."))
    opinion.adoption_vote_id = vote_id
    opinion.adoption_result = result
    if result.get("winners") != ["yes"]:
        db.session.flush()
        return False
    year = closed_at.year
    existing = db.session.scalars(select(Opinion.number).where(Opinion.council_id == opinion.council_id))
    opinion.number = rules.next_number(year, [n for n in existing if n])
    opinion.status = "adopted"
    opinion.adopted_at = closed_at
    audit.record(
        "opinion.adopted",
        actor_id=user.id,
        details={"opinion": opinion.id, "number": opinion.number, "vote": vote_id},
        now=closed_at,
    )
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as error:  # another opinion took the number at the same instant
        raise Conflict(_l("Another opinion was adopted at the same moment. Try again.")) from error
    return True


def newer_version(opinion: Opinion) -> Opinion | None:
    return db.session.scalar(select(Opinion).where(Opinion.previous_version_id == opinion.id))


def correct(user: User, opinion: Opinion, *, now: datetime) -> Opinion:
    """A correction of an adopted opinion is a new draft linked to it; the adopted text stays."""
    if not can_draft_opinion(user.actor, opinion.council_id):
        raise NotAllowed(_l("Only the members of this council can draft its opinions."))
    if not opinion.is_frozen:
        raise Conflict(_l("Only an adopted opinion needs a corrected version; edit the draft instead."))
    newer = db.session.scalar(select(Opinion).where(Opinion.previous_version_id == opinion.id))
    if newer is not None:
        return newer
    copy = Opinion(
        council_id=opinion.council_id,
        workshop_id=opinion.workshop_id,
        question_id=opinion.question_id,
        created_by=user,
        previous_version_id=opinion.id,
        version=opinion.version + 1,
        title=opinion.title,
        context=opinion.context,
        findings=opinion.findings,
        dissent=opinion.dissent,
        recommendations=opinion.recommendations,
        language=opinion.language,
        response_months=opinion.response_months,
        created_at=now,
        updated_at=now,
    )
    copy.more_workshops = list(opinion.more_workshops)
    copy.consultations = list(opinion.consultations)
    for item in opinion.items:
        copy.items.append(
            OpinionItem(proposal_id=item.proposal_id, position=item.position, support_count=item.support_count)
        )
    for recommendation in opinion.recommendation_list:
        copy.recommendation_list.append(
            Recommendation(
                position=recommendation.position, text=recommendation.text, sources=list(recommendation.sources)
            )
        )
    db.session.add(copy)
    db.session.flush()
    _record_revision(copy, user, now)
    return copy


# --- transmission and the municipality's answer --------------------------------------------------


def transmit(user: User, opinion: Opinion, *, addressee: str, on: date, now: datetime) -> Opinion:
    if not can_draft_opinion(user.actor, opinion.council_id):
        raise NotAllowed(_l("Only the members of this council can transmit its opinions."))
    if not opinion.is_frozen:
        raise Conflict(_l("Only an adopted opinion can be transmitted to the municipality."))
    if opinion.adopted_at and on < opinion.adopted_at.date():
        raise Conflict(_l("An opinion cannot be transmitted before it was adopted."))
    first_time = opinion.transmitted_on is None
    opinion.addressee = addressee.strip()
    opinion.transmitted_on = on
    db.session.flush()
    if first_time:
        audit.record("opinion.transmitted", actor_id=user.id, details={"opinion": opinion.id}, now=now)
        _tell(opinion, "opinion_transmitted", now)
    return opinion


def acknowledge(user: User, opinion: Opinion, *, on: date) -> Opinion:
    if not can_answer_opinion(user.actor, opinion.council_id):
        raise NotAllowed(_l("Only the municipality's officers can acknowledge or answer an opinion."))
    if opinion.transmitted_on is None:
        raise Conflict(_l("This opinion has not been transmitted yet."))
    if on < opinion.transmitted_on:
        raise Conflict(_l("The acknowledgement cannot come before the transmission."))
    opinion.acknowledged_on = on
    db.session.flush()
    return opinion


def answer(
    user: User, opinion: Opinion, *, answered_on: date, summary: str, answers: list[AnswerInput], now: datetime
) -> MunicipalAnswer:
    if not can_answer_opinion(user.actor, opinion.council_id):
        raise NotAllowed(_l("Only the municipality's officers can acknowledge or answer an opinion."))
    if opinion.transmitted_on is None:
        raise Conflict(_l("This opinion has not been transmitted yet."))
    if answered_on < opinion.transmitted_on:
        raise Conflict(_l("The answer cannot come before the transmission."))
    by_id = {r.id: r for r in opinion.recommendation_list}
    if {a.recommendation_id for a in answers} != set(by_id):
        raise Conflict(_l("Answer every recommendation."))
    for given in answers:
        recommendation = by_id[given.recommendation_id]
        if recommendation.answer is None:
            recommendation.answer = RecommendationAnswer(status=given.status.value)
        recommendation.answer.status = given.status.value
        recommendation.answer.reason = given.reason.strip()
        recommendation.answer.expected_on = given.expected_on
        recommendation.answer.updated_at = now
    first_answer = opinion.answer is None
    if opinion.answer is None:
        opinion.answer = MunicipalAnswer(answered_by_id=user.id, answered_on=answered_on, created_at=now)
    opinion.answer.answered_on = answered_on
    opinion.answer.summary = summary.strip()
    opinion.answer.answered_by_id = user.id
    db.session.flush()
    audit.record("opinion.answered", actor_id=user.id, details={"opinion": opinion.id}, now=now)
    if first_answer:
        _tell(opinion, "opinion_answered", now)
    return opinion.answer


def _people_to_tell(opinion: Opinion) -> set[int]:
    """The opinion's followers and the council's members (member, secretary, president)."""
    from consultation.councils.models import Membership

    followers = db.session.scalars(select(OpinionFollower.user_id).where(OpinionFollower.opinion_id == opinion.id))
    members = db.session.scalars(
        select(Membership.user_id).where(
            Membership.council_id == opinion.council_id, Membership.role.in_(("member", "secretary", "president"))
        )
    )
    return set(followers) | set(members)


def _tell(opinion: Opinion, kind: str, now: datetime) -> None:
    from consultation.notifications.services import notify

    params = {"title": opinion.title, "slug": opinion.council.slug, "opinion_id": opinion.id}
    notify(_people_to_tell(opinion), kind=kind, params=params, now=now)


def follow_up_of(opinion: Opinion, today: date) -> rules.FollowUp:
    return rules.follow_up(
        transmitted_on=opinion.transmitted_on,
        answered_on=opinion.answer.answered_on if opinion.answer else None,
        today=today,
        months=opinion.response_months,
    )


def follow(user: User, opinion: Opinion, *, now: datetime) -> bool:
    if not opinion.is_public and not can_view_opinion(user.actor, opinion.council_id, is_public=False):
        raise NotFound()
    return insert_ignoring_duplicates(
        OpinionFollower, {"opinion_id": opinion.id, "user_id": user.id, "created_at": now}, ["opinion_id", "user_id"]
    )


def unfollow(user: User, opinion: Opinion) -> None:
    db.session.execute(
        OpinionFollower.__table__.delete().where(
            OpinionFollower.opinion_id == opinion.id, OpinionFollower.user_id == user.id
        )
    )


def is_following(user_id: int | None, opinion: Opinion) -> bool:
    if user_id is None:
        return False
    return bool(
        db.session.scalar(
            select(func.count(OpinionFollower.id)).where(
                OpinionFollower.opinion_id == opinion.id, OpinionFollower.user_id == user_id
            )
        )
    )


def timeline(opinion: Opinion) -> list[tuple[str, date | datetime]]:
    """The dated steps of an opinion, oldest first, as (event code, date)."""
    events: list[tuple[str, date | datetime]] = []
    if opinion.question is not None:
        events.append(("referred", opinion.question.referred_on))
    events.append(("drafted", opinion.created_at))
    if opinion.adopted_at:
        events.append(("adopted", opinion.adopted_at))
    if opinion.transmitted_on:
        events.append(("transmitted", opinion.transmitted_on))
    if opinion.acknowledged_on:
        events.append(("acknowledged", opinion.acknowledged_on))
    if opinion.answer:
        events.append(("answered", opinion.answer.answered_on))
    return events
