"""`flask privacy purge`: erase the personal data that councils' retention periods no longer allow."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask.cli import AppGroup

from consultation.extensions import db

privacy_cli = AppGroup("privacy", help="Personal data: retention.")


def _moment(value: str | None) -> datetime:
    from consultation.db import utcnow

    if not value:
        return utcnow()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("give a date like 2026-11-28 or a moment like 2026-11-28T10:00:00+00:00") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@privacy_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Count what would be erased; change nothing.")
@click.option("--now", "now_text", metavar="ISO", help="Act as if it were this moment (UTC when no offset is given).")
def purge_command(dry_run: bool, now_text: str | None) -> None:
    """For each council with a retention period, anonymise the personal data of its workshops that ended
    before the period: names of participants and on sign-in sheets, registrations. Safe to run again."""
    from consultation.privacy import rules, services

    now = _moment(now_text)
    report = services.purge(now=now, dry_run=dry_run)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    per_council = {entry.slug: (entry.retention_months, entry.cutoff, entry.counts) for entry in report}
    for line in rules.report_lines(per_council, dry_run=dry_run, now=now):
        click.echo(line)
