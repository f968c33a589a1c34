"""Call for projects actions: draft and publish the terms, apply, name the jury, declare conflicts, score,
publish the results, and draft the council's opinion on them. Each read loads a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from consultation import uploads
from consultation.accounts.models import User
from consultation.audit import services as audit
from consultation.calls import rules
from consultation.calls.labels import REFUSALS
from consultation.calls.models import (
    Application,
    ApplicationAttachment,
    ApplicationPartner,
    Call,
    CallCriterion,
    JuryConflict,
    JuryMember,
    JuryScore,
)
from consultation.calls.rules import CallStatus, Mark, Scoring
from consultation.councils.models import Council, Membership
from consultation.diagnostic.models import ChallengeRanking, Diagnostic
from consultation.errors import Conflict, NotAllowed, NotFound
from consultation.extensions import db
from consultation.opinions.models import Opinion
from consultation.permissions import (
    JURY_ROLES,
    Actor,
    can_draft_opinion,
    can_manage_call,
    can_sit_on_jury,
    can_take_part,
)
from consultation.proposals.services import RankedProposal, ranked_proposals
from consultation.referrals.models import Question
from consultation.territory.models import Organisation
from consultation.workshops.models import Workshop


@dataclass(frozen=True)
class CriterionInput:
    name: str
    weight: int
    description: str = ""


@dataclass(frozen=True)
class CallInput:
    title: str
    description: str
    themes: str
    eligibility: str
    budget: int
    opens_on: date
    closes_on: date
    scoring: str
    min_organisations: int
    criteria: tuple[CriterionInput, ...]
    workshop_id: int | None = None
    ranking_ids: tuple[int, ...] = ()
    language: str = "fr"


@dataclass(frozen=True)
class ApplicationInput:
    title: str
    summary: str
    budget_requested: int
    answers: dict[int, str]
    partners: tuple[str, ...] = ()
    attachment_description: str = ""
    language: str = "fr"


@dataclass(frozen=True)
class Standing:
    """An application's place by the jury's marks so far (or as frozen by the published results)."""

    application: Application
    rank: int | None
    result: float | tuple[int, ...] | None
    markers: int  # jury members who gave at least one mark
    conflicted: int


@dataclass
class JuryView:
    members: list[JuryMember] = field(default_factory=list)
    conflicts: dict[int, set[int]] = field(default_factory=dict)  # application id → member ids
    marks: dict[int, list[Mark]] = field(default_factory=dict)  # application id → marks


def _refuse(error: rules.RuleBroken) -> Conflict:
    return Conflict(REFUSALS[error.reason])


def _check_manager(actor: Actor, council_id: int) -> None:
    if not can_manage_call(actor, council_id):
        raise NotAllowed(_l("Only the council's facilitators, secretary, president and the municipality can do this."))


# ------------------------------------------------------------------------------------------ reading


def can_view(actor: Actor, call: Call) -> bool:
    """Published calls are public; terms being drafted are seen by the managers, and by everyone once they
    are discussed in a published workshop."""
    if call.status != CallStatus.DRAFTING or can_manage_call(actor, call.council_id):
        return True
    return call.workshop is not None and call.workshop.is_published


def calls_of(actor: Actor, council: Council) -> list[Call]:
    query = (
        select(Call)
        .where(Call.council_id == council.id)
        .options(selectinload(Call.workshop))
        .order_by(Call.opens_on.desc(), Call.id.desc())
    )
    return [c for c in db.session.scalars(query) if can_view(actor, c)]


def call_in_council(actor: Actor, council: Council, call_id: int) -> Call:
    call = db.session.get(Call, call_id)
    if call is None or call.council_id != council.id or not can_view(actor, call):
        raise NotFound()
    return call


def is_jury_member(user_id: int | None, call: Call) -> bool:
    if user_id is None:
        return False
    query = select(JuryMember.id).where(JuryMember.call_id == call.id, JuryMember.user_id == user_id)
    return db.session.scalar(query) is not None


def can_read_applications(actor: Actor, call: Call) -> bool:
    return can_manage_call(actor, call.council_id) or is_jury_member(actor.user_id, call)


def application_in_call(actor: Actor, call: Call, application_id: int) -> Application:
    """The applicant, the call's managers and its jury read an application; for anyone else it does not exist."""
    application = db.session.get(Application, application_id)
    if application is None or application.call_id != call.id:
        raise NotFound()
    if application.applicant_id != actor.user_id or actor.user_id is None:
        if not can_read_applications(actor, call):
            raise NotFound()
    return application


