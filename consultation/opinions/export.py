"""Open data of opinions and answers (no personal data); spreadsheet-safe cells are in consultation.csv_cells."""

from __future__ import annotations

from datetime import date
from typing import Any

from consultation.opinions.models import Opinion
from consultation.opinions.rules import follow_up


def opinion_data(opinion: Opinion, today: date) -> dict[str, Any]:
    state = follow_up(
        transmitted_on=opinion.transmitted_on,
        answered_on=opinion.answer.answered_on if opinion.answer else None,
        today=today,
        months=opinion.response_months,
    )
    return {
        "id": opinion.id,
        "number": opinion.number,
        "title": opinion.title,
        "language": opinion.language,
        "status": opinion.status,
        "adopted_on": opinion.adopted_at.date().isoformat() if opinion.adopted_at else None,
        "transmitted_on": opinion.transmitted_on.isoformat() if opinion.transmitted_on else None,
        "addressee": opinion.addressee or None,
        "follow_up": state.state.value,
        "due_on": state.on.isoformat() if state.on and state.state.value != "answered" else None,
        "answered_on": opinion.answer.answered_on.isoformat() if opinion.answer else None,
        "answer_summary": opinion.answer.summary if opinion.answer else None,
        "recommendations": [
            {
                "position": r.position,
                "text": r.text,
                "sources": [p.id for p in r.sources],
                "answer": r.answer.status if r.answer else None,
                "answer_reason": r.answer.reason if r.answer else None,
                "expected_on": r.answer.expected_on.isoformat() if r.answer and r.answer.expected_on else None,
            }
            for r in opinion.recommendation_list
        ],
        "proposals": [
            {"rank": i.position, "id": i.proposal_id, "title": i.proposal.title, "supports": i.support_count}
            for i in opinion.items
        ],
    }


def opinions_rows(opinions: list[Opinion], today: date) -> list[dict[str, Any]]:
    return [opinion_data(o, today) for o in opinions]
