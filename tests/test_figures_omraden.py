"""The follow-up per area figures: a hidden count draws no bar and keeps its mark; shares only from visible counts."""

from __future__ import annotations

import pandas as pd

from dashboard.core.suppression import DISPLAY_SUFFIX
from dashboard.figures import omraden as figures
from dashboard.figures.style import DEMO_LABEL


def suppressed_row(gender: str, values: dict[str, int | None], marks: dict[str, str]) -> dict:
    """One suppressed KAA row: hidden counts are None, their text is the mark."""
    row = {"area": "Rinkeby-Kista", "gender": gender}
    for step in figures.PROGRAMS["kaa"]:
        value = values.get(step.key, 10)
        row[step.key] = value
        row[step.key + DISPLAY_SUFFIX] = marks.get(step.key, str(value))
    return row


def frame(*rows: dict) -> pd.DataFrame:
    out = pd.DataFrame(list(rows))
    for step in figures.PROGRAMS["kaa"]:
        out[step.key] = out[step.key].astype("Int64")
    return out


def test_hidden_cells_draw_no_bar_and_carry_their_mark() -> None:
    values = {"omfattade": 120, "uppsokta": 80, "nadda": 40, "inskrivna": 20, "avslutade": 12, "arbete": None,
              "studier": None, "annat": 7}
    data = frame(suppressed_row("totalt", values, {"arbete": "<5", "studier": ".."}))
    table = figures.step_table(data, "kaa", ("totalt",))
    fig = figures.steps_figure(table, "kaa", ("totalt",), title="KAA", demo=True)
    bars = [t for t in fig.data if t.type == "bar"]
    marks = [t for t in fig.data if t.type == "scatter"]
    assert len(bars) == 1 and len(marks) == 1
    positions = {s.key: i for i, s in enumerate(figures.PROGRAMS["kaa"])}
    # No bar at the hidden steps, and every drawn bar has its true, visible size.
    assert positions["arbete"] not in list(bars[0].y) and positions["studier"] not in list(bars[0].y)
    assert sorted(bars[0].x) == sorted(float(v) for v in values.values() if v is not None)
    # The marks stand at zero, one per hidden step.
    assert list(marks[0].x) == [0, 0]
    assert list(marks[0].y) == [positions["arbete"], positions["studier"]]
    assert [t.split(" · ")[0] for t in marks[0].text] == ["<5", ".."]
    # A share needs both counts visible: the hidden ones say "dold", the visible annat has its share.
    assert all(t.endswith("dold") for t in marks[0].text)
    annat = [t for t, y in zip(bars[0].text, bars[0].y, strict=True) if y == positions["annat"]][0]
    assert annat == "7 · 58,3 %"
    assert DEMO_LABEL in fig.layout.title.text


def test_two_series_hide_independently() -> None:
    women = suppressed_row("kvinnor", {"arbete": None}, {"arbete": "<5"})
    men = suppressed_row("män", {"studier": None}, {"studier": ".."})
    table = figures.step_table(frame(women, men), "kaa", ("kvinnor", "män"))
    fig = figures.steps_figure(table, "kaa", ("kvinnor", "män"))
    bars = {t.name: t for t in fig.data if t.type == "bar"}
    marks = [t for t in fig.data if t.type == "scatter"]
    assert len(bars["Kvinnor"].x) == len(bars["Män"].x) == len(figures.PROGRAMS["kaa"]) - 1
    assert [list(m.text) for m in marks] == [["<5 · dold"], [".. · dold"]]


def test_share_only_from_visible_counts() -> None:
    assert figures.share_text(5, 10) == "50,0 %"
    assert figures.share_text(pd.NA, 10) == "dold"
    assert figures.share_text(5, pd.NA) == "dold"
    assert figures.share_text(0, 0) == "uppgift saknas"


def test_area_table_shows_marks_and_gap_needs_both_shares() -> None:
    women = suppressed_row("kvinnor", {"avslutade": 20, "arbete": 10}, {})
    men = suppressed_row("män", {"avslutade": 20, "arbete": None, "studier": 8}, {"arbete": "<5"})
    data = frame(women, men)
    table = figures.area_table(data, "kaa", "Stadsdelsområde")
    assert list(table["Till arbete"]) == ["10", "<5"]
    assert list(table["Andel till arbete av avslutade"]) == ["50,0 %", "dold"]
    gaps = figures.gap_table(data, "kaa", "Stadsdelsområde")
    assert "Andel till arbete av avslutade" not in set(gaps["Andel"])  # män's share is hidden: no gap
    studier = gaps[gaps["Andel"] == "Andel till studier av avslutade"].iloc[0]
    assert studier["Skillnad kvinnor − män"] == "10,0 procentenheter"
