"""Workshop actions: prepare one (details, agenda, join code), register, join by code, run its phases."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from consultation.accounts.models import User
from consultation.audit import services as audit
from consultation.councils.models import Council
from consultation.errors import Conflict, NotAllowed, NotFound
from consultation.extensions import db
from consultation.notifications.services import notify
from consultation.permissions import Actor, can_manage_workshop, can_view_workshop
from consultation.referrals.models import Question
from consultation.workshops import phases
from consultation.workshops.models import AgendaItem, Registration, Workshop, WorkshopEvent, WorkshopParticipant
from consultation.workshops.phases import Phase

# Easy to read aloud and to type: no 0/O/Q, 1/I/L, 2/Z, 5/S, 8/B, G look-alikes.
JOIN_CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY34679"
JOIN_CODE_LENGTH = 6


# ---------------------------------------------------------------- finding


def workshop_in_council(actor: Actor, council: Council, workshop_id: int) -> Workshop:
    """A workshop of this council that the actor may see; the same 404 whether absent or hidden."""
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is None or workshop.council_id != council.id:
        raise NotFound()
    if not can_view_workshop(actor, council.id, is_published=workshop.is_published):
        raise NotFound()
    return workshop


def managed_workshop(actor: Actor, council: Council, workshop_id: int) -> Workshop:
    """A workshop the actor runs; others get 403 (or 404 when they may not even see it)."""
    workshop = workshop_in_council(actor, council, workshop_id)
    check_manager(actor, workshop)
    return workshop


def check_manager(actor: Actor, workshop: Workshop) -> None:
    if not can_manage_workshop(actor, workshop.council_id):
        raise NotAllowed(_l("Only the facilitators of this council can run its workshops."))


def check_not_closed(workshop: Workshop) -> None:
    if workshop.phase_enum is Phase.CLOSED:
        raise Conflict(_l("This workshop is closed."))


def workshops_of(actor: Actor, council: Council) -> list[Workshop]:
    query = select(Workshop).where(Workshop.council_id == council.id).order_by(Workshop.starts_at.desc())
    if not can_manage_workshop(actor, council.id):
        query = query.where(Workshop.is_published.is_(True))
    return list(db.session.scalars(query))


def published_workshops_of(council: Council) -> list[Workshop]:
    query = (
        select(Workshop)
        .where(Workshop.council_id == council.id, Workshop.is_published.is_(True))
        .order_by(Workshop.starts_at)
    )
    return list(db.session.scalars(query))


def open_workshops(limit: int = 20) -> list[Workshop]:
    open_phases = [p.value for p in Phase if p is not Phase.CLOSED]
    query = (
        select(Workshop)
        .where(Workshop.is_published.is_(True), Workshop.phase.in_(open_phases))
        .order_by(Workshop.starts_at)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def workshop_by_code(code: str) -> Workshop:
    """The open, published workshop with this join code; lower case and spaces are forgiven."""
    normalised = normalise_join_code(code)
    workshop = db.session.scalar(select(Workshop).where(Workshop.join_code == normalised)) if normalised else None
    if workshop is None or not workshop.is_published or workshop.phase_enum is Phase.CLOSED:
        raise NotFound(_l("No open workshop has this code. Check the code shown in the room."))
    return workshop


def normalise_join_code(code: str) -> str:
    cleaned = "".join(ch for ch in (code or "").upper() if not ch.isspace() and ch != "-")
    if len(cleaned) != JOIN_CODE_LENGTH or any(ch not in JOIN_CODE_ALPHABET for ch in cleaned):
        return ""
    return cleaned


# ---------------------------------------------------------------- history


AUDITED_ACTIONS = frozenset({"phase", "accepted", "rejected", "merged", "corrected", "minutes_published"})


def record(workshop: Workshop, actor: User | None, action: str, *, now: datetime, **details: object) -> None:
    """One line of the workshop's history; details are plain values shown with the action's sentence."""
    db.session.add(
        WorkshopEvent(
            workshop_id=workshop.id,
            actor_id=actor.id if actor else None,
            action=action,
            details_json=json.dumps(details, ensure_ascii=False, sort_keys=True, default=str),
            created_at=now,
        )
    )
    if action in AUDITED_ACTIONS:
        # Moderation and phase changes are sensitive: they also go to the tamper-evident audit log.
        audit.record(
            f"workshop.{action}",
            actor_id=actor.id if actor else None,
            details={"workshop": workshop.id, **json.loads(json.dumps(details, default=str))},
            now=now,
        )


def history_of(workshop: Workshop, limit: int = 200) -> list[WorkshopEvent]:
    query = (
        select(WorkshopEvent)
        .where(WorkshopEvent.workshop_id == workshop.id)
        .order_by(WorkshopEvent.created_at.desc(), WorkshopEvent.id.desc())
        .options(selectinload(WorkshopEvent.actor))
        .limit(limit)
    )
    return list(db.session.scalars(query))


# ---------------------------------------------------------------- preparing


@dataclass(frozen=True)
class WorkshopDetails:
    title: str
    description: str
    location: str
    online_url: str
    starts_at: datetime
    ends_at: datetime
    capacity: int | None
    languages_spoken: str
    language: str
    question_id: int | None
    is_published: bool


def _check_details(council: Council, details: WorkshopDetails) -> None:
    if details.ends_at <= details.starts_at:
        raise Conflict(_l("The workshop must end after it starts."))
    if not details.location.strip() and not details.online_url.strip():
        raise Conflict(_l("Give a place, an online link, or both."))
    if details.question_id is not None:
        question = db.session.get(Question, details.question_id)
        if question is None or question.council_id != council.id:
            raise Conflict(_l("Choose one of the council's questions."))


def _apply(workshop: Workshop, details: WorkshopDetails) -> None:
    workshop.title = details.title.strip()
    workshop.description = details.description.strip()
    workshop.location = details.location.strip()
    workshop.online_url = details.online_url.strip()
    workshop.starts_at = details.starts_at
    workshop.ends_at = details.ends_at
    workshop.capacity = details.capacity
    workshop.languages_spoken = details.languages_spoken.strip()
    workshop.language = details.language
    workshop.question_id = details.question_id
    workshop.is_published = details.is_published


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def assign_join_code(workshop: Workshop) -> None:
    """A fresh code that no other open workshop uses (closed workshops give theirs back)."""
    for _attempt in range(20):
        code = new_join_code()
        taken = db.session.scalar(select(func.count(Workshop.id)).where(Workshop.join_code == code))
        if not taken:
            workshop.join_code = code
            return
    raise Conflict(_l("No free join code was found. Try again."))


def create_workshop(user: User, council: Council, details: WorkshopDetails, *, now: datetime) -> Workshop:
    if not can_manage_workshop(user.actor, council.id):
        raise NotAllowed(_l("Only the facilitators of this council can prepare its workshops."))
    _check_details(council, details)
    workshop = Workshop(council_id=council.id, phase=Phase.WELCOME.value, created_at=now, phase_changed_at=now)
    _apply(workshop, details)
    assign_join_code(workshop)
    db.session.add(workshop)
    db.session.flush()
    record(workshop, user, "created", now=now, title=workshop.title)
    return workshop


def update_workshop(user: User, workshop: Workshop, details: WorkshopDetails, *, now: datetime) -> Workshop:
    check_manager(user.actor, workshop)
    check_not_closed(workshop)
    _check_details(workshop.council, details)
    confirmed = _count(workshop, "confirmed")
    if details.capacity is not None and details.capacity < confirmed:
        raise Conflict(
            lazy_ngettext(
                "%(num)d person is already registered: the capacity cannot be lower.",
                "%(num)d people are already registered: the capacity cannot be lower.",
                confirmed,
            )
        )
    _apply(workshop, details)
    db.session.flush()
    _promote_waiting(workshop, now=now)
    record(workshop, user, "edited", now=now, title=workshop.title)
    return workshop


# ---------------------------------------------------------------- agenda


def add_agenda_item(user: User, workshop: Workshop, *, title: str, duration_minutes: int, now: datetime) -> AgendaItem:
    check_manager(user.actor, workshop)
    check_not_closed(workshop)
    last = max((item.position for item in workshop.agenda), default=0)
    item = AgendaItem(title=title.strip(), duration_minutes=duration_minutes, position=last + 1)
    workshop.agenda.append(item)
    db.session.flush()
    record(workshop, user, "agenda_added", now=now, item=item.title, minutes=duration_minutes)
    return item


def _item_of(workshop: Workshop, item_id: int) -> AgendaItem:
    for item in workshop.agenda:
        if item.id == item_id:
            return item
    raise NotFound()


def move_agenda_item(user: User, workshop: Workshop, item_id: int, *, offset: int, now: datetime) -> None:
    """Swap an item with its neighbour (offset -1: earlier, +1: later); at either end nothing moves."""
    check_manager(user.actor, workshop)
    check_not_closed(workshop)
    items = list(workshop.agenda)
    item = _item_of(workshop, item_id)
    index = items.index(item)
    other = index + offset
    if offset not in (-1, 1) or not 0 <= other < len(items):
        return
    items[index], items[other] = items[other], items[index]
    for position, each in enumerate(items, start=1):
        each.position = position
    db.session.flush()
    record(workshop, user, "agenda_moved", now=now, item=item.title, position=other + 1)


def remove_agenda_item(user: User, workshop: Workshop, item_id: int, *, now: datetime) -> None:
    check_manager(user.actor, workshop)
    check_not_closed(workshop)
    item = _item_of(workshop, item_id)
    workshop.agenda.remove(item)
    for position, each in enumerate(workshop.agenda, start=1):
        each.position = position
    db.session.flush()
    record(workshop, user, "agenda_removed", now=now, item=item.title)


def current_item(workshop: Workshop) -> AgendaItem | None:
    running = [item for item in workshop.agenda if item.is_running]
    return running[0] if running else None


def start_agenda_item(user: User, workshop: Workshop, item_id: int, *, now: datetime) -> AgendaItem:
    """Open an item (ending the one running): its timer runs from now for its time box."""
    check_manager(user.actor, workshop)
    check_not_closed(workshop)
    item = _item_of(workshop, item_id)
    for each in workshop.agenda:
        if each.is_running and each is not item:
            each.ended_at = now
    item.started_at = now
    item.ended_at = None
    db.session.flush()
    record(workshop, user, "agenda_started", now=now, item=item.title, minutes=item.duration_minutes)
    return item


def end_agenda_item(user: User, workshop: Workshop, *, now: datetime) -> None:
    check_manager(user.actor, workshop)
    item = current_item(workshop)
    if item is None:
        return
    item.ended_at = now
    db.session.flush()
    record(workshop, user, "agenda_ended", now=now, item=item.title)


# ---------------------------------------------------------------- phases


def move_to_phase(user: User, workshop: Workshop, target: Phase, *, now: datetime) -> Workshop:
    if not can_manage_workshop(user.actor, workshop.council_id):
        raise NotAllowed(_l("Only the facilitators of this council can change a workshop's phase."))
    if not phases.can_move(workshop.phase_enum, target):
        raise Conflict(_l("A workshop only moves forward, and not once it is closed."))
    workshop.phase = target.value
    workshop.phase_changed_at = now
    if target is Phase.CLOSED:
        # The code goes back to the pool: codes are unique among open workshops only.
        workshop.join_code = None
        for item in workshop.agenda:
            if item.is_running:
                item.ended_at = now
    record(workshop, user, "phase", now=now, phase=target.value)
    db.session.flush()
    return workshop


# ---------------------------------------------------------------- registrations


def _count(workshop: Workshop, status: str) -> int:
    return (
        db.session.scalar(
            select(func.count(Registration.id)).where(
                Registration.workshop_id == workshop.id, Registration.status == status
            )
        )
        or 0
    )


@dataclass(frozen=True)
class Seats:
    confirmed: int
    waiting: int
    capacity: int | None

    @property
    def free(self) -> int | None:
        return None if self.capacity is None else max(0, self.capacity - self.confirmed)


def seats(workshop: Workshop) -> Seats:
    rows = dict(
        db.session.execute(
            select(Registration.status, func.count(Registration.id))
            .where(Registration.workshop_id == workshop.id)
            .group_by(Registration.status)
        ).all()
    )
    return Seats(int(rows.get("confirmed", 0)), int(rows.get("waiting", 0)), workshop.capacity)


def registration_of(workshop: Workshop, user_id: int | None) -> Registration | None:
    if user_id is None:
        return None
    return db.session.scalar(
        select(Registration).where(Registration.workshop_id == workshop.id, Registration.user_id == user_id)
    )


def waiting_position(registration: Registration) -> int:
    return (
        db.session.scalar(
            select(func.count(Registration.id)).where(
                Registration.workshop_id == registration.workshop_id,
                Registration.status == "waiting",
                Registration.requested_at <= registration.requested_at,
                Registration.id <= registration.id,
            )
        )
        or 1
    )


def _lock(workshop: Workshop) -> None:
    """Serialise seat-taking on this workshop (PostgreSQL row lock; SQLite writers already queue)."""
    db.session.execute(select(Workshop.id).where(Workshop.id == workshop.id).with_for_update())


def register(user: User, workshop: Workshop, *, now: datetime) -> Registration:
    """A seat when one is free, otherwise a place at the back of the waiting list; idempotent."""
    if not workshop.is_published:
        raise NotFound()
    check_not_closed(workshop)
    _lock(workshop)
    registration = registration_of(workshop, user.id)
    if registration is not None and registration.status != "cancelled":
        return registration
    full = workshop.capacity is not None and _count(workshop, "confirmed") >= workshop.capacity
    status = "waiting" if full else "confirmed"
    if registration is None:
        registration = Registration(workshop_id=workshop.id, user_id=user.id, status=status, requested_at=now)
        db.session.add(registration)
    else:
        registration.status = status
        registration.requested_at = now
    registration.updated_at = now
    try:
        db.session.flush()
    except IntegrityError as error:  # the same person registering twice at the same instant
        db.session.rollback()
        raise Conflict(_l("You are already registered for this workshop.")) from error
    return registration


def cancel_registration(user: User, workshop: Workshop, *, now: datetime) -> Registration | None:
    """Give the seat back; the first person on the waiting list gets it."""
    _lock(workshop)
    registration = registration_of(workshop, user.id)
    if registration is None or registration.status == "cancelled":
        return None
    registration.status = "cancelled"
    registration.updated_at = now
    db.session.flush()
    return _promote_waiting(workshop, now=now)


def _promote_waiting(workshop: Workshop, *, now: datetime) -> Registration | None:
    """Give free seats to the waiting list in the order people asked, and tell each one."""
    promoted = None
    seated: list[int] = []
    while workshop.capacity is None or _count(workshop, "confirmed") < workshop.capacity:
        first = db.session.scalar(
            select(Registration)
            .where(Registration.workshop_id == workshop.id, Registration.status == "waiting")
            .order_by(Registration.requested_at, Registration.id)
            .limit(1)
        )
        if first is None:
            break
        first.status = "confirmed"
        first.updated_at = now
        db.session.flush()
        promoted = promoted or first
        seated.append(first.user_id)
    if seated:
        notify(
            seated,
            kind="workshop_seat",
            params={
                "title": workshop.title,
                "slug": workshop.council.slug,
                "workshop_id": workshop.id,
                "starts_at": workshop.starts_at.isoformat(),
            },
            now=now,
        )
    return promoted


def registrations_of(workshop: Workshop) -> list[Registration]:
    return list(
        db.session.scalars(
            select(Registration)
            .where(Registration.workshop_id == workshop.id, Registration.status != "cancelled")
            .order_by(Registration.status, Registration.requested_at, Registration.id)
            .options(selectinload(Registration.user))
        )
    )


# ---------------------------------------------------------------- joining by code


def join(workshop: Workshop, *, user: User | None, display_name: str, charter_accepted: bool, now: datetime):
    """A participant identity for this workshop; a person with an account gets (or finds) theirs."""
    if not charter_accepted:
        raise Conflict(_l("Accept the participation charter to take part."))
    check_not_closed(workshop)
    if user is not None:
        existing = db.session.scalar(
            select(WorkshopParticipant).where(
                WorkshopParticipant.workshop_id == workshop.id, WorkshopParticipant.user_id == user.id
            )
        )
        if existing is not None:
            if display_name.strip():
                existing.display_name = display_name.strip()
            return existing
    participant = WorkshopParticipant(
        workshop_id=workshop.id,
        user_id=user.id if user else None,
        display_name=display_name.strip()[:80],
        charter_accepted_at=now,
        joined_at=now,
    )
    db.session.add(participant)
    db.session.flush()
    return participant


def participant_in(workshop: Workshop, participant_id: object) -> WorkshopParticipant | None:
    if not isinstance(participant_id, int):
        return None
    participant = db.session.get(WorkshopParticipant, participant_id)
    if participant is None or participant.workshop_id != workshop.id:
        return None
    return participant


def participant_count(workshop: Workshop) -> int:
    return (
        db.session.scalar(
            select(func.count(WorkshopParticipant.id)).where(WorkshopParticipant.workshop_id == workshop.id)
        )
        or 0
    )
