"""Notifications by mail: one mail each for people who chose it, or one daily digest.

Only confirmed addresses of active accounts get mail, and only for the kinds the person did not
turn off. `Notification.emailed_at` records that a notification left by mail, so that the digest
never sends it twice, even when two digests run at once."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from flask_babel import lazy_ngettext
from sqlalchemy import exists, select
from werkzeug.routing import BuildError

from consultation import mail
from consultation.accounts.models import User
from consultation.extensions import db
from consultation.i18n import force_locale
from consultation.notifications.labels import describe, link_target
from consultation.notifications.models import Notification

log = logging.getLogger(__name__)

IMMEDIATE = "immediate"
DAILY = "daily"
DELIVERIES = (IMMEDIATE, DAILY)
DIGEST_PERIOD = timedelta(days=1)


@dataclass(frozen=True)
class Recipient:
    user_id: int
    email: str
    locale: str | None
    muted: frozenset[str]


def _recipients(*conditions) -> list[Recipient]:
    rows = db.session.execute(
        select(User.id, User.email, User.locale, User.email_muted_kinds).where(
            User.email_confirmed_at.is_not(None),
            User.is_active_account.is_(True),
            User.deleted_at.is_(None),
            *conditions,
        )
    )
    return [Recipient(row.id, row.email, row.locale, frozenset(row.email_muted_kinds or ())) for row in rows]


def immediate_recipients(user_ids: list[int], kind: str) -> list[Recipient]:
    """Who gets this notification by mail right away."""
    if not user_ids:
        return []
    people = _recipients(User.id.in_(user_ids), User.email_delivery == IMMEDIATE)
    return [person for person in people if kind not in person.muted]


def mail_after_commit(recipients: list[Recipient], *, kind: str, params: dict, link: str) -> None:
    for person in recipients:
        mail.send_after_commit(partial(_notification_mail, person, kind, dict(params), link))


def _absolute_link(kind: str, params: dict, link: str) -> str:
    target = link_target(kind, params, link)
    if isinstance(target, tuple):
        try:
            return mail.external_url(target[0], **target[1])
        except BuildError:
            return ""
    return mail.external_path(target) if target else ""


def _notification_mail(person: Recipient, kind: str, params: dict, link: str) -> mail.Mail:
    code = mail.reader_language(person.locale)
    with force_locale(code):
        sentence = describe(kind, params)
    return mail.render(
        "notification",
        to=person.email,
        locale=code,
        subject=sentence,
        sentence=sentence,
        url=_absolute_link(kind, params, link),
        settings_url=mail.external_url("accounts.profile"),
    )


@dataclass(frozen=True)
class DigestSummary:
    people: int
    notifications: int
    failures: int


def send_digests(*, now: datetime, period: timedelta = DIGEST_PERIOD) -> DigestSummary:
    """One mail per person who chose the digest, with their notifications of the period not mailed yet.

    Each person's notifications are claimed (emailed_at set, only where still empty) before the mail
    leaves, and the claim is committed only once the mail is sent: a failed mail leaves them for the
    next digest, and a digest running at the same time finds nothing left to claim."""
    since = now - period
    unsent = exists().where(
        Notification.user_id == User.id,
        Notification.emailed_at.is_(None),
        Notification.created_at > since,
        Notification.created_at <= now,
    )
    people = _recipients(User.email_delivery == DAILY, unsent)
    db.session.rollback()  # each person gets a transaction of their own
    sent = mailed = failures = 0
    table = Notification.__table__
    for person in people:
        claim = (
            table.update()
            .where(
                table.c.user_id == person.user_id,
                table.c.emailed_at.is_(None),
                table.c.created_at > since,
                table.c.created_at <= now,
            )
            .values(emailed_at=now)
            .returning(table.c.id, table.c.kind, table.c.params, table.c.link, table.c.created_at)
        )
        if person.muted:
            claim = claim.where(table.c.kind.not_in(sorted(person.muted)))
        rows = sorted(db.session.execute(claim).all(), key=lambda row: (row.created_at, row.id))
        if not rows:
            db.session.rollback()
            continue
        try:
            message = _digest_mail(person, rows)
        except Exception:
            log.exception("could not render a digest")
            message = None
        if message is not None and mail.send(message):
            db.session.commit()
            sent += 1
            mailed += len(rows)
        else:
            db.session.rollback()
            failures += 1
    return DigestSummary(people=sent, notifications=mailed, failures=failures)


def _digest_mail(person: Recipient, rows) -> mail.Mail:
    code = mail.reader_language(person.locale)
    with force_locale(code):
        items = [
            {
                "sentence": describe(row.kind, row.params or {}),
                "url": _absolute_link(row.kind, row.params or {}, row.link),
                "created_at": row.created_at,
            }
            for row in rows
        ]
    return mail.render(
        "digest",
        to=person.email,
        locale=code,
        subject=lazy_ngettext(
            "Citizen councils: %(num)d new notification", "Citizen councils: %(num)d new notifications", len(items)
        ),
        items=items,
        settings_url=mail.external_url("accounts.profile"),
    )
