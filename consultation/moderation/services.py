"""Moderation actions: report content, read a council's queue, hide, restore, dismiss reports, and
block or unblock an account. Each action checks its rule, changes the rows, records itself in the audit
log and tells the author; the caller commits."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from consultation.accounts.models import User
from consultation.audit import services as audit
from consultation.councils.models import Council
from consultation.errors import Conflict, NotAllowed, NotFound
from consultation.extensions import db
from consultation.moderation.models import REASONS, Hiding, Report
from consultation.moderation.registry import KINDS, ModeratedKind, kind_named
from consultation.notifications.services import notify
from consultation.permissions import Actor, can_block_accounts, can_moderate, can_report

DETAILS_MAX = 1000
DECISION_MAX = 1000


def _kind(name: str) -> ModeratedKind:
    kind = kind_named(name)
    if kind is None:
        raise NotFound()
    return kind


def reportable(kind_name: str, target_id: int) -> tuple[ModeratedKind, Any]:
    """The content a reader may report: it exists, readers can see it, and it is not hidden already."""
    kind = _kind(kind_name)
    target = kind.load(target_id)
    if target is None or kind.is_hidden(target) or not kind.is_public(target) or kind.council_id(target) is None:
        raise NotFound()
    return kind, target


def report_content(
    user: User, kind_name: str, target_id: int, *, reason: str, details: str, now: datetime
) -> tuple[Report, bool]:
    """Report content to its council's moderators; a second report of the same content by the same
    person while the first is open adds nothing. Returns the report and whether it is new."""
    if not can_report(user.actor) or not user.is_active:
        raise NotAllowed()
    kind, target = reportable(kind_name, target_id)
    if reason not in REASONS:
        raise Conflict(_l("Choose why you report this content."))
    details = details.strip()
    if reason == "other" and not details:
        raise Conflict(_l("Say in a few words what is wrong."))
    if len(details) > DETAILS_MAX:
        raise Conflict(_l("Use at most %(max)d characters.", max=DETAILS_MAX))
    existing = db.session.scalar(
        select(Report).where(
            Report.target_kind == kind.name,
            Report.target_id == target_id,
            Report.reporter_id == user.id,
            Report.closed_at.is_(None),
        )
    )
    if existing is not None:
        return existing, False
    report = Report(
        target_kind=kind.name,
        target_id=target_id,
        council_id=kind.council_id(target),
        reporter_id=user.id,
        reason=reason,
        details=details,
        created_at=now,
    )
    db.session.add(report)
    db.session.flush()
    audit.record(
        "moderation.reported",
        actor_id=user.id,
        details={"kind": kind.name, "id": target_id, "council": report.council_id, "reason": reason},
        now=now,
    )
    return report, True


# ---------------------------------------------------------------------------------- the queue


@dataclass(frozen=True)
class QueueItem:
    """One reported piece of content and its open reports, newest first."""

    kind: ModeratedKind
    target_id: int
    target: Any  # None when the content no longer exists
    title: str
    excerpt: str
    author_id: int | None
    author_name: str
    author_hidden: int  # the author's hidden contributions, on the whole platform
    is_hidden: bool
    reports: list[Report]
    reasons: list[tuple[str, int]] = field(default_factory=list)  # each reason and how many said it

    @property
    def key(self) -> str:
        return f"{self.kind.name}-{self.target_id}"

    @property
    def latest_at(self) -> datetime:
        return self.reports[0].created_at


@dataclass(frozen=True)
class HiddenItem:
    hiding: Hiding
    kind: ModeratedKind
    target: Any
    title: str
    excerpt: str
    author_name: str
    author_hidden: int

    @property
    def key(self) -> str:
        return f"{self.kind.name}-{self.hiding.target_id}"


@dataclass(frozen=True)
class Author:
    user: User
    hidden: int


@dataclass(frozen=True)
class Queue:
    items: list[QueueItem]
    hidden: list[HiddenItem]
    authors: list[Author]  # authors of the council's hidden content, most hidden first


def hidden_counts(user_ids: set[int]) -> dict[int, int]:
    """How many contributions of each person are hidden now, in every council."""
    if not user_ids:
        return {}
    rows = db.session.execute(
        select(Hiding.author_id, func.count(Hiding.id))
        .where(Hiding.author_id.in_(sorted(user_ids)), Hiding.restored_at.is_(None))
        .group_by(Hiding.author_id)
    )
    return {author_id: int(count) for author_id, count in rows}


def _targets(pairs: set[tuple[str, int]]) -> dict[tuple[str, int], Any]:
    """Load every target in one query per kind."""
    by_kind: dict[str, list[int]] = {}
    for kind_name, target_id in pairs:
        by_kind.setdefault(kind_name, []).append(target_id)
    loaded: dict[tuple[str, int], Any] = {}
    for kind_name, ids in by_kind.items():
        kind = KINDS.get(kind_name)
        if kind is None:
            continue
        for target in db.session.scalars(select(kind.model).where(kind.model.id.in_(ids))):
            loaded[(kind_name, target.id)] = target
    return loaded


def _check_moderator(actor: Actor, council: Council) -> None:
    if not can_moderate(actor, council.id):
        raise NotAllowed(_l("Only the facilitators of this council can moderate its content."))


def queue(actor: Actor, council: Council) -> Queue:
    """The council's open reports grouped by content (most recently reported first), and its hidden content."""
    _check_moderator(actor, council)
    reports = list(
        db.session.scalars(
            select(Report)
            .where(Report.council_id == council.id, Report.closed_at.is_(None))
            .order_by(Report.created_at.desc(), Report.id.desc())
        )
    )
    hidings = list(
        db.session.scalars(
            select(Hiding)
            .where(Hiding.council_id == council.id, Hiding.restored_at.is_(None))
            .order_by(Hiding.hidden_at.desc(), Hiding.id.desc())
        )
    )
    targets = _targets(
        {(r.target_kind, r.target_id) for r in reports} | {(h.target_kind, h.target_id) for h in hidings}
    )
    groups: dict[tuple[str, int], list[Report]] = {}
    for report in reports:
        if report.target_kind in KINDS:
            groups.setdefault((report.target_kind, report.target_id), []).append(report)
    author_of = {key: KINDS[key[0]].author_id(target) for key, target in targets.items()}
    authors = {a for a in author_of.values() if a is not None} | {h.author_id for h in hidings if h.author_id}
    counts = hidden_counts(authors)
    items = []
    for (kind_name, target_id), group in groups.items():
        kind, target = KINDS[kind_name], targets.get((kind_name, target_id))
        author_id = author_of.get((kind_name, target_id))
        items.append(
            QueueItem(
                kind=kind,
                target_id=target_id,
                target=target,
                title=kind.title(target) if target is not None else "",
                excerpt=kind.excerpt(target) if target is not None else "",
                author_id=author_id,
                author_name=kind.author_label(target) if target is not None else "",
                author_hidden=counts.get(author_id, 0) if author_id is not None else 0,
                is_hidden=target is not None and kind.is_hidden(target),
                reports=group,
                reasons=Counter(r.reason for r in group).most_common(),
            )
        )
    hidden = []
    for hiding in hidings:
        kind, target = KINDS.get(hiding.target_kind), targets.get((hiding.target_kind, hiding.target_id))
        if kind is None or target is None:
            continue
        hidden.append(
            HiddenItem(
                hiding=hiding,
                kind=kind,
                target=target,
                title=kind.title(target),
                excerpt=kind.excerpt(target),
                author_name=kind.author_label(target),
                author_hidden=counts.get(hiding.author_id, 0) if hiding.author_id is not None else 0,
            )
        )
    author_ids = {h.author_id for h in hidings if h.author_id is not None}
    people = db.session.scalars(select(User).where(User.id.in_(sorted(author_ids)))) if author_ids else []
    authors = sorted(
        (Author(person, counts.get(person.id, 0)) for person in people),
        key=lambda a: (-a.hidden, a.user.display_name.casefold()),
    )
    return Queue(items, hidden, authors)


