"""Benchmark: a large territory served by gunicorn and measured with wrk, each page beside its "floor".

Run: python -m tests.bench.territory [--scale 1.0] [--database sqlite|postgresql|both] [--duration 10]

For each database: loads the territory of issue 9 (at scale 1.0: 50 councils, 2,000 workshops, 100,000
proposals of which 5,000 in one workshop, 20,000 residents, 1,000,000 ballots) into a fresh database built
by the migrations, with bulk inserts from a fixed seed; serves it with gunicorn (2 workers) and a bare
Flask "floor" app the same way; measures each page with wrk at concurrency 1 and 16 (requests/s, p50,
p95), ballots per second at concurrency 16 with the count checked in the database, and the number of SQL
statements of each page at scale 0.01 and at the loaded scale. Prints one table per database.

A benchmark, not a test: nothing here is asserted. Every run is bounded (wrk's duration, timeouts on every
subprocess and request) and the servers are stopped at the end, also on error. Needs `wrk` (apt-get
install wrk) and, for PostgreSQL, a server on 127.0.0.1:5432 with trust authentication for `postgres`;
the databases `bench_territory` and `bench_territory_small` are dropped and created again.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from tests.bench import territory_data as data
from tests.bench import territory_http as web

PG_DATABASE = "bench_territory"
PG_SMALL_DATABASE = "bench_territory_small"
SMALL_SCALE = 0.01
TARGET_RATIO = 3.0
TARGET_P95_MS = 100.0
TARGET_VOTES = 500.0
NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


@dataclass
class Page:
    key: str  # the same for every scale (query counts are compared by it)
    label: str
    path: str
    floor: str
    login: bool = False
    revalidate: bool = False  # send the ETag of the current state: the projector's usual poll (304)


@dataclass
class Measure:
    page: Page
    connections: int
    app: web.WrkResult
    floor: web.WrkResult
    load: float = 0.0  # the machine's 1-minute load average when the measure began

    @property
    def ratio(self) -> float:
        return self.floor.rate / self.app.rate if self.app.rate else float("inf")


@dataclass
class Report:
    database: str
    version: str
    scale: float
    targets: data.Targets
    measures: list[Measure] = field(default_factory=list)
    votes: web.VoteRun | None = None
    vote_check: dict[str, int] = field(default_factory=dict)
    statements: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)
    server: str = ""
    notes: list[str] = field(default_factory=list)


def pages_for(targets: data.Targets) -> list[Page]:
    slug, workshop, vote = targets.council_slug, targets.big_workshop_id, targets.results_vote_id
    deep = targets.deep_page
    live = f"/councils/{slug}/workshops/{workshop}/projector/live"
    return [
        Page("home", "home page", "/", "/floor/home"),
        Page(
            "workshop",
            f"workshop, {targets.big_workshop_visible} proposals, page 1",
            f"/councils/{slug}/workshops/{workshop}",
            "/floor/workshop?page=1",
        ),
        Page(
            "workshop-deep",
            f"same workshop, page {deep}",
            f"/councils/{slug}/workshops/{workshop}?page={deep}",
            f"/floor/workshop?page={deep}",
        ),
        Page(
            "api",
            "API /api/v1/proposals?workshop&limit=100",
            f"/api/v1/proposals?workshop={workshop}&limit=100",
            "/floor/api",
        ),
        Page(
            "results",
            f"closed vote results, {targets.results_vote_ballots} ballots",
            f"/councils/{slug}/votes/{vote}/results",
            "/floor/results",
        ),
        Page("projector-304", "projector poll, unchanged (304)", live, "/floor/projector", login=True, revalidate=True),
        Page("projector-200", "projector poll, full fragment (200)", live, "/floor/projector", login=True),
    ]


# ------------------------------------------------------------------------------------ query counts


def count_statements(url: str, targets: data.Targets) -> dict[str, int]:
    """SQL statements per page, in this process (Flask test client, a before_cursor_execute listener)."""
    from sqlalchemy import event

    from consultation import create_app
    from consultation.accounts.models import User
    from consultation.extensions import db

    app = create_app(
        {
            "SECRET_KEY": web.SECRET_KEY,
            "SQLALCHEMY_DATABASE_URI": url,
            "AUTO_MIGRATE": False,
            "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": False,
            "SESSION_COOKIE_SECURE": False,
            "MAIL_BACKEND": "memory",
        }
    )
    counter = {"n": 0}
    found: dict[str, int] = {}
    with app.app_context():
        engine = db.engine

        def count(*_args, **_kwargs) -> None:
            counter["n"] += 1

        event.listen(engine, "before_cursor_execute", count)
        facilitator = db.session.get(User, targets.facilitator_id).get_id()
        vote_id, _slug, option_keys = targets.open_votes[-1]
        voter = targets.voters[str(targets.vote_council[str(vote_id)])][-1]
        voter_session = db.session.get(User, voter).get_id()
        db.session.remove()
    try:
        for page in pages_for(targets):
            client = app.test_client()
            if page.login:
                with client.session_transaction() as session:
                    session["_user_id"], session["_fresh"] = facilitator, True
            headers = {"User-Agent": web.USER_AGENT}
            first = client.get(page.path, headers=headers)  # warm: the count is the second request's
            if page.revalidate and first.headers.get("ETag"):
                headers["If-None-Match"] = first.headers["ETag"]
            counter["n"] = 0
            response = client.get(page.path, headers=headers)
            found[page.key] = counter["n"]
            expected = 304 if page.revalidate else 200
            if response.status_code != expected:
                found[page.key] = -response.status_code  # shown as an error in the table
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = voter_session, True
        counter["n"] = 0
        response = client.post(
            f"/councils/{_slug}/votes/{vote_id}/ballot",
            data={"choice": option_keys[0]},
            headers={"User-Agent": web.USER_AGENT},
        )
        found["ballot"] = counter["n"] if response.status_code == 302 else -response.status_code
    finally:
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", count)
            db.session.remove()
            db.engine.dispose()
    return found


# ----------------------------------------------------------------------------------------- measuring


def database_version(database: str, url: str) -> str:
    if database == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        version = connection.execute(text("SHOW server_version")).scalar()
    engine.dispose()
    return f"PostgreSQL {version.split()[0]}"


def table_counts(url: str, vote_ids: list[int]) -> dict[str, int]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    ids = ", ".join(str(int(i)) for i in vote_ids)
    with engine.connect() as connection:
        found = {
            "participations": connection.execute(
                text(f"SELECT count(*) FROM vote_participations WHERE vote_id IN ({ids})")  # noqa: S608
            ).scalar(),
            "ballots": connection.execute(
                text(f"SELECT count(*) FROM vote_ballots WHERE vote_id IN ({ids})")  # noqa: S608
            ).scalar(),
            "distinct voters": connection.execute(
                text(
                    "SELECT count(*) FROM (SELECT DISTINCT vote_id, voter_id FROM vote_participations "  # noqa: S608
                    f"WHERE vote_id IN ({ids})) AS d"
                )
            ).scalar(),
        }
    engine.dispose()
    return found


def ballots_to_send(url: str, targets: data.Targets, *, limit: int, skip: set[tuple[int, int]]) -> list[web.Ballot]:
    """One ballot per (person, open vote), people of every council interleaved, in a seeded order."""
    rng = random.Random(data.SEED)
    pairs: list[tuple[int, int, str, list[str]]] = []
    by_council: dict[int, list[list]] = {}
    for vote_id, slug, keys in targets.open_votes:
        by_council.setdefault(targets.vote_council[str(vote_id)], []).append([vote_id, slug, keys])
    rounds = max(len(v) for v in by_council.values())
    for round_number in range(rounds):
        lot = []
        for council_id, votes in by_council.items():
            if round_number >= len(votes):
                continue
            vote_id, slug, keys = votes[round_number]
            lot += [(voter, vote_id, slug, keys) for voter in targets.voters[str(council_id)]]
        rng.shuffle(lot)
        pairs += [p for p in lot if (p[0], p[1]) not in skip]
    pairs = pairs[:limit]
    sessions = web.mint_sessions(url, sorted({p[0] for p in pairs}))
    ballots = []
    for voter, vote_id, slug, keys in pairs:
        cookie, token = sessions[voter]
        body = urllib.parse.urlencode({"csrf_token": token, "choice": rng.choice(keys)})
        ballots.append(web.Ballot(f"/councils/{slug}/votes/{vote_id}/ballot", cookie, body, voter, vote_id))
    return ballots


def measure(report: Report, url: str, args, log_dir: Path) -> None:
    targets = report.targets
    env = {
        "SECRET_KEY": web.SECRET_KEY,
        "DATABASE_URL": url,
        "AUTO_MIGRATE": "0",
        "RATELIMIT_ENABLED": "0",  # measure the app, not Flask-Limiter
        "MAIL_BACKEND": "memory",
        "FLASK_DEBUG": "0",
    }
    targets_file = log_dir / "targets.json"
    targets_file.write_text(targets.to_json())
    floor_env = {"BENCH_FLOOR_DATABASE_URL": url, "BENCH_FLOOR_TARGETS": str(targets_file)}
    options = {"workers": args.workers, "worker_class": args.worker_class, "threads": args.threads, "log_dir": log_dir}
    report.server = f"gunicorn {args.workers} {args.worker_class} workers" + (
        f" x {args.threads} threads" if args.worker_class == "gthread" else ""
    )
    servers: list[web.Server] = []
    try:
        app = web.start_gunicorn("app", "app:app", env, **options)
        servers.append(app)
        floor = web.start_gunicorn("floor", "tests.bench.territory_floor:create_app()", floor_env, **options)
        servers.append(floor)
        facilitator = web.log_in(app.port, targets.facilitator_email, targets.password)
        pages = [] if args.ballots_only else pages_for(targets)
        if args.pages:
            pages = [page for page in pages if page.key in args.pages.split(",")]
        for page in pages:
            app_headers = {"Cookie": f"session={facilitator}"} if page.login else {}
            floor_headers: dict[str, str] = {}
            status, headers, body = web.request(app.port, "GET", page.path, headers=app_headers, timeout=120)
            if status != 200:
                raise RuntimeError(f"{page.path} answered {status} before the measure")
            _fstatus, fheaders, fbody = web.request(floor.port, "GET", page.floor, timeout=120)
            if page.revalidate:
                app_headers["If-None-Match"] = headers["etag"]
                floor_headers["If-None-Match"] = fheaders["etag"]
                status, _headers, _body = web.request(app.port, "GET", page.path, headers=app_headers, timeout=120)
                if status != 304:
                    raise RuntimeError(f"{page.path} with its ETag answered {status}, not 304")
            print(f"  {page.label}: {len(body) / 1024:.0f} KB (floor {len(fbody) / 1024:.0f} KB)", flush=True)
            for connections in (1, 16):
                load = os.getloadavg()[0]
                found_app = web.run_wrk(
                    app.port, page.path, connections=connections, duration=args.duration, headers=app_headers
                )
                found_floor = web.run_wrk(
                    floor.port, page.floor, connections=connections, duration=args.duration, headers=floor_headers
                )
                report.measures.append(Measure(page, connections, found_app, found_floor, load))
                print(
                    f"    c={connections:<2} app {found_app.rate:7.1f}/s p95 {found_app.p95_ms:7.1f} ms"
                    f" {found_app.statuses} | floor {found_floor.rate:7.1f}/s p95 {found_floor.p95_ms:7.1f} ms",
                    flush=True,
                )
        # Ballots: distinct people, each casting one ballot in an open vote of their council.
        skip = set()
        vote_id = targets.open_votes[-1][0]
        skip.add((targets.voters[str(targets.vote_council[str(vote_id)])][-1], vote_id))  # the query count's
        vote_ids = [v[0] for v in targets.open_votes]
        ballots = ballots_to_send(url, targets, limit=int(args.ballot_rate_cap * args.duration), skip=skip)
        before = table_counts(url, vote_ids)
        print(f"  ballots: {len(ballots)} people logged in ahead; sending for {args.duration:g} s", flush=True)
        report.votes = web.send_ballots(app.port, ballots, clients=16, duration=args.duration)
        after = table_counts(url, vote_ids)
        report.vote_check = {key: after[key] - before[key] for key in after}
    finally:
        for server in reversed(servers):
            server.stop()


# ------------------------------------------------------------------------------------------ printing


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def print_report(report: Report, args) -> None:
    t = report.targets
    title = f"{report.version}, scale {report.scale:g}: {report.server}, wrk {args.duration:g} s per figure"
    print()
    print(title)
    print("=" * len(title))
    print(
        f"loaded in {t.seconds['total']:.0f} s ("
        + ", ".join(f"{k} {v:.1f} s" for k, v in t.seconds.items() if k != "total")
        + ")"
    )
    print("rows: " + ", ".join(f"{k} {v:,}" for k, v in t.counts.items()))
    header = (
        f"{'page':<44}{'conc':>5}{'app req/s':>11}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'floor req/s':>13}{'p50 ms':>9}{'p95 ms':>9}{'ratio':>8}{'load':>6}  targets (<=3x floor, p95<100ms at c16)"
    )
    print(header)
    print("-" * len(header))
    for m in report.measures:
        note = ""
        if m.connections == 16:
            note = f"ratio {verdict(m.ratio <= TARGET_RATIO)}, p95 {verdict(m.app.p95_ms < TARGET_P95_MS)}"
        bad = sum(v for k, v in m.app.statuses.items() if k not in ("200", "304")) + m.app.errors
        if bad:
            note += f" [{bad} errors: {m.app.statuses}]"
        print(
            f"{m.page.label:<44}{m.connections:>5}{m.app.rate:>11.1f}{m.app.p50_ms:>9.1f}{m.app.p95_ms:>9.1f}"
            f"{m.floor.rate:>13.1f}{m.floor.p50_ms:>9.1f}{m.floor.p95_ms:>9.1f}{m.ratio:>7.1f}x{m.load:>6.1f}  {note}"
        )
    v = report.votes
    if v is not None:
        check = report.vote_check
        consistent = check.get("participations") == check.get("ballots") == check.get("distinct voters") == v.accepted
        print(
            f"\nballots at concurrency 16: {v.accepted} accepted in {v.seconds:.1f} s = {v.rate:.0f} votes/s "
            f"(p50 {v.p50_ms:.0f} ms, p95 {v.percentile(0.95):.0f} ms); sent {v.sent}, refused {v.refused or 0}, "
            f"no answer {v.failed}{', ran out of voters' if v.exhausted else ''}; target >= {TARGET_VOTES:.0f}/s: "
            f"{verdict(v.rate >= TARGET_VOTES)}"
        )
        print(
            f"count check in the database: +{check.get('participations')} participations, +{check.get('ballots')} "
            f"ballots, {check.get('distinct voters')} distinct (vote, voter) for {v.accepted} accepted answers: "
            f"{'none lost, none doubled' if consistent else 'MISMATCH'}"
        )
    if report.statements:
        print(f"\nSQL statements per request (scale {SMALL_SCALE:g} / scale {report.scale:g}):")
        for key, (small, big) in report.statements.items():
            same = "constant" if small == big else "GROWS" if (small or 0) < (big or 0) else "differs"
            print(f"  {key:<16}{small!s:>6} / {big!s:<6} {same}")
    for note in report.notes:
        print(f"note: {note}")


def markdown(reports: list[Report], args) -> str:
    """The table for README's Performance section."""
    lines = [
        "| database | page | conc. | req/s | p50 ms | p95 ms | floor req/s | floor p95 ms | ratio | load |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for report in reports:
        for m in report.measures:
            lines.append(
                f"| {report.version} | {m.page.label} | {m.connections} | {m.app.rate:.1f} | {m.app.p50_ms:.1f} | "
                f"{m.app.p95_ms:.1f} | {m.floor.rate:.1f} | {m.floor.p95_ms:.1f} | {m.ratio:.1f}× | {m.load:.1f} |"
            )
    lines.append("")
    lines.append("| database | votes/s at c16 | p95 ms | accepted | participations / ballots written | loading |")
    lines.append("|---|---:|---:|---:|---|---:|")
    for report in reports:
        v, check = report.votes, report.vote_check
        if v is None:
            continue
        lines.append(
            f"| {report.version} | {v.rate:.0f} | {v.percentile(0.95):.0f} | {v.accepted} | "
            f"{check.get('participations')} / {check.get('ballots')} | {report.targets.seconds['total']:.0f} s |"
        )
    lines.append("")
    keys = list(reports[0].statements) if reports and reports[0].statements else []
    if keys:
        lines.append("| SQL statements per request | " + " | ".join(keys) + " |")
        lines.append("|---|" + "---:|" * len(keys))
        for report in reports:
            lines.append(
                f"| {report.version}, scale {SMALL_SCALE:g} → {report.scale:g} | "
                + " | ".join(f"{report.statements[k][0]} → {report.statements[k][1]}" for k in keys)
                + " |"
            )
    return "\n".join(lines)


def machine() -> str:
    memory = ""
    try:
        memory = subprocess.run(["free", "-m"], capture_output=True, text=True, timeout=10).stdout.split("\n")[1]
        memory = f"{int(memory.split()[1]):,} MB RAM"
    except (OSError, IndexError, ValueError, subprocess.TimeoutExpired):
        pass
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True, timeout=10).stdout.split("\n")[0].split()[:2]
    import gunicorn

    import consultation

    commit = os.environ.get("BENCH_COMMIT", "").strip()
    if not commit:
        try:
            commit = subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"], cwd=web.ROOT, capture_output=True, text=True, timeout=10
            ).stdout.strip()
            dirty = subprocess.run(
                ["git", "status", "--porcelain", "--untracked-files=no"],
                cwd=web.ROOT,
                capture_output=True,
                text=True,
                timeout=10,
            ).stdout.strip()
            commit += " with uncommitted changes" if dirty else ""
        except (OSError, subprocess.TimeoutExpired):
            commit = "unknown"
    return (
        f"app {Path(consultation.__file__).parent} at commit {commit or 'unknown'}; "
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}; {os.cpu_count()} cores, {memory}; {platform.platform()}; "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, gunicorn {gunicorn.__version__}, "
        f"{' '.join(wrk)}"
    )


