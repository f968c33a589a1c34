"""Passwords people must not choose: the 20,000 most common ones.

The list (common-passwords.txt.gz) comes from Django (BSD licence), which took it from Royce
Williams's compilation of leaked passwords; it is matched without regard to case."""

from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path

LIST_FILE = Path(__file__).with_name("common-passwords.txt.gz")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    with gzip.open(LIST_FILE, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip().casefold() for line in handle if line.strip())


def is_common(password: str) -> bool:
    """A password found in the list, or the list's entry with only its case changed or digits appended
    ("Password2026" is "password" with a year)."""
    folded = password.strip().casefold()
    return folded in common_passwords() or folded.rstrip("0123456789!.?") in common_passwords()