def open_report_count(council_id: int) -> int:
    """How many pieces of content of the council wait for a moderator's look."""
    reported = (
        select(Report.target_kind, Report.target_id)
        .where(Report.council_id == council_id, Report.closed_at.is_(None))
        .distinct()
        .subquery()
    )
    return int(db.session.scalar(select(func.count()).select_from(reported)) or 0)


# ---------------------------------------------------------------------------------- decisions


def moderated_target(user: User, council: Council, kind_name: str, target_id: int) -> tuple[ModeratedKind, Any]:
    _check_moderator(user.actor, council)
    kind = _kind(kind_name)
    target = kind.load(target_id)
    if target is None or kind.council_id(target) != council.id:
        raise NotFound()
    return kind, target


def _close_reports(kind: ModeratedKind, target_id: int, user: User, outcome: str, now: datetime) -> int:
    open_reports = list(
        db.session.scalars(
            select(Report).where(
                Report.target_kind == kind.name, Report.target_id == target_id, Report.closed_at.is_(None)
            )
        )
    )
    for report in open_reports:
        report.closed_at, report.closed_by_id, report.outcome = now, user.id, outcome
    return len(open_reports)


def _decision_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise Conflict(_l("Give the reason: the author will read it."))
    if len(reason) > DECISION_MAX:
        raise Conflict(_l("Use at most %(max)d characters.", max=DECISION_MAX))
    return reason


def _tell_author(kind: ModeratedKind, target: Any, user: User, *, what: str, reason: str, now: datetime, link: str):
    author_id = kind.author_id(target)
    if author_id is None:
        return
    title = kind.title(target) or kind.excerpt(target)[:80]
    notify([author_id], kind=what, params={"kind": kind.name, "title": title, "reason": reason}, now=now, link=link)


