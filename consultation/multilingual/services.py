"""Propose, verify and reject translations; pick the ones a reader sees; the facilitators' queue.
Every read is a fixed number of queries, whatever the number of texts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import request
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from consultation.accounts.models import User
from consultation.councils.models import Council
from consultation.errors import Conflict, NotAllowed, NotFound
from consultation.extensions import db
from consultation.i18n import LANGUAGES, current_language
from consultation.multilingual import rules
from consultation.multilingual.models import TextTranslation
from consultation.multilingual.registry import KINDS, TranslatableKind
from consultation.opinions.models import Opinion
from consultation.permissions import Actor, can_manage_workshop
from consultation.proposals.models import VISIBLE_STATUSES, Proposal
from consultation.workshops.models import Workshop
from consultation.workshops.phases import Phase

PROBLEMS = {
    "unknown_language": _l("Choose one of the languages of the platform."),
    "same_language": _l("This text is already in that language: choose another one."),
}


def kind_named(name: str) -> TranslatableKind:
    kind = KINDS.get(name)
    if kind is None:
        raise NotFound()
    return kind


def public_target(kind: TranslatableKind, target_id: int) -> Any:
    target = kind.load(target_id)
    if target is None or not kind.is_public(target):
        raise NotFound()
    return target


def propose(
    user: User, kind: TranslatableKind, target: Any, *, language: str, title: str, body: str, now: datetime
) -> TextTranslation:
    problem = rules.translation_problem(language=language, original_language=target.language, shipped=LANGUAGES)
    if problem is not None:
        raise Conflict(PROBLEMS[problem])
    original_title, original_body = kind.words(target)
    translation = TextTranslation(
        target_kind=kind.name,
        target_id=target.id,
        language=language,
        title=title.strip()[:300] if original_title else "",
        body=body.strip() if original_body else "",
        source_fingerprint=rules.source_fingerprint(original_title, original_body),
        status="proposed",
        proposed_by_id=user.id,
        proposed_at=now,
    )
    db.session.add(translation)
    db.session.flush()
    return translation


def translation_for_manager(user: User, translation_id: int) -> tuple[TextTranslation, TranslatableKind, Any]:
    translation = db.session.get(TextTranslation, translation_id)
    if translation is None or translation.target_kind not in KINDS:
        raise NotFound()
    kind = KINDS[translation.target_kind]
    target = kind.load(translation.target_id)
    if target is None:
        raise NotFound()
    council_id = kind.council_id(target)
    if council_id is None or not can_manage_workshop(user.actor, council_id):
        raise NotAllowed(_l("Only the council's facilitators verify translations."))
    return translation, kind, target


def verify(user: User, translation_id: int, *, now: datetime) -> TextTranslation:
    translation, kind, target = translation_for_manager(user, translation_id)
    if translation.status != "proposed":
        raise Conflict(_l("This translation was already handled."))
    if not rules.may_verify(verifier_id=user.id, proposer_id=translation.proposed_by_id, is_manager=True):
        raise Conflict(_l("Another facilitator verifies your own translation: a second pair of eyes."))
    if not rules.is_current(translation.source_fingerprint, *kind.words(target)):
        raise Conflict(_l("The original text changed since this translation was proposed: it cannot be verified."))
    translation.status = "verified"
    translation.verified_by_id = user.id
    translation.verified_at = now
    db.session.flush()
    return translation


def reject(user: User, translation_id: int, *, reason: str, now: datetime) -> TextTranslation:
    translation, _kind, _target = translation_for_manager(user, translation_id)
    if translation.status != "proposed":
        raise Conflict(_l("This translation was already handled."))
    translation.status = "rejected"
    translation.rejection_reason = reason.strip()
    translation.verified_by_id = user.id
    translation.verified_at = now
    db.session.flush()
    return translation


# ------------------------------------------------------------------------------------ reading


@dataclass(frozen=True)
class ShownText:
    """A text as a reader sees it: the verified translation into their language, else the original."""

    title: str
    body: str
    language: str
    translation: TextTranslation | None = None
    original_language: str = ""


@dataclass
class Localized:
    """The verified translations of the texts of a page into the reader's language."""

    language: str | None
    found: dict[tuple[str, int], TextTranslation] = field(default_factory=dict)

    def of(self, kind_name: str, target: Any) -> ShownText:
        kind = KINDS[kind_name]
        title, body = kind.words(target)
        translation = self.found.get((kind_name, target.id))
        if translation is None or not rules.is_current(translation.source_fingerprint, title, body):
            return ShownText(title, body, target.language, None, target.language)
        return ShownText(
            translation.title or title, translation.body or body, translation.language, translation, target.language
        )

    @property
    def fingerprint(self) -> list[list[object]]:
        return sorted([kind, target_id, t.id] for (kind, target_id), t in self.found.items())


