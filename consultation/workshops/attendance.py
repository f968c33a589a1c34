"""Attendance: the sign-in sheet the facilitator ticks, self check-in by code, walk-ins, and the figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from consultation.accounts.models import User
from consultation.errors import Conflict, NotFound
from consultation.extensions import db
from consultation.workshops.models import (
    ATTENDANCE_STATUSES,
    CHANNELS,
    Attendance,
    Registration,
    Workshop,
    WorkshopParticipant,
)
from consultation.workshops.services import check_manager, check_not_closed, record


@dataclass(frozen=True)
class SheetRow:
    key: str  # "user:3", "participant:7" or "attendance:12": what a tick refers to
    name: str
    source: str  # "registered", "joined" or "walk-in"
    attendance: Attendance | None


@dataclass(frozen=True)
class Figures:
    present_room: int
    present_online: int
    excused: int
    absent: int
    joined_by_code: int

    @property
    def present(self) -> int:
        return self.present_room + self.present_online


def _attendances(workshop: Workshop) -> list[Attendance]:
    return list(
        db.session.scalars(
            select(Attendance)
            .where(Attendance.workshop_id == workshop.id)
            .order_by(Attendance.id)
            .options(selectinload(Attendance.user), selectinload(Attendance.participant))
        )
    )


def sheet(workshop: Workshop) -> list[SheetRow]:
    """Registered people first, then people who joined by code, then walk-ins; each person once."""
    attendances = _attendances(workshop)
    by_user = {a.user_id: a for a in attendances if a.user_id is not None}
    by_participant = {a.participant_id: a for a in attendances if a.participant_id is not None}
    registrations = db.session.scalars(
        select(Registration)
        .where(Registration.workshop_id == workshop.id, Registration.status == "confirmed")
        .order_by(Registration.requested_at, Registration.id)
        .options(selectinload(Registration.user))
    ).all()
    participants = db.session.scalars(
        select(WorkshopParticipant)
        .where(WorkshopParticipant.workshop_id == workshop.id)
        .order_by(WorkshopParticipant.joined_at, WorkshopParticipant.id)
        .options(selectinload(WorkshopParticipant.user))
    ).all()
    rows: list[SheetRow] = []
    shown: set[int] = set()
    registered_users = {r.user_id for r in registrations}
    for registration in registrations:
        attendance = by_user.get(registration.user_id)
        if attendance is None:
            attendance = next(
                (
                    by_participant[p.id]
                    for p in participants
                    if p.user_id == registration.user_id and p.id in by_participant
                ),
                None,
            )
        rows.append(SheetRow(f"user:{registration.user_id}", registration.user.display_name, "registered", attendance))
        if attendance:
            shown.add(attendance.id)
    anonymous_number = 0
    for participant in participants:
        if participant.user_id is not None and participant.user_id in registered_users:
            continue
        attendance = by_participant.get(participant.id) or by_user.get(participant.user_id)
        name = participant.display_name or (participant.user.display_name if participant.user else "")
        if not name:
            anonymous_number += 1
            name = str(_l("Anonymous participant %(number)d", number=anonymous_number))
        rows.append(SheetRow(f"participant:{participant.id}", name, "joined", attendance))
        if attendance:
            shown.add(attendance.id)
    for attendance in attendances:
        if attendance.id not in shown and attendance.user_id is None and attendance.participant_id is None:
            rows.append(SheetRow(f"attendance:{attendance.id}", attendance.name, "walk-in", attendance))
    return rows


def figures(workshop: Workshop) -> Figures:
    attendances = _attendances(workshop)
    joined = db.session.scalars(
        select(WorkshopParticipant.id).where(WorkshopParticipant.workshop_id == workshop.id)
    ).all()

    def count(status: str, channel: str | None = None) -> int:
        return sum(1 for a in attendances if a.status == status and (channel is None or a.channel == channel))

    return Figures(count("present", "room"), count("present", "online"), count("excused"), count("absent"), len(joined))


def _check(status: str, channel: str) -> None:
    if status not in ATTENDANCE_STATUSES or channel not in CHANNELS:
        raise Conflict(_l("Choose present, excused or absent."))


def mark(user: User, workshop: Workshop, key: str, *, status: str, channel: str, now: datetime) -> Attendance:
    """Tick one line of the sign-in sheet."""
    check_manager(user.actor, workshop)
    check_not_closed(workshop)
    _check(status, channel)
    kind, _sep, raw = key.partition(":")
    if not raw.isdigit() or kind not in ("user", "participant", "attendance"):
        raise NotFound()
    number = int(raw)
    attendance: Attendance | None
    if kind == "attendance":
        attendance = db.session.get(Attendance, number)
        if attendance is None or attendance.workshop_id != workshop.id:
            raise NotFound()
    elif kind == "user":
        registered = db.session.scalar(
            select(Registration).where(Registration.workshop_id == workshop.id, Registration.user_id == number)
        )
        if registered is None:
            raise NotFound()
        attendance = db.session.scalar(
            select(Attendance).where(Attendance.workshop_id == workshop.id, Attendance.user_id == number)
        )
        if attendance is None:
            attendance = Attendance(workshop_id=workshop.id, user_id=number, name=registered.user.display_name)
            db.session.add(attendance)
    else:
        participant = db.session.get(WorkshopParticipant, number)
        if participant is None or participant.workshop_id != workshop.id:
            raise NotFound()
        attendance = _attendance_of_participant(workshop, participant)
    attendance.status, attendance.channel = status, channel
    attendance.is_self_check_in = False
    attendance.marked_by_id = user.id
    attendance.updated_at = now
    db.session.flush()
    record(workshop, user, "attendance", now=now, name=attendance.name, status=status, channel=channel)
    return attendance


def _attendance_of_participant(workshop: Workshop, participant: WorkshopParticipant) -> Attendance:
    conditions = [Attendance.participant_id == participant.id]
    if participant.user_id is not None:
        conditions.append(Attendance.user_id == participant.user_id)
    for condition in conditions:
        found = db.session.scalar(select(Attendance).where(Attendance.workshop_id == workshop.id, condition))
        if found is not None:
            found.participant_id = found.participant_id or participant.id
            return found
    attendance = Attendance(
        workshop_id=workshop.id,
        participant_id=participant.id,
        user_id=participant.user_id,
        name=participant.display_name,
    )
    db.session.add(attendance)
    return attendance


def check_in(participant: WorkshopParticipant, workshop: Workshop, *, channel: str, now: datetime) -> Attendance:
    """Self check-in from the phone, with the join code: present, in the room or online."""
    check_not_closed(workshop)
    _check("present", channel)
    attendance = _attendance_of_participant(workshop, participant)
    attendance.status, attendance.channel = "present", channel
    attendance.is_self_check_in = True
    attendance.updated_at = now
    db.session.flush()
    return attendance


def add_walk_in(user: User, workshop: Workshop, *, name: str, channel: str, now: datetime) -> Attendance:
    """Someone who came without registering or a phone: the facilitator writes their name."""
    check_manager(user.actor, workshop)
    check_not_closed(workshop)
    _check("present", channel)
    attendance = Attendance(
        workshop_id=workshop.id,
        name=name.strip(),
        status="present",
        channel=channel,
        marked_by_id=user.id,
        updated_at=now,
    )
    db.session.add(attendance)
    db.session.flush()
    record(workshop, user, "attendance", now=now, name=attendance.name, status="present", channel=channel)
    return attendance


def attendance_of(workshop: Workshop, participant: WorkshopParticipant) -> Attendance | None:
    conditions = [Attendance.participant_id == participant.id]
    if participant.user_id is not None:
        conditions.append(Attendance.user_id == participant.user_id)
    for condition in conditions:
        found = db.session.scalar(select(Attendance).where(Attendance.workshop_id == workshop.id, condition))
        if found is not None:
            return found
    return None
