"""How a request's language is chosen, and how languages that CLDR knows badly or not at all
still get their own catalog and `lang` while borrowing another locale's dates and numbers."""

from __future__ import annotations

import re
import textwrap
from datetime import date

import pytest
from babel import Locale, UnknownLocaleError
from flask_babel import format_date, get_babel, gettext

from consultation import i18n
from consultation.extensions import db
from consultation.i18n import LANGUAGES, TRANSLATIONS_DIR, UPCOMING_LANGUAGES, compile_catalogs, force_locale
from consultation.pages.models import AccessibilityStatement
from tests.factories import make_council, make_user


def html_lang(page: str) -> tuple[str, str]:
    match = re.search(r'<html lang="([^"]+)" dir="([^"]+)"', page)
    assert match, page[:300]
    return match.group(1), match.group(2)


def get(client, path="/", accept="", **kwargs):
    response = client.get(path, headers={"Accept-Language": accept} if accept else {}, **kwargs)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_haitian_creole_dates_fall_back_to_french_month_names_while_lang_stays_ht(client):
    db.session.add(
        AccessibilityStatement(established_on=date(2026, 3, 5), contact="a11y@macouria.example", language="fr")
    )
    db.session.commit()
    page = get(client, "/accessibility", accept="ht")
    assert html_lang(page) == ("ht", "ltr")
    assert "Deklarasyon sa a fèt 5 mars 2026." in page  # Kreyòl sentence, French month
    assert "M03" not in page


def test_force_locale_formats_and_translates_in_the_forced_language(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        with force_locale("ht"):
            assert format_date(date(2026, 3, 5), "long") == "5 mars 2026"
            assert gettext("Log out") == "Dekonekte"
            assert i18n.current_language().html_lang == "ht"
        with force_locale("ar"):
            assert gettext("Log out") == "تسجيل الخروج"
            assert i18n.current_language().direction == "rtl"
        assert gettext("Log out") == "Log out"
        assert format_date(date(2026, 3, 5), "long") == "March 5, 2026"


GCR_CATALOG = """
    msgid ""
    msgstr ""
    "Content-Type: text/plain; charset=utf-8\\n"
    "Language: gcr\\n"
    "Plural-Forms: nplurals=2; plural=(n > 1);\\n"

    msgid "Skip to main content"
    msgstr "Alé dirèktman o kontni prensipal-a"

    msgid "Change language"
    msgstr "Chanjé lanng"
"""


@pytest.fixture()
def guianese_creole(app, tmp_path, monkeypatch):
    """A test-only catalog for a language CLDR does not know, in its own translations directory."""
    po = tmp_path / "gcr" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(textwrap.dedent(GCR_CATALOG).lstrip(), encoding="utf-8")
    assert compile_catalogs(tmp_path) == ["gcr"]
    monkeypatch.setitem(LANGUAGES, "gcr", UPCOMING_LANGUAGES["gcr"])
    config = get_babel(app)
    monkeypatch.setattr(config, "translation_directories", [str(TRANSLATIONS_DIR), str(tmp_path)])
    return LANGUAGES["gcr"]


def test_a_language_unknown_to_cldr_gets_its_catalog_lang_and_a_fallback_for_formatting(client, app, guianese_creole):
    with pytest.raises(UnknownLocaleError):
        Locale.parse("gcr")
    page = get(client, "/", accept="gcr, fr;q=0.5")
    assert html_lang(page) == ("gcr", "ltr")
    assert "Alé dirèktman o kontni prensipal-a" in page and "Chanjé lanng" in page
    assert '<option value="gcr" lang="gcr"' in page
    # A message the test catalog lacks falls back to the English message id, never to an error.
    assert "Log in" in page
    with app.test_request_context(headers={"Accept-Language": "gcr"}):
        assert format_date(date(2026, 3, 5), "long") == "5 mars 2026"  # fr_GF
        assert gettext("Change language") == "Chanjé lanng"
        with force_locale("gcr"):
            assert i18n.current_language().code == "gcr"


def test_sranan_tongo_formats_as_dutch_of_suriname():
    with pytest.raises(UnknownLocaleError):
        Locale.parse("srn")
    assert str(i18n.InterfaceLocale(UPCOMING_LANGUAGES["srn"])) == "nl_SR"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("", "fr"),
        ("es", "es"),
        ("es;q=0.5, ar;q=0.9", "ar"),
        ("de, pt;q=0.8", "pt-BR"),
        ("pt-BR", "pt-BR"),
        ("ht-HT, fr;q=0.5", "ht"),
        ("ar-MA", "ar"),
        ("de, en-GB;q=0.3", "en"),
        ("de", "fr"),
    ],
)
def test_accept_language_picks_the_best_shipped_language(client, accept, expected):
    assert html_lang(get(client, "/", accept=accept))[0] == expected


def test_arabic_pages_are_right_to_left(client):
    assert html_lang(get(client, "/", accept="ar")) == ("ar", "rtl")


def test_the_remembered_choice_beats_the_browser(client):
    client.post("/language", data={"language": "ht", "next": "/"})
    assert html_lang(get(client, "/", accept="es"))[0] == "ht"


def test_the_profile_beats_the_remembered_choice_and_the_browser(client, login):
    user = make_user(locale="pt_BR")
    login(client, user)
    with client.session_transaction() as session:
        session[i18n.SESSION_KEY] = "ar"
    assert html_lang(get(client, "/", accept="es"))[0] == "pt-BR"


def test_choosing_a_language_when_logged_in_saves_it_in_the_profile(client, login):
    user = make_user()
    login(client, user)
    client.post("/language", data={"language": "es", "next": "/"})
    db.session.refresh(user)
    assert user.locale == "es"


def test_the_council_default_applies_on_its_pages_when_nothing_else_decides(client):
    council = make_council()
    council.default_locale = "pt_BR"
    db.session.commit()
    assert html_lang(get(client, f"/councils/{council.slug}", accept="de"))[0] == "pt-BR"
    assert html_lang(get(client, f"/councils/{council.slug}"))[0] == "pt-BR"
    # The browser, when it names a shipped language, decides before the council.
    assert html_lang(get(client, f"/councils/{council.slug}", accept="es"))[0] == "es"
    # Elsewhere the platform default applies.
    assert html_lang(get(client, "/", accept="de"))[0] == "fr"


def test_a_council_default_that_is_not_shipped_is_ignored(client):
    council = make_council()
    council.default_locale = "srn"
    db.session.commit()
    assert html_lang(get(client, f"/councils/{council.slug}", accept="de"))[0] == "fr"


def test_the_switcher_names_every_language_by_its_autonym_with_its_lang(client):
    page = get(client, "/", accept="ar")
    assert '<label for="language-select">' in page
    for code, language in LANGUAGES.items():
        assert f'<option value="{code}" lang="{language.html_lang}"' in page
        assert f">{language.name}</option>" in page


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_every_shipped_language_renders_the_home_page_in_its_own_words(client, code):
    page = get(client, "/", accept=code.replace("_", "-"))
    assert html_lang(page) == (LANGUAGES[code].html_lang, LANGUAGES[code].direction)
    with client.application.test_request_context():
        with force_locale(code):
            skip = gettext("Skip to main content")
    assert skip in page
