"""Question actions: record one, find one, list a council's questions."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from consultation.accounts.models import User
from consultation.councils.models import Council
from consultation.errors import Conflict, NotAllowed, NotFound
from consultation.extensions import db
from consultation.permissions import can_refer_question
from consultation.referrals.models import KINDS, Question


def record_question(
    user: User,
    council: Council,
    *,
    title: str,
    text: str,
    kind: str,
    referred_by: str,
    referred_on: date,
    answer_expected_on: date | None,
    now: datetime,
) -> Question:
    if not can_refer_question(user.actor, council.id):
        raise NotAllowed(_l("Only the council's members and facilitators can record its questions."))
    if kind not in KINDS:
        raise Conflict()
    question = Question(
        council_id=council.id,
        title=title.strip(),
        text=text.strip(),
        kind=kind,
        referred_by=referred_by.strip() if kind == "referral" else "",
        referred_on=referred_on,
        answer_expected_on=answer_expected_on,
        created_at=now,
    )
    db.session.add(question)
    db.session.flush()
    return question


def question_in_council(council: Council, question_id: int) -> Question:
    question = db.session.get(Question, question_id)
    if question is None or question.council_id != council.id:
        raise NotFound()
    return question


def questions_of(council: Council) -> list[Question]:
    query = select(Question).where(Question.council_id == council.id).order_by(Question.referred_on.desc(), Question.id)
    return list(db.session.scalars(query))
