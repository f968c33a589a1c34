"""Participatory consultation platform for citizen councils: the application factory."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from werkzeug.middleware.proxy_fix import ProxyFix

from consultation import access, errors, i18n
from consultation.config import ConfigError, from_environment  # noqa: F401  (ConfigError re-exported)
from consultation.extensions import babel, csrf, db, limiter, login_manager, migrate
from consultation.i18n import LANGUAGES, current_language

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder="static",
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    from consultation.request import CleanRequest

    app.request_class = CleanRequest
    app.config.update(from_environment(app.instance_path, config))
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_prefix=hops)

    _init_extensions(app)
    _register_blueprints(app)
    errors.init_app(app)
    _init_templates(app)
    app.before_request(access.enforce_declared_rules)
    app.after_request(_security_headers)

    from consultation.cli import register_commands

    register_commands(app)
    with app.app_context():
        if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
            from consultation.dbutil import configure_sqlite

            configure_sqlite(db.engine)
        from consultation.dbutil import keep_prepared_statements

        keep_prepared_statements(app, db.engine)
        if app.config.get("AUTO_MIGRATE"):
            upgrade_database()
    return app


def upgrade_database() -> None:
    from flask_migrate import upgrade

    # "heads": domain branches may add migrations side by side before they are merged.
    upgrade(directory=str(MIGRATIONS_DIR), revision="heads")


def _init_extensions(app: Flask) -> None:
    import consultation.models  # noqa: F401  (every table registered before anything queries)
    from consultation.db import render_migration_item

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(MIGRATIONS_DIR),
        render_as_batch=True,
        compare_type=True,
        render_item=render_migration_item,
    )
    csrf.init_app(app)
    i18n.init_app(app, babel)
    limiter.init_app(app)
    from consultation import mail

    mail.init_app(app)

    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Log in to continue.")
    login_manager.login_message_category = "info"

    from consultation.accounts.models import User, user_of_session

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        return user_of_session(user_id)


def _register_blueprints(app: Flask) -> None:
    from consultation.accounts.views import bp as accounts
    from consultation.councils.views import bp as councils
    from consultation.main.views import bp as main
    from consultation.opinions.views import bp as opinions
    from consultation.pages.views import bp as pages
    from consultation.proposals.views import bp as proposals
    from consultation.referrals.views import bp as referrals
    from consultation.voting.views import bp as votes
    from consultation.workshops.console import bp as console
    from consultation.workshops.join import bp as join
    from consultation.workshops.minutes_views import bp as minutes
    from consultation.workshops.views import bp as workshops

    for blueprint in (main, accounts, councils, workshops, proposals, opinions, pages):
        app.register_blueprint(blueprint)
    for blueprint in (referrals, console, join, minutes):
        app.register_blueprint(blueprint)
    app.register_blueprint(votes)
    from consultation.notifications.views import bp as notifications

    app.register_blueprint(notifications)
    from consultation.api.views import bp as api

    app.register_blueprint(api)
    from consultation.multilingual.views import bp as texts

    app.register_blueprint(texts)
    from consultation.sitemap import bp as sitemap

    app.register_blueprint(sitemap)
    from consultation.privacy.views import bp as privacy

    app.register_blueprint(privacy)
    from consultation.admin.views import bp as admin
    from consultation.moderation.views import bp as moderation

    app.register_blueprint(moderation)
    app.register_blueprint(admin)
    from consultation.consultations.views import bp as consultations

    app.register_blueprint(consultations)
    from consultation.calls.views import bp as calls
    from consultation.diagnostic.views import bp as diagnostic

    app.register_blueprint(diagnostic)
    app.register_blueprint(calls)
    from consultation.territory.views import bp as territory

    app.register_blueprint(territory)


def _init_templates(app: Flask) -> None:
    from flask_babel import get_locale

    from consultation.pages.views import footer_accessibility_status
    from consultation.workshops.labels import phase_label

    app.jinja_env.globals.update(
        accessibility_status=footer_accessibility_status,
        get_locale=get_locale,
        current_language=current_language,
        LANGUAGES=LANGUAGES,
        phase_label=phase_label,
    )
    from consultation.i18n import content_direction
    from consultation.notifications.views import unread_for_current_user

    app.jinja_env.globals["unread_notifications"] = unread_for_current_user

    # {{ text.language|dir_of }}: the direction of people's text, whatever the page's language.
    app.jinja_env.filters["dir_of"] = content_direction
    # {{ name|isolate }}: a person's name in a sentence keeps its own direction (<bdi>): "Marie-José"
    # beside an Arabic date, or an Arabic name in a French line, no longer swaps places with its neighbours.
    app.jinja_env.filters["isolate"] = lambda value: Markup("<bdi>%s</bdi>") % value
    # <time datetime>: HTML accepts at most milliseconds, Python writes microseconds.
    app.jinja_env.filters["iso"] = lambda value: (
        value.replace(microsecond=0).isoformat() if hasattr(value, "hour") else value.isoformat()
    )


def _security_headers(response):
    for header, value in SECURITY_HEADERS.items():
        response.headers.setdefault(header, value)
    if response.mimetype == "text/html":
        response.headers.setdefault("Cache-Control", "no-store")
    return response
