"""Factories for online consultations and their proposals, comments and files."""

from __future__ import annotations

import itertools
from datetime import timedelta

from consultation.consultations.models import Consultation, ProposalComment, ProposalEvent
from consultation.db import utcnow
from consultation.extensions import db
from consultation.proposals.models import Proposal, Support
from tests.factories import make_user

_sequence = itertools.count(1)

# The smallest files each format accepts: their signature, then a little content.
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 64
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def make_consultation(
    council,
    *,
    status: str = "open",
    title: str | None = None,
    themes=(),
    districts=(),
    question=None,
    description: str = "Le conseil demande vos idées pour le quartier.",
) -> Consultation:
    """A consultation whose dates put it in `status` at the real time of the test (views read the clock)."""
    now = utcnow()
    opens_at, closes_at = {
        "open": (now - timedelta(days=1), now + timedelta(days=30)),
        "draft": (now - timedelta(days=1), now + timedelta(days=30)),
        "upcoming": (now + timedelta(days=2), now + timedelta(days=30)),
        "closed": (now - timedelta(days=30), now - timedelta(days=1)),
    }[status]
    consultation = Consultation(
        council_id=council.id,
        title=title or f"Consultation {next(_sequence)}",
        description=description,
        language="fr",
        opens_at=opens_at,
        closes_at=closes_at,
        is_published=status != "draft",
        question_id=question.id if question else None,
    )
    consultation.themes = list(themes)
    consultation.districts = list(districts)
    db.session.add(consultation)
    db.session.commit()
    return consultation


def make_consultation_proposal(
    consultation: Consultation,
    author=None,
    *,
    title: str | None = None,
    body: str = "Un texte qui explique la proposition.",
    status: str = "submitted",
    supports: int = 0,
    comments: int = 0,
    theme=None,
    district=None,
    language: str = "fr",
    created_at=None,
) -> Proposal:
    when = created_at or utcnow()
    proposal = Proposal(
        consultation_id=consultation.id,
        author=author,
        title=title or f"Proposition {next(_sequence)}",
        body=body,
        language=language,
        status=status,
        theme_id=theme.id if theme else None,
        district_id=district.id if district else None,
        created_at=when,
        updated_at=when,
    )
    db.session.add(proposal)
    db.session.flush()
    db.session.add(ProposalEvent(proposal_id=proposal.id, kind="received", created_at=when, details={}))
    for _index in range(supports):
        db.session.add(Support(proposal_id=proposal.id, user_id=make_user().id))
    for index in range(comments):
        db.session.add(ProposalComment(proposal_id=proposal.id, body=f"Commentaire {index}", language="fr"))
    db.session.commit()
    return proposal
