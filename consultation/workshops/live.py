"""What the projector and the phones show live, as plain data, and its ETag.

The ETag is a hash of that data, read from the database on every poll: any app process answers
the same, so polling works behind a load balancer with no shared memory."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from flask import Response

from consultation.permissions import Actor
from consultation.proposals.services import RankedProposal, ranked_proposals
from consultation.workshops.models import AgendaItem, Workshop
from consultation.workshops.services import current_item, participant_count


@dataclass(frozen=True)
class LiveState:
    workshop: Workshop
    phase: str
    item: AgendaItem | None
    remaining_minutes: int | None
    proposals: list[RankedProposal]
    participants: int
    etag: str


def remaining_minutes(item: AgendaItem | None, now: datetime) -> int | None:
    """Whole minutes left in the running item's time box, rounded up; 0 once over."""
    if item is None or item.deadline is None:
        return None
    seconds = (item.deadline - now).total_seconds()
    return max(0, int(-(-seconds // 60)))


def live_state(workshop: Workshop, viewer: Actor, *, now: datetime, participant_id: int | None = None) -> LiveState:
    item = current_item(workshop)
    proposals = ranked_proposals(workshop, viewer, participant_id=participant_id)
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
        "viewer": [viewer.user_id, participant_id],
    }
    digest = hashlib.sha256(json.dumps(fingerprint, sort_keys=True, default=str).encode()).hexdigest()[:32]
    return LiveState(workshop, workshop.phase, item, remaining, proposals, participants, digest)


def live_response(body: str | None, etag: str) -> Response:
    """200 with the fragment, or 304 when the poller already has this state (body None)."""
    response = Response(body or "", status=200 if body is not None else 304, mimetype="text/html")
    response.set_etag(etag)
    # Revalidate on every poll; never serve a stale fragment from a cache.
    response.headers["Cache-Control"] = "no-cache"
    return response