def hide_content(
    user: User, council: Council, kind_name: str, target_id: int, *, reason: str, now: datetime, link: str = ""
) -> Hiding:
    """Hide content from every list and page, with a reason the author reads; its open reports are closed."""
    kind, target = moderated_target(user, council, kind_name, target_id)
    reason = _decision_reason(reason)
    if kind.is_hidden(target):
        raise Conflict(_l("This content is already hidden."))
    kind.hide(target, reason, now)
    hiding = Hiding(
        target_kind=kind.name,
        target_id=target_id,
        council_id=council.id,
        author_id=kind.author_id(target),
        reason=reason,
        hidden_at=now,
        hidden_by_id=user.id,
    )
    db.session.add(hiding)
    closed = _close_reports(kind, target_id, user, "hidden", now)
    db.session.flush()
    audit.record(
        "moderation.hidden",
        actor_id=user.id,
        details={"kind": kind.name, "id": target_id, "council": council.id, "reason": reason, "reports": closed},
        now=now,
    )
    _tell_author(kind, target, user, what="content_hidden", reason=reason, now=now, link=link)
    return hiding


def restore_content(
    user: User, council: Council, kind_name: str, target_id: int, *, reason: str, now: datetime, link: str = ""
) -> Any:
    """Show hidden content again, with a reason the author reads."""
    kind, target = moderated_target(user, council, kind_name, target_id)
    reason = _decision_reason(reason)
    if not kind.is_hidden(target):
        raise Conflict(_l("This content is not hidden."))
    kind.restore(target, now)
    for hiding in db.session.scalars(
        select(Hiding).where(
            Hiding.target_kind == kind.name, Hiding.target_id == target_id, Hiding.restored_at.is_(None)
        )
    ):
        hiding.restored_at, hiding.restored_by_id, hiding.restore_reason = now, user.id, reason
    db.session.flush()
    audit.record(
        "moderation.restored",
        actor_id=user.id,
        details={"kind": kind.name, "id": target_id, "council": council.id, "reason": reason},
        now=now,
    )
    _tell_author(kind, target, user, what="content_restored", reason=reason, now=now, link=link)
    return target


def dismiss_reports(user: User, council: Council, kind_name: str, target_id: int, *, now: datetime) -> int:
    """The content stays as it is: its open reports are closed. Works for content that no longer exists."""
    _check_moderator(user.actor, council)
    kind = _kind(kind_name)
    owned = db.session.scalar(
        select(func.count(Report.id)).where(
            Report.target_kind == kind.name,
            Report.target_id == target_id,
            Report.council_id == council.id,
            Report.closed_at.is_(None),
        )
    )
    if not owned:
        raise Conflict(_l("These reports were already handled."))
    closed = _close_reports(kind, target_id, user, "dismissed", now)
    db.session.flush()
    audit.record(
        "moderation.dismissed",
        actor_id=user.id,
        details={"kind": kind.name, "id": target_id, "council": council.id, "reports": closed},
        now=now,
    )
    return closed


# ---------------------------------------------------------------------------------- blocks


def account_for_block(actor: Actor, user_id: int) -> User:
    if not can_block_accounts(actor):
        raise NotAllowed(_l("Only the platform's administrators can block an account."))
    user = db.session.get(User, user_id)
    if user is None or user.is_deleted:
        raise NotFound()
    return user


def block_account(admin: User, user: User, *, reason: str, now: datetime, link: str = "") -> User:
    """The account can no longer log in; every open session of it ends; the person is told why by mail."""
    if not can_block_accounts(admin.actor):
        raise NotAllowed(_l("Only the platform's administrators can block an account."))
    if user.id == admin.id:
        raise Conflict(_l("You cannot block your own account."))
    if user.blocked_at is not None:
        raise Conflict(_l("This account is already blocked."))
    reason = _decision_reason(reason)
    user.blocked_at, user.blocked_reason = now, reason
    user.session_epoch = (user.session_epoch or 0) + 1  # every session and remember-me cookie stops working
    db.session.flush()
    audit.record("account.blocked", actor_id=admin.id, details={"user": user.id, "reason": reason}, now=now)
    notify([user.id], kind="account_blocked", params={"reason": reason}, now=now, link=link)
    return user


def unblock_account(admin: User, user: User, *, reason: str, now: datetime, link: str = "") -> User:
    if not can_block_accounts(admin.actor):
        raise NotAllowed(_l("Only the platform's administrators can block an account."))
    if user.blocked_at is None:
        raise Conflict(_l("This account is not blocked."))
    reason = _decision_reason(reason)
    user.blocked_at, user.blocked_reason = None, None
    db.session.flush()
    audit.record("account.unblocked", actor_id=admin.id, details={"user": user.id, "reason": reason}, now=now)
    notify([user.id], kind="account_unblocked", params={"reason": reason}, now=now, link=link)
    return user


def blocked_accounts() -> list[User]:
    return list(db.session.scalars(select(User).where(User.blocked_at.is_not(None)).order_by(User.blocked_at.desc())))


def hidden_history(user_id: int) -> list[Hiding]:
    """Every hiding of a person's contributions, newest first (what an administrator reads before blocking)."""
    return list(
        db.session.scalars(
            select(Hiding).where(Hiding.author_id == user_id).order_by(Hiding.hidden_at.desc(), Hiding.id.desc())
        )
    )