def draft_proposals(call: Call, actor: Actor) -> list[RankedProposal]:
    """The proposals made on the terms in the drafting workshop, most supported first."""
    if call.workshop is None:
        return []
    return ranked_proposals(call.workshop, actor, limit=100)


def workshops_for_drafting(council: Council) -> list[Workshop]:
    query = select(Workshop).where(Workshop.council_id == council.id).order_by(Workshop.starts_at.desc())
    return list(db.session.scalars(query.limit(200)))


def citable_rankings(council: Council) -> list[ChallengeRanking]:
    from consultation.diagnostic.services import ranked_challenges_of

    return ranked_challenges_of(council.id)


def applications_of(call: Call) -> list[Application]:
    query = (
        select(Application)
        .where(Application.call_id == call.id)
        .options(selectinload(Application.partners), selectinload(Application.applicant))
        .order_by(Application.submitted_at, Application.id)
    )
    return list(db.session.scalars(query))


def own_applications(user_id: int | None, call: Call) -> list[Application]:
    if user_id is None:
        return []
    query = select(Application).where(Application.call_id == call.id, Application.applicant_id == user_id)
    return list(db.session.scalars(query.order_by(Application.id)))


def jury_of(call: Call) -> JuryView:
    """The jury, its conflicts and its marks for the whole call, in three queries."""
    view = JuryView()
    view.members = list(
        db.session.scalars(
            select(JuryMember)
            .where(JuryMember.call_id == call.id)
            .options(selectinload(JuryMember.user))
            .order_by(JuryMember.id)
        )
    )
    for application_id, user_id in db.session.execute(
        select(JuryConflict.application_id, JuryConflict.user_id)
        .join(Application, Application.id == JuryConflict.application_id)
        .where(Application.call_id == call.id)
    ):
        view.conflicts.setdefault(application_id, set()).add(user_id)
    for application_id, user_id, criterion_id, value in db.session.execute(
        select(JuryScore.application_id, JuryScore.user_id, JuryScore.criterion_id, JuryScore.value)
        .join(Application, Application.id == JuryScore.application_id)
        .where(Application.call_id == call.id)
    ):
        view.marks.setdefault(application_id, []).append(Mark(user_id, criterion_id, value))
    return view


def _criteria_weights(call: Call) -> dict[int, int]:
    return {c.id: c.weight for c in call.criteria}


def standings(call: Call, applications: list[Application], jury: JuryView) -> list[Standing]:
    weights = _criteria_weights(call)
    members = {m.user_id for m in jury.members}
    results = {}
    for application in applications:
        # Defence in depth: marks of conflicted members, of the applicant, or of former jury members never count.
        excluded = jury.conflicts.get(application.id, set()) | {application.applicant_id}
        marks = [m for m in jury.marks.get(application.id, []) if m.member_id in members]
        results[application.id] = rules.aggregate(call.scoring, weights, marks, excluded)
    order = rules.rank(results)
    by_id = {a.id: a for a in applications}
    found = []
    for application_id, place in order:
        application = by_id[application_id]
        conflicted = jury.conflicts.get(application_id, set())
        markers = {m.member_id for m in jury.marks.get(application_id, []) if m.member_id not in conflicted}
        found.append(Standing(application, place, results[application_id], len(markers), len(conflicted)))
    return found


def published_results(call: Call) -> list[Application]:
    """The frozen results, best first (one query for the applications, one for their partners)."""
    query = (
        select(Application)
        .where(Application.call_id == call.id)
        .options(selectinload(Application.partners))
        .order_by(Application.rank.is_(None), Application.rank, Application.id)
    )
    return list(db.session.scalars(query))


def marks_of(user_id: int, application: Application) -> dict[int, int]:
    query = select(JuryScore.criterion_id, JuryScore.value).where(
        JuryScore.application_id == application.id, JuryScore.user_id == user_id
    )
    return {criterion_id: value for criterion_id, value in db.session.execute(query)}


def conflict_of(user_id: int | None, application: Application) -> JuryConflict | None:
    if user_id is None:
        return None
    query = select(JuryConflict).where(JuryConflict.application_id == application.id, JuryConflict.user_id == user_id)
    return db.session.scalar(query)


def jury_candidates(call: Call) -> list[User]:
    """The council's members who may sit on the jury and are not on it yet."""
    named = select(JuryMember.user_id).where(JuryMember.call_id == call.id)
    members = select(Membership.user_id).where(
        Membership.council_id == call.council_id, Membership.role.in_([r.value for r in JURY_ROLES])
    )
    query = select(User).where(User.id.in_(members), User.id.not_in(named)).order_by(User.id)
    return list(db.session.scalars(query))


