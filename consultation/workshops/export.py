"""A workshop's proposals as open data (CSV and JSON), as its public page lists them: same order,
same counts, public names only."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from consultation.csv_cells import neutralise
from consultation.proposals.services import RankedProposal
from consultation.workshops.models import Workshop

COLUMNS = ["rank", "id", "title", "body", "language", "origin", "status", "supports", "paper_supports", "authors"]


def proposal_rows(ranked: list[RankedProposal]) -> list[dict[str, Any]]:
    return [
        {
            "rank": position,
            "id": each.proposal.id,
            "title": each.proposal.title,
            "body": each.proposal.body,
            "language": each.proposal.language,
            "origin": each.proposal.origin,
            "status": each.proposal.status,
            "supports": each.support_count,
            "paper_supports": each.paper_supports,
            "authors": [name for name in each.authors if name],
        }
        for position, each in enumerate(ranked, start=1)
    ]


def proposals_csv(ranked: list[RankedProposal]) -> str:
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(COLUMNS)
    for row in proposal_rows(ranked):
        row["authors"] = "; ".join(row["authors"])
        writer.writerow([neutralise(row[column]) for column in COLUMNS])
    return output.getvalue()


def proposals_json(workshop: Workshop, ranked: list[RankedProposal]) -> str:
    document = {
        "workshop": {
            "id": workshop.id,
            "council": workshop.council.slug,
            "title": workshop.title,
            "language": workshop.language,
            "starts_at": workshop.starts_at.isoformat(),
            "phase": workshop.phase,
        },
        "proposals": proposal_rows(ranked),
    }
    return json.dumps(document, ensure_ascii=False, indent=2)
