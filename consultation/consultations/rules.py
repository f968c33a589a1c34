"""Pure rules of open consultations (standard library only): a consultation's status from its dates,
what its proposals' authors may still do, text folding for search, similar titles, a stable shuffle."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class ConsultationStatus(StrEnum):
    DRAFT = "draft"  # not published: only the council's managers see it
    UPCOMING = "upcoming"  # published, not open yet
    OPEN = "open"  # residents submit, support and comment
    CLOSED = "closed"  # read only


def consultation_status(
    *, is_published: bool, opens_at: datetime, closes_at: datetime, now: datetime
) -> ConsultationStatus:
    if not is_published:
        return ConsultationStatus.DRAFT
    if now < opens_at:
        return ConsultationStatus.UPCOMING
    if now < closes_at:
        return ConsultationStatus.OPEN
    return ConsultationStatus.CLOSED


def accepts_contributions(status: ConsultationStatus) -> bool:
    """Proposals, supports and comments are taken while the consultation is open, and only then."""
    return status is ConsultationStatus.OPEN


# ------------------------------------------------------------------------------------ authors

# The moments of a proposal that a moderator (or the council) made: after one of them, the text
# the council worked on must stay the text the author sent.
MODERATION_EVENTS = frozenset({"accepted", "rejected", "merged", "retained", "hidden", "corrected"})


def author_may_edit(*, status: str, events: Iterable[str], consultation_open: bool) -> bool:
    """The author edits their proposal while the consultation is open and no moderator has acted on it."""
    return consultation_open and status == "submitted" and not (set(events) & MODERATION_EVENTS)


def author_may_withdraw(*, status: str) -> bool:
    """A withdrawal is always possible, except once merged (the merged text carries other authors)."""
    return status in ("submitted", "accepted", "rejected")


COMMENT_EDIT_WINDOW = timedelta(minutes=15)


def comment_editable(*, created_at: datetime, now: datetime, window: timedelta = COMMENT_EDIT_WINDOW) -> bool:
    """A comment's author corrects it within 15 minutes; after that, replies may rest on its words."""
    return timedelta(0) <= now - created_at <= window


# ------------------------------------------------------------------------------------ search

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ĳ": "ij", "’": "'"})


def fold(text: str) -> str:
    """Lower case, without accents or ligatures, spaces collapsed: "Œuvre  ÉTÉ" -> "oeuvre ete".

    The same folding is stored beside each proposal (search_text) and applied to what people
    search, so a plain LIKE is case- and accent-insensitive on SQLite and PostgreSQL alike."""
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(_LIGATURES).casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.split())


def search_terms(query: str, *, limit: int = 8) -> list[str]:
    """The folded words of a search, each at least two characters, at most `limit` of them."""
    words = [word for word in re.split(r"[^\w']+", fold(query)) if len(word) >= 2]
    unique: list[str] = []
    for word in words:
        if word not in unique:
            unique.append(word)
    return unique[:limit]


def like_pattern(term: str, escape: str = "\\") -> str:
    """`%term%` with LIKE's own wildcards escaped, so that "50%" finds "50%", not everything."""
    for special in (escape, "%", "_"):
        term = term.replace(special, escape + special)
    return f"%{term}%"


# ------------------------------------------------------------------------------------ similarity

# Words too common to tell two proposals apart (French first: most proposals are in French).
STOP_WORDS = frozenset(
    """a au aux avec ce ces dans de des du en et la le les leur leurs mais ne nos notre ou par pas pour
    plus que qui sa se ses son sur un une vos votre d l qu c s n j m t y il elle ils elles on nous vous vers
    the of and or to in on for with an is are be it this that at by from as
    el los las del con por para una unos unas es o em os as do da dos das com um uma
    pou ak nan yo li ki sou""".split()
)


def _stem(word: str) -> str:
    """A plural's singular, roughly, in the territory's Romance languages and English: "pistes" -> "piste"."""
    if len(word) > 3 and word[-1] in "sx" and not word.endswith("ss"):
        return word[:-1]
    return word


def words_of(text: str) -> set[str]:
    return {_stem(word) for word in re.split(r"[^\w]+", fold(text)) if len(word) > 1 and word not in STOP_WORDS}


def trigrams_of(text: str) -> set[str]:
    grams: set[str] = set()
    for word in words_of(text):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def _jaccard(left: set[str], right: set[str]) -> float:
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


def _overlap(left: set[str], right: set[str]) -> float:
    """Shared words over the shorter title's words (at least two): a short title typed so far matches
    the longer titles that contain it, and one shared word alone is not enough."""
    if not left or not right:
        return 0.0
    return len(left & right) / max(min(len(left), len(right)), 2)


def similarity(left: str, right: str) -> float:
    """How alike two titles are, from 0 to 1: half from the words they share (plurals folded), half from
    shared trigrams, which catch typos and word forms ("éclairer" ~ "éclairage")."""
    left_words, right_words = words_of(left), words_of(right)
    grams = _jaccard(trigrams_of(left), trigrams_of(right))
    return round(0.5 * _overlap(left_words, right_words) + 0.5 * grams, 4)


@dataclass(frozen=True)
class Candidate:
    id: int
    title: str


SIMILARITY_THRESHOLD = 0.3


def most_similar(
    title: str, candidates: Iterable[Candidate], *, limit: int = 5, threshold: float = SIMILARITY_THRESHOLD
) -> list[tuple[Candidate, float]]:
    """The candidates whose title looks like `title`, most alike first (ties: the oldest first)."""
    if len(words_of(title)) == 0:
        return []
    scored = [(candidate, similarity(title, candidate.title)) for candidate in candidates]
    kept = [pair for pair in scored if pair[1] >= threshold]
    kept.sort(key=lambda pair: (-pair[1], pair[0].id))
    return kept[:limit]


# ------------------------------------------------------------------------------------ sorting

SORTS = ("recent", "supported", "commented", "random")
SEED_LIMIT = 1_000_000
# Multiplying the ids by a seed's own factor modulo a prime: each seed gives its own order of the ids,
# the same on every page of the list and on SQLite and PostgreSQL (64-bit integer arithmetic in both:
# ids and factors stay below 2**31, so their product below 2**62).
SHUFFLE_MODULUS = 2_147_483_647  # 2**31 - 1, a prime


def shuffle_factor(seed: int) -> int:
    return 1 + (seed * 2_654_435_761 + 40_503) % (SHUFFLE_MODULUS - 1)


def shuffle_key(proposal_id: int, seed: int) -> int:
    return proposal_id * shuffle_factor(seed) % SHUFFLE_MODULUS


def parse_seed(value: str | None) -> int | None:
    """A seed from the URL, or None when absent or not a small whole number."""
    if value is None or not value.isdigit() or len(value) > 6:
        return None
    return int(value) % SEED_LIMIT