# ------------------------------------------------------------------------------------------ writing


def _apply_terms(call: Call, data: CallInput) -> None:
    criteria = [c for c in data.criteria if c.name.strip()]
    try:
        rules.check_terms(
            rules.Terms(
                budget=data.budget,
                opens_on=data.opens_on,
                closes_on=data.closes_on,
                min_organisations=data.min_organisations,
                weights=tuple(c.weight for c in criteria),
            )
        )
    except rules.RuleBroken as error:
        raise _refuse(error) from error
    if data.scoring not in tuple(Scoring):
        raise Conflict(_l("Choose how the jury scores."))
    if data.workshop_id is not None:
        workshop = db.session.get(Workshop, data.workshop_id)
        if workshop is None or workshop.council_id != call.council_id:
            raise Conflict(_l("Choose one of the council's workshops."))
    rankings = []
    if data.ranking_ids:
        rankings = list(
            db.session.scalars(
                select(ChallengeRanking)
                .join(Diagnostic, Diagnostic.id == ChallengeRanking.diagnostic_id)
                .where(ChallengeRanking.id.in_(data.ranking_ids), Diagnostic.council_id == call.council_id)
            )
        )
        if len(rankings) != len(set(data.ranking_ids)):
            raise Conflict(_l("Choose ranked challenges of the council's diagnostics."))
    call.title = data.title.strip()
    call.description = data.description.strip()
    call.themes = data.themes.strip()
    call.eligibility = data.eligibility.strip()
    call.budget = data.budget
    call.opens_on = data.opens_on
    call.closes_on = data.closes_on
    call.scoring = data.scoring
    call.min_organisations = data.min_organisations
    call.workshop_id = data.workshop_id
    call.challenges = rankings
    call.criteria.clear()
    db.session.flush()  # the old criteria are gone before the new ones take their positions
    for position, criterion in enumerate(criteria, start=1):
        call.criteria.append(
            CallCriterion(
                position=position,
                name=criterion.name.strip(),
                description=criterion.description.strip(),
                weight=criterion.weight,
            )
        )


def create_call(user: User, council: Council, data: CallInput, *, now: datetime) -> Call:
    _check_manager(user.actor, council.id)
    call = Call(
        council_id=council.id,
        created_by_id=user.id,
        language=data.language,
        status=CallStatus.DRAFTING.value,
        created_at=now,
        title="",
        budget=1,
        opens_on=data.opens_on,
        closes_on=data.closes_on,
    )
    db.session.add(call)
    _apply_terms(call, data)
    db.session.flush()
    audit.record("call.created", actor_id=user.id, details={"call": call.id}, now=now)
    return call


def update_call(user: User, call: Call, data: CallInput) -> Call:
    _check_manager(user.actor, call.council_id)
    if call.status != CallStatus.DRAFTING:
        raise Conflict(_l("The terms are published: they can no longer change."))
    _apply_terms(call, data)
    db.session.flush()
    return call


def terms_snapshot(call: Call) -> dict[str, Any]:
    return {
        "title": call.title,
        "description": call.description,
        "themes": call.themes,
        "eligibility": call.eligibility,
        "budget": call.budget,
        "opens_on": call.opens_on.isoformat(),
        "closes_on": call.closes_on.isoformat(),
        "scoring": call.scoring,
        "min_organisations": call.min_organisations,
        "criteria": [
            {"id": c.id, "name": c.name, "description": c.description, "weight": c.weight} for c in call.criteria
        ],
        "challenges": [r.id for r in call.challenges],
    }


def publish_terms(user: User, call: Call, *, now: datetime) -> Call:
    _check_manager(user.actor, call.council_id)
    if not rules.can_move(call.status, CallStatus.PUBLISHED):
        raise Conflict(_l("The terms are already published."))
    if not call.criteria:
        raise _refuse(rules.RuleBroken("criteria_needed"))
    call.status = CallStatus.PUBLISHED.value
    call.published_terms = terms_snapshot(call)
    call.published_at = now
    db.session.flush()
    audit.record("call.published", actor_id=user.id, details={"call": call.id}, now=now)
    return call


def _organisation_ids(council_id: int, names: list[str]) -> dict[str, int]:
    """Public entries of the council's directory whose name is the typed one (case aside)."""
    if not names:
        return {}
    query = select(Organisation.id, Organisation.name).where(
        Organisation.council_id == council_id,
        Organisation.approved_at.is_not(None),
        Organisation.hidden_at.is_(None),
        func.lower(Organisation.name).in_([n.lower() for n in names]),
    )
    wanted = {n.casefold() for n in names}
    return {name.casefold(): id_ for id_, name in db.session.execute(query) if name.casefold() in wanted}


