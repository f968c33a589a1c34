"""The kinds of content people may report and moderators may hide: how to load one, its council, its
words for the queue, its author, how to hide and restore it, and where it is shown.

Registering another kind (comments of an open consultation, say) takes one call, at import time of a
module the application loads (the kind's own models or views module, or the bottom of this file):

    register(ModeratedKind(
        name="comment", label=_l("A comment"), model=ProposalComment, title_attr="",
        council_id=lambda comment: comment.proposal.council_id,
        url=lambda comment: url_for("consultations.proposal", ..., _anchor=f"comment-{comment.id}"),
    ))

By default hiding sets the model's `hidden_at` and `hidden_reason` columns (add them, nullable, in a
migration) and restoring clears them; give `hide=` and `restore=` to do otherwise. The lists and pages
of the kind must leave out what is hidden (`Model.hidden_at.is_(None)`); everything else (reports,
queue, notifications to the author, audit, each person's count of hidden contributions) comes from
consultation.moderation.services. The report link is `url_for("moderation.report", kind=..., target_id=...)`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l

from consultation.accounts.models import User
from consultation.extensions import db
from consultation.proposals.models import VISIBLE_STATUSES, Proposal

EXCERPT_LENGTH = 280


def _hide_columns(target: Any, reason: str, now: datetime) -> None:
    target.hidden_at, target.hidden_reason = now, reason


def _restore_columns(target: Any, now: datetime) -> None:
    target.hidden_at, target.hidden_reason = None, None


@dataclass(frozen=True)
class ModeratedKind:
    name: str  # in URLs and in the reports table: a short, stable word
    label: Any  # lazy string shown in the queue: "A proposal"
    model: type
    council_id: Callable[[Any], int | None]  # the council whose moderators handle it
    url: Callable[[Any], str]  # where the content is shown (called in a request)
    title_attr: str = "title"  # "" for content without a title
    body_attr: str = "body"
    author_attr: str = "author_id"  # the account told when the content is hidden or restored
    author_name: Callable[[Any], str] | None = None  # default: the author account's display name
    is_public: Callable[[Any], bool] = lambda target: True  # may readers see it (and so report it)?
    hide: Callable[[Any, str, datetime], None] = _hide_columns
    restore: Callable[[Any, datetime], None] = _restore_columns
    is_hidden: Callable[[Any], bool] = lambda target: getattr(target, "hidden_at", None) is not None

    def load(self, target_id: int) -> Any:
        return db.session.get(self.model, target_id)

    def title(self, target: Any) -> str:
        return str(getattr(target, self.title_attr) or "") if self.title_attr else ""

    def excerpt(self, target: Any) -> str:
        body = " ".join(str(getattr(target, self.body_attr) or "").split())
        return body if len(body) <= EXCERPT_LENGTH else body[: EXCERPT_LENGTH - 1].rstrip() + "…"

    def author_id(self, target: Any) -> int | None:
        return getattr(target, self.author_attr, None)

    def author_label(self, target: Any) -> str:
        if self.author_name is not None:
            return self.author_name(target)
        author_id = self.author_id(target)
        author = db.session.get(User, author_id) if author_id is not None else None
        return author.display_name if author is not None else ""


KINDS: dict[str, ModeratedKind] = {}


def register(kind: ModeratedKind) -> None:
    KINDS[kind.name] = kind


def kind_named(name: str) -> ModeratedKind | None:
    return KINDS.get(name)


# ---------------------------------------------------------------------------------- proposals


def _proposal_home(proposal: Proposal):
    if proposal.workshop_id is not None:
        return proposal.workshop
    return getattr(proposal, "consultation", None)  # a proposal of an open consultation


def _proposal_council(proposal: Proposal) -> int | None:
    home = _proposal_home(proposal)
    return home.council_id if home is not None else None


def _proposal_public(proposal: Proposal) -> bool:
    home = _proposal_home(proposal)
    return proposal.status in VISIBLE_STATUSES and home is not None and bool(getattr(home, "is_published", True))


def _proposal_url(proposal: Proposal) -> str:
    home = _proposal_home(proposal)
    if home is None:
        return url_for("main.index")
    if proposal.workshop_id is not None:
        return url_for("workshops.show", slug=home.council.slug, workshop_id=home.id, _anchor=f"proposal-{proposal.id}")
    if "consultations.proposal" in current_app.view_functions:
        return url_for(
            "consultations.proposal", slug=home.council.slug, consultation_id=home.id, proposal_id=proposal.id
        )
    return url_for("councils.show", slug=home.council.slug)


register(
    ModeratedKind(
        name="proposal",
        label=_l("A proposal"),
        model=Proposal,
        council_id=_proposal_council,
        url=_proposal_url,
        author_name=lambda proposal: proposal.author_name,
        is_public=_proposal_public,
    )
)
