"""Pure rules of text translations (standard library only): which languages a workshop announced,
whether a translation still matches its original, who may verify it."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

# Names people write in "languages spoken" (any language, accents and case ignored) -> shipped code.
LANGUAGE_NAMES = {
    "fr": ("fr", "francais", "french", "franse", "frances", "franses", "fransè", "الفرنسية", "فرنسية", "فرنسي"),
    "en": ("en", "english", "anglais", "ingles", "angle", "angles", "الإنجليزية", "إنجليزي", "انجليزي"),
    "es": ("es", "espanol", "espagnol", "spanish", "espanhol", "panyol", "castellano", "الإسبانية", "إسباني"),
    "pt_BR": ("pt", "pt_br", "pt-br", "portugues", "portugais", "portuguese", "potige", "bresilien", "البرتغالية"),
    "ht": ("ht", "kreyol", "kreyol ayisyen", "ayisyen", "creole haitien", "haitien", "haitian creole", "haitian"),
    "ar": ("ar", "arabe", "arabic", "arab", "العربية", "عربي", "عربية"),
}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


_BY_NAME = {_fold(name): code for code, names in LANGUAGE_NAMES.items() for name in names}


def announced_languages(spoken: str, shipped: Iterable[str]) -> list[str]:
    """The shipped languages named in a workshop's free-text "languages spoken", in the order written.

    >>> announced_languages("français, kreyòl, Português", ["fr", "ht", "pt_BR", "ar"])
    ['fr', 'ht', 'pt_BR']
    """
    allowed = set(shipped)
    found: list[str] = []
    for part in re.split(r"[,;/|+&\n]|\s+(?:et|and|y|e|ak|و)\s+", spoken):
        code = _BY_NAME.get(_fold(part).strip(" .()"))
        if code and code in allowed and code not in found:
            found.append(code)
    return found


def source_fingerprint(title: str, body: str) -> str:
    """What the translation was made from: if the original is corrected later, the translation is outdated."""
    return hashlib.sha256(f"{title}\x00{body}".encode()).hexdigest()


def is_current(fingerprint: str, title: str, body: str) -> bool:
    return fingerprint == source_fingerprint(title, body)


def may_verify(*, verifier_id: int, proposer_id: int | None, is_manager: bool) -> bool:
    """A facilitator verifies someone else's translation: a second pair of eyes, never one's own."""
    return is_manager and verifier_id != proposer_id


def translation_problem(*, language: str, original_language: str, shipped: Iterable[str]) -> str | None:
    if language not in set(shipped):
        return "unknown_language"
    if language == original_language:
        return "same_language"
    return None
