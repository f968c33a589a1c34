"""Spreadsheet-safe CSV cells: text a spreadsheet would run as a formula gets a quote, and reading back
takes only that quote off."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consultation.csv_cells import FORMULA_STARTS, neutralise, unneutralise


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_every_formula_start_gets_a_quote(start):
    cell = f'{start}HYPERLINK("http://example.invalid")'
    assert neutralise(cell) == "'" + cell
    assert unneutralise(neutralise(cell)) == cell


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+33 6 12", "'+33 6 12"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Sain", "Sain"),
        ("a=1", "a=1"),  # only the first character counts
        (" =1", " =1"),
        ("'=1", "''=1"),  # a quote before a formula: one more, so that reading back keeps it
        ("'abc", "'abc"),
        ("", ""),
    ],
)
def test_text_cells(cell, expected):
    assert neutralise(cell) == expected


@pytest.mark.parametrize("value", [None, 0, -3, 2.5, True, ["=1"], b"=1"])
def test_values_that_are_not_text_are_left_as_they_are(value):
    assert neutralise(value) is value


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("'=1", "=1"), ("'+33", "+33"), ("'-2", "-2"), ("'@A1", "@A1"), ("'\t", "\t"), ("'\r", "\r")],
)
def test_unneutralise_takes_off_the_quote_before_a_formula(cell, expected):
    assert unneutralise(cell) == expected


@pytest.mark.parametrize("cell", ["", "'", "''", "'abc", "abc'", "=1"])
def test_unneutralise_leaves_other_cells(cell):
    assert unneutralise(cell) == cell


@given(st.text(alphabet=st.sampled_from("'=+-@\t\rab ")) | st.text())
def test_round_trip(text):
    assert unneutralise(neutralise(text)) == text
