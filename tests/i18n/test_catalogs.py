"""The CI check on translations: every shipped catalog complete, nothing fuzzy, placeholders kept,
and every message of the code and templates present in the template and the catalogs."""

from __future__ import annotations

import contextlib
import textwrap

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from consultation.i18n import LANGUAGES, ROOT, TRANSLATIONS_DIR, UPCOMING_LANGUAGES
from consultation.i18n_check import catalog_problems, placeholders


def _read(path, locale=None):
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def test_every_shipped_catalog_is_complete_without_fuzzy_entries_and_keeps_placeholders():
    problems = catalog_problems()
    assert not problems, "\n".join(problems[:50]) + f"\n… {len(problems)} problems: run `flask --app app i18n check`"


def test_messages_extracted_from_the_code_are_all_in_the_template_and_catalogs(tmp_path):
    pot = tmp_path / "fresh.pot"
    with contextlib.chdir(ROOT):
        CommandLineInterface().run(
            [
                "pybabel", "-q", "extract", "-F", str(TRANSLATIONS_DIR / "babel.cfg"),
                "-k", "_l", "-k", "lazy_gettext", "-k", "lazy_ngettext:1,2", "-k", "lazy_pgettext:1c,2",
                "--no-wrap", "-o", str(pot), ".",
            ]
        )  # fmt: skip
    extracted = {message.id for message in _read(pot) if message.id}
    template = {message.id for message in _read(TRANSLATIONS_DIR / "messages.pot") if message.id}
    assert extracted, "extraction found no message at all"
    missing = sorted(map(str, extracted - template))
    assert not missing, f"run `flask --app app i18n extract` and `update`: {missing[:20]}"
    for code in LANGUAGES:
        catalog = _read(TRANSLATIONS_DIR / code / "LC_MESSAGES" / "messages.po", code)
        absent = sorted(map(str, extracted - {message.id for message in catalog if message.id}))
        assert not absent, f"{code}: run `flask --app app i18n update`: {absent[:20]}"


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_each_catalog_has_the_plural_forms_of_its_language(code):
    catalog = _read(TRANSLATIONS_DIR / code / "LC_MESSAGES" / "messages.po", code)
    assert catalog.num_plurals == get_plural(code).num_plurals
    for message in catalog:
        if isinstance(message.id, tuple) and message.string and all(message.string):
            assert len(message.string) == catalog.num_plurals, (code, message.id)


def test_upcoming_languages_do_not_ship_before_their_catalog_is_complete():
    for code in UPCOMING_LANGUAGES:
        assert code not in LANGUAGES or not catalog_problems(languages=[code])


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


HEADER = """
    msgid ""
    msgstr ""
    "Content-Type: text/plain; charset=utf-8\\n"
    "Plural-Forms: nplurals=2; plural=(n > 1);\\n"

"""


def test_the_check_reports_missing_fuzzy_untranslated_and_changed_placeholders(tmp_path):
    _write(
        tmp_path / "messages.pot",
        HEADER
        + """
    msgid "Hello %(name)s"
    msgstr ""

    msgid "Save"
    msgstr ""

    msgid "Cancel"
    msgstr ""

    msgid "Delete"
    msgstr ""

    msgid "Gone"
    msgstr ""
    """,
    )
    _write(
        tmp_path / "xx" / "LC_MESSAGES" / "messages.po",
        HEADER
        + """
    msgid "Hello %(name)s"
    msgstr "Bonjou %(nom)s"

    #, fuzzy
    msgid "Save"
    msgstr "Anrejistre"

    msgid "Cancel"
    msgstr ""

    msgid "Delete"
    msgstr "Efase"
    """,
    )
    problems = "\n".join(catalog_problems(tmp_path, languages=["xx"]))
    assert "missing from the catalog: 'Gone'" in problems
    assert "fuzzy translation: 'Save'" in problems
    assert "untranslated: 'Cancel'" in problems
    assert "placeholder" in problems and "Hello %(name)s" in problems
    assert "'Delete'" not in problems


def test_a_language_without_catalog_is_reported(tmp_path):
    _write(tmp_path / "messages.pot", HEADER)
    assert catalog_problems(tmp_path, languages=["gcr"]) == [
        f"gcr: no catalog at {tmp_path / 'gcr/LC_MESSAGES/messages.po'}"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Closes on %(date)s", {"date"}), ("%(num)d of {total}", {"num", "total"}), ("100 %", set())],
)
def test_placeholders_are_found(text, expected):
    assert placeholders(text) == expected
