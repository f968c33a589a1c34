"""Pure rules of a call for projects: its steps, its terms, who may score, and how the jury's marks make a
ranking (standard library only)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from consultation.voting.rules import DEFAULT_GRADE_KEYS

MAX_SCORE = 10
GRADE_KEYS = DEFAULT_GRADE_KEYS  # majority judgment grades, worst first (translated when shown)
MAX_CRITERIA = 8
MAX_PARTNERS = 10


class CallStatus(StrEnum):
    DRAFTING = "drafting"  # terms discussed with the actors in a workshop
    PUBLISHED = "published"  # terms frozen; applications taken between the dates, then scored
    RESULTS = "results"  # results and the jury's reasons are public


class Scoring(StrEnum):
    SCORE = "score"  # 0 to 10 per criterion, weighted mean
    GRADES = "grades"  # a majority judgment grade per criterion, criteria weights repeat the grades


class RuleBroken(ValueError):
    """A rule refused the action; `.reason` is a stable code the services translate."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Terms:
    budget: int
    opens_on: date
    closes_on: date
    min_organisations: int
    weights: tuple[int, ...]


def check_terms(terms: Terms) -> None:
    if terms.budget < 1:
        raise RuleBroken("budget_positive")
    if terms.closes_on < terms.opens_on:
        raise RuleBroken("dates_in_order")
    if terms.min_organisations < 0 or terms.min_organisations > MAX_PARTNERS:
        raise RuleBroken("group_size")
    if not terms.weights:
        raise RuleBroken("criteria_needed")
    if len(terms.weights) > MAX_CRITERIA:
        raise RuleBroken("too_many_criteria")
    if any(w < 1 or w > 100 for w in terms.weights):
        raise RuleBroken("weight_range")


def can_move(current: CallStatus | str, target: CallStatus | str) -> bool:
    order = list(CallStatus)
    return order.index(CallStatus(target)) == order.index(CallStatus(current)) + 1


def accepts_applications(status: CallStatus | str, today: date, opens_on: date, closes_on: date) -> bool:
    return CallStatus(status) is CallStatus.PUBLISHED and opens_on <= today <= closes_on


def check_application(*, partners: int, min_organisations: int, budget_requested: int, budget: int) -> None:
    """A group call needs at least `min_organisations` organisations; nobody asks for more than the budget."""
    if partners > MAX_PARTNERS:
        raise RuleBroken("too_many_partners")
    if min_organisations and partners < min_organisations:
        raise RuleBroken("group_required")
    if budget_requested < 0 or budget_requested > budget:
        raise RuleBroken("budget_requested")


def may_score(member_id: int, *, jury: Iterable[int], conflicted: Iterable[int], applicant_id: int | None) -> bool:
    """Only a jury member, never on an application they declared a conflict on, nor on their own."""
    return member_id in set(jury) and member_id not in set(conflicted) and member_id != applicant_id


def check_mark(scoring: Scoring | str, value: int) -> None:
    top = MAX_SCORE if Scoring(scoring) is Scoring.SCORE else len(GRADE_KEYS) - 1
    if not 0 <= value <= top:
        raise RuleBroken("mark_range")


@dataclass(frozen=True)
class Mark:
    member_id: int
    criterion_id: int
    value: int


def _kept(marks: Iterable[Mark], conflicted: Iterable[int], criteria: Mapping[int, int]) -> list[Mark]:
    excluded = set(conflicted)
    return [m for m in marks if m.member_id not in excluded and m.criterion_id in criteria]


def weighted_score(criteria: Mapping[int, int], marks: Iterable[Mark], conflicted: Iterable[int] = ()) -> float | None:
    """Weighted mean of the criteria means. `criteria` maps criterion id → weight.

    Marks of conflicted members never count. Each criterion's mean is over the members who scored it
    (a missing mark is not a zero); a criterion nobody scored is left out and the weights of the others
    carry the score. No mark at all: None (not scored)."""
    by_criterion: dict[int, list[int]] = {}
    for mark in _kept(marks, conflicted, criteria):
        by_criterion.setdefault(mark.criterion_id, []).append(mark.value)
    if not by_criterion:
        return None
    total_weight = sum(criteria[c] for c in by_criterion)
    return sum(criteria[c] * sum(v) / len(v) for c, v in by_criterion.items()) / total_weight


def majority_key(criteria: Mapping[int, int], marks: Iterable[Mark], conflicted: Iterable[int] = ()) -> tuple[int, ...]:
    """Majority judgment over the grades given, each repeated by its criterion's weight: the grades met by
    removing the (lower) median again and again. Its first element is the majority grade; comparing two
    keys breaks ties the majority judgment way. No grade: the empty key (after every graded application)."""
    grades = sorted(g for m in _kept(marks, conflicted, criteria) for g in [m.value] * criteria[m.criterion_id])
    key = []
    while grades:
        key.append(grades.pop((len(grades) - 1) // 2))
    return tuple(key)


def aggregate(
    scoring: Scoring | str, criteria: Mapping[int, int], marks: Iterable[Mark], conflicted: Iterable[int] = ()
) -> float | tuple[int, ...] | None:
    if Scoring(scoring) is Scoring.SCORE:
        return weighted_score(criteria, marks, conflicted)
    return majority_key(criteria, marks, conflicted) or None


def rank(results: Mapping[int, float | tuple[int, ...] | None]) -> list[tuple[int, int | None]]:
    """(application id, rank), best first. Equal results share a rank and the next one skips ("1, 1, 3");
    an application without any mark gets no rank and comes last. Ties are listed by application id."""
    scored = sorted(((k, v) for k, v in results.items() if v is not None), key=lambda kv: (_neg(kv[1]), kv[0]))
    ranked: list[tuple[int, int | None]] = []
    previous = object()
    place = 0
    for position, (key, value) in enumerate(scored, start=1):
        if value != previous:
            place = position
            previous = value
        ranked.append((key, place))
    ranked.extend((k, None) for k in sorted(k for k, v in results.items() if v is None))
    return ranked


def _neg(value: float | tuple[int, ...]):
    """A sort key that puts the best result first, for scores and majority keys alike."""
    if isinstance(value, tuple):
        return tuple(-v for v in value) + (1,)  # a longer key with equal start wins: more grades at that level
    return -value


@dataclass(frozen=True)
class Decision:
    application_id: int
    is_selected: bool
    amount: int
    requested: int
    reasons: str


def check_results(decisions: Sequence[Decision], budget: int) -> None:
    if any(not d.reasons.strip() for d in decisions):
        raise RuleBroken("reasons_needed")
    for d in decisions:
        if d.amount < 0 or d.amount > d.requested:
            raise RuleBroken("amount_range")
        if not d.is_selected and d.amount:
            raise RuleBroken("amount_without_selection")
    if sum(d.amount for d in decisions if d.is_selected) > budget:
        raise RuleBroken("over_budget")
