"""Privacy actions: delete one's account (anonymised, contributions kept and counted), purge what a
council's retention period no longer allows, set that period.

The anonymising steps take a SQL condition saying which rows, so that deleting one person's account
(rows of that person) and the retention purge (rows of workshops ended long ago) share them."""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import InstrumentedAttribute

from consultation.accounts.models import User
from consultation.audit import services as audit
from consultation.consultations.models import Follow
from consultation.councils.models import Council, Membership, Residence
from consultation.errors import Conflict, DomainError, NotAllowed
from consultation.extensions import db
from consultation.notifications.models import Notification
from consultation.opinions.models import OpinionFollower
from consultation.privacy import rules
from consultation.privacy.rules import PurgeCounts
from consultation.proposals.models import Proposal
from consultation.territory.models import OrganisationRepresentative, ProjectRequest
from consultation.voting.models import Vote, VoteProxy
from consultation.voting.rules import Status as VoteStatus
from consultation.workshops import services as workshops
from consultation.workshops.models import Attendance, Registration, Workshop, WorkshopEvent, WorkshopParticipant
from consultation.workshops.phases import Phase


class WrongPassword(DomainError):
    status = 422


# ------------------------------------------------------------------ anonymising steps (shared)


def _count(model: type, condition: ColumnElement[bool]) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(condition)) or 0


def _clear(column: InstrumentedAttribute[str], where: ColumnElement[bool], *, dry_run: bool) -> int:
    """Empty a free-text personal field on the rows `where` selects; the rows themselves stay."""
    model = column.class_
    condition = and_(where, column != "")
    if dry_run:
        return _count(model, condition)
    return db.session.execute(update(model).where(condition).values({column: ""})).rowcount


def clear_participant_names(where: ColumnElement[bool], *, dry_run: bool = False) -> int:
    """Workshop identities keep counting (supports, ballots, presence) but lose the name they showed."""
    return _clear(WorkshopParticipant.display_name, where, dry_run=dry_run)


def clear_attendance_names(where: ColumnElement[bool], *, dry_run: bool = False) -> int:
    """Names on sign-in sheets: walk-ins typed by a facilitator, or copied from an account or identity."""
    return _clear(Attendance.name, where, dry_run=dry_run)


def clear_paper_authors(where: ColumnElement[bool], *, dry_run: bool = False) -> int:
    """The name written on a paper sticky note; the proposal itself stays."""
    return _clear(Proposal.paper_author, where, dry_run=dry_run)


def scrub_history_names(
    where: ColumnElement[bool], *, names: frozenset[str] | None = None, dry_run: bool = False
) -> int:
    """Attendance lines of workshop histories repeat the attendee's name: erase it (only `names` if given).

    The details are JSON text, so they are rewritten here rather than in SQL: one read, one bulk update."""
    events = db.session.execute(
        select(WorkshopEvent.id, WorkshopEvent.details_json).where(where, WorkshopEvent.action == "attendance")
    ).all()
    changes = []
    for event_id, details_json in events:
        scrubbed = rules.scrub_event_name(details_json, names)
        if scrubbed is not None:
            changes.append({"id": event_id, "details_json": scrubbed})
    if changes and not dry_run:
        db.session.execute(update(WorkshopEvent), changes)
    return len(changes)


def delete_registrations(where: ColumnElement[bool], *, dry_run: bool = False) -> int:
    if dry_run:
        return _count(Registration, where)
    return db.session.execute(delete(Registration).where(where)).rowcount


# ------------------------------------------------------------------ deleting one's account


@dataclass(frozen=True)
class DeletionSummary:
    participant_names: int
    attendance_names: int
    history_names: int
    cancelled_registrations: int
    memberships: int
    notifications: int
    proxies: int


def _is_last_administrator(user: User) -> bool:
    others = db.session.scalar(
        select(func.count(User.id)).where(User.is_admin.is_(True), User.id != user.id, User.deleted_at.is_(None))
    )
    return user.is_admin and not others


def delete_account(user: User, *, password: str, now: datetime, token: str | None = None) -> DeletionSummary:
    """Anonymise the account and leave a tombstone: what the person contributed stays valid and counted
    (proposals, supports, comments, ballots, participations), without anything that says who they were.

    Secret ballots are not touched: they were never linked to anyone."""
    if user.deleted_at is not None:
        raise Conflict(_l("This account is already deleted."))
    if not user.check_password(password):
        raise WrongPassword(_l("This is not the password of your account."))
    if _is_last_administrator(user):
        raise Conflict(
            _l("You are the only platform administrator: give this role to someone else before deleting your account.")
        )

    identities = select(WorkshopParticipant.id).where(WorkshopParticipant.user_id == user.id).scalar_subquery()
    identity_names = db.session.scalars(
        select(WorkshopParticipant.display_name).where(WorkshopParticipant.user_id == user.id)
    ).all()
    names = frozenset(name for name in (user.stored_name, *identity_names) if name)
    own_attendance = or_(Attendance.user_id == user.id, Attendance.participant_id.in_(identities))

    cancelled = _cancel_coming_registrations(user, now=now)
    history = scrub_history_names(
        WorkshopEvent.workshop_id.in_(select(Attendance.workshop_id).where(own_attendance).scalar_subquery()),
        names=names,
    )
    summary = DeletionSummary(
        participant_names=clear_participant_names(WorkshopParticipant.user_id == user.id),
        attendance_names=clear_attendance_names(own_attendance),
        history_names=history,
        cancelled_registrations=cancelled,
        memberships=db.session.execute(delete(Membership).where(Membership.user_id == user.id)).rowcount,
        notifications=db.session.execute(delete(Notification).where(Notification.user_id == user.id)).rowcount,
        proxies=_drop_pending_proxies(user),
    )
    db.session.execute(delete(OpinionFollower).where(OpinionFollower.user_id == user.id))
    db.session.execute(delete(Follow).where(Follow.user_id == user.id))
    # A project request describes the person's own plans: it goes with the account (its referrals too).
    db.session.execute(delete(ProjectRequest).where(ProjectRequest.holder_id == user.id))
    db.session.execute(delete(OrganisationRepresentative).where(OrganisationRepresentative.user_id == user.id))
    db.session.execute(delete(Residence).where(Residence.user_id == user.id))
    db.session.expire(user, ["memberships"])

    _reset_account_fields(user)
    user.email = rules.deleted_email(token or secrets.token_hex(12))
    user.stored_name = ""
    user.password_hash = rules.UNUSABLE_PASSWORD_HASH
    user.is_admin = False
    user.is_active_account = False
    user.deleted_at = now
    db.session.flush()
    # Counts only: the log must not keep what the deletion erased.
    audit.record("account.deleted", actor_id=user.id, details=asdict(summary), now=now)
    return summary


