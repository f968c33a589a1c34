"""The kinds of texts people may translate: how to load one, its council, its words, its page.

Another kind (comments…) registers with `register(TranslatableKind(...))`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l

from consultation.extensions import db
from consultation.opinions.models import Opinion
from consultation.proposals.models import VISIBLE_STATUSES, Proposal
from consultation.workshops.models import Workshop


@dataclass(frozen=True)
class TranslatableKind:
    name: str
    label: Any  # lazy string: "A proposal"
    model: type
    title_attr: str
    body_attr: str
    council_id: Callable[[Any], int | None]
    is_public: Callable[[Any], bool]
    url: Callable[[Any], str]

    def load(self, target_id: int) -> Any:
        return db.session.get(self.model, target_id)

    def words(self, target: Any) -> tuple[str, str]:
        return getattr(target, self.title_attr) or "", getattr(target, self.body_attr) or ""


KINDS: dict[str, TranslatableKind] = {}


def register(kind: TranslatableKind) -> None:
    KINDS[kind.name] = kind


def _proposal_workshop(proposal: Proposal) -> Workshop | None:
    return proposal.workshop if proposal.workshop_id is not None else None


def _proposal_council(proposal: Proposal) -> int | None:
    workshop = _proposal_workshop(proposal)
    if workshop is not None:
        return workshop.council_id
    consultation = getattr(proposal, "consultation", None)  # proposals of an open consultation
    return consultation.council_id if consultation is not None else None


def _proposal_public(proposal: Proposal) -> bool:
    workshop = _proposal_workshop(proposal)
    visible = proposal.status in VISIBLE_STATUSES and proposal.hidden_at is None  # hidden: by moderators
    return visible and (workshop is None or workshop.is_published)


def _proposal_url(proposal: Proposal) -> str:
    workshop = _proposal_workshop(proposal)
    if workshop is None:
        return url_for("main.index")
    return url_for(
        "workshops.show", slug=workshop.council.slug, workshop_id=workshop.id, _anchor=f"proposal-{proposal.id}"
    )


register(
    TranslatableKind(
        name="proposal",
        label=_l("A proposal"),
        model=Proposal,
        title_attr="title",
        body_attr="body",
        council_id=_proposal_council,
        is_public=_proposal_public,
        url=_proposal_url,
    )
)
register(
    TranslatableKind(
        name="workshop",
        label=_l("A workshop's presentation"),
        model=Workshop,
        title_attr="title",
        body_attr="description",
        council_id=lambda workshop: workshop.council_id,
        is_public=lambda workshop: workshop.is_published,
        url=lambda workshop: url_for("workshops.show", slug=workshop.council.slug, workshop_id=workshop.id),
    )
)

register(
    TranslatableKind(
        name="opinion",
        label=_l("An adopted opinion"),
        model=Opinion,
        title_attr="title",
        body_attr="translatable_text",
        council_id=lambda opinion: opinion.council_id,
        is_public=lambda opinion: opinion.is_public,
        url=lambda opinion: url_for("opinions.show", slug=opinion.council.slug, opinion_id=opinion.id),
    )
)
