"""Swedish number formats, with the qualifier a document prints before a number."""

from __future__ import annotations

import math
from collections import namedtuple

import pandas as pd
import pytest

from dashboard.core.numbers import format_change, format_gap, format_value, printed_value, printed_values


@pytest.mark.parametrize(("value", "unit", "qualifier", "expected"), [
    (57.5, "procent", "drygt", "drygt 57,5 %"),
    (155000, "antal", "omkring", "omkring 155\u00a0000"),
    (2, "procent", "strax över", "strax över 2 %"),
    (57.5, "procent", None, "57,5 %"),
    (57.5, "procent", "", "57,5 %"),
    (57.5, "procent", math.nan, "57,5 %"),  # a missing qualifier read from the database
    (1, "procentenheter", None, "1 procentenhet"),
    (-1, "procentenheter", None, "\u22121 procentenhet"),
    (1.5, "procentenheter", None, "1,5 procentenheter"),
])
def test_format_value_prints_the_qualifier(value: float, unit: str, qualifier: object, expected: str) -> None:
    assert format_value(value, unit, qualifier=qualifier) == expected


def test_a_gap_in_the_data_has_no_qualifier() -> None:
    assert format_value(None, "procent", qualifier="drygt") == "uppgift saknas"


def test_printed_value_reads_mappings_rows_and_frames() -> None:
    assert printed_value({"value": 71.0, "unit": "procent", "qualifier": "närmare"}) == "närmare 71 %"
    Row = namedtuple("Row", "value unit qualifier")
    assert printed_value(Row(1000.0, "antal", "cirka")) == "cirka 1\u00a0000"
    assert printed_value({"value": 71.0, "unit": "procent"}) == "71 %"
    frame = pd.DataFrame({"value": [6.3, 6.2], "unit": ["procent", "procent"], "qualifier": ["omkring", None]})
    assert printed_values(frame) == ["omkring 6,3 %", "6,2 %"]


@pytest.mark.parametrize(("value", "approximate", "expected"), [
    (0.7, False, "+0,7 procentenheter"),
    (0.7, True, "\u2248 +1 procentenhet"),
    (-6.4, True, "\u2248 \u22126 procentenheter"),
    (0.3, True, "\u2248 \u00b10 procentenheter"),
    (0, False, "\u00b10 procentenheter"),
    (2.5, True, "\u2248 +3 procentenheter"),  # halves away from zero, not to even
    (-0.5, True, "\u2248 \u22121 procentenhet"),
])
def test_a_change_from_an_approximate_value_is_approximate(value: float, approximate: bool, expected: str) -> None:
    assert format_change(value, "procentenheter", approximate) == expected


def test_a_gap_from_an_approximate_value_is_approximate_and_whole() -> None:
    assert format_gap(-6.0, "procentenheter", 1, approximate=True) == "\u2248 \u22126 procentenheter"
    assert format_gap(5.5, "procentenheter", 1) == "5,5 procentenheter"
    assert format_gap(math.nan, "procentenheter", 1, approximate=True) == "uppgift saknas"
