"""Outgoing mail: messages rendered in their reader's language, sent by the configured backend.

Backends (MAIL_BACKEND): `smtp` for production, `console` (the default) logs each message,
`file` writes .eml files to MAIL_FILE_DIR, `memory` keeps them in `outbox()` for the tests.
Sending never raises: a failure is logged and reported as False, so that no page answers 500
because a mail server is down. Mail asked for during a transaction leaves after its commit
(`send_after_commit`), and never when the transaction is rolled back."""

from __future__ import annotations

import logging
import smtplib
import ssl
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from flask import Flask, current_app, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from consultation.config import ConfigError
from consultation.db import utcnow
from consultation.extensions import db
from consultation.i18n import LANGUAGES, force_locale, language

log = logging.getLogger(__name__)
console_log = logging.getLogger("consultation.mail.console")

BACKENDS = ("smtp", "console", "file", "memory")
OUTBOX_KEY = "mail_outbox"
_PENDING_KEY = "mail_after_commit"


@dataclass(frozen=True)
class Mail:
    """One rendered message: plain text and HTML alternatives of the same words."""

    to: str
    subject: str
    text: str
    html: str
    language: str  # the HTML lang code of the message, e.g. "pt-BR"

    def as_message(self, sender: str) -> EmailMessage:
        message = EmailMessage()
        message["Subject"] = self.subject
        message["From"] = sender
        message["To"] = self.to
        message["Date"] = format_datetime(utcnow())
        message["Message-ID"] = make_msgid(domain=(parseaddr(sender)[1].rpartition("@")[2] or None))
        # RFC 3834: no out-of-office answers to a robot.
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(self.text)
        message.add_alternative(self.html, subtype="html")
        # After the parts: set_content() drops the Content-* headers set before it.
        message["Content-Language"] = self.language
        return message


def init_app(app: Flask) -> None:
    backend = app.config["MAIL_BACKEND"]
    if backend not in BACKENDS:
        raise ConfigError(f"MAIL_BACKEND must be one of {', '.join(BACKENDS)}, not {backend!r}.")
    if "@" not in parseaddr(app.config["MAIL_FROM"])[1]:
        raise ConfigError(f"MAIL_FROM is not an email address: {app.config['MAIL_FROM']!r}.")
    if backend == "smtp" and not app.config.get("BASE_URL"):
        raise ConfigError(
            "BASE_URL is not set. With MAIL_BACKEND=smtp, set it to the site's public address "
            "(https://consultation.example.fr): the links in mail must not come from a request's Host header."
        )
    if backend == "console" and not console_log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        console_log.addHandler(handler)
        console_log.setLevel(logging.INFO)
        console_log.propagate = False
    app.extensions[OUTBOX_KEY] = []
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", _after_soft_rollback)


def outbox(app: Flask | None = None) -> list[Mail]:
    """What the memory backend sent, oldest first (tests read and clear it)."""
    return (app or current_app).extensions[OUTBOX_KEY]


def reader_language(locale: str | None) -> str:
    """The language a person reads mail in: their profile's, else the platform's default."""
    if locale in LANGUAGES:
        return locale
    return language(current_app.config.get("BABEL_DEFAULT_LOCALE")).code


def render(template: str, *, to: str, locale: str | None, subject, **context) -> Mail:
    """Render templates/mail/<template>.txt and .html inside the reader's language.

    `subject` is a lazy string (`_l(...)`), translated here. The templates see `lang` and `subject`
    besides the context; they are rendered without request context processors, so that rendering
    after a commit never loads anything from the database."""
    code = reader_language(locale)
    with force_locale(code):
        words = " ".join(str(subject).split())  # a header holds no line break
        values = {**context, "subject": words, "lang": language(code)}
        environment = current_app.jinja_env
        text = environment.get_template(f"mail/{template}.txt").render(values)
        html = environment.get_template(f"mail/{template}.html").render(values)
    return Mail(to=to, subject=words, text=text.strip() + "\n", html=html, language=language(code).html_lang)


def send(mail: Mail) -> bool:
    """Send now; True when the backend took the message. Never raises."""
    try:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        backend = app.config["MAIL_BACKEND"]
        message = mail.as_message(app.config["MAIL_FROM"])
        if backend == "memory":
            app.extensions[OUTBOX_KEY].append(mail)
        elif backend == "console":
            # Readable rather than MIME: the HTML alternative says the same words.
            console_log.info(
                "---- mail not sent (MAIL_BACKEND=console) ----\nTo: %s\nSubject: %s\nContent-Language: %s\n\n%s",
                mail.to,
                mail.subject,
                mail.language,
                mail.text,
            )
        elif backend == "file":
            _write_file(Path(app.config["MAIL_FILE_DIR"]), message)
        else:
            _send_smtp(app.config, message)
    except Exception:  # a mail problem must never become an error page
        log.exception("could not send the mail %r", mail.subject)
        return False
    return True


def _write_file(directory: Path, message: EmailMessage) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    name = f"{utcnow():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:12]}.eml"
    (directory / name).write_bytes(message.as_bytes())


def _send_smtp(config, message: EmailMessage) -> None:
    context = ssl.create_default_context()
    timeout = config["MAIL_TIMEOUT"]
    if config["MAIL_USE_SSL"]:
        connection: smtplib.SMTP = smtplib.SMTP_SSL(
            config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout, context=context
        )
    else:
        connection = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout)
    with connection:
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            connection.starttls(context=context)
        if config["MAIL_USERNAME"]:
            connection.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        connection.send_message(message)


def send_after_commit(build: Callable[[], Mail | None]) -> None:
    """Render and send once the current transaction commits; forget it if the transaction rolls back.

    `build` runs after the commit: it must use plain values captured beforehand, not models
    (the session cannot load anything at that moment)."""
    db.session.info.setdefault(_PENDING_KEY, []).append(build)


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint: the real commit is still to come
        return
    for build in session.info.pop(_PENDING_KEY, None) or ():
        try:
            mail = build()
        except Exception:
            log.exception("could not render a mail")
            continue
        if mail is not None:
            send(mail)


def _after_soft_rollback(session: Session, previous_transaction) -> None:
    if not previous_transaction.nested:
        session.info.pop(_PENDING_KEY, None)


def _base_url() -> str:
    configured = current_app.config.get("BASE_URL")
    if configured:
        return configured.rstrip("/") + "/"
    if has_request_context():
        return request.url_root
    return "http://localhost:5000/"


def external_url(endpoint: str, **values) -> str:
    """An absolute URL for mail, outside a request too (the digest runs from the command line)."""
    parts = urlsplit(_base_url())
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path.rstrip("/") or "/", url_scheme=parts.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


def external_path(path: str) -> str:
    """An absolute URL for a same-site path ("/councils/x")."""
    return urljoin(_base_url(), path.lstrip("/"))