def reader_language() -> str | None:
    """The language to translate into on this request; None when the reader asked for the originals."""
    return None if request.args.get("original") else current_language().code


def localized(language: str | None, **targets: Iterable[Any]) -> Localized:
    """One query for every kind: localized("ar", proposal=[...], workshop=[workshop])."""
    wanted = {kind: [t.id for t in items] for kind, items in targets.items()}
    shown = Localized(language)
    if language is None or not any(wanted.values()):
        return shown
    conditions = [
        (TextTranslation.target_kind == kind) & TextTranslation.target_id.in_(ids)
        for kind, ids in wanted.items()
        if ids
    ]
    rows = db.session.scalars(
        select(TextTranslation)
        .where(TextTranslation.status == "verified", TextTranslation.language == language, or_(*conditions))
        .order_by(TextTranslation.verified_at, TextTranslation.id)
        .options(db.selectinload(TextTranslation.proposed_by), db.selectinload(TextTranslation.verified_by))
    )
    for row in rows:  # the latest verification wins
        shown.found[(row.target_kind, row.target_id)] = row
    return shown


@dataclass(frozen=True)
class Waiting:
    """A text of the council and the announced languages it still lacks a verified translation in."""

    kind: TranslatableKind
    target: Any
    languages: list[str]


@dataclass(frozen=True)
class Queue:
    proposed: list[tuple[TextTranslation, TranslatableKind, Any]]
    missing: list[Waiting]


def _council_texts(council: Council) -> tuple[list[Workshop], list[Proposal]]:
    workshops = list(
        db.session.scalars(
            select(Workshop)
            .where(Workshop.council_id == council.id, Workshop.is_published.is_(True), Workshop.phase != Phase.CLOSED)
            .order_by(Workshop.starts_at, Workshop.id)
        )
    )
    proposals = list(
        db.session.scalars(
            select(Proposal)
            .where(
                Proposal.workshop_id.in_([w.id for w in workshops] or [-1]),
                Proposal.status.in_(VISIBLE_STATUSES),
                Proposal.hidden_at.is_(None),
            )
            .order_by(Proposal.workshop_id, Proposal.id)
        )
    )
    return workshops, proposals


def queue(actor: Actor, council: Council) -> Queue:
    """What awaits the council's facilitators: translations to verify, and texts of the open workshops
    without a verified translation into the languages each workshop announced."""
    if not can_manage_workshop(actor, council.id):
        raise NotAllowed()
    workshops, proposals = _council_texts(council)
    opinions = db.session.scalars(
        select(Opinion).where(Opinion.council_id == council.id, Opinion.status == "adopted")
    ).all()
    by_kind = {
        "workshop": {w.id: w for w in workshops},
        "proposal": {p.id: p for p in proposals},
        "opinion": {o.id: o for o in opinions},
    }
    conditions = [
        (TextTranslation.target_kind == kind) & TextTranslation.target_id.in_(list(found))
        for kind, found in by_kind.items()
        if found
    ]
    translations = (
        list(
            db.session.scalars(
                select(TextTranslation)
                .where(TextTranslation.status.in_(("proposed", "verified")), or_(*conditions))
                .order_by(TextTranslation.proposed_at, TextTranslation.id)
                .options(db.selectinload(TextTranslation.proposed_by))
            )
        )
        if conditions
        else []
    )
    proposed = [
        (t, KINDS[t.target_kind], by_kind[t.target_kind][t.target_id]) for t in translations if t.status == "proposed"
    ]
    verified: set[tuple[str, int, str]] = set()
    for t in translations:
        if t.status == "verified":
            target = by_kind[t.target_kind][t.target_id]
            if rules.is_current(t.source_fingerprint, *KINDS[t.target_kind].words(target)):
                verified.add((t.target_kind, t.target_id, t.language))
    announced = {w.id: rules.announced_languages(w.languages_spoken, LANGUAGES) for w in workshops}
    missing = []
    for kind_name, target, workshop_id in [("workshop", w, w.id) for w in workshops] + [
        ("proposal", p, p.workshop_id) for p in proposals
    ]:
        lacking = [
            code
            for code in announced[workshop_id]
            if code != target.language and (kind_name, target.id, code) not in verified
        ]
        if lacking:
            missing.append(Waiting(KINDS[kind_name], target, lacking))
    return Queue(proposed, missing)
