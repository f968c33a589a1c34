"""Interface languages: which ones ship, how one is chosen per request, and catalog compilation.

A language has two codes: its own (the `lang` attribute and the gettext catalog, e.g. "ht") and a
CLDR locale that formats its dates and numbers (e.g. "fr_HT"), because CLDR knows some of our
languages only in part (Haitian Creole has no month names) or not at all (Guianese Creole,
Sranan Tongo). Flask-Babel formats with whatever the locale selector returns, so the selector
returns an `InterfaceLocale`: a real CLDR locale that remembers the language it stands for, and
`InterfaceDomain` loads the catalog of that language, not of the CLDR locale.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import flask_babel
from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from flask import Flask, current_app, g, has_app_context, has_request_context, request, session
from flask_babel import Domain, get_locale
from flask_login import current_user

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS_DIR = ROOT / "translations"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Language:
    code: str  # gettext catalog code, e.g. "pt_BR"
    name: str  # autonym shown in the switcher, so a reader finds their own language
    direction: str = "ltr"
    cldr: str | None = None  # CLDR locale for dates and numbers when CLDR lacks the language

    @property
    def html_lang(self) -> str:
        return self.code.replace("_", "-")

    @property
    def cldr_code(self) -> str:
        return self.cldr or self.code


# Every shipped language has a complete catalog (tests/i18n and `flask i18n check` verify it).
LANGUAGES: dict[str, Language] = {
    "fr": Language("fr", "Français"),
    "en": Language("en", "English"),
    "es": Language("es", "Español"),
    "pt_BR": Language("pt_BR", "Português (Brasil)"),
    # CLDR knows "ht" without month or day names: format as French of Haiti.
    "ht": Language("ht", "Kreyòl ayisyen", cldr="fr_HT"),
    "ar": Language("ar", "العربية", direction="rtl"),
}

# Languages of the territory that wait for a complete catalog before they ship (CLDR does not
# know them at all). To ship one: translate its catalog, then move its line into LANGUAGES.
UPCOMING_LANGUAGES: dict[str, Language] = {
    "gcr": Language("gcr", "Kriyòl gwiyanè", cldr="fr_GF"),
    "srn": Language("srn", "Sranantongo", cldr="nl_SR"),
}
DEFAULT_LANGUAGE = "fr"
SESSION_KEY = "locale"


def language(code: str | None) -> Language:
    return LANGUAGES.get(code or "", LANGUAGES[DEFAULT_LANGUAGE])


class InterfaceLocale(Locale):
    """The CLDR locale that formats dates and numbers, carrying the interface language it serves."""

    def __init__(self, interface: Language) -> None:
        cldr = Locale.parse(interface.cldr_code)
        super().__init__(cldr.language, cldr.territory, cldr.script, cldr.variant, cldr.modifier)
        self.interface = interface

    def __repr__(self) -> str:
        return f"InterfaceLocale({self.interface.code!r}, cldr={super().__str__()!r})"


def interface_locale(code: str) -> InterfaceLocale:
    return InterfaceLocale(language(code))


def catalog_code(locale: Locale | None) -> str:
    """The gettext catalog of a locale: the interface language's own, whatever formats it."""
    if isinstance(locale, InterfaceLocale):
        return locale.interface.code
    return str(locale) if locale is not None else DEFAULT_LANGUAGE


class InterfaceDomain(Domain):
    """Flask-Babel's domain, but the catalog is the interface language's, not the CLDR locale's."""

    def get_translations(self) -> Translations | NullTranslations:
        if not has_app_context():
            return NullTranslations()
        # A page calls gettext a few hundred times: remember the catalog of the context's locale. The
        # locale is read where Flask-Babel keeps it once selected (g._flask_babel) when it is there; a
        # force_locale puts another locale object there, which misses the memo and is looked up below.
        context = g._get_current_object().__dict__
        selected = context.get("_flask_babel")
        locale = getattr(selected, "babel_locale", None) or get_locale()
        memo = context.get("_interface_translations")
        if memo is not None and memo[0] is locale:
            return memo[1]
        translations = self._catalog(locale)
        context["_interface_translations"] = (locale, translations)
        return translations

    def _catalog(self, locale: Locale | None) -> Translations | NullTranslations:
        code = catalog_code(locale)
        directories = tuple(self.translation_directories)
        key = (directories, code, self.domain[0])
        try:
            return self.cache[key]
        except KeyError:
            pass
        translations = Translations()
        for dirname in directories:
            catalog = Translations.load(dirname, [code], self.domain[0])
            translations.merge(catalog)
            # merge() keeps neither the plural rule nor the metadata of what it merges.
            if hasattr(catalog, "plural"):
                translations.plural = catalog.plural
        self.cache[key] = translations
        return translations


@contextmanager
def force_locale(code: str) -> Iterator[None]:
    """Render in a language whatever the request's: documents and mail in their reader's language.

    Use this rather than flask_babel.force_locale, which cannot parse a language CLDR lacks and
    would format Haitian Creole dates without month names."""
    with flask_babel.force_locale(interface_locale(code)):
        yield


def _council_locale() -> str | None:
    """The default language of the council whose pages (or their children) are being shown."""
    if "council_locale" in g:
        return g.council_locale
    code = None
    council = g.get("council")
    if council is not None:
        code = getattr(council, "default_locale", None)
    elif request.view_args and "slug" in request.view_args and request.path.startswith("/councils/"):
        from sqlalchemy import select

        from consultation.councils.models import Council
        from consultation.extensions import db

        code = db.session.scalar(select(Council.default_locale).where(Council.slug == request.view_args["slug"]))
    g.council_locale = code
    return code