def submit_application(
    user: User, call: Call, data: ApplicationInput, *, upload: uploads.Upload | None = None, now: datetime
) -> Application:
    if not can_take_part(user.actor):
        raise NotAllowed()
    if not rules.accepts_applications(call.status, now.date(), call.opens_on, call.closes_on):
        raise Conflict(_l("This call does not take applications now."))
    partners = [p.strip() for p in data.partners if p.strip()]
    try:
        rules.check_application(
            partners=len(partners),
            min_organisations=call.min_organisations,
            budget_requested=data.budget_requested,
            budget=call.budget,
        )
    except rules.RuleBroken as error:
        raise _refuse(error) from error
    answers = {}
    for criterion in call.criteria:
        answer = (data.answers.get(criterion.id) or "").strip()
        if not answer:
            raise Conflict(_l("Answer every criterion of the call."))
        answers[str(criterion.id)] = answer
    application = Application(
        call_id=call.id,
        applicant_id=user.id,
        title=data.title.strip(),
        summary=data.summary.strip(),
        language=data.language,
        budget_requested=data.budget_requested,
        answers=answers,
        submitted_at=now,
    )
    known = _organisation_ids(call.council_id, partners)
    for position, name in enumerate(partners, start=1):
        application.partners.append(
            ApplicationPartner(position=position, name=name[:200], organisation_id=known.get(name.casefold()))
        )
    if upload is not None:
        application.attachments.append(
            ApplicationAttachment(
                stored_name=uploads.store(upload),
                content_type=upload.content_type,
                size=upload.size,
                description=data.attachment_description.strip()[:300],
            )
        )
    db.session.add(application)
    db.session.flush()
    return application


def name_jury_member(user: User, call: Call, member_id: int, *, now: datetime) -> JuryMember:
    _check_manager(user.actor, call.council_id)
    if call.status == CallStatus.RESULTS:
        raise Conflict(_l("The results are published: the jury no longer changes."))
    member = db.session.get(User, member_id)
    if member is None or not can_sit_on_jury(member.actor, call.council_id):
        raise Conflict(_l("Choose the jury among the council's members."))
    if is_jury_member(member.id, call):
        raise Conflict(_l("This person is already on the jury."))
    jury_member = JuryMember(call_id=call.id, user_id=member.id, named_at=now)
    db.session.add(jury_member)
    db.session.flush()
    return jury_member


def remove_jury_member(user: User, call: Call, member_id: int) -> None:
    _check_manager(user.actor, call.council_id)
    if call.status == CallStatus.RESULTS:
        raise Conflict(_l("The results are published: the jury no longer changes."))
    db.session.execute(delete(JuryMember).where(JuryMember.call_id == call.id, JuryMember.user_id == member_id))
    db.session.flush()


def _check_jury(user: User, call: Call) -> None:
    if not is_jury_member(user.id, call):
        raise NotAllowed(_l("Only the members of this call's jury can do this."))
    if call.status != CallStatus.PUBLISHED:
        raise Conflict(_l("The jury works between the publication of the terms and the results."))


def declare_conflict(user: User, application: Application, *, reason: str, now: datetime) -> JuryConflict:
    """The member steps aside from this application: their marks on it, if any, are deleted."""
    call = application.call
    _check_jury(user, call)
    existing = conflict_of(user.id, application)
    if existing is not None:
        return existing
    conflict = JuryConflict(application_id=application.id, user_id=user.id, reason=reason.strip(), declared_at=now)
    db.session.add(conflict)
    db.session.execute(
        delete(JuryScore).where(JuryScore.application_id == application.id, JuryScore.user_id == user.id)
    )
    db.session.flush()
    audit.record(
        "call.conflict_declared",
        actor_id=user.id,
        details={"call": call.id, "application": application.id},
        now=now,
    )
    return conflict


