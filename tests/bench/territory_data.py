"""The large territory of the benchmark: generated from a fixed seed and written with bulk inserts.

At scale 1.0: 50 councils, 2,000 workshops (one holding 5,000 proposals), 100,000 proposals, 20,000
residents, 1,000,000 closed-vote ballots (each with its participation), about half a million supports.
The schema comes from the app's own migrations; rows go in with one COPY per table on PostgreSQL and
with executemany batches of Core inserts on SQLite, never through the ORM one object at a time.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import random
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import JSON, Column, MetaData, Table, create_engine, inspect, text
from sqlalchemy.engine import Engine

PASSWORD = "bench-territory"  # noqa: S105  (every account of the benchmark territory; test data)
SEED = 20261128
BATCH = 50_000

SCALE_ONE = {
    "councils": 50,
    "workshops": 2_000,
    "proposals": 100_000,
    "big_workshop": 5_000,
    "residents": 20_000,
    "ballots": 1_000_000,
}
# Staff of each council (on top of the residents): who runs workshops, who sits on the council.
STAFF = (
    ("facilitator", "animatrice"),
    ("facilitator", "animateur"),
    ("secretary", "secretaire"),
    ("president", "presidente"),
    ("member", "conseiller1"),
    ("member", "conseiller2"),
    ("member", "conseiller3"),
    ("member", "conseiller4"),
    ("officer", "mairie"),
)
BIG_COUNCIL_SHARE = 0.2  # the first council is the intercommunality: a fifth of all residents
SUPPORTS_MEAN = 5.0
BIG_WORKSHOP_SUPPORTS_MEAN = 10.0
OPEN_VOTES_PER_COUNCIL = 3  # open votes with no ballot yet, for the votes-per-second measure
RESULTS_VOTE_TURNOUT = 0.9

TOWNS = (
    "Macouria",
    "Kourou",
    "Cayenne",
    "Matoury",
    "Rémire-Montjoly",
    "Saint-Laurent-du-Maroni",
    "Pantin",
    "Dieppe",
    "Béthune",
    "Bruay-la-Buissière",
    "Valenciennes",
    "Montreuil",
    "Aubervilliers",
    "Roubaix",
    "Grigny",
)
DISTRICTS = ("Centre", "Sainte-Agathe", "Soula", "Quatre-Chemins", "Les Hauts", "Le Port", "La Gare", "Bourg")
FIRST_NAMES = (
    "Marie",
    "Jean",
    "Aïcha",
    "Lucas",
    "Fabiola",
    "Wilner",
    "Ana",
    "João",
    "Inès",
    "Karim",
    "Sophie",
    "Nadia",
    "Théo",
    "Lourdes",
    "Roseline",
    "Mamadou",
    "Élodie",
    "Yasmine",
    "Ti-Jean",
    "Carmen",
)
LAST_NAMES = (
    "Martin",
    "Joseph",
    "Da Silva",
    "Pierre",
    "Benali",
    "Dupont",
    "Louis",
    "Santos",
    "Nguyen",
    "Bernard",
    "Jean-Baptiste",
    "Oliveira",
    "Diallo",
    "Petit",
    "Charles",
    "Moreau",
)
TOPICS = (
    "les jardins partagés",
    "la sécurité routière devant l'école",
    "l'éclairage des rues",
    "le marché du samedi",
    "les transports en commun",
    "la maison de quartier",
    "le ramassage des déchets",
    "les pistes cyclables",
    "l'accueil des porteurs de projet",
    "la fête du quartier",
    "l'accès à l'eau potable",
    "les aires de jeux",
)
VERBS = ("Créer", "Installer", "Agrandir", "Réparer", "Ouvrir", "Ombrager", "Mieux signaler", "Animer")
OBJECTS = (
    "un abri bus",
    "des bancs",
    "un passage piéton",
    "un composteur collectif",
    "un point d'eau",
    "une piste cyclable",
    "un local associatif",
    "des poubelles de tri",
    "un terrain de sport",
    "une navette",
    "un marché de producteurs",
    "des lampadaires solaires",
)
PLACES = ("près de l'école", "rue principale", "au bourg", "à la gare", "dans le lotissement", "au bord du fleuve")
LANGUAGES = (("fr", 60), ("ht", 10), ("pt_BR", 10), ("es", 8), ("ar", 7), ("en", 5))
JOIN_CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY34679"
OPEN_PHASES = ("welcome", "ideation", "discussion", "vote", "synthesis")


@dataclass(frozen=True)
class Sizes:
    councils: int
    workshops: int
    proposals: int
    big_workshop: int
    residents: int
    ballots: int

    @classmethod
    def at(cls, scale: float) -> Sizes:
        councils = max(1, round(SCALE_ONE["councils"] * scale))
        return cls(
            councils=councils,
            workshops=max(councils * 2, round(SCALE_ONE["workshops"] * scale)),
            proposals=max(100, round(SCALE_ONE["proposals"] * scale)),
            big_workshop=max(50, round(SCALE_ONE["big_workshop"] * scale)),
            residents=max(50, round(SCALE_ONE["residents"] * scale)),
            ballots=max(500, round(SCALE_ONE["ballots"] * scale)),
        )


@dataclass
class Targets:
    """What the benchmark measures in the loaded territory (ids found while generating it)."""

    scale: float
    council_id: int
    council_slug: str
    big_workshop_id: int
    big_workshop_visible: int  # visible proposals listed by the workshop page
    results_vote_id: int
    results_vote_ballots: int
    facilitator_id: int
    facilitator_email: str
    password: str
    # Open votes of the residents (no ballot yet): [vote id, council slug, option ids]
    open_votes: list[list[Any]] = field(default_factory=list)
    # council id -> every user who may vote in that council's open votes (residents and staff)
    voters: dict[str, list[int]] = field(default_factory=dict)
    vote_council: dict[str, int] = field(default_factory=dict)  # open vote id -> council id
    counts: dict[str, int] = field(default_factory=dict)  # rows written per table
    seconds: dict[str, float] = field(default_factory=dict)  # loading phases

    @property
    def deep_page(self) -> int:
        pages = max(1, math.ceil(self.big_workshop_visible / 50))
        return max(1, int(pages * 0.9))

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, value: str) -> Targets:
        return cls(**json.loads(value))


# ----------------------------------------------------------------------------------------- databases


def sqlalchemy_url(database: str, path_or_name: str) -> str:
    if database == "sqlite":
        return f"sqlite:///{path_or_name}"
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{path_or_name}"


def recreate_postgres_database(name: str) -> None:
    """Drop and create a PostgreSQL database on 127.0.0.1 (trust authentication, user postgres)."""
    import psycopg

    if not name.replace("_", "").isalnum():
        raise ValueError(f"unexpected database name {name!r}")
    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_postgres_database(name: str) -> None:
    import psycopg

    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def migrate(url: str) -> None:
    """Build the schema with the app's migrations, as a deployment would."""
    import logging

    from consultation import create_app
    from consultation.extensions import db

    logging.getLogger("alembic").setLevel(logging.WARNING)
    with contextlib.redirect_stderr(io.StringIO()):  # alembic's configuration logs every step to stderr
        app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "AUTO_MIGRATE": True})
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


