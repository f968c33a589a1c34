"""Anonymised ballot export (CSV) and its reading back, so anyone can recount a vote.

No voter ids, no times, ballots in a fresh random order; every cell that a spreadsheet would run as a
formula (= + - @) is prefixed with a quote."""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from consultation.csv_cells import neutralise, unneutralise
from consultation.voting.rules import header_cell, key_of_header

SINGLE_CHOICE = ("plurality", "motion")
CHOICE_HEADER = "choice"


def _row(method: str, keys: Sequence[str], ballot: Any) -> list[str]:
    if method in SINGLE_CHOICE:
        return [str(ballot)]
    if method == "approval":
        approved = set(ballot)
        return ["1" if key in approved else "0" for key in keys]
    if method == "schulze":
        ranks = {key: rank for rank, group in enumerate(ballot, start=1) for key in group}
        return [str(ranks[key]) if key in ranks else "" for key in keys]
    return [str(ballot[key]) if key in ballot else "" for key in keys]


def ballots_csv(method: str, keys: Sequence[str], labels: Mapping[str, str], ballots: Iterable[Any]) -> str:
    rows = list(ballots)
    secrets.SystemRandom().shuffle(rows)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if method in SINGLE_CHOICE:
        writer.writerow([CHOICE_HEADER])
    else:
        writer.writerow([header_cell(labels.get(key, key), key) for key in keys])
    for ballot in rows:
        writer.writerow([neutralise(cell) for cell in _row(method, keys, ballot)])
    return out.getvalue()


def _int(cell: str) -> int:
    return int(cell.strip())


def read_ballots_csv(method: str, text: str) -> list[Any]:
    """Ballots back from an export, in the engine's shapes; a malformed file raises ValueError."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = [unneutralise(cell) for cell in next(reader)]
    except StopIteration:
        raise ValueError("the file is empty") from None
    if method in SINGLE_CHOICE:
        if header != [CHOICE_HEADER]:
            raise ValueError(f"expected a single column named {CHOICE_HEADER!r}")
        return [unneutralise(row[0]) for row in reader if row]
    keys = [key_of_header(cell) for cell in header]
    if any(key is None for key in keys):
        raise ValueError("every column header must end with the option key, like [#12]")
    ballots: list[Any] = []
    for line, raw in enumerate(reader, start=2):
        if not raw:
            continue
        row = [unneutralise(cell) for cell in raw]
        if len(row) != len(keys):
            raise ValueError(f"line {line}: expected {len(keys)} cells, got {len(row)}")
        cells = dict(zip(keys, row, strict=True))
        if method == "approval":
            ballots.append([key for key, cell in cells.items() if cell.strip() == "1"])
        elif method == "schulze":
            groups: dict[int, list[str]] = {}
            for key, cell in cells.items():
                if cell.strip():
                    groups.setdefault(_int(cell), []).append(key)
            ballots.append([groups[rank] for rank in sorted(groups)])
        else:
            ballots.append({key: _int(cell) for key, cell in cells.items() if cell.strip()})
    return ballots
