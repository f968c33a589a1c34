"""The closed votes of a workshop in a few lines each, for its minutes and for the opinions drawn
from it: ballots by channel, the result by option, the outcome in words. A fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from consultation.extensions import db
from consultation.voting import labels
from consultation.voting.models import PaperEntry, Vote, VoteParticipation
from consultation.voting.results import ResultsView, build_results
from consultation.voting.rules import Channel, Status
from consultation.voting.services import RollCallEntry, option_labels, roll_calls

# The same words as the results page's table headings.
COLUMN_NAMES = {
    "votes": _l("Votes"),
    "total": _l("Total score"),
    "mean": _l("Average score"),
    "points": _l("Points"),
    "supporters": _l("Voters who gave points"),
    "majority_grade": _l("Majority grade"),
    "better": _l("Better grades"),
    "worse": _l("Worse grades"),
    "wins": _l("Options beaten one to one"),
}


@dataclass(frozen=True)
class VoteSummary:
    vote: Vote
    by_channel: dict[str, int]
    results: ResultsView
    roll_call: list[RollCallEntry] = field(default_factory=list)  # open votes only: names and ballots

    @property
    def ballots(self) -> int:
        return sum(self.by_channel.values())

    @property
    def main_column(self) -> str:
        return self.results.columns[0]

    # Read in templates, in the reader's language.
    @property
    def column_name(self) -> str:
        return str(COLUMN_NAMES[self.main_column])

    @property
    def channels_text(self) -> str:
        return channels_sentence(self)

    @property
    def outcome_text(self) -> str:
        return outcome_sentence(self)


@dataclass(frozen=True)
class ProposalResult:
    """How one proposal fared in one vote: what a recommendation drawn from it can cite."""

    summary: VoteSummary
    rank: int
    figure: object
    is_winner: bool

    @property
    def figure_text(self) -> str:
        return figure_text(self.figure)


def results_by_proposal(summaries: list[VoteSummary]) -> dict[int, list[ProposalResult]]:
    """The workshop's proposals that were put to a vote, with their rank and figure in each (no query)."""
    found: dict[int, list[ProposalResult]] = {}
    for summary in summaries:
        proposal_of = {o.key: o.proposal_id for o in summary.vote.options if o.proposal_id is not None}
        for row in summary.results.rows:
            if row.key in proposal_of:
                found.setdefault(proposal_of[row.key], []).append(
                    ProposalResult(summary, row.rank, row.figures[summary.main_column], row.is_winner)
                )
    return found


def channels_by_vote(vote_ids: list[int]) -> dict[int, dict[str, int]]:
    """Ballots per channel of each vote: online ones from participations, room and paper ones from entries."""
    found = {vote_id: dict.fromkeys((c.value for c in Channel), 0) for vote_id in vote_ids}
    if not vote_ids:
        return found
    for vote_id, channel, number in db.session.execute(
        select(VoteParticipation.vote_id, VoteParticipation.channel, func.count())
        .where(VoteParticipation.vote_id.in_(vote_ids))
        .group_by(VoteParticipation.vote_id, VoteParticipation.channel)
    ):
        found[vote_id][channel] += number
    for vote_id, channel, number in db.session.execute(
        select(PaperEntry.vote_id, PaperEntry.channel, func.sum(PaperEntry.ballots))
        .where(PaperEntry.vote_id.in_(vote_ids))
        .group_by(PaperEntry.vote_id, PaperEntry.channel)
    ):
        found[vote_id][channel] += int(number or 0)
    return found


def workshop_vote_summaries(workshop_ids: int | list[int] | None) -> list[VoteSummary]:
    """The closed votes of one or several workshops, in the order they closed, with their stored results."""
    if workshop_ids is None or workshop_ids == []:
        return []
    ids = [workshop_ids] if isinstance(workshop_ids, int) else list(workshop_ids)
    closed = list(
        db.session.scalars(
            select(Vote)
            .where(Vote.workshop_id.in_(ids), Vote.status == Status.CLOSED.value, Vote.result.is_not(None))
            .order_by(Vote.closed_at, Vote.id)
        )
    )
    channels = channels_by_vote([v.id for v in closed])
    names = roll_calls([v for v in closed if not v.is_secret])
    return [
        VoteSummary(
            vote,
            channels[vote.id],
            build_results(vote.method, vote.result, option_labels(vote), labels.grade_labels(vote.grades)),
            names.get(vote.id, []),
        )
        for vote in closed
    ]


def outcome_sentence(summary: VoteSummary) -> str:
    """What the vote decided, in the reader's language."""
    result = summary.vote.result or {}
    if summary.vote.is_motion:
        return str(labels.MOTION_OUTCOMES[result.get("details", {}).get("reason", "no_ballots")])
    if not result.get("ballots"):
        return _("Nobody voted.")
    if not result.get("quorum_reached", True):
        return _("The quorum was not reached: no option is chosen.")
    winners = [row.label for row in summary.results.rows if row.is_winner]
    return ngettext(
        "Chosen option: %(options)s", "Options tied first: %(options)s", len(winners), options=", ".join(winners)
    )


def channels_sentence(summary: VoteSummary) -> str:
    """ "12 ballots: 7 online, 4 by a show of hands in the room, 1 on paper" (empty channels left out)."""
    parts = []
    if summary.by_channel.get("online"):
        parts.append(ngettext("%(num)d online", "%(num)d online", summary.by_channel["online"]))
    if summary.by_channel.get("room"):
        parts.append(
            ngettext(
                "%(num)d by a show of hands in the room",
                "%(num)d by a show of hands in the room",
                summary.by_channel["room"],
            )
        )
    if summary.by_channel.get("paper"):
        parts.append(ngettext("%(num)d on paper", "%(num)d on paper", summary.by_channel["paper"]))
    total = ngettext("%(num)d ballot", "%(num)d ballots", summary.ballots)
    return _("%(total)s: %(channels)s", total=total, channels=", ".join(parts)) if parts else total


def figure_text(value: object) -> str:
    """A cell of the result in the reader's number format (grades are words already)."""
    if value is None:
        return "–"
    if isinstance(value, int | float):
        return format_decimal(value, "#,##0.##")
    return str(value)


def ballot_words(content: Any, method: str, option_labels: dict[str, str], grades: list[str]) -> str:
    """One ballot read out in a line, as the roll call of the minutes gives it."""

    def name(key: str) -> str:
        return option_labels.get(key, key)

    if content is None:
        return "–"
    if method in ("plurality", "motion"):
        return name(content)
    if method == "approval":
        return ", ".join(name(key) for key in content) or _("No option approved")
    if method == "schulze":
        return " > ".join(" = ".join(name(key) for key in tier) for tier in content)
    if method == "majority_judgment":
        return "; ".join(
            _("%(option)s: %(grade)s", option=name(key), grade=grades[grade]) for key, grade in content.items()
        )
    return "; ".join(_("%(option)s: %(number)s", option=name(key), number=figure_text(n)) for key, n in content.items())
