"""How long a web worker is held by the largest CSV invitation a council may send (issue 9: long jobs
never block a worker for more than a few seconds): checking and importing MAX_LINES new members into a
fresh SQLite database, or into PostgreSQL with --database-url.

    python -m tests.bench.members_import [--lines 5000] [--database-url postgresql+psycopg://…]

Prints the check time, the import time (until the commit) and the number of accounts created."""

from __future__ import annotations

import argparse
import os
import tempfile
import time


def main() -> None:
    from consultation.admin import invitations

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=invitations.MAX_LINES)
    parser.add_argument("--database-url", default="")
    options = parser.parse_args()
    os.environ.setdefault("FLASK_DEBUG", "1")

    from consultation import create_app
    from consultation.councils.models import Council
    from consultation.extensions import db
    from consultation.web import utcnow

    url = options.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='bench-import-')}/bench.sqlite"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "AUTO_MIGRATE": True, "TESTING": True})
    with app.app_context():
        council = Council(name="Banc d'essai", slug=f"bench-{int(time.time())}")
        db.session.add(council)
        db.session.commit()
        stamp = int(time.time())
        rows = ["email,display_name,role"] + [
            f"p{stamp}-{n}@example.org,Personne {n},resident" for n in range(options.lines)
        ]
        started = time.perf_counter()
        checked = invitations.check_file("\n".join(rows).encode(), max_lines=options.lines)
        checked_in = time.perf_counter() - started
        assert not checked.rejections, checked.rejections[:3]
        started = time.perf_counter()
        summary = invitations.import_invitations(checked.invitations, council, actor_id=None, now=utcnow())
        db.session.commit()
        imported_in = time.perf_counter() - started
    print(f"database: {url.split(':')[0]}")
    print(f"lines: {options.lines}")
    print(f"check: {checked_in:.2f} s")
    print(f"import and commit: {imported_in:.2f} s")
    print(f"accounts created: {summary.accounts_created}")


if __name__ == "__main__":
    main()