def score_application(user: User, application: Application, marks: dict[int, int], *, now: datetime) -> None:
    call = application.call
    _check_jury(user, call)
    conflicted = {
        c
        for (c,) in db.session.execute(
            select(JuryConflict.user_id).where(JuryConflict.application_id == application.id)
        )
    }
    if not rules.may_score(user.id, jury=[user.id], conflicted=conflicted, applicant_id=application.applicant_id):
        raise NotAllowed(_l("You declared a conflict of interest on this application: you do not score it."))
    criteria = {c.id for c in call.criteria}
    if set(marks) - criteria:
        raise Conflict(_l("Score the criteria of the call."))
    try:
        for value in marks.values():
            rules.check_mark(call.scoring, value)
    except rules.RuleBroken as error:
        raise _refuse(error) from error
    existing = {
        s.criterion_id: s
        for s in db.session.scalars(
            select(JuryScore).where(JuryScore.application_id == application.id, JuryScore.user_id == user.id)
        )
    }
    for criterion_id, value in marks.items():
        if criterion_id in existing:
            existing[criterion_id].value = value
            existing[criterion_id].scored_at = now
        else:
            db.session.add(
                JuryScore(
                    application_id=application.id,
                    criterion_id=criterion_id,
                    user_id=user.id,
                    value=value,
                    scored_at=now,
                )
            )
    db.session.flush()


def publish_results(user: User, call: Call, decisions: list[rules.Decision], *, now: datetime) -> Call:
    """Freeze each application's rank and aggregate, with the jury's reasons, the selection and the amounts."""
    _check_manager(user.actor, call.council_id)
    if not rules.can_move(call.status, CallStatus.RESULTS):
        raise Conflict(_l("Publish the terms first; published results never change."))
    if now.date() <= call.closes_on:
        raise Conflict(_l("The results are published once the call has closed."))
    applications = applications_of(call)
    by_id = {a.id: a for a in applications}
    if {d.application_id for d in decisions} != set(by_id):
        raise Conflict(_l("Decide on every application."))
    decisions = [
        rules.Decision(d.application_id, d.is_selected, d.amount, by_id[d.application_id].budget_requested, d.reasons)
        for d in decisions
    ]
    try:
        rules.check_results(decisions, call.budget)
    except rules.RuleBroken as error:
        raise _refuse(error) from error
    ranked = {s.application.id: s for s in standings(call, applications, jury_of(call))}
    for decision in decisions:
        application = by_id[decision.application_id]
        standing = ranked[application.id]
        application.rank = standing.rank
        application.result = {
            "scoring": call.scoring,
            "value": list(standing.result) if isinstance(standing.result, tuple) else standing.result,
            "markers": standing.markers,
            "conflicted": standing.conflicted,
        }
        application.is_selected = decision.is_selected
        application.amount_granted = decision.amount if decision.is_selected else None
        application.jury_reasons = decision.reasons.strip()
    call.status = CallStatus.RESULTS.value
    call.results_published_at = now
    db.session.flush()
    audit.record("call.results_published", actor_id=user.id, details={"call": call.id}, now=now)
    return call


def draft_opinion(user: User, call: Call, *, now: datetime) -> Opinion:
    """Start the council's opinion on the results: a question the council takes up itself (auto-saisine),
    and a draft opinion on it whose context lists the results. Written in the call's language."""
    if not can_draft_opinion(user.actor, call.council_id):
        raise NotAllowed(_l("Only the members of this council can draft its opinions."))
    if call.status != CallStatus.RESULTS:
        raise Conflict(_l("The council gives its opinion once the results are published."))
    if call.opinion_id is not None:
        return call.opinion
    with force_locale(call.language):
        title = _("Opinion on the results of the call for projects “%(title)s”", title=call.title)[:200]
        lines = [
            _(
                "The call for projects “%(title)s” published its results on %(date)s.",
                title=call.title,
                date=format_date(call.results_published_at, format="long"),
            ),
            "",
        ]
        for application in published_results(call):
            outcome = (
                _("selected, %(amount)s euros granted", amount=application.amount_granted or 0)
                if application.is_selected
                else _("not selected")
            )
            rank = application.rank if application.rank is not None else "–"
            lines.append(f"{rank}. {application.title} – {outcome}")
        if call.challenges:
            from consultation.diagnostic.labels import citation

            lines += ["", _("The call answered these challenges of the territory:")]
            lines += [
                "- "
                + citation(number=r.number, diagnostic_title=r.diagnostic.title, rank=r.rank, ranked_at=r.ranked_at)
                for r in call.challenges
            ]
    question = Question(
        council_id=call.council_id,
        title=title,
        text="\n".join(lines),
        kind="self",
        referred_by="",
        referred_on=now.date(),
        created_at=now,
    )
    db.session.add(question)
    db.session.flush()
    opinion = Opinion(
        council_id=call.council_id,
        workshop_id=call.workshop_id,
        question_id=question.id,
        created_by_id=user.id,
        title=title,
        context="\n".join(lines),
        language=call.language,
        response_months=call.council.response_months,
        created_at=now,
        updated_at=now,
    )
    db.session.add(opinion)
    db.session.flush()
    call.opinion_id = opinion.id
    db.session.flush()
    return opinion
