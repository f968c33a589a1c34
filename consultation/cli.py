"""Command-line interface: accounts, demo data, opinion export, translations."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import click
from babel.messages.frontend import CommandLineInterface
from flask import Flask
from flask.cli import AppGroup

from consultation.errors import DomainError
from consultation.extensions import db
from consultation.i18n import LANGUAGES, ROOT, TRANSLATIONS_DIR, compile_catalogs
from consultation.permissions import Role

users_cli = AppGroup("users", help="Manage accounts.")
opinions_cli = AppGroup("opinions", help="Work with the councils' opinions.")
i18n_cli = AppGroup("i18n", help="Extract, update, compile and check the translation catalogs.")

POT_FILE = TRANSLATIONS_DIR / "messages.pot"


@users_cli.command("create")
@click.argument("email")
@click.option("--password", required=True, help="At least 10 characters.")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--council", "council_slug", help="The council's identifier (slug) for a per-council role.")
@click.option("--name", "display_name", help="Name shown to others (default: the part before @).")
def create_user(email: str, password: str, role: str, council_slug: str | None, display_name: str | None) -> None:
    """Create an account (or add a role to an existing one)."""
    from consultation.accounts.services import create_account
    from consultation.db import utcnow

    if len(password) < 10:
        raise click.UsageError("the password must have at least 10 characters")
    from consultation.accounts.passwords import is_common

    if is_common(password):
        raise click.UsageError("this password is among the most common ones: choose another")
    if "@" not in email:
        raise click.UsageError("give an email address")
    try:
        user = create_account(
            email, password, role=Role(role), council_slug=council_slug, display_name=display_name, now=utcnow()
        )
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    where = f"in council {council_slug}" if council_slug else "on the platform"
    click.echo(f"account {user.email} (id {user.id}) has the role {role} {where}")


@opinions_cli.command("export")
@click.argument("opinion_id", type=int)
@click.option("--lang", default="fr", show_default=True, type=click.Choice(sorted(LANGUAGES)))
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path))
def export_opinion(opinion_id: int, lang: str, output: Path) -> None:
    """Write an opinion's PDF (PDF/UA-1) to a file."""
    from consultation.opinions.models import Opinion
    from consultation.opinions.pdf import render_opinion_pdf

    opinion = db.session.get(Opinion, opinion_id)
    if opinion is None:
        raise click.ClickException(f"no opinion has the id {opinion_id}")
    output.write_bytes(render_opinion_pdf(opinion, lang))
    click.echo(f"wrote {output} ({output.stat().st_size} bytes, {lang})")


def _pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


@i18n_cli.command("extract")
def extract() -> None:
    """Extract the messages of the code and templates into translations/messages.pot."""
    # From the project root, so that the catalogs' source references are relative paths.
    with contextlib.chdir(ROOT):
        _pybabel(
            "extract",
            "-F",
            str(TRANSLATIONS_DIR / "babel.cfg"),
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-k",
            "lazy_ngettext:1,2",
            "-k",
            "lazy_pgettext:1c,2",
            "--add-comments=TRANSLATORS:",
            "--sort-by-file",
            "--no-wrap",
            "--project=consultation",
            "-o",
            str(POT_FILE),
            ".",
        )


@i18n_cli.command("update")
def update() -> None:
    """Merge the template into every catalog (run extract first)."""
    # No fuzzy matching: a guess from a similar message is worse than an honest empty one.
    _pybabel(
        "update",
        "-i",
        str(POT_FILE),
        "-d",
        str(TRANSLATIONS_DIR),
        "--no-wrap",
        "--ignore-obsolete",
        "--no-fuzzy-matching",
    )


@i18n_cli.command("init")
@click.argument("language")
def init(language: str) -> None:
    """Start a catalog for a new language (see README: adding a language)."""
    _pybabel("init", "-i", str(POT_FILE), "-d", str(TRANSLATIONS_DIR), "-l", language, "--no-wrap")


@i18n_cli.command("compile")
def compile_() -> None:
    """Compile every catalog into its .mo file."""
    for code in compile_catalogs(TRANSLATIONS_DIR, force=True):
        click.echo(f"compiled {code}")


@i18n_cli.command("check")
def check() -> None:
    """Fail when a shipped catalog misses a message or holds a fuzzy or untranslated one."""
    from consultation.i18n_check import catalog_problems

    problems = catalog_problems()
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        sys.exit(1)
    click.echo(f"{len(LANGUAGES)} catalogs complete")


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already holds a council.")
def demo(if_empty: bool) -> None:
    """Load a realistic demo territory (councils, workshops, proposals, supports, opinions)."""
    from consultation.demo import DEMO_PASSWORD, database_is_empty, load_demo

    if not database_is_empty():
        click.echo("the database already holds data: demo not loaded")
        if not if_empty:
            sys.exit(1)
        return
    summary = load_demo()
    db.session.commit()
    click.echo(summary)
    click.echo(f"demo accounts use the password: {DEMO_PASSWORD}")


audit_cli = AppGroup("audit", help="The audit log of sensitive actions.")


@audit_cli.command("verify")
def verify_audit() -> None:
    """Check the audit log's hash chain; exit 1 on any sign of tampering."""
    from consultation.audit.services import verify

    count, problems = verify()
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        sys.exit(1)
    click.echo(f"audit log intact: {count} entries")


@click.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(target: Path) -> None:
    """Copy the SQLite database to TARGET while the app runs (PostgreSQL: use pg_dump)."""
    from flask import current_app

    from consultation.backup import backup

    try:
        pages = backup(current_app.config["SQLALCHEMY_DATABASE_URI"], target)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"backup written to {target} ({pages} pages)")


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(source: Path, yes: bool) -> None:
    """Replace the SQLite database's content with the backup SOURCE."""
    from flask import current_app

    from consultation.backup import restore

    if not yes:
        click.confirm("This replaces every piece of data with the backup's. Continue?", abort=True)
    db.session.remove()
    db.engine.dispose()
    try:
        restore(current_app.config["SQLALCHEMY_DATABASE_URI"], source)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"database restored from {source}")


def register_commands(app: Flask) -> None:
    from consultation.notifications.cli import notifications_cli
    from consultation.voting.cli import votes_cli

    for command in (users_cli, opinions_cli, votes_cli, i18n_cli, audit_cli, backup_command, restore_command, demo):
        app.cli.add_command(command)
    app.cli.add_command(notifications_cli)
    from consultation.privacy.cli import privacy_cli

    app.cli.add_command(privacy_cli)
    from consultation.admin.cli import members_cli

    app.cli.add_command(members_cli)
