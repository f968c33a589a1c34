"""Domain errors raised by services, and the handlers that turn them and HTTP errors into pages."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from consultation.extensions import db

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A user action broke a rule; `message` is shown to the user in their language."""

    status = 400

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message)
        self.message = message


class NotAllowed(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


TITLES = {
    400: _l("The request could not be understood"),
    403: _l("Access refused"),
    404: _l("Page not found"),
    405: _l("Action not allowed here"),
    409: _l("This action conflicts with the current state"),
    413: _l("The file or form sent is too large"),
    429: _l("Too many attempts"),
    500: _l("Something went wrong on our side"),
}
EXPLANATIONS = {
    400: _l("Go back, check what you typed and try again."),
    403: _l("You do not have the right to see this page or to do this action."),
    404: _l("The page you asked for does not exist or was removed."),
    405: _l("Go back and use the buttons of the page."),
    409: _l("The situation changed in the meantime. Go back and reload the page."),
    413: _l("Send a smaller file or a shorter text."),
    429: _l("Wait a minute before trying again."),
    500: _l("Your action was not saved. Please try again in a moment."),
}


def render_error(status: int, message: str | None = None):
    if request.path.startswith("/api/"):
        return {"error": str(message or TITLES.get(status, TITLES[400])), "status": status}, status
    return (
        render_template(
            "errors/error.html",
            status=status,
            title=TITLES.get(status, TITLES[400]),
            message=message or EXPLANATIONS.get(status, EXPLANATIONS[400]),
        ),
        status,
    )


def init_app(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        db.session.rollback()
        return render_error(error.status, error.message)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error(
            400, _l("The form expired or was sent from another site. Reload the page and send it again.")
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        status = error.code or 500
        if status == 401:
            status = 403
        return render_error(status)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        # Never a half-done transaction, never a bare 500 page.
        db.session.rollback()
        log.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(500)
