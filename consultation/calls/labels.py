"""Words of calls for projects in the reader's language: steps, scoring modes, refusals."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from consultation.calls.rules import CallStatus, Scoring
from consultation.voting.labels import grade_labels

STATUS_NAMES = {
    CallStatus.DRAFTING: _l("Terms being drafted"),
    CallStatus.PUBLISHED: _l("Terms published"),
    CallStatus.RESULTS: _l("Results published"),
}
SCORING_NAMES = {
    Scoring.SCORE: _l("Weighted score from 0 to 10 per criterion"),
    Scoring.GRADES: _l("Majority judgment grades per criterion"),
}
REFUSALS = {
    "budget_positive": _l("Give a budget of at least 1 euro."),
    "dates_in_order": _l("The call must close after it opens."),
    "group_size": _l("A group counts at most 10 organisations."),
    "criteria_needed": _l("Give at least one criterion."),
    "too_many_criteria": _l("Give at most 8 criteria."),
    "weight_range": _l("Give each criterion a weight between 1 and 100."),
    "too_many_partners": _l("Name at most 10 organisations."),
    "group_required": _l("This call requires a group of organisations: name enough of them, one per line."),
    "budget_requested": _l("The budget requested must be between 0 and the call's budget."),
    "mark_range": _l("A mark is out of the scale of this call."),
    "reasons_needed": _l("Give the jury's reasons for every application."),
    "amount_range": _l("The amount granted must be between 0 and the budget requested."),
    "amount_without_selection": _l("Only a selected application gets an amount."),
    "over_budget": _l("The amounts granted add up to more than the call's budget."),
}


def call_status_label(status: str) -> str:
    return str(STATUS_NAMES[CallStatus(status)])


def scoring_label(scoring: str) -> str:
    return str(SCORING_NAMES[Scoring(scoring)])


def grade_names() -> list[str]:
    return grade_labels(None)