def accepted_language() -> str | None:
    """The browser's preferred shipped language, taking its values in order of quality and
    matching "ht-HT" to "ht" or "pt" to "pt_BR" before any lower-quality exact match
    (werkzeug's best_match would pick "fr;q=0.5" over "ht-HT")."""
    exact = {code.replace("_", "-").lower(): code for code in LANGUAGES}
    primary: dict[str, str] = {}
    for code in LANGUAGES:
        primary.setdefault(code.split("_")[0].lower(), code)
    for value, quality in request.accept_languages:  # sorted, best quality first
        tag = value.replace("_", "-").lower()
        if quality <= 0 or tag == "*":
            continue
        found = exact.get(tag) or primary.get(tag.split("-")[0])
        if found:
            return found
    return None


def select_locale() -> InterfaceLocale:
    """Flask-Babel's locale selector: the profile, then the remembered choice, then the browser,
    then the council's default (on its pages and their children), then the platform's."""
    platform = current_app.config.get("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    if not has_request_context():
        return interface_locale(platform)
    user = current_user
    profile = user.locale if user and getattr(user, "is_authenticated", False) else None
    for choice in (profile, session.get(SESSION_KEY), accepted_language()):
        if choice in LANGUAGES:
            return interface_locale(choice)
    # Only looked up when nothing before decided: it may cost a query.
    council = _council_locale()
    return interface_locale(council if council in LANGUAGES else platform)


def current_language() -> Language:
    locale = get_locale()
    if isinstance(locale, InterfaceLocale):
        return locale.interface
    return language(catalog_code(locale))


def compile_catalogs(directory: Path = TRANSLATIONS_DIR, *, force: bool = False) -> list[str]:
    """Compile each .po into its .mo when missing or stale, so a fresh clone works without a build."""
    compiled = []
    for po_path in sorted(directory.glob("*/LC_MESSAGES/messages.po")):
        mo_path = po_path.with_suffix(".mo")
        if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        code = po_path.parent.parent.name
        with po_path.open("rb") as po_file:
            # A locale CLDR does not know (gcr, srn) still compiles: its plural rule is in the header.
            catalog = read_po(po_file, locale=code if _cldr_knows(code) else None)
        try:
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog, use_fuzzy=False)
        except OSError as error:  # read-only deployment: the image must ship compiled catalogs
            log.warning("cannot compile %s: %s", po_path, error)
            continue
        compiled.append(code)
    return compiled


def _cldr_knows(code: str) -> bool:
    try:
        Locale.parse(code)
    except (ValueError, UnknownLocaleError):
        return False
    return True


def select_timezone() -> str | None:
    """A council's pages (and a workshop's phone pages) are in the council's time zone: typed times are
    read in it and times are shown in it. Elsewhere, DEFAULT_TIMEZONE. One query, cached per request."""
    from flask import has_request_context, request
    from sqlalchemy import select

    from consultation.councils.models import Council
    from consultation.extensions import db
    from consultation.workshops.models import Workshop

    arguments = (request.view_args or {}) if has_request_context() else {}
    council = g.get("council") if has_request_context() else None
    if council is not None and council.slug == arguments.get("slug"):
        return council.time_zone  # the page's council, already loaded (councils.services.council_by_slug)
    query = None
    if isinstance(arguments.get("slug"), str):
        query = select(Council.time_zone).where(Council.slug == arguments["slug"])
    elif isinstance(arguments.get("code"), str):
        query = (
            select(Council.time_zone)
            .join(Workshop, Workshop.council_id == Council.id)
            .where(Workshop.join_code == arguments["code"].upper())
        )
    return db.session.scalar(query) if query is not None else None


def init_app(app: Flask, babel: flask_babel.Babel) -> None:
    """Compile the catalogs, install the locale selector and the language-aware domain."""
    directories = app.config.get("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS_DIR))
    for directory in directories.split(";"):
        compile_catalogs(Path(directory))
    babel.init_app(
        app,
        locale_selector=select_locale,
        timezone_selector=select_timezone,
        default_translation_directories=str(TRANSLATIONS_DIR),
    )
    # The Babel object is shared by every app of the process; the domain reads each app's directories.
    if not isinstance(babel.__dict__.get("domain_instance"), InterfaceDomain):
        babel.domain_instance = InterfaceDomain()
    # A page calls gettext a few hundred times: the templates go straight to the domain's memoised catalog
    # instead of through Flask-Babel's per-call lookup of the request's domain (a third of each call).
    domain = babel.domain_instance
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: domain.get_translations().ugettext(s),
        ngettext=lambda s, p, n: domain.get_translations().ungettext(s, p, n),
        pgettext=lambda c, s: domain.get_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: domain.get_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )


RIGHT_TO_LEFT = frozenset({"ar", "he", "fa", "ur", "ps", "yi", "dv", "ckb"})


def content_direction(code: str | None) -> str:
    """Direction of a text written by people in language `code` ("pt_BR", "ar" …): a French proposal
    stays left to right on an Arabic page, and an Arabic one right to left on a French page."""
    primary = (code or "").replace("-", "_").split("_")[0].lower()
    return "rtl" if primary in RIGHT_TO_LEFT else "ltr"
