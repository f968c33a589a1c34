"""Pure rules of a vote in the app: who is eligible, proxies, locks, paper counts (standard library only)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Any

from consultation.csv_cells import neutralise, unneutralise


class Status(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class Electorate(StrEnum):
    # The people who took part in the vote's workshop: joined it by its code (with or without an
    # account), or marked present on its sign-in sheet.
    WORKSHOP = "workshop"
    MEMBERS = "members"  # council members: member, secretary, president
    RESIDENTS = "residents"  # anyone holding any role in the council


class Channel(StrEnum):
    ONLINE = "online"
    ROOM = "room"  # show of hands or ballots collected in the room
    PAPER = "paper"


# Roles are given as plain strings so this module stays independent of the permission module.
MEMBER_ROLES = frozenset({"member", "secretary", "president"})
# Counts per option make sense when a ballot is one option or a set of options.
COUNTABLE_METHODS = frozenset({"plurality", "approval", "motion"})
MOTION_KEYS = ("yes", "no", "abstain")
# The French grades of majority judgment, stored as keys and translated when shown.
DEFAULT_GRADE_KEYS = ("reject", "insufficient", "passable", "fairly_good", "good", "very_good")


def is_eligible(
    electorate: Electorate | str,
    roles: Iterable[str],
    *,
    is_authenticated: bool,
    takes_part: bool = False,
    district_vote: bool = False,
    lives_in_district: bool = False,
) -> bool:
    """May a person with these roles in the vote's council cast a ballot? (Platform admins are not voters.)

    `takes_part`: the person took part in the vote's workshop (joined it or was marked present); a
    workshop vote counts them whatever their roles, and a facilitator who only runs it is not a voter.
    `district_vote`: a residents' vote restricted to one district, for those who live there."""
    electorate = Electorate(electorate)
    if electorate is Electorate.WORKSHOP:
        return takes_part
    if not is_authenticated:
        return False
    held = frozenset(roles)
    if electorate is Electorate.MEMBERS:
        return bool(held & MEMBER_ROLES)
    return bool(held) and (lives_in_district or not district_vote)


def settings_locked(status: Status | str, ballots_cast: int) -> bool:
    """A vote's question, options and rules may change until its first ballot (and never once closed)."""
    return Status(status) is Status.CLOSED or ballots_cast > 0


def can_move(current: Status | str, target: Status | str) -> bool:
    order = list(Status)
    return order.index(Status(target)) == order.index(Status(current)) + 1


def may_change_ballot(*, is_secret: bool, allows_change: bool) -> bool:
    """A secret ballot cannot be replaced: nothing in the database links it to its voter, on purpose."""
    return allows_change and not is_secret


def results_visible(status: Status | str, *, is_manager: bool) -> bool:
    """Everyone sees the results once the vote is closed; only its managers see them live."""
    return Status(status) is Status.CLOSED or is_manager


def proxy_problem(
    *,
    status: Status | str,
    giver_id: int,
    holder_id: int,
    giver_eligible: bool,
    holder_eligible: bool,
    held_by_holder: int,
    max_proxies: int,
    holder_gave_one: bool,
    giver_holds_any: bool,
) -> str | None:
    """Why this proxy cannot be given, as a stable code, or None when it can."""
    if Status(status) is not Status.DRAFT:
        return "vote_opened"
    if giver_id == holder_id:
        return "self"
    if not giver_eligible:
        return "giver_not_eligible"
    if not holder_eligible:
        return "holder_not_eligible"
    if holder_gave_one or giver_holds_any:
        return "chain"  # a proxy is not passed on: the holder votes in person
    if held_by_holder >= max_proxies:
        return "limit"
    return None


def proxy_revocable(status: Status | str) -> bool:
    return Status(status) is Status.DRAFT


def quorum_required(quorum: int | None) -> int:
    return quorum or 0


def turnout_share(ballots: int, electorate: int | None) -> float | None:
    if not electorate:
        return None
    return ballots / electorate


def paper_counts_problem(method: str, keys: Sequence[str], counts: Mapping[str, int], ballots: int) -> str | None:
    """Check per-option counts typed in by a facilitator; `ballots` is the number of ballot papers."""
    if method not in COUNTABLE_METHODS:
        return "not_countable"
    if set(counts) - set(keys):
        return "unknown_option"
    if any(not isinstance(v, int) or isinstance(v, bool) or v < 0 for v in counts.values()):
        return "negative"
    total = sum(counts.values())
    if method == "approval":
        if ballots < 1 or any(v > ballots for v in counts.values()):
            return "approval_over_ballots"
    elif total < 1:
        return "empty"
    return None


def paper_ballot_count(method: str, counts: Mapping[str, int], ballots: int) -> int:
    """How many ballots a count entry stands for: one per count for a single choice, else as typed."""
    return ballots if method == "approval" else sum(counts.values())


def expand_counts(method: str, keys: Sequence[str], counts: Mapping[str, int], ballots: int) -> list[Any]:
    """Turn per-option counts into individual ballots the engine can count.

    For approval, ballot i approves option o when i < counts[o]: the per-option totals and the
    number of ballots are exact, which is all approval counting depends on."""
    if method == "approval":
        return [[k for k in keys if i < counts.get(k, 0)] for i in range(ballots)]
    return [k for k in keys for _ in range(counts.get(k, 0))]


def schulze_ranking(ranks: Mapping[str, int | None]) -> list[list[str]]:
    """Rank numbers typed per option (1 = best, equal numbers tie, None unranked) into an engine ranking."""
    groups: dict[int, list[str]] = {}
    for key, rank in ranks.items():
        if rank is not None:
            groups.setdefault(rank, []).append(key)
    return [groups[r] for r in sorted(groups)]


def apply_quorum(method: str, winners: list[Any], ballots: int, quorum: int | None) -> tuple[list[Any], bool]:
    """The engine applies a motion's quorum itself; for other methods nobody wins below the quorum."""
    reached = ballots >= quorum_required(quorum)
    if method == "motion":
        return winners, reached
    return (winners if reached else []), reached


# ------------------------------------------------------------------------------ CSV neutralising

_HEADER = re.compile(r"\[#([^\]]+)\]\s*$")


def header_cell(label: str, key: str) -> str:
    return neutralise(f"{label} [#{key}]")


def key_of_header(cell: str) -> str | None:
    match = _HEADER.search(unneutralise(cell))
    return match.group(1) if match else None
