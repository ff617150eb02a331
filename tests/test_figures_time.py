"""Time axes in Swedish on a true time scale; a single period is a bar, not an axis."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from dashboard.core.periods import MONTHS, period_midpoint, time_axis
from dashboard.figures import indikatorer, karta

ENGLISH_MONTH = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b")


def profile(periods: list[str], area: str = "Skärholmen") -> pd.DataFrame:
    rows = []
    for series, base in ((area, 10.5), ("Stockholms stad", 5.5)):
        rows += [{"series": series, "period": p, "period_start": pd.Timestamp(p[:4] + "-01-01"),
                  "value": base + i, "unit": "procent"} for i, p in enumerate(periods)]
    return pd.DataFrame(rows)


def test_time_axis_is_swedish_and_at_period_middles() -> None:
    axis = time_axis(["2014-07", "2014-06", "2021"])
    assert axis["ticktext"] == ["juni 2014", "juli 2014", "2021"]  # in time order, as the reports write them
    assert axis["tickvals"] == ["2014-06-15", "2014-07-16", "2021-07-02"]
    assert axis["range"][0] < "2014-06-01" and axis["range"][1] > "2021-12-31"
    assert period_midpoint("2021-T1") == date(2021, 3, 1)  # 1 januari + 59 of its 119 days


def test_time_axis_thins_many_ticks_but_stays_swedish() -> None:
    months = [f"{y}-{m:02d}" for y in range(2014, 2024) for m in range(1, 13)]
    axis = time_axis(months)
    assert 1 < len(axis["ticktext"]) <= 10
    assert all(text.split()[0] in MONTHS for text in axis["ticktext"])


def test_profile_with_several_periods_has_swedish_ticks_on_a_date_axis() -> None:
    fig = karta.profile_chart(profile(["2014-06", "2018-06", "2022"]), "Skärholmen", "procent")
    xaxis = fig.layout.xaxis
    assert xaxis.type == "date" and xaxis.tickmode == "array"
    assert list(xaxis.ticktext) == ["juni 2014", "juni 2018", "2022"]
    assert not any(ENGLISH_MONTH.search(t) for t in xaxis.ticktext)
    assert all(isinstance(t, go.Scatter) for t in fig.data)
    assert "juni 2014" in fig.data[0].hovertext[0]


def test_profile_with_one_period_is_bars_on_a_category_axis() -> None:
    fig = karta.profile_chart(profile(["2021"]), "Skärholmen", "procent")
    assert fig.layout.xaxis.type == "category"
    assert [type(t) for t in fig.data] == [go.Bar, go.Bar]
    assert list(fig.data[0].x) == ["2021"] and list(fig.data[0].text) == ["10,5 %"]
    assert fig.layout.xaxis.tickvals is None  # no made-up dates ("23:59:59.999 Dec 31, 2021")


def indicator_rows() -> pd.DataFrame:
    periods = {"2020": ("2020-01-01", "2020-12-31"), "2021-T1": ("2021-01-01", "2021-04-30"),
               "2021": ("2021-01-01", "2021-12-31"), "2026": ("2026-01-01", "2026-12-31")}
    rows = [{"period": p, "period_start": pd.Timestamp(s), "period_end": pd.Timestamp(e),
             "kind": "mål" if p == "2026" else "utfall", "gender": "totalt", "value": 40.0 + i, "unit": "procent",
             "printed": None, "source": "VP", "source_location": "rad 1", "source_id": "000"}
            for i, (p, (s, e)) in enumerate(periods.items())]
    return pd.DataFrame(rows)


def test_indicator_axis_is_a_true_time_scale() -> None:
    fig = indikatorer.indicator_figure(indicator_rows(), unit="procent")
    xaxis = fig.layout.xaxis
    assert xaxis.type == "date"
    assert list(xaxis.ticktext) == ["2020", "tertial 1 2021", "2021", "2026"]
    xs = sorted(pd.Timestamp(x) for trace in fig.data for x in trace.x)
    gaps = [(b - a).days for a, b in zip(xs, xs[1:], strict=False)]
    assert gaps[-1] > 4 * 365 and gaps[0] < 365  # 2021 → 2026 is far, 2020 → T1 2021 is near
