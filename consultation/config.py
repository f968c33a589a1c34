"""Configuration read from the environment; see README.md for every variable."""

from __future__ import annotations

import os
from pathlib import Path


class ConfigError(RuntimeError):
    """Start-up refused: the environment is incomplete or wrong."""


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def is_debug() -> bool:
    return _flag("FLASK_DEBUG")


def database_url(instance_path: str) -> tuple[str, bool]:
    """Return the database URL and whether it is the embedded SQLite default."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        # Heroku-style URLs say postgres://; SQLAlchemy wants an explicit driver (psycopg 3).
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url[len("postgres://") :]
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        return url, False
    path = Path(instance_path) / "consultation.sqlite"
    return f"sqlite:///{path}", True


def _integer(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {value!r}.") from None


def mail_settings(instance_path: str) -> dict:
    """Outgoing mail (consultation.mail): the backend and its settings."""
    return {
        # smtp in production; console (logs each message) by default; file writes .eml files; memory for tests.
        "MAIL_BACKEND": os.environ.get("MAIL_BACKEND", "console").strip().lower(),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "localhost").strip(),
        "MAIL_PORT": _integer("MAIL_PORT", 25),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _flag("MAIL_USE_TLS"),
        "MAIL_USE_SSL": _flag("MAIL_USE_SSL"),
        "MAIL_TIMEOUT": _integer("MAIL_TIMEOUT", 10),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "Conseils citoyens <no-reply@localhost>").strip(),
        "MAIL_FILE_DIR": os.environ.get("MAIL_FILE_DIR", "").strip() or str(Path(instance_path) / "mail"),
        # The public address of the site, for the links in mail (required with smtp: never trust the Host header).
        "BASE_URL": os.environ.get("BASE_URL", "").strip(),
    }


def from_environment(instance_path: str, overrides: dict | None = None) -> dict:
    overrides = overrides or {}
    debug = is_debug()
    secret = str(overrides.get("SECRET_KEY") or os.environ.get("SECRET_KEY", "")).strip()
    if not secret:
        if not debug:
            raise ConfigError(
                "SECRET_KEY is not set. Set it to a long random value "
                '(python -c "import secrets; print(secrets.token_hex(32))"), '
                "or set FLASK_DEBUG=1 to use a development key on your own machine."
            )
        secret = "development-only-secret-key-do-not-use-in-production"  # noqa: S105  # nosec B105 (only with FLASK_DEBUG)
    url, embedded = database_url(instance_path)
    if overrides.get("SQLALCHEMY_DATABASE_URI"):
        url, embedded = overrides["SQLALCHEMY_DATABASE_URI"], False
    redis_url = os.environ.get("REDIS_URL", "").strip()
    engine_options: dict = {"pool_pre_ping": True}
    if not _flag("DATABASE_PREPARED_STATEMENTS", default=True):
        # Behind a pooler that hands each transaction another server connection (PgBouncer in transaction
        # mode, before 1.21 or without max_prepared_statements), psycopg must not prepare statements.
        engine_options["connect_args"] = {"prepare_threshold": None}
    if url.startswith("sqlite"):
        engine_options = {"connect_args": {"timeout": 30}}
    settings = {
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options,
        "EMBEDDED_DATABASE": embedded,
        "AUTO_MIGRATE": _flag("AUTO_MIGRATE", default=embedded),
        "BABEL_DEFAULT_LOCALE": os.environ.get("DEFAULT_LOCALE", "fr"),
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("DEFAULT_TIMEZONE", "Europe/Paris"),
        "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", default=not debug),
        "REMEMBER_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", default=not debug),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", str(10 * 1024 * 1024))),
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_ENABLED": _flag("RATELIMIT_ENABLED", default=True),
        "RATELIMIT_HEADERS_ENABLED": True,
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        # Files attached to proposals: where they are kept, and the largest one accepted (5 MB).
        "UPLOADS_DIR": os.environ.get("UPLOADS_DIR", "").strip() or str(Path(instance_path) / "uploads"),
        "ATTACHMENT_MAX_BYTES": _integer("ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024),
        **mail_settings(instance_path),
    }
    settings.update(overrides)
    settings["SECRET_KEY"] = secret
    return settings