# -------------------------------------------------------------------------------------------- main


def bench(database: str, args) -> Report:
    work = Path(tempfile.mkdtemp(prefix=f"bench-territory-{database}-"))
    if database == "sqlite":
        big, small = str(work / "territory.sqlite"), str(work / "territory-small.sqlite")
    else:
        big, small = PG_DATABASE, PG_SMALL_DATABASE
    url, small_url = data.sqlalchemy_url(database, big), data.sqlalchemy_url(database, small)
    try:
        print(f"\n[{NAMES[database]}] loading scale {args.scale:g} ...", flush=True)
        targets = data.load(database, args.scale, big)
        print(
            f"  loaded in {targets.seconds['total']:.1f} s: "
            + ", ".join(f"{k} {v:,}" for k, v in targets.counts.items()),
            flush=True,
        )
        report = Report(database, database_version(database, url), args.scale, targets)
        if not args.no_query_counts:
            small_targets = data.load(database, SMALL_SCALE, small)
            small_counts = count_statements(small_url, small_targets)
            big_counts = count_statements(url, targets)
            report.statements = {k: (small_counts.get(k), big_counts.get(k)) for k in big_counts}
            print(f"  SQL statements per request: {report.statements}", flush=True)
        measure(report, url, args, work)
        return report
    finally:
        if not args.keep:
            if database == "postgresql":
                for name in (big, small):
                    try:
                        data.drop_postgres_database(name)
                    except Exception as error:  # noqa: BLE001  (cleaning up; the run's result matters more)
                        print(f"  could not drop {name}: {error}", file=sys.stderr)
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"  kept: {big} (logs in {work})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0: issue 9's territory; 0.1 divides it by 10")
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of wrk per figure (and of ballots)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", choices=("sync", "gthread"), default="sync")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker with gthread")
    parser.add_argument(
        "--ballot-rate-cap", type=float, default=1500.0, help="people logged in ahead: this many per second of run"
    )
    parser.add_argument("--no-query-counts", action="store_true")
    parser.add_argument("--ballots-only", action="store_true", help="measure only the ballots (not the pages)")
    parser.add_argument("--pages", default="", help="measure only these pages, by key: projector-304,projector-200")
    parser.add_argument("--keep", action="store_true", help="keep the databases and logs")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    print(f"machine: {machine()}")
    databases = ("sqlite", "postgresql") if args.database == "both" else (args.database,)
    reports = [bench(database, args) for database in databases]
    for report in reports:
        print_report(report, args)
    print("\nMarkdown:\n")
    print(markdown(reports, args))
    print(json.dumps({"scale": args.scale, "duration": args.duration}))


if __name__ == "__main__":
    main()
