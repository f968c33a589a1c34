"""Fixtures: one migrated database per run (SQLite, or PostgreSQL from TEST_DATABASE_URL), emptied
after every test; an app with CSRF off for the test client and one with CSRF on for browsers."""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from pathlib import Path

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import inspect, text
from werkzeug.serving import make_server

from consultation import create_app
from consultation.extensions import db
from tests import factories

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "").strip()
_tmp = Path(tempfile.mkdtemp(prefix="consultation-tests-"))


# Under pytest-xdist each worker gets its own database: a SQLite file in its own temporary folder, or
# a PostgreSQL database named after TEST_DATABASE_URL's with the worker's id ("…_gw0"), made on demand.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def _database_url() -> str:
    if TEST_DATABASE_URL:
        url = TEST_DATABASE_URL
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        if XDIST_WORKER:
            url = f"{url}_{XDIST_WORKER}"
        return url
    return f"sqlite:///{_tmp / 'tests.sqlite'}"


def _ensure_worker_database(drop: bool = False) -> None:
    """Create (or, at the end, drop) this worker's PostgreSQL database; nothing to do on SQLite."""
    if not (TEST_DATABASE_URL and XDIST_WORKER):
        return
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(_database_url())
    with psycopg.connect(
        host=url.host, port=url.port, user=url.username, password=url.password, dbname="postgres", autocommit=True
    ) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (url.database,)).fetchone()
        if drop and exists:
            connection.execute(f'DROP DATABASE "{url.database}" WITH (FORCE)')
        elif not drop and not exists:
            connection.execute(f'CREATE DATABASE "{url.database}"')


BASE_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "tests-only-secret",
    "SQLALCHEMY_DATABASE_URI": _database_url(),
    "SESSION_COOKIE_SECURE": False,
    "REMEMBER_COOKIE_SECURE": False,
    "RATELIMIT_ENABLED": False,
    "AUTO_MIGRATE": False,
    # Mail stays in app.extensions["mail_outbox"] (consultation.mail.outbox), read by the tests.
    "MAIL_BACKEND": "memory",
}


def _reset_schema(app) -> None:
    """Start from nothing, then build the schema with the migrations (not create_all)."""
    from consultation import upgrade_database

    with app.app_context():
        engine = db.engine
        with engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
            else:
                for table in inspect(connection).get_table_names():
                    connection.execute(text(f'DROP TABLE IF EXISTS "{table}"'))
        upgrade_database()
        db.session.remove()


class FreshReadsClient(FlaskClient):
    """After each request, end the test's own read transaction so that it sees what the request
    committed (SQLite keeps a snapshot for the length of a transaction)."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        if has_app_context():
            db.session.rollback()
        return response


def _web_app(**overrides):
    application = create_app({**BASE_CONFIG, **overrides})
    application.test_client_class = FreshReadsClient
    return application


def _dispose(application) -> None:
    """Close pooled connections now: psycopg warns (an error here) when one is garbage-collected open."""
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def data_app():
    """The application whose context the test itself runs in (factories, checks)."""
    _ensure_worker_database()
    application = create_app({**BASE_CONFIG, "WTF_CSRF_ENABLED": False})
    _reset_schema(application)
    yield application
    _dispose(application)
    _ensure_worker_database(drop=True)


@pytest.fixture(scope="session")
def app(data_app):
    """The application the test client talks to: a separate instance, so that every request gets
    its own application context (and its own session, locale and user), as in production."""
    application = _web_app(WTF_CSRF_ENABLED=False)
    yield application
    _dispose(application)


@pytest.fixture()
def make_app(data_app):
    """Another application on the test database, with other settings; disposed after the test."""
    made = []

    def build(**overrides):
        application = _web_app(**{"WTF_CSRF_ENABLED": False, **overrides})
        made.append(application)
        return application

    yield build
    for application in made:
        _dispose(application)


@pytest.fixture(scope="session")
def csrf_app(app):
    """Same database, CSRF protection on: what a browser meets."""
    application = _web_app(WTF_CSRF_ENABLED=True)
    yield application
    _dispose(application)


@pytest.fixture(autouse=True)
def _clean_database(request):
    yield
    if "data_app" not in request.fixturenames:
        return
    application = request.getfixturevalue("data_app")
    with application.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())


@pytest.fixture()
def ctx(data_app):
    """An application context for factories and direct database checks."""
    with data_app.app_context():
        yield
        db.session.remove()


@pytest.fixture()
def client(app, ctx):
    return app.test_client()


@pytest.fixture()
def login(app):
    def log_in(client, user, password: str = factories.PASSWORD):
        response = client.post("/account/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return log_in


@pytest.fixture(autouse=True)
def weasyprint_errors_fail_tests():
    """WeasyPrint only logs its errors (a missing lang, a failed fetch): make them fail the test."""
    records: list[logging.LogRecord] = []

    class Collector(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Collector(level=logging.ERROR)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)
    assert not records, [record.getMessage() for record in records]


class LiveServer:
    def __init__(self, application) -> None:
        self.server = make_server("127.0.0.1", 0, application, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)


@pytest.fixture(scope="session")
def live_server(csrf_app):
    server = LiveServer(csrf_app)
    yield server
    server.stop()
