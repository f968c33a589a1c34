"""A person's notifications."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.routing import BuildError

from consultation import access
from consultation.extensions import db
from consultation.forms import ButtonForm
from consultation.notifications import services
from consultation.notifications.labels import describe
from consultation.web import is_safe_next, utcnow

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


def _link(notification) -> str:
    params = notification.params or {}
    if notification.kind.startswith("opinion_") and "slug" in params and "opinion_id" in params:
        try:
            return url_for("opinions.show", slug=params["slug"], opinion_id=params["opinion_id"])
        except BuildError:
            return ""
    return notification.link if is_safe_next(notification.link) else ""


@bp.get("")
@access.authenticated
def index():
    items = services.latest(current_user.id)
    return render_template(
        "notifications/index.html",
        items=[(n, describe(n.kind, n.params), _link(n)) for n in items],
        button_form=ButtonForm(),
    )


@bp.post("/read")
@access.authenticated
def mark_read():
    services.mark_all_read(current_user.id, now=utcnow())
    db.session.commit()
    return redirect(url_for("notifications.index"))


def unread_for_current_user() -> int:
    """For the page header: one count query, only for a logged-in person."""
    if not current_user or not current_user.is_authenticated:
        return 0
    return services.unread_count(current_user.id)
