"""What the projector and the phones show live, as plain data, and its ETag.

The ETag is a hash of that data, read from the database on every poll: any app process answers
the same, so polling works behind a load balancer with no shared memory."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from flask import Response

from consultation.multilingual.services import Localized, localized
from consultation.permissions import Actor
from consultation.proposals.services import RankedProposal, ranked_proposals
from consultation.voting import labels as vote_labels
from consultation.voting import services as votes
from consultation.voting.models import Vote
from consultation.voting.results import ResultsView, build_results
from consultation.voting.schedule import advance_all
from consultation.workshops.models import AgendaItem, Workshop, WorkshopParticipant
from consultation.workshops.services import current_item, participant_count


@dataclass(frozen=True)
class LiveVote:
    """A vote of the workshop as the wall and the phones show it: open (with its ballot count) or closed
    (with its result)."""

    vote: Vote
    ballots: int
    has_voted: bool  # by the participant whose phone asks
    results: ResultsView | None  # once closed

    @property
    def votable_from_phone(self) -> bool:
        return self.vote.electorate == "workshop"


def live_votes(workshop: Workshop, participant: WorkshopParticipant | None = None) -> list[LiveVote]:
    """The workshop's open votes, then its closed ones, in a fixed number of queries."""
    open_ones = votes.open_workshop_votes(workshop)
    closed = votes.closed_workshop_votes(workshop)
    counted = votes.ballots_by_vote([v.id for v in open_ones])
    voted = votes.participant_voted_in(participant, open_ones + closed) if participant is not None else set()
    found = [LiveVote(v, counted.get(v.id, 0), v.id in voted, None) for v in open_ones]
    for vote in closed:
        result = vote.result or {}
        view = None
        if result.get("ranking") is not None:
            view = build_results(vote.method, result, votes.option_labels(vote), vote_labels.grade_labels(vote.grades))
        found.append(LiveVote(vote, int(result.get("ballots") or 0), vote.id in voted, view))
    return found


@dataclass(frozen=True)
class LiveState:
    workshop: Workshop
    phase: str
    item: AgendaItem | None
    remaining_minutes: int | None
    proposals: list[RankedProposal]
    participants: int
    votes: list[LiveVote]
    localized: Localized
    etag: str

    @property
    def open_votes(self) -> list[LiveVote]:
        return [v for v in self.votes if v.results is None]

    @property
    def closed_votes(self) -> list[LiveVote]:
        return [v for v in self.votes if v.results is not None]


def remaining_minutes(item: AgendaItem | None, now: datetime) -> int | None:
    """Whole minutes left in the running item's time box, rounded up; 0 once over."""
    if item is None or item.deadline is None:
        return None
    seconds = (item.deadline - now).total_seconds()
    return max(0, int(-(-seconds // 60)))


def live_state(
    workshop: Workshop,
    viewer: Actor,
    *,
    now: datetime,
    participant_id: int | None = None,
    participant: WorkshopParticipant | None = None,
    language: str | None = None,
) -> LiveState:
    """`language`: show verified translations into it (a phone); the wall keeps the originals."""
    if participant is not None:
        participant_id = participant.id
    advance_all(now, workshop_id=workshop.id)  # a vote of the room may open or close on its planned time
    item = current_item(workshop)
    found_votes = live_votes(workshop, participant)
    proposals = ranked_proposals(workshop, viewer, participant_id=participant_id)
    shown = localized(language, proposal=[r.proposal for r in proposals])
    participants = participant_count(workshop)
    remaining = remaining_minutes(item, now)
    fingerprint = {
        "phase": workshop.phase,
        "code": workshop.join_code,
        "item": [item.id, item.title, item.started_at.isoformat(), item.duration_minutes] if item else None,
        # The minute display changes with time, not only with data.
        "remaining": remaining,
        "participants": participants,
        "proposals": [
            [
                r.proposal.id,
                r.proposal.title,
                r.proposal.body,
                r.proposal.status,
                r.support_count,
                r.paper_supports,
                r.supported_by_viewer,
                list(r.authors),
            ]
            for r in proposals
        ],
        "votes": [
            [v.vote.id, v.vote.status, v.vote.question, v.ballots, v.has_voted, (v.vote.result or {}).get("winners")]
            for v in found_votes
        ],
        "viewer": [viewer.user_id, participant_id],
        "translations": [language, shown.fingerprint],
    }
    digest = hashlib.sha256(json.dumps(fingerprint, sort_keys=True, default=str).encode()).hexdigest()[:32]
    return LiveState(workshop, workshop.phase, item, remaining, proposals, participants, found_votes, shown, digest)


def live_response(body: str | None, etag: str) -> Response:
    """200 with the fragment, or 304 when the poller already has this state (body None)."""
    response = Response(body or "", status=200 if body is not None else 304, mimetype="text/html")
    response.set_etag(etag)
    # Revalidate on every poll; never serve a stale fragment from a cache.
    response.headers["Cache-Control"] = "no-cache"
    return response
