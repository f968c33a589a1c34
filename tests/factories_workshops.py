"""Factories for workshops run live: questions, agenda items, join codes, participants."""

from __future__ import annotations

from datetime import date

from consultation.extensions import db
from consultation.referrals.models import Question
from consultation.workshops.models import AgendaItem, Workshop, WorkshopParticipant
from consultation.workshops.services import new_join_code
from tests.factories import NOW


def make_question(
    council, *, title: str = "Comment mieux desservir Sainte-Agathe ?", kind: str = "referral"
) -> Question:
    question = Question(
        council_id=council.id,
        title=title,
        text="Le maire saisit le conseil.",
        kind=kind,
        referred_by="Le maire" if kind == "referral" else "",
        referred_on=date(2026, 11, 1),
    )
    db.session.add(question)
    db.session.commit()
    return question


def give_join_code(workshop: Workshop) -> str:
    workshop.join_code = new_join_code()
    db.session.commit()
    return workshop.join_code


def add_agenda(workshop: Workshop, *items: tuple[str, int]) -> list[AgendaItem]:
    created = []
    for position, (title, minutes) in enumerate(items, start=len(workshop.agenda) + 1):
        item = AgendaItem(workshop_id=workshop.id, title=title, duration_minutes=minutes, position=position)
        db.session.add(item)
        created.append(item)
    db.session.commit()
    return created


def make_participant(workshop: Workshop, *, name: str = "", user=None) -> WorkshopParticipant:
    participant = WorkshopParticipant(
        workshop_id=workshop.id, user_id=user.id if user else None, display_name=name, charter_accepted_at=NOW
    )
    db.session.add(participant)
    db.session.commit()
    return participant
