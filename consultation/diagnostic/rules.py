"""Pure rules of a diagnostic: its steps, the moderation of challenges, the ranking snapshot (standard library only)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Step(StrEnum):
    COLLECTING = "collecting"  # challenges are proposed and moderated
    PRIORITISING = "prioritising"  # the accepted challenges are put to a vote
    RANKED = "ranked"  # the ranking is frozen and public


class ChallengeStatus(StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    MERGED = "merged"
    REJECTED = "rejected"


class Decision(StrEnum):
    ACCEPT = "accept"
    MERGE = "merge"
    REJECT = "reject"


# Methods of the voting engine that make sense to rank challenges (a motion says yes or no to one text).
RANKING_METHODS = ("majority_judgment", "approval", "score", "schulze", "dot", "plurality")
DEFAULT_METHOD = "majority_judgment"


class RuleBroken(ValueError):
    """A rule of the diagnostic refused the action; `.reason` is a stable code the services translate."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def accepts_challenges(step: Step | str) -> bool:
    return Step(step) is Step.COLLECTING


def check_decision(
    step: Step | str, status: ChallengeStatus | str, decision: Decision | str, *, reason: str, target_status: str | None
) -> ChallengeStatus:
    """The status a moderation decision gives, or RuleBroken: decisions are taken while collecting; a rejection
    needs a reason; a merge needs an accepted target; a merged challenge stays merged."""
    if Step(step) is not Step.COLLECTING:
        raise RuleBroken("not_collecting")
    if ChallengeStatus(status) is ChallengeStatus.MERGED:
        raise RuleBroken("already_merged")
    decision = Decision(decision)
    if decision is Decision.REJECT:
        if not reason.strip():
            raise RuleBroken("reason_needed")
        return ChallengeStatus.REJECTED
    if decision is Decision.MERGE:
        if target_status is None:
            raise RuleBroken("target_needed")
        if ChallengeStatus(target_status) is not ChallengeStatus.ACCEPTED:
            raise RuleBroken("target_not_accepted")
        return ChallengeStatus.MERGED
    return ChallengeStatus.ACCEPTED


def check_can_prioritise(step: Step | str, accepted: int) -> None:
    if Step(step) is not Step.COLLECTING:
        raise RuleBroken("not_collecting")
    if accepted < 2:
        raise RuleBroken("too_few_challenges")


@dataclass(frozen=True)
class RankedEntry:
    rank: int
    key: str
    details: dict[str, Any]


def ranking_entries(ranking: Sequence[Sequence[str]], details: Mapping[str, Any]) -> list[RankedEntry]:
    """Tiers of a vote result (best first) as ranks: options of one tier share a rank, and the next
    tier's rank skips as many places ("1, 1, 3")."""
    entries: list[RankedEntry] = []
    place = 1
    for tier in ranking:
        for key in sorted(tier, key=str):
            entries.append(RankedEntry(place, str(key), dict(details.get(str(key), details.get(key, {})) or {})))
        place += len(tier)
    return entries


def option_details(method: str, keys: Sequence[str], details: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The per-option figures of an engine result, keyed by option: what a ranking keeps of each challenge.
    Majority judgment gives a record per option; the other methods give tables keyed by option
    (counts, totals, means …), gathered here option by option."""
    if method == "majority_judgment":
        results = details.get("results", {})
        return {key: dict(results.get(key, {})) for key in keys}
    found: dict[str, dict[str, Any]] = {key: {} for key in keys}
    for name, table in details.items():
        if isinstance(table, Mapping) and set(keys) <= set(table):
            for key in keys:
                found[key][name] = table[key]
    return found
