"""Which organisations of the directory suit a project request (pure: standard library only).

Each organisation gets points for what it shares with the request: its themes, the district it serves,
the services it offers against the needs ticked, whether it welcomes project holders, the language
the holder wrote in. The best ones are suggested to the holder and to the facilitator."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Reason(StrEnum):
    THEME = "theme"
    DISTRICT = "district"
    NEED = "need"
    WELCOMES = "welcomes"
    LANGUAGE = "language"


# Words (folded: lower case, no accents) that say an organisation's services meet a need, in the
# languages the directory is written in. A word matches at the start of a word of the services.
NEED_KEYWORDS: dict[str, tuple[str, ...]] = {
    "funding": ("financ", "fund", "subvention", "pret", "microcredit", "micro-credit", "grant", "budget", "bourse"),
    "premises": ("local", "locaux", "salle", "premises", "espace", "bureau", "hebergement", "tiers-lieu", "cowork"),
    "training": ("formation", "former", "training", "accompagn", "coaching", "mentor", "atelier", "apprent"),
    "legal_form": ("statut", "juridique", "legal", "creation", "cooperative", "scop", "scic", "entreprise"),
    "partners": ("reseau", "partenai", "partner", "network", "mise en relation", "cooperation", "mutualis"),
    "other": (),
}

POINTS = {Reason.THEME: 3, Reason.DISTRICT: 2, Reason.NEED: 2, Reason.WELCOMES: 2, Reason.LANGUAGE: 2}


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    theme_ids: frozenset[int] = frozenset()
    district_ids: frozenset[int] = frozenset()  # empty: the whole territory
    services: str = ""
    languages: frozenset[str] = frozenset()
    welcomes_holders: bool = False


@dataclass(frozen=True)
class Request:
    theme_ids: frozenset[int] = frozenset()
    district_id: int | None = None
    needs: frozenset[str] = frozenset()
    language: str = ""


@dataclass(frozen=True)
class Match:
    id: int
    name: str
    score: int
    reasons: tuple[Reason, ...]
    needs_met: tuple[str, ...]


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


def needs_met(services: str, needs: Iterable[str]) -> tuple[str, ...]:
    """The needs (in NEED_KEYWORDS order) whose words the services text contains at a word's start."""
    text = " " + re.sub(r"[^\w'-]+", " ", fold(services)) + " "
    return tuple(
        need for need, words in NEED_KEYWORDS.items() if need in needs and any(f" {word}" in text for word in words)
    )


def score(candidate: Candidate, request: Request) -> Match:
    reasons: list[Reason] = []
    points = 0
    shared = len(candidate.theme_ids & request.theme_ids)
    if shared:
        reasons.append(Reason.THEME)
        points += POINTS[Reason.THEME] * shared
    if request.district_id is not None and request.district_id in candidate.district_ids:
        reasons.append(Reason.DISTRICT)
        points += POINTS[Reason.DISTRICT]
    elif not candidate.district_ids:
        points += 1  # serves the whole territory: a little less precise than the district itself
    met = needs_met(candidate.services, request.needs)
    if met:
        reasons.append(Reason.NEED)
        points += POINTS[Reason.NEED] * len(met)
    if candidate.welcomes_holders:
        reasons.append(Reason.WELCOMES)
        points += POINTS[Reason.WELCOMES]
    if request.language and request.language in candidate.languages:
        reasons.append(Reason.LANGUAGE)
        points += POINTS[Reason.LANGUAGE]
    return Match(candidate.id, candidate.name, points, tuple(reasons), met)


def suggest(candidates: Iterable[Candidate], request: Request, *, limit: int = 5) -> list[Match]:
    """The best organisations first (ties by name, then id: a stable order). An organisation is only
    suggested when it shares a theme or meets a need: welcoming everyone is not enough on its own."""
    matches = [score(candidate, request) for candidate in candidates]
    relevant = [m for m in matches if Reason.THEME in m.reasons or Reason.NEED in m.reasons]
    relevant.sort(key=lambda m: (-m.score, fold(m.name), m.id))
    return relevant[:limit]