# Account columns a tombstone keeps as they are; every other one goes back to its empty default.
TOMBSTONE_KEEPS = frozenset({"id", "created_at"})


def _reset_account_fields(user: User) -> None:
    """Empty every account field (language, a pending address, preferences …), including any added later:
    a tombstone keeps only what the rows pointing at it need."""
    for attribute in sa_inspect(User).column_attrs:
        column = attribute.columns[0]
        if column.name in TOMBSTONE_KEEPS or column.primary_key:
            continue
        default = column.default
        if column.nullable:
            setattr(user, attribute.key, None)
        elif default is not None and default.is_scalar:
            setattr(user, attribute.key, default.arg)
        elif default is not None and default.is_callable:
            setattr(user, attribute.key, default.arg(None))  # SQLAlchemy wraps it to take a context


def _cancel_coming_registrations(user: User, *, now: datetime) -> int:
    """A seat in a workshop still to come goes back to the waiting list, as when the person cancels."""
    coming = db.session.scalars(
        select(Workshop)
        .join(Registration, Registration.workshop_id == Workshop.id)
        .where(
            Registration.user_id == user.id,
            Registration.status != "cancelled",
            Workshop.ends_at > now,
            Workshop.phase != Phase.CLOSED.value,
        )
        .order_by(Workshop.id)
    ).all()
    for workshop in coming:
        workshops.cancel_registration(user, workshop, now=now)
    return len(coming)


def _drop_pending_proxies(user: User) -> int:
    """Proxies given or held in votes not closed yet: the other person may then vote themselves.
    Those of closed votes stay, as the record of how the ballots were cast."""
    pending = select(Vote.id).where(Vote.status != VoteStatus.CLOSED.value).scalar_subquery()
    return db.session.execute(
        delete(VoteProxy).where(
            or_(VoteProxy.giver_id == user.id, VoteProxy.holder_id == user.id), VoteProxy.vote_id.in_(pending)
        )
    ).rowcount


# ------------------------------------------------------------------ retention


def set_retention(user: User, council: Council, months: int | None, *, now: datetime) -> Council:
    if not rules.can_set_retention(user.actor):
        raise NotAllowed(_l("Only a platform administrator can set how long personal data is kept."))
    if months is not None and not 1 <= months <= rules.MAX_RETENTION_MONTHS:
        raise Conflict(_l("Enter a number of months between 1 and %(max)d.", max=rules.MAX_RETENTION_MONTHS))
    if council.retention_months != months:
        council.retention_months = months
        db.session.flush()
        audit.record(
            "council.retention_set", actor_id=user.id, details={"council": council.id, "months": months}, now=now
        )
    return council


@dataclass(frozen=True)
class CouncilPurge:
    slug: str
    retention_months: int
    cutoff: datetime
    counts: PurgeCounts


def purge(*, now: datetime, dry_run: bool = False) -> list[CouncilPurge]:
    """For each council with a retention period, erase the personal data of its workshops that ended
    before the cut-off. Idempotent: erased data is not counted again. A dry run only counts."""
    report = []
    councils = db.session.scalars(
        select(Council).where(Council.retention_months.is_not(None)).order_by(Council.slug)
    ).all()
    for council in councils:
        cutoff = rules.retention_cutoff(now, council.retention_months)
        if cutoff is None or council.retention_months is None:  # filtered out above; keeps the types exact
            continue
        ended = (
            select(Workshop.id).where(Workshop.council_id == council.id, Workshop.ends_at < cutoff).scalar_subquery()
        )
        counts = PurgeCounts(
            participant_names=clear_participant_names(WorkshopParticipant.workshop_id.in_(ended), dry_run=dry_run),
            attendance_names=clear_attendance_names(Attendance.workshop_id.in_(ended), dry_run=dry_run),
            history_names=scrub_history_names(WorkshopEvent.workshop_id.in_(ended), dry_run=dry_run),
            paper_author_names=clear_paper_authors(Proposal.workshop_id.in_(ended), dry_run=dry_run),
            registrations=delete_registrations(Registration.workshop_id.in_(ended), dry_run=dry_run),
        )
        if counts.total and not dry_run:
            audit.record(
                "privacy.purged",
                actor_id=None,
                details={"council": council.id, "cutoff": cutoff.isoformat(), **counts.as_dict()},
                now=now,
            )
        report.append(CouncilPurge(council.slug, council.retention_months, cutoff, counts))
    db.session.flush()
    return report
