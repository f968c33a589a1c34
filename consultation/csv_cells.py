"""Spreadsheet-safe CSV cells (CSV injection).

A spreadsheet opening a CSV file reads a cell that starts with = + - @, a tab or a carriage return as a
formula and may run it: text typed by residents (a proposal's title, an organisation's name) must never
become one. Such a cell is written with a quote before it, which spreadsheets show as text; `unneutralise`
takes that quote off again when the app reads back a CSV file it wrote (the vote's ballot export)."""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _reads_as_formula(text: str) -> bool:
    """A formula's start, or quotes before one (which `unneutralise` would take for our own quote)."""
    return text.startswith(FORMULA_STARTS) or (text.startswith("'") and _reads_as_formula(text[1:]))


def neutralise(value: Any) -> Any:
    """The value, with a quote before it if it is text a spreadsheet would run as a formula; numbers,
    None and other non-text values are returned as they are. Text that already starts with a quote
    before a formula's start gets one more, so that `unneutralise` gives it back whole."""
    if isinstance(value, str) and _reads_as_formula(value):
        return "'" + value
    return value


def unneutralise(text: str) -> str:
    """The cell as it was before `neutralise`: the quote is taken off only where `neutralise` put one."""
    if text.startswith("'") and _reads_as_formula(text[1:]):
        return text[1:]
    return text
