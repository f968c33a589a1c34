"""Interface languages: which ones ship, how one is chosen per request, and catalog compilation."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import current_app, request, session
from flask_babel import force_locale, get_locale  # noqa: F401  (re-exported for callers)
from flask_login import current_user

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS_DIR = ROOT / "translations"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Language:
    code: str  # gettext catalog code, e.g. "pt_BR"
    name: str  # autonym shown in the switcher, so a reader finds their own language
    direction: str = "ltr"

    @property
    def html_lang(self) -> str:
        return self.code.replace("_", "-")


# Every shipped language has a complete catalog (tests/i18n checks it).
LANGUAGES: dict[str, Language] = {
    "fr": Language("fr", "Français"),
    "en": Language("en", "English"),
}
DEFAULT_LANGUAGE = "fr"
SESSION_KEY = "locale"


def language(code: str | None) -> Language:
    return LANGUAGES.get(code or "", LANGUAGES[DEFAULT_LANGUAGE])


def select_locale() -> str:
    """Profile, then the remembered choice, then the browser, then the platform default."""
    user = current_user
    if user and getattr(user, "is_authenticated", False) and user.locale in LANGUAGES:
        return user.locale
    remembered = session.get(SESSION_KEY)
    if remembered in LANGUAGES:
        return remembered
    best = request.accept_languages.best_match(list(LANGUAGES)) if request else None
    if best:
        return best
    default = current_app.config.get("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    return default if default in LANGUAGES else DEFAULT_LANGUAGE


def current_language() -> Language:
    return language(str(get_locale()))


def compile_catalogs(directory: Path = TRANSLATIONS_DIR, *, force: bool = False) -> list[str]:
    """Compile each .po into its .mo when missing or stale, so a fresh clone works without a build."""
    compiled = []
    for po_path in sorted(directory.glob("*/LC_MESSAGES/messages.po")):
        mo_path = po_path.with_suffix(".mo")
        if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        try:
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog, use_fuzzy=False)
        except OSError as error:  # read-only deployment: the image must ship compiled catalogs
            log.warning("cannot compile %s: %s", po_path, error)
            continue
        compiled.append(str(po_path.parent.parent.name))
    return compiled
