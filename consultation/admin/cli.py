"""`flask members import FILE.csv --council SLUG [--dry-run]`: invite a council's members from a CSV file."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from consultation.extensions import db

members_cli = AppGroup("members", help="Manage the councils' members.")


@members_cli.command("import")
@click.argument("path", metavar="FILE.csv", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--council", "council_slug", required=True, help="The council's identifier (slug).")
@click.option("--dry-run", is_flag=True, help="Check the file and count what would change; write nothing.")
def import_command(path: Path, council_slug: str, dry_run: bool) -> None:
    """Invite members from FILE.csv (columns email, display_name, role, and optionally language).

    Every line is checked first; if any is rejected, nothing is imported. Missing accounts are created
    without a usable password: each person chooses one with "Forgot your password?"."""
    from consultation.admin.invitations import check_file, import_invitations
    from consultation.councils.models import Council
    from consultation.db import utcnow
    from consultation.i18n import force_locale

    council = db.session.scalar(select(Council).where(func.lower(Council.slug) == council_slug.strip().lower()))
    if council is None:
        raise click.ClickException(f"no council has the identifier {council_slug!r}")
    with force_locale("en"):
        checked = check_file(path.read_bytes())
        if checked.rejections:
            click.echo(f"{len(checked.rejections)} line(s) rejected: nothing was imported.", err=True)
            for rejection in checked.rejections:
                where = f"line {rejection.line}" if rejection.line else "file"
                value = f" {rejection.value!r}" if rejection.value else ""
                click.echo(f"  {where}:{value} {rejection.reason}", err=True)
            db.session.rollback()
            sys.exit(1)
    try:
        with click.progressbar(checked.invitations, label="Importing", file=sys.stderr) as bar:
            # The bar is the iterable the import walks through: it advances with each line written.
            summary = import_invitations(
                checked.invitations, council, actor_id=None, now=utcnow(), progress=lambda _lines: iter(bar)
            )
    except SQLAlchemyError as error:
        db.session.rollback()
        raise click.ClickException(f"nothing was imported: {error.__class__.__name__}") from None
    if dry_run:
        db.session.rollback()
        click.echo(f"dry run, nothing written: {summary.lines} line(s) are valid for council {council.slug}.")
        click.echo(f"accounts that would be created: {summary.accounts_created}")
        click.echo(f"roles that would be given: {summary.memberships_added} (already held: {summary.already_members})")
        return
    db.session.commit()
    click.echo(f"imported {summary.lines} line(s) into council {council.slug}.")
    click.echo(f"accounts created: {summary.accounts_created}")
    click.echo(f"roles given: {summary.memberships_added} (already held: {summary.already_members})")
    if summary.accounts_created:
        click.echo(
            "New accounts have no usable password: each person chooses one with “Forgot your password?” "
            "on the login page (/account/password/forgot), with the email address of the file."
        )
