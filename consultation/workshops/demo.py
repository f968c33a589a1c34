"""Demo data for workshops run live: questions, agendas, join codes, registrations, phones, paper input,
attendance and published minutes, so every screen of issue 3 has something real to show."""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta

from flask_babel import force_locale
from sqlalchemy import select

from consultation.accounts.models import User
from consultation.councils.models import Council
from consultation.extensions import db
from consultation.proposals.models import PaperCount, Proposal, Support
from consultation.referrals.models import Question
from consultation.workshops.models import (
    AgendaItem,
    Attendance,
    Registration,
    Workshop,
    WorkshopEvent,
    WorkshopMinutes,
    WorkshopParticipant,
)
from consultation.workshops.phases import Phase
from consultation.workshops.services import assign_join_code

QUESTIONS = {
    # council slug: (title, text, kind, referred by)
    "macouria": (
        "Comment mieux relier Sainte-Agathe au bourg et à Cayenne ?",
        "Le maire saisit le conseil citoyen sur les déplacements quotidiens des familles et des travailleurs "
        "du quartier, avant la révision du plan de mobilité.",
        "referral",
        "Le maire de Macouria",
    ),
    "pantin-quatre-chemins": (
        "Que mettre dans les rez-de-chaussée de l'écoquartier ?",
        "Le conseil citoyen se saisit de la question des commerces et des lieux de l'ESS.",
        "self",
        "",
    ),
    "dieppe-maritime": (
        "Un tiers-lieu pour la Maison de l'ESS : pour qui, pour quoi ?",
        "La communauté d'agglomération demande l'avis du conseil sur le projet de tiers-lieu.",
        "referral",
        "Le président de l'agglomération",
    ),
}
AGENDA = [("Accueil et tour de table", 15), ("Propositions", 40), ("Discussion", 30), ("Vote et synthèse", 20)]
PHONE_NAMES = ["Wilner", "", "Ana", "Youssef", ""]


def prepare_demo_workshops(
    councils: dict[str, Council], facilitators: dict[str, User], residents: list[User], now: datetime, seed: int = 2026
) -> None:
    rng = random.Random(seed)  # noqa: S311  # nosec B311 (reproducible demo data, not secrets)
    for slug, council in councils.items():
        title, text, kind, referred_by = QUESTIONS.get(slug, QUESTIONS["macouria"])
        question = Question(
            council_id=council.id,
            title=title,
            text=text,
            kind=kind,
            referred_by=referred_by,
            referred_on=date(now.year, 1, 15) if now.month > 1 else date(now.year - 1, 12, 1),
            answer_expected_on=(now + timedelta(days=90)).date(),
            created_at=now - timedelta(days=60),
        )
        db.session.add(question)
        db.session.flush()
        facilitator = facilitators.get(slug)
        workshops = db.session.scalars(
            select(Workshop).where(Workshop.council_id == council.id).order_by(Workshop.starts_at)
        ).all()
        for workshop in workshops:
            _prepare(workshop, question, facilitator, residents, now, rng)
    db.session.flush()


def _prepare(workshop, question, facilitator, residents, now, rng) -> None:
    phase = workshop.phase_enum
    workshop.question_id = question.id
    workshop.languages_spoken = "français, kreyòl ayisyen, português, español"
    workshop.capacity = 40
    for position, (title, minutes) in enumerate(AGENDA, start=1):
        item = AgendaItem(workshop_id=workshop.id, position=position, title=title, duration_minutes=minutes)
        if phase is Phase.IDEATION and position <= 2:
            item.started_at = now - timedelta(minutes=25 if position == 1 else 8)
            item.ended_at = now - timedelta(minutes=8) if position == 1 else None
        db.session.add(item)
    if phase is not Phase.CLOSED:
        assign_join_code(workshop)
    for resident in residents[:6]:
        db.session.add(
            Registration(
                workshop_id=workshop.id,
                user_id=resident.id,
                status="confirmed",
                requested_at=workshop.created_at,
                updated_at=workshop.created_at,
            )
        )
    if phase is Phase.WELCOME:
        return
    db.session.flush()
    phones = []
    for name in PHONE_NAMES:
        phone = WorkshopParticipant(
            workshop_id=workshop.id,
            display_name=name,
            charter_accepted_at=workshop.starts_at,
            joined_at=workshop.starts_at,
        )
        db.session.add(phone)
        phones.append(phone)
    db.session.flush()
    proposals = db.session.scalars(select(Proposal).where(Proposal.workshop_id == workshop.id)).all()
    for phone in phones:
        for proposal in rng.sample(proposals, k=min(2, len(proposals))):
            db.session.add(Support(proposal_id=proposal.id, participant_id=phone.id, created_at=workshop.starts_at))
    paper = Proposal(
        workshop_id=workshop.id,
        title="Un banc et de l'ombre à l'arrêt du car",
        body="Écrit sur un post-it : les personnes âgées attendent debout au soleil.",
        language="fr",
        origin="paper",
        collected_by_id=facilitator.id if facilitator else None,
        paper_author="Mme Joseph",
        status="accepted",
        created_at=workshop.starts_at + timedelta(minutes=30),
        updated_at=workshop.starts_at + timedelta(minutes=30),
    )
    db.session.add(paper)
    db.session.flush()
    db.session.add(
        PaperCount(proposal_id=paper.id, count=6, collected_by_id=paper.collected_by_id, recorded_at=paper.created_at)
    )
    for action, details in (
        ("phase", {"phase": "ideation"}),
        ("paper_proposal", {"proposal": paper.title}),
        ("paper_count", {"count": 6, "proposal": paper.title}),
    ):
        db.session.add(
            WorkshopEvent(
                workshop_id=workshop.id,
                actor_id=paper.collected_by_id,
                action=action,
                details_json=json.dumps(details, ensure_ascii=False),
                created_at=workshop.starts_at + timedelta(minutes=30),
            )
        )
    if phase is Phase.IDEATION:
        return
    for index, resident in enumerate(residents[:6]):
        status = "present" if index < 4 else ("excused" if index == 4 else "absent")
        db.session.add(
            Attendance(
                workshop_id=workshop.id,
                user_id=resident.id,
                name=resident.display_name,
                status=status,
                channel="online" if index == 3 else "room",
                marked_by_id=paper.collected_by_id,
                updated_at=workshop.starts_at,
            )
        )
    for phone in phones[:3]:
        db.session.add(
            Attendance(
                workshop_id=workshop.id,
                participant_id=phone.id,
                name=phone.display_name,
                status="present",
                channel="room",
                is_self_check_in=True,
                updated_at=workshop.starts_at,
            )
        )
    db.session.flush()
    if phase is Phase.CLOSED:
        from consultation.workshops.minutes import draft_text

        db.session.refresh(workshop)
        with force_locale("fr"):
            body = draft_text(workshop)
        db.session.add(
            WorkshopMinutes(
                workshop_id=workshop.id,
                version=1,
                body=body,
                language="fr",
                is_published=True,
                created_by_id=paper.collected_by_id,
                created_at=workshop.ends_at + timedelta(days=2),
                published_at=workshop.ends_at + timedelta(days=2),
            )
        )
