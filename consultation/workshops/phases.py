"""A workshop's phases, in order, and which moves between them are allowed (pure rules)."""

from __future__ import annotations

from enum import StrEnum


class Phase(StrEnum):
    WELCOME = "welcome"
    IDEATION = "ideation"
    DISCUSSION = "discussion"
    VOTE = "vote"
    SYNTHESIS = "synthesis"
    CLOSED = "closed"


ORDER: tuple[Phase, ...] = tuple(Phase)


def index(phase: Phase) -> int:
    return ORDER.index(phase)


def can_move(current: Phase, target: Phase) -> bool:
    """Phases only go forward; any may be skipped; nothing moves once closed."""
    return current is not Phase.CLOSED and index(target) > index(current)


def next_phase(current: Phase) -> Phase | None:
    position = index(current)
    return ORDER[position + 1] if position + 1 < len(ORDER) else None


def accepts_proposals(phase: Phase) -> bool:
    return phase is Phase.IDEATION


def accepts_supports(phase: Phase) -> bool:
    # Residents may still weigh in while the proposals are discussed.
    return phase in (Phase.IDEATION, Phase.DISCUSSION)


def proposal_phase_closed(phase: Phase) -> bool:
    """True once ideation is over: the list of proposals is final and an opinion can start."""
    return index(phase) > index(Phase.IDEATION)
