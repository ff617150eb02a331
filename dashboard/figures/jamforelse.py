"""Stockholm against riket and other kommuner: the table of the latest period by kön, and the lines over time."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.core.labels import COMPUTED, GAP, GENDERS
from dashboard.core.numbers import MISSING, format_change, printed_value
from dashboard.core.periods import period_midpoint, time_axis
from dashboard.figures.style import KÖN_COLOURS, apply_style

CITY = "Stockholms stad"
RIKET = "Riket"
LAN = "Stockholms län"
# The largest kommuner after Stockholm, largest first: the chart shows these first when the data has them.
LARGE = ("Göteborg", "Malmö", "Uppsala", "Linköping", "Örebro", "Västerås", "Helsingborg", "Norrköping")
CHART_KOMMUNER = 8  # beside Stockholm and riket; the table has every area
PALETTE = ("#88CCEE", "#CC6677", "#DDCC77", "#117733", "#332288", "#AA4499", "#44AA99", "#999933")  # Tol, muted
GAP_COLUMN = f"{GAP} ({COMPUTED})"


def gap_unit(unit: str) -> str:
    """A difference of shares is in procentenheter; of anything else in the unit itself."""
    return "procentenheter" if unit == "procent" else unit


def ordered_areas(areas: list[str]) -> list[str]:
    """Stockholms stad, the län, riket, the large kommuner largest first, then the others by name."""
    present = set(areas)
    first = [a for a in (CITY, LAN, RIKET, *LARGE) if a in present]
    return first + sorted(present - set(first))


def chart_areas(areas: list[str]) -> list[str]:
    """The areas drawn: Stockholm, the län, riket and at most CHART_KOMMUNER kommuner, in ordered_areas' order."""
    ordered = ordered_areas(areas)
    fixed = [a for a in ordered if a in (CITY, LAN, RIKET)]
    return fixed + [a for a in ordered if a not in fixed][:CHART_KOMMUNER]


def _number(rows: pd.DataFrame, gender: str) -> float | None:
    hit = rows[(rows["gender"] == gender) & rows["value"].notna() & rows["status"].isna()]
    return float(hit["value"].iloc[0]) if len(hit) else None


def gender_gap(rows: pd.DataFrame) -> float | None:
    """Kvinnor − män of one area and period, when both are numbers."""
    women, men = _number(rows, "kvinnor"), _number(rows, "män")
    return None if women is None or men is None else women - men


def approximate(rows: pd.DataFrame) -> bool:
    """Whether kvinnor or män was printed with a qualifier ("omkring"): then so is their difference."""
    split = rows[rows["gender"].isin(["kvinnor", "män"])]
    return any(isinstance(q, str) and q.strip() for q in split.get("qualifier", []))


def latest_table(values: pd.DataFrame, period: str) -> pd.DataFrame:
    """One row per area in `period`: Område, Kvinnor, Män, Totalt as published, and the gap the tool computes."""
    at = values[values["period"] == period]
    unit = str(at["unit"].iloc[0]) if len(at) else ""
    rows = []
    for area in ordered_areas(list(at["area"].unique())):
        here = at[at["area"] == area]
        row = {"Område": area}
        for gender in ("kvinnor", "män", "totalt"):
            hit = here[here["gender"] == gender]
            row[GENDERS[gender]] = printed_value(hit.iloc[0]) if len(hit) else MISSING
        gap = gender_gap(here)
        row[GAP_COLUMN] = format_change(gap, gap_unit(unit), approximate(here)) if gap is not None else MISSING
        rows.append(row)
    return pd.DataFrame(rows, columns=["Område", *GENDERS.values(), GAP_COLUMN])


def series(values: pd.DataFrame, area: str, kon: str) -> pd.DataFrame:
    """period, value (NaN where there is no number) and text (as printed, with its qualifier) of one area and kön,
    or the gap for kon 'skillnad'."""
    here = values[values["area"] == area]
    unit = str(here["unit"].iloc[0]) if len(here) else ""
    out = []
    for period, rows in here.groupby("period", sort=False):
        if kon == "skillnad":
            value = gender_gap(rows)
            text = MISSING if value is None else format_change(value, gap_unit(unit), approximate(rows))
        else:
            value = _number(rows, kon)
            hit = rows[rows["gender"] == kon]
            text = printed_value(hit.iloc[0]) if len(hit) else MISSING
        out.append({"period": period, "value": float("nan") if value is None else value, "text": text})
    frame = pd.DataFrame(out, columns=["period", "value", "text"])
    return frame.sort_values("period", key=lambda p: p.map(period_midpoint), ignore_index=True)


def _style(area: str, colours) -> dict:
    if area == CITY:
        return {"color": KÖN_COLOURS["totalt"], "width": 4}
    if area == RIKET:
        return {"color": "#555555", "width": 2, "dash": "dash"}
    if area == LAN:
        return {"color": "#8c8c8c", "width": 2, "dash": "dot"}
    return {"color": next(colours), "width": 2}


def bar_chart(values: pd.DataFrame, kon: str, *, unit: str, source: str | None = None, demo: bool = False,
              height: int = 420) -> go.Figure:
    """One period: a bar per area, Stockholm in its own colour, the areas in ordered_areas' order from the top."""
    lines = {a: series(values, a, kon) for a in chart_areas(list(values["area"].unique()))}
    areas = [a for a, line in lines.items() if line["value"].notna().any()]
    colours = iter(PALETTE)  # the kommuner's colours, in order
    fig = go.Figure(go.Bar(
        y=areas, x=[float(lines[a]["value"].iloc[0]) for a in areas], orientation="h",
        text=[str(lines[a]["text"].iloc[0]) for a in areas], textposition="outside",
        cliponaxis=False, marker={"color": [_style(a, colours)["color"] for a in areas]},
        hovertemplate="%{y}: %{text}<extra></extra>"))
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(title=gap_unit(unit) if kon == "skillnad" else None,
                     ticksuffix=" %" if kon != "skillnad" and unit == "procent" else "",
                     zeroline=True)
    apply_style(fig, source=source, demo=demo, height=height)
    fig.update_layout(showlegend=False)
    return fig


def comparison_chart(values: pd.DataFrame, kon: str, *, unit: str, source: str | None = None, demo: bool = False,
                     height: int = 420) -> go.Figure:
    """One line per area for `kon` over the periods, Stockholm drawn strongest, riket dashed, the län dotted; bars
    when there is one period."""
    if values["period"].nunique() == 1:
        return bar_chart(values, kon, unit=unit, source=source, demo=demo, height=height)
    fig = go.Figure()
    shown_unit = gap_unit(unit) if kon == "skillnad" else unit
    colours = iter(PALETTE)
    for area in chart_areas(list(values["area"].unique())):
        line = series(values, area, kon)
        if line["value"].notna().sum() == 0:
            continue
        fig.add_trace(go.Scatter(
            x=[period_midpoint(p).isoformat() for p in line["period"]], y=line["value"], name=area,
            mode="lines+markers", line=_style(area, colours), text=list(line["text"]),
            connectgaps=False,
            hovertemplate=f"{area}: %{{text}}<extra></extra>"))
    fig.update_xaxes(**time_axis(list(values["period"].unique()), max_ticks=12), showgrid=False, title=None)
    fig.update_yaxes(title=shown_unit if kon == "skillnad" else None, zeroline=kon == "skillnad",
                     ticksuffix=" %" if shown_unit == "procent" else "")
    apply_style(fig, source=source, demo=demo, height=height)
    fig.update_layout(showlegend=True)
    return fig
