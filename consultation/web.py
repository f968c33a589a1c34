"""Helpers for views: safe redirects and the request's clock."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import redirect, url_for

from consultation.db import utcnow  # noqa: F401  (views take the time from here)


def is_safe_next(target: str | None) -> bool:
    """Only same-site paths: never an open redirect to another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def redirect_next(target: str | None, fallback_endpoint: str = "main.index", **values):
    return redirect(target if is_safe_next(target) else url_for(fallback_endpoint, **values))
