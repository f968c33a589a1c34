"""`flask notifications digest`: the daily mail of notifications, for people who chose it."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

notifications_cli = AppGroup("notifications", help="Notifications sent by mail.")


@notifications_cli.command("digest")
def digest() -> None:
    """Mail each person who chose the daily digest their notifications of the last 24 hours not mailed yet.

    Run it once a day (cron, systemd timer). Running it again sends nothing twice; a mail that
    could not be sent is retried by the next run. Exit 1 when a mail could not be sent."""
    from consultation.db import utcnow
    from consultation.notifications.emails import send_digests

    summary = send_digests(now=utcnow())
    click.echo(f"digests sent: {summary.people} (notifications: {summary.notifications})")
    if summary.failures:
        click.echo(f"{summary.failures} digests could not be sent (see the log); the next run retries them", err=True)
        sys.exit(1)
