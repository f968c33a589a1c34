"""Route access rules: every endpoint declares one, and an undeclared endpoint is refused.

Route rules say who may reach a URL at all; the services then check the object-level rules
(consultation.permissions) for the council the object belongs to."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, current_app, request
from flask_login import current_user

from consultation.extensions import login_manager
from consultation.permissions import Actor

RULE_ATTRIBUTE = "access_rule"
PUBLIC = "public"
AUTHENTICATED = "authenticated"


def public(view: Callable[..., Any]) -> Callable[..., Any]:
    """Anyone may reach this URL; the view still checks the object (draft, hidden …)."""
    setattr(view, RULE_ATTRIBUTE, PUBLIC)
    return view


def authenticated(view: Callable[..., Any]) -> Callable[..., Any]:
    """Only a logged-in person; anonymous visitors are sent to the login page."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return view(*args, **kwargs)

    setattr(wrapper, RULE_ATTRIBUTE, AUTHENTICATED)
    return wrapper


def rule_of(endpoint: str) -> str | None:
    view = current_app.view_functions.get(endpoint)
    return getattr(view, RULE_ATTRIBUTE, None)


def enforce_declared_rules() -> None:
    """before_request: deny by default."""
    endpoint = request.endpoint
    if endpoint is None or endpoint == "static":
        return
    if rule_of(endpoint) is None:
        abort(403)


def current_actor() -> Actor:
    if current_user and current_user.is_authenticated:
        return current_user.actor
    return Actor.anonymous()
