"""The URL/session state rules of dashboard.ui.state and the one table helper's demo label (no database)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from dashboard.figures.style import DEMO_LABEL
from dashboard.ui import PUBLISHED_LABEL, marked
from dashboard.ui.state import chosen_value
from tests.seeds import REPO

OPTIONS = ["totalt", "kvinnor", "män"]


def test_the_session_value_wins_even_when_empty() -> None:
    assert chosen_value("kvinnor", "män", None, OPTIONS, "totalt") == ("kvinnor", None)
    assert chosen_value("", "Skärholmen", None, ["", "Skärholmen"], "") == ("", None)


def test_the_url_then_the_kept_value_then_the_default() -> None:
    assert chosen_value(None, "män", "kvinnor", OPTIONS, "totalt") == ("män", None)
    assert chosen_value(None, None, "kvinnor", OPTIONS, "totalt") == ("kvinnor", None)
    assert chosen_value(None, None, None, OPTIONS, "totalt") == ("totalt", None)


def test_a_value_that_does_not_exist_is_named() -> None:
    assert chosen_value(None, "okänt", None, OPTIONS, "totalt") == ("totalt", "okänt")
    # A stale session value (options changed) falls back to a URL value that exists, without a word.
    assert chosen_value("skillnad", "män", None, OPTIONS, "totalt") == ("män", None)
    assert chosen_value("skillnad", "skillnad", None, OPTIONS, "totalt") == ("totalt", "skillnad")


def test_demo_rows_are_labelled_row_by_row() -> None:
    frame = pd.DataFrame({"Mått": ["a", "b"], "is_demo": [True, False]})
    shown = marked(frame)
    assert list(shown.columns) == ["Märkning", "Mått"]
    assert list(shown["Märkning"]) == [DEMO_LABEL, PUBLISHED_LABEL]
    assert "Märkning" not in marked(frame.assign(is_demo=False)).columns
    assert list(marked(frame.drop(columns="is_demo"), is_demo=True)["Märkning"]) == [DEMO_LABEL] * 2
    assert list(marked(frame.drop(columns="is_demo"), is_demo=[False, True])["Märkning"]) == [PUBLISHED_LABEL,
                                                                                             DEMO_LABEL]


def test_a_table_must_say_where_its_rows_come_from() -> None:
    with pytest.raises(TypeError):
        marked(pd.DataFrame({"Mått": ["a"]}))
    with pytest.raises(ValueError):
        marked(pd.DataFrame({"Mått": ["a"]}), is_demo=[True, False])


def test_pages_draw_tables_only_through_ui_table() -> None:
    """st.dataframe (or col.dataframe, st.table, st.data_editor) appears only inside ui.table, so every table
    the pages draw gets the demo label by construction."""
    drawing = re.compile(r"\.(dataframe|data_editor|table)\(")
    allowed = {("dashboard/ui/__init__.py", "st.dataframe(marked(frame, is_demo), **kwargs)")}
    offenders = []
    for path in [*(REPO / "pages").glob("*.py"), *(REPO / "dashboard" / "ui").glob("*.py")]:
        name = str(path.relative_to(REPO))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if drawing.search(line) and not re.search(r"\bui\.table\(", line) and (name, line.strip()) not in allowed:
                offenders.append(f"{name}:{number}: {line.strip()}")
    assert not offenders
