"""Helpers for views: safe redirects, the page a list asks for, and the request's clock."""

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


def page_of(total: int, per_page: int, requested: int | None) -> tuple[int, int]:
    """(page, pages) of a list of `total` rows shown `per_page` at a time: the page asked for, kept
    between the first and the last (a missing, non-numeric or past-the-end ?page= is not an error)."""
    pages = max(1, -(-total // per_page))
    return min(max(requested or 1, 1), pages), pages
