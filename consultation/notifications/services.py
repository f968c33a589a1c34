"""Create notifications in bulk, list a person's, mark them read."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select, update

from consultation.extensions import db
from consultation.notifications import emails
from consultation.notifications.models import Notification

PAGE_SIZE = 50


def notify(user_ids: Iterable[int], *, kind: str, params: dict, now: datetime, link: str = "") -> int:
    """One notification per distinct person, in one statement; people who chose immediate mail for
    this kind get it once the transaction commits (the daily digest takes the others)."""
    ids = sorted(set(user_ids))
    by_mail = emails.immediate_recipients(ids, kind)
    mailed = {person.user_id for person in by_mail}
    rows = [
        {
            "user_id": user_id,
            "kind": kind,
            "params": params,
            "link": link,
            "created_at": now,
            "emailed_at": now if user_id in mailed else None,
        }
        for user_id in ids
    ]
    if rows:
        db.session.execute(Notification.__table__.insert(), rows)
        emails.mail_after_commit(by_mail, kind=kind, params=params, link=link)
    return len(rows)


def unread_count(user_id: int) -> int:
    return (
        db.session.scalar(
            select(func.count(Notification.id)).where(Notification.user_id == user_id, Notification.read_at.is_(None))
        )
        or 0
    )


def latest(user_id: int) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user_id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(PAGE_SIZE)
        )
    )


def mark_all_read(user_id: int, *, now: datetime) -> None:
    db.session.execute(
        update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None)).values(read_at=now)
    )
