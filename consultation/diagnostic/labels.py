"""Words of the diagnostic in the reader's language: steps, statuses, refusals, citations."""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consultation.diagnostic.rules import ChallengeStatus, Decision, Step

STEP_NAMES = {
    Step.COLLECTING: _l("Collecting challenges"),
    Step.PRIORITISING: _l("Prioritisation vote"),
    Step.RANKED: _l("Ranking published"),
}
STATUS_NAMES = {
    ChallengeStatus.PROPOSED: _l("Awaiting moderation"),
    ChallengeStatus.ACCEPTED: _l("Accepted"),
    ChallengeStatus.MERGED: _l("Merged"),
    ChallengeStatus.REJECTED: _l("Rejected"),
}
DECISION_NAMES = {
    Decision.ACCEPT: _l("Accept"),
    Decision.MERGE: _l("Merge into another challenge"),
    Decision.REJECT: _l("Reject"),
}
REFUSALS = {
    "not_collecting": _l("The diagnostic no longer collects challenges: its prioritisation has started."),
    "already_merged": _l("This challenge was merged into another one: it cannot be moderated again."),
    "reason_needed": _l("Give the reason for the rejection: its author will read it."),
    "target_needed": _l("Choose the accepted challenge to merge it into."),
    "target_not_accepted": _l("A challenge can only be merged into an accepted challenge."),
    "too_few_challenges": _l("Accept at least two challenges before opening the prioritisation vote."),
}


def step_label(step: str) -> str:
    return str(STEP_NAMES[Step(step)])


def challenge_status_label(status: str) -> str:
    return str(STATUS_NAMES[ChallengeStatus(status)])


def citation(*, number: int, diagnostic_title: str, rank: int, ranked_at) -> str:
    """How calls and opinions cite a ranked challenge."""
    return _(
        "Challenge #%(number)s of diagnostic “%(diagnostic)s”, ranked %(rank)s on %(date)s",
        number=number,
        diagnostic=diagnostic_title,
        rank=rank,
        date=format_date(ranked_at, format="long"),
    )
