"""Checks that every shipped catalog is complete and keeps the placeholders of its messages."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from consultation.i18n import LANGUAGES, TRANSLATIONS_DIR

PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|\{(\w+)\}")


def placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def catalog_problems(directory: Path = TRANSLATIONS_DIR, languages: list[str] | None = None) -> list[str]:
    problems: list[str] = []
    template = _read(directory / "messages.pot")
    expected = {message.id for message in template if message.id}
    for code in languages or list(LANGUAGES):
        path = directory / code / "LC_MESSAGES" / "messages.po"
        if not path.exists():
            problems.append(f"{code}: no catalog at {path}")
            continue
        catalog = _read(path, code)
        present = {message.id for message in catalog if message.id}
        for missing in sorted(map(str, expected - present)):
            problems.append(f"{code}: message missing from the catalog: {missing!r}")
        for message in catalog:
            if not message.id:
                continue
            if message.fuzzy:
                problems.append(f"{code}: fuzzy translation: {message.id!r}")
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if not all(strings):
                problems.append(f"{code}: untranslated: {message.id!r}")
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            wanted = set().union(*(placeholders(i) for i in ids))
            for translated in strings:
                if placeholders(translated) - wanted:
                    problems.append(f"{code}: unknown placeholder in the translation of {message.id!r}")
                if not isinstance(message.id, tuple) and placeholders(translated) != wanted:
                    problems.append(f"{code}: placeholders differ in the translation of {message.id!r}")
    return problems
