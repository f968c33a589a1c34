"""What a results page shows, from a stored result: one row per option and the bars of the chart."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Segment:
    grade: int
    count: int
    x: float  # start, as a share of the bar (0..1)
    width: float


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    rank: int
    value: float  # what the bar shows
    figures: dict[str, Any]  # the table's cells beside the label, by column
    is_winner: bool = False
    share: float = 0.0  # bar length, 0..1
    segments: list[Segment] = field(default_factory=list)  # majority judgment: the grade distribution


@dataclass(frozen=True)
class ResultsView:
    rows: list[Row]
    columns: list[str]  # keys of Row.figures, in order; the template names them
    stacked: bool  # majority judgment: bars are grade distributions


def _ranks(ranking: list[list[str]]) -> dict[str, int]:
    return {key: position for position, tier in enumerate(ranking, start=1) for key in tier}


def build_results(method: str, result: dict[str, Any], labels: dict[str, str], grades: list[str]) -> ResultsView:
    details = result["details"]
    ranks = _ranks(result["ranking"])
    winners = set(result["winners"])
    keys = list(labels)
    values: dict[str, float] = {}
    figures: dict[str, dict[str, Any]] = {}
    segments: dict[str, list[Segment]] = {}
    if method in ("plurality", "approval", "motion"):
        columns = ["votes"]
        for key in keys:
            values[key] = details["counts"].get(key, 0)
            figures[key] = {"votes": values[key]}
    elif method == "score":
        columns = ["total", "mean"]
        for key in keys:
            values[key] = details["totals"].get(key, 0)
            figures[key] = {"total": values[key], "mean": details["means"].get(key)}
    elif method == "dot":
        columns = ["points", "supporters"]
        for key in keys:
            values[key] = details["totals"].get(key, 0)
            figures[key] = {"points": values[key], "supporters": details["supporters"].get(key, 0)}
    elif method == "majority_judgment":
        columns = ["majority_grade", "better", "worse"]
        for key in keys:
            found = details["results"][key]
            grade = found["majority_grade"]
            values[key] = -1 if grade is None else grade
            figures[key] = {
                "majority_grade": None if grade is None else grades[grade],
                "better": found["better"],
                "worse": found["worse"],
                "distribution": found["distribution"],
            }
            total = sum(found["distribution"]) or 1
            start = 0.0
            parts = []
            for index, number in enumerate(found["distribution"]):
                parts.append(Segment(index, number, start, number / total))
                start += number / total
            segments[key] = parts
    else:  # schulze: wins in the pairwise comparisons
        columns = ["wins"]
        order = details.get("options", keys)
        pairwise = details.get("pairwise", [])
        for i, key in enumerate(order):
            wins = sum(1 for j in range(len(order)) if pairwise and pairwise[i][j] > pairwise[j][i])
            values[key] = wins
            figures[key] = {"wins": wins}
    top = max([v for v in values.values() if v > 0], default=0)
    rows = [
        Row(
            key=key,
            label=labels[key],
            rank=ranks.get(key, len(keys)),
            value=values[key],
            figures=figures[key],
            is_winner=key in winners,
            share=(values[key] / top) if top and values[key] > 0 else 0.0,
            segments=segments.get(key, []),
        )
        for key in keys
    ]
    rows.sort(key=lambda row: (row.rank, keys.index(row.key)))
    return ResultsView(rows, columns, method == "majority_judgment")
