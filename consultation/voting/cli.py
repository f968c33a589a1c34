"""`flask votes recount ID [--csv FILE]`: recompute a vote's result, from its anonymised export or the database."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from consultation.extensions import db

votes_cli = AppGroup("votes", help="Work with votes.")


def _tiers(ranking) -> str:
    return " > ".join(" = ".join(str(key) for key in tier) for tier in ranking)


@votes_cli.command("recount")
@click.argument("vote_id", type=int)
@click.option(
    "--csv",
    "csv_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The anonymised ballot export (CSV) to count; without it, the ballots in the database.",
)
def recount(vote_id: int, csv_file: Path | None) -> None:
    """Recount vote VOTE_ID; exit 1 when the result differs from the one recorded at closing."""
    from consultation.voting import services
    from consultation.voting.export import read_ballots_csv
    from consultation.voting.methods import InvalidBallot
    from consultation.voting.models import Vote

    vote = db.session.get(Vote, vote_id)
    if vote is None:
        raise click.ClickException(f"no vote has the id {vote_id}")
    if csv_file is not None:
        try:
            ballots = read_ballots_csv(vote.method, csv_file.read_text(encoding="utf-8-sig"))
        except (ValueError, UnicodeDecodeError) as error:
            raise click.ClickException(f"cannot read {csv_file}: {error}") from None
    else:
        ballots = services.all_ballots(vote)
    stored = vote.result
    electorate = stored.get("electorate") if stored else services.electorate_count(vote)
    try:
        result = services.count(vote, ballots, electorate)
    except InvalidBallot as error:
        raise click.ClickException(f"a ballot cannot be counted: {error}") from None
    labels = {o.key: o.label for o in vote.options}
    click.echo(f"vote {vote.id}: {vote.question} ({vote.method}, {result['ballots']} ballots)")
    for position, tier in enumerate(result["ranking"], start=1):
        for key in tier:
            click.echo(f"{position}. [{key}] {labels.get(key, key)}")
    click.echo(f"winners: {', '.join(result['winners']) or '-'}")
    if stored is None:
        click.echo("the vote is not closed: no recorded result to compare with")
        return
    same = (stored["ranking"], stored["winners"], stored["ballots"]) == (
        result["ranking"],
        result["winners"],
        result["ballots"],
    )
    if not same:
        click.echo(
            f"DIFFERS from the recorded result: {_tiers(stored['ranking'])}; winners "
            f"{', '.join(stored['winners']) or '-'}; {stored['ballots']} ballots",
            err=True,
        )
        sys.exit(1)
    click.echo("matches the recorded result")


@votes_cli.command("advance")
@click.option("--now", "now_text", help="ISO date and time to act as now (UTC when no offset); default: now.")
def advance(now_text: str | None) -> None:
    """Open and close the votes whose planned dates have come (run it every minute from cron or a timer)."""
    from datetime import UTC, datetime

    from consultation.db import utcnow
    from consultation.voting.schedule import advance_all

    if now_text:
        try:
            now = datetime.fromisoformat(now_text)
        except ValueError:
            raise click.BadParameter("give a date and time like 2026-12-01T18:30", param_hint="--now") from None
        now = now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)
    else:
        now = utcnow()
    done = advance_all(now)
    click.echo(f"opened {len(done.opened)} vote(s){': ' + ', '.join(map(str, done.opened)) if done.opened else ''}")
    click.echo(f"closed {len(done.closed)} vote(s){': ' + ', '.join(map(str, done.closed)) if done.closed else ''}")