SETTLE_SUPPORT_TOTALS = """
UPDATE proposals SET support_total = totals.n
FROM (
    SELECT proposal_id, sum(n) AS n FROM (
        SELECT proposal_id, count(*) AS n FROM supports GROUP BY proposal_id
        UNION ALL
        SELECT proposal_id, sum(count) AS n FROM paper_counts GROUP BY proposal_id
    ) AS parts
    GROUP BY proposal_id
) AS totals
WHERE totals.proposal_id = proposals.id
"""


class BulkWriter:
    """Rows in, with one COPY (PostgreSQL) or executemany batches (SQLite) per call."""

    def __init__(self, engine: Engine):
        import consultation.models  # noqa: F401  (every table in the metadata)
        from consultation.extensions import db

        self.engine = engine
        self.dialect = engine.dialect.name
        self.metadata = db.metadata
        self.inspector = inspect(engine)
        self.columns: dict[str, list[str]] = {}
        self.tables: dict[str, Table] = {}
        self.counts: dict[str, int] = defaultdict(int)
        self.connection = engine.connect()
        if self.dialect == "postgresql":
            # Rows are consistent by construction: skip the foreign-key triggers while loading.
            self.connection.exec_driver_sql("SET session_replication_role = replica")
            self.connection.commit()
        else:
            self.connection.exec_driver_sql("PRAGMA synchronous=OFF")
            self.connection.exec_driver_sql("PRAGMA cache_size=-200000")

    def _prepare(self, name: str) -> tuple[list[str], Table]:
        if name not in self.columns:
            present = {c["name"] for c in self.inspector.get_columns(name)}
            model = self.metadata.tables[name]
            names = [c.name for c in model.c if c.name in present]
            self.columns[name] = names
            # The model's types (UTC datetimes, JSON) without its defaults: rows are completed below.
            self.tables[name] = Table(name, MetaData(), *[Column(c.name, c.type) for c in model.c if c.name in names])
        return self.columns[name], self.tables[name]

    def _complete(self, name: str, names: list[str], rows: list[dict]) -> list[dict]:
        model = self.metadata.tables[name]
        missing = [n for n in names if n not in rows[0]]
        fillers = []
        for column_name in missing:
            column = model.c[column_name]
            default = column.default
            if default is not None and getattr(default, "is_callable", False):
                fillers.append((column_name, default.arg, True))
            elif default is not None and getattr(default, "is_scalar", False):
                fillers.append((column_name, default.arg, False))
            elif column.server_default is not None:
                continue  # the database fills it
            elif column.nullable:
                fillers.append((column_name, None, False))
            else:
                raise ValueError(f"{name}.{column_name}: no value and no default")
        if fillers:
            for row in rows:
                for column_name, value, call in fillers:
                    row[column_name] = value(None) if call else value
        return rows

    def write(self, name: str, rows: list[dict]) -> None:
        if not rows:
            return
        names, table = self._prepare(name)
        rows = self._complete(name, names, rows)
        used = [n for n in names if n in rows[0]]
        if self.dialect == "postgresql":
            json_columns = {c.name for c in table.c if isinstance(c.type, JSON)}
            raw = self.connection.connection.driver_connection
            columns_sql = ", ".join(f'"{n}"' for n in used)
            with raw.cursor() as cursor, cursor.copy(f'COPY "{name}" ({columns_sql}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(
                        tuple(
                            (json.dumps(row[n]) if row[n] is not None else None) if n in json_columns else row[n]
                            for n in used
                        )
                    )
        else:
            statement = table.insert()
            for start in range(0, len(rows), BATCH):
                self.connection.execute(statement, [{n: r[n] for n in used} for r in rows[start : start + BATCH]])
        self.connection.commit()
        self.counts[name] += len(rows)

    def write_stream(self, name: str, rows: Iterable[dict]) -> None:
        batch: list[dict] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                self.write(name, batch)
                batch = []
        self.write(name, batch)

    def settle_support_totals(self) -> None:
        """proposals.support_total, once supports and paper counts are in. On SQLite the triggers of
        migration 0020 counted each row as it went in; on PostgreSQL the replica role set above skips
        them as it skips the foreign-key triggers, so one UPDATE sets every total."""
        if self.dialect != "postgresql":
            return
        self.connection.exec_driver_sql(SETTLE_SUPPORT_TOTALS)
        self.connection.commit()

    def finish(self) -> dict[str, float]:
        """Sequences after explicit ids (PostgreSQL), statistics, and the connection closed."""
        seconds: dict[str, float] = {}
        began = time.perf_counter()
        if self.dialect == "postgresql":
            self.connection.exec_driver_sql("SET session_replication_role = DEFAULT")
            for name in self.counts:
                if "id" in self.columns[name] and self.columns[name] and self._serial(name):
                    self.connection.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
                            f'(SELECT COALESCE(MAX(id), 0) + 1 FROM "{name}"), false)'
                        )
                    )
            self.connection.commit()
            self.connection.close()
            # What autovacuum would do a little later: statistics and the visibility map.
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
            seconds["vacuum analyze"] = time.perf_counter() - began
        else:
            self.connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            self.connection.close()
            seconds["checkpoint"] = time.perf_counter() - began
        self.engine.dispose()
        return seconds

    def _serial(self, name: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(text(f"SELECT pg_get_serial_sequence('\"{name}\"', 'id')")).scalar() is not None


# ----------------------------------------------------------------------------------------- generation


class Territory:
    """Generates the rows table by table (ids assigned here) and writes them as it goes."""

    def __init__(self, scale: float, writer: BulkWriter, *, open_votes_per_council: int = OPEN_VOTES_PER_COUNCIL):
        self.scale = scale
        self.sizes = Sizes.at(scale)
        self.rng = random.Random(SEED)
        self.writer = writer
        self.open_votes_per_council = open_votes_per_council
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.next_id: dict[str, int] = defaultdict(int)

    def _id(self, table: str) -> int:
        self.next_id[table] += 1
        return self.next_id[table]

    def _key(self) -> str:
        return f"{self.rng.getrandbits(128):032x}"

    def _name(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def _language(self) -> str:
        return self.rng.choices([code for code, _w in LANGUAGES], weights=[w for _c, w in LANGUAGES])[0]

    def generate(self) -> Targets:
        from werkzeug.security import generate_password_hash

        rng, now, sizes = self.rng, self.now, self.sizes
        password_hash = generate_password_hash(PASSWORD)  # one real scrypt hash shared by every account
        timings: dict[str, float] = {}
        clock = time.perf_counter()

        def lap(label: str) -> None:
            nonlocal clock
            timings[label] = time.perf_counter() - clock
            clock = time.perf_counter()

        # Councils, themes, staff, residents and their memberships.
        councils, themes = [], defaultdict(list)
        for index in range(sizes.councils):
            town = TOWNS[index % len(TOWNS)]
            council_id = self._id("councils")
            councils.append(
                {
                    "id": council_id,
                    "slug": f"conseil-{index:02d}",
                    "name": f"Conseil citoyen de {town} n° {index + 1}",
                    "territory": f"{town}, {rng.choice(DISTRICTS)}",
                    "description": "Conseil citoyen du territoire, saisi par la commune.",
                    "default_locale": "fr",
                    "response_months": 3,
                    "retention_months": None,
                    "time_zone": "America/Cayenne" if index % 3 == 0 else "Europe/Paris",
                    "created_at": now - timedelta(days=900),
                }
            )
            for theme in ("Cadre de vie", "Mobilité", "Jeunesse"):
                themes[council_id].append({"id": self._id("themes"), "council_id": council_id, "name": theme})
        users, memberships = [], []
        staff: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        residents: dict[int, list[int]] = defaultdict(list)

        def user(email: str) -> int:
            user_id = self._id("users")
            users.append(
                {
                    "id": user_id,
                    "email": email,
                    "password_hash": password_hash,
                    "display_name": self._name(),
                    "locale": None,
                    "is_admin": False,
                    "is_active_account": True,
                    "created_at": now - timedelta(days=rng.randint(1, 800)),
                    "email_confirmed_at": now - timedelta(days=1),
                    "charter_accepted_at": now - timedelta(days=1),
                    "email_delivery": "immediate",
                    "email_muted_kinds": [],
                    "session_epoch": 0,
                }
            )
            return user_id

        def member(user_id: int, council_id: int, role: str) -> None:
            memberships.append(
                {
                    "id": self._id("memberships"),
                    "user_id": user_id,
                    "council_id": council_id,
                    "role": role,
                    "created_at": now - timedelta(days=300),
                }
            )

        user("admin@bench.test")  # a platform administrator
        users[-1]["is_admin"] = True
        for index, council in enumerate(councils):
            for role, label in STAFF:
                user_id = user(f"{label}-{index:02d}@bench.test")
                member(user_id, council["id"], role)
                staff[council["id"]][role].append(user_id)
        big_share = BIG_COUNCIL_SHARE if sizes.councils > 1 else 1.0
        big_residents = round(sizes.residents * big_share)
        for number in range(sizes.residents):
            if number < big_residents:
                council = councils[0]
            else:
                council = councils[1 + (number - big_residents) % (sizes.councils - 1)]
            user_id = user(f"habitant{number:05d}@bench.test")
            member(user_id, council["id"], "resident")
            residents[council["id"]].append(user_id)
        self.writer.write("users", users)
        self.writer.write("councils", councils)
        self.writer.write("themes", [t for rows in themes.values() for t in rows])
        self.writer.write("memberships", memberships)
        lap("users, councils, memberships")

        # Workshops and their agendas; the first workshop of the first council is the big one.
        workshops, agenda, codes = [], [], set()
        by_council: dict[int, list[dict]] = defaultdict(list)
        for number in range(sizes.workshops):
            council = councils[number % sizes.councils]
            is_big = number == 0
            starts = now - timedelta(days=rng.randint(0, 720), hours=rng.randint(0, 12))
            phase = "closed" if starts < now - timedelta(days=30) else rng.choice(OPEN_PHASES)
            if is_big:
                starts, phase = now - timedelta(hours=1), "discussion"
            code = None
            if phase != "closed":
                while code is None or code in codes:
                    code = "".join(rng.choice(JOIN_CODE_ALPHABET) for _ in range(6))
                codes.add(code)
            row = {
                "id": self._id("workshops"),
                "council_id": council["id"],
                "question_id": None,
                "title": f"Atelier de concertation : {rng.choice(TOPICS)}"
                + (" (grand atelier intercommunal)" if is_big else f" n° {number + 1}"),
                "description": "Venez proposer, discuter et voter. Interprétariat en créole et en portugais.",
                "language": "fr",
                "languages_spoken": "français, kreyòl, português",
                "location": f"Maison de quartier, {rng.choice(DISTRICTS)}",
                "online_url": "",
                "easy_read": "",
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=rng.choice((2, 3))),
                "capacity": rng.choice((None, 40, 80, 150)),
                "join_code": code,
                "phase": phase,
                "is_published": is_big or rng.random() < 0.95,
                "created_at": starts - timedelta(days=20),
                "phase_changed_at": starts,
            }
            workshops.append(row)
            by_council[council["id"]].append(row)
            for position in range(1, 4):
                agenda.append(
                    {
                        "id": self._id("agenda_items"),
                        "workshop_id": row["id"],
                        "position": position,
                        "title": ("Accueil", "Propositions", "Vote")[position - 1],
                        "duration_minutes": rng.choice((15, 30, 45)),
                        "started_at": None,  # nothing running: the projector's ETag stays still
                        "ended_at": None,
                    }
                )
        big = workshops[0]
        big_council = councils[0]
        self.writer.write("workshops", workshops)
        self.writer.write("agenda_items", agenda)
        participants = []
        for number in range(min(300, max(20, sizes.big_workshop // 15))):
            with_account = number % 2 == 0 and residents[big_council["id"]]
            participants.append(
                {
                    "id": self._id("workshop_participants"),
                    "workshop_id": big["id"],
                    "user_id": residents[big_council["id"]][number] if with_account else None,
                    "display_name": self._name() if number % 3 else "",
                    "charter_accepted_at": big["starts_at"],
                    "joined_at": big["starts_at"] + timedelta(minutes=number % 50),
                }
            )
        self.writer.write("workshop_participants", participants)
        lap("workshops, agendas, participants")

        # Proposals: the big workshop's, then the rest spread over the other workshops.
        others = [w for w in workshops if w is not big]
        homes = [big] * sizes.big_workshop + [rng.choice(others) for _ in range(sizes.proposals - sizes.big_workshop)]
        homes.sort(key=lambda w: w["id"])
        proposals, visible_by_workshop = [], defaultdict(list)
        for workshop in homes:
            council_id = workshop["council_id"]
            created = workshop["starts_at"] + timedelta(seconds=rng.randint(0, 7200))
            paper = rng.random() < 0.08
            status = rng.choices(("submitted", "accepted", "rejected", "merged"), weights=(45, 40, 8, 7))[0]
            visible = visible_by_workshop[workshop["id"]]
            if status == "merged" and not visible:
                status = "accepted"
            if paper:
                status = "accepted"
            row = {
                "id": self._id("proposals"),
                "workshop_id": workshop["id"],
                "author_id": None if paper else rng.choice(residents[council_id]),
                "participant_id": None,
                "theme_id": rng.choice(themes[council_id])["id"] if rng.random() < 0.5 else None,
                "title": f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(PLACES)}",
                "body": f"Pour {rng.choice(TOPICS)} : {rng.choice(VERBS).lower()} {rng.choice(OBJECTS)}. "
                "Les habitants en parlent depuis longtemps ; cela rendrait service aux familles.",
                "language": self._language(),
                "status": status,
                "rejection_reason": "Hors du champ de la commune." if status == "rejected" else "",
                "merged_into_id": rng.choice(visible)["id"] if status == "merged" else None,
                "origin": "paper" if paper else "online",
                "collected_by_id": staff[council_id]["facilitator"][0] if paper else None,
                "paper_author": self._name() if paper and rng.random() < 0.5 else "",
                "created_at": created,
                "updated_at": created,
            }
            proposals.append(row)
            if status in ("submitted", "accepted"):
                visible.append(row)
        self.writer.write("proposals", proposals)
        lap("proposals")

        def supports() -> Iterator[dict]:
            for workshop_id, rows in visible_by_workshop.items():
                council_id = workshop_council[workshop_id]
                people = residents[council_id]
                mean = BIG_WORKSHOP_SUPPORTS_MEAN if workshop_id == big["id"] else SUPPORTS_MEAN
                for proposal in rows:
                    count = min(len(people), int(rng.expovariate(1 / mean)))
                    for supporter in rng.sample(people, count):
                        yield {
                            "id": self._id("supports"),
                            "proposal_id": proposal["id"],
                            "user_id": supporter,
                            "participant_id": None,
                            "created_at": proposal["created_at"] + timedelta(minutes=rng.randint(1, 600)),
                        }

        workshop_council = {w["id"]: w["council_id"] for w in workshops}
        self.writer.write_stream("supports", supports())
        paper_counts = [
            {
                "id": self._id("paper_counts"),
                "proposal_id": p["id"],
                "count": rng.randint(1, 30),
                "collected_by_id": staff[workshop_council[p["workshop_id"]]]["facilitator"][0],
                "recorded_at": p["created_at"] + timedelta(minutes=30),
            }
            for rows in visible_by_workshop.values()
            for p in rows
            if rng.random() < 0.05
        ]
        self.writer.write("paper_counts", paper_counts)
        self.writer.settle_support_totals()
        lap("supports, paper counts")

        # Votes: closed ones (1,000,000 ballots at scale 1), a secret one, and open ones with no ballot yet.
        from consultation.voting import tally
        from consultation.voting.rules import apply_quorum

        electorate: dict[int, list[int]] = {
            c["id"]: residents[c["id"]] + [u for ids in staff[c["id"]].values() for u in ids] for c in councils
        }
        total_electorate = sum(len(v) for v in electorate.values())
        votes, options = [], []
        participation_rows: list[dict] = []
        ballot_rows: list[dict] = []
        results_vote: dict | None = None
        open_votes: list[list[Any]] = []
        vote_council: dict[str, int] = {}

        def flush_ballots(force: bool = False) -> None:
            nonlocal participation_rows, ballot_rows
            if force or len(participation_rows) >= BATCH:
                self.writer.write("vote_participations", participation_rows)
                self.writer.write("vote_ballots", ballot_rows)
                participation_rows, ballot_rows = [], []

        def new_vote(council: dict, *, status: str, electorate_kind: str = "residents", **extra: Any) -> dict:
            row = {
                "id": self._id("votes"),
                "council_id": council["id"],
                "workshop_id": None,
                "opinion_id": None,
                "created_by_id": staff[council["id"]]["facilitator"][0],
                "question": f"Quelle priorité pour {rng.choice(TOPICS)} ?",
                "description": "",
                "language": "fr",
                "method": "plurality",
                "electorate": electorate_kind,
                "is_secret": False,
                "allows_change": False,
                "max_score": None,
                "points": None,
                "grades": None,
                "majority": None,
                "quorum": None,
                "electorate_size": None,
                "max_proxies": 1,
                "status": status,
                "opens_at": None,
                "closes_at": None,
                "opened_at": None,
                "closed_at": None,
                "created_at": now - timedelta(days=400),
                "result": None,
                **extra,
            }
            votes.append(row)
            return row

        def add_options(vote: dict, proposals_for: list[dict] | None = None) -> list[str]:
            keys = []
            chosen = proposals_for or [None] * rng.randint(3, 5)
            for position, proposal in enumerate(chosen, start=1):
                option_id = self._id("vote_options")
                options.append(
                    {
                        "id": option_id,
                        "vote_id": vote["id"],
                        "position": position,
                        "label": proposal["title"] if proposal else f"Option {position} : {rng.choice(OBJECTS)}",
                        "language": proposal["language"] if proposal else "fr",
                        "proposal_id": proposal["id"] if proposal else None,
                    }
                )
                keys.append(str(option_id))
            return keys

        def closed_vote(council: dict, voters: list[int], **extra: Any) -> dict:
            vote = new_vote(council, status="closed", **extra)
            when = now - timedelta(days=rng.randint(31, 700))
            vote.update(opened_at=when - timedelta(days=7), closed_at=when, created_at=when - timedelta(days=10))
            workshop_rows = extra.get("workshop_id") and visible_by_workshop.get(extra["workshop_id"])
            keys = add_options(vote, rng.sample(workshop_rows, min(4, len(workshop_rows))) if workshop_rows else None)
            weights = [rng.random() + 0.1 for _ in keys]
            cast = rng.choices(keys, weights=weights, k=len(voters))
            secret = vote["is_secret"]
            vote_ballots = []
            for voter, choice in zip(voters, cast, strict=True):
                participation_rows.append(
                    {
                        "id": self._key(),
                        "vote_id": vote["id"],
                        "voter_id": voter,
                        "cast_by_id": voter,
                        "participant_id": None,
                        "channel": "online",
                    }
                )
                vote_ballots.append(
                    {
                        "id": self._key(),
                        "vote_id": vote["id"],
                        "voter_id": None if secret else voter,
                        "participant_id": None,
                        "content": choice,
                    }
                )
            if secret:
                rng.shuffle(vote_ballots)
            ballot_rows.extend(vote_ballots)
            result = tally("plurality", keys, cast)
            winners, reached = apply_quorum("plurality", result.winners, len(cast), None)
            vote["result"] = json.loads(
                json.dumps(
                    {
                        "ranking": result.ranking,
                        "winners": winners,
                        "details": result.details,
                        "ballots": len(cast),
                        "quorum_reached": reached,
                        "electorate": len(electorate[council["id"]]),
                    }
                )
            )
            flush_ballots()
            return vote

        written = 0
        for index, council in enumerate(councils):
            people = electorate[council["id"]]
            budget = round(sizes.ballots * len(people) / total_electorate)
            if index == len(councils) - 1:
                budget = sizes.ballots - written
            members = [u for role in ("member", "secretary", "president") for u in staff[council["id"]][role]]
            council_workshops = [w for w in by_council[council["id"]] if w["phase"] == "closed"]
            spent = 0
            vote_number = 0
            while spent < budget:
                vote_number += 1
                extra: dict[str, Any] = {}
                if vote_number == 1 and index == 0:
                    # The measured results page: an open-ballot vote of the big council, with its roll call.
                    count = round(len(people) * RESULTS_VOTE_TURNOUT)
                elif vote_number == 2 and index == 0:
                    count = round(len(people) * 0.85)
                    extra["is_secret"] = True
                elif vote_number in (3, 4) and index == 0:
                    count = round(len(people) * rng.uniform(0.2, 0.4))
                    extra["workshop_id"] = big["id"]
                elif vote_number == 1:
                    voters = members[: min(len(members), budget - spent)]
                    closed_vote(council, voters, electorate="members")
                    spent += len(voters)
                    continue
                else:
                    count = round(len(people) * rng.uniform(0.55, 0.95))
                    if council_workshops and rng.random() < 0.3:
                        extra["workshop_id"] = rng.choice(council_workshops)["id"]
                count = max(1, min(count, budget - spent))
                vote = closed_vote(council, rng.sample(people, count), **extra)
                spent += count
                if index == 0 and vote_number == 1:
                    results_vote = vote
            written += spent
            for _ in range(self.open_votes_per_council):
                vote = new_vote(
                    council, status="open", opened_at=now - timedelta(hours=1), created_at=now - timedelta(days=2)
                )
                vote["question"] = f"Vote ouvert : {vote['question']}"
                keys = add_options(vote)
                open_votes.append([vote["id"], council["slug"], keys])
                vote_council[str(vote["id"])] = council["id"]
        flush_ballots(force=True)
        self.writer.write("votes", votes)
        self.writer.write("vote_options", options)
        lap("votes, participations, ballots")
        timings.update(self.writer.finish())

        assert results_vote is not None
        return Targets(
            scale=self.scale,
            council_id=big_council["id"],
            council_slug=big_council["slug"],
            big_workshop_id=big["id"],
            big_workshop_visible=len(visible_by_workshop[big["id"]]),
            results_vote_id=results_vote["id"],
            results_vote_ballots=results_vote["result"]["ballots"],
            facilitator_id=staff[big_council["id"]]["facilitator"][0],
            facilitator_email="animatrice-00@bench.test",
            password=PASSWORD,
            open_votes=open_votes,
            voters={str(c["id"]): electorate[c["id"]] for c in councils},
            vote_council=vote_council,
            counts=dict(self.writer.counts),
            seconds=timings,
        )


def load(database: str, scale: float, where: str, *, open_votes_per_council: int = OPEN_VOTES_PER_COUNCIL) -> Targets:
    """A fresh database (SQLite file path or PostgreSQL database name), migrated, then filled."""
    url = sqlalchemy_url(database, where)
    began = time.perf_counter()
    if database == "postgresql":
        recreate_postgres_database(where)
    migrate(url)
    migrated = time.perf_counter() - began
    engine = create_engine(url)
    writer = BulkWriter(engine)
    targets = Territory(scale, writer, open_votes_per_council=open_votes_per_council).generate()
    targets.seconds = {"migrations": migrated, **targets.seconds, "total": time.perf_counter() - began}
    return targets
