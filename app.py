"""WSGI entry point: `flask --app app …` and `gunicorn app:app` both load this."""

from consultation import ConfigError, create_app

try:
    app = create_app()
except ConfigError as error:
    raise SystemExit(f"consultation cannot start: {error}") from None
