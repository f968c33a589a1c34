"""A person's notifications."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.routing import BuildError

from consultation import access
from consultation.extensions import db
from consultation.forms import ButtonForm
from consultation.notifications import services
from consultation.notifications.labels import describe, link_target
from consultation.web import utcnow

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


def _link(notification) -> str:
    target = link_target(notification.kind, notification.params or {}, notification.link)
    if isinstance(target, tuple):
        try:
            return url_for(target[0], **target[1])
        except BuildError:
            return ""
    return target


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
