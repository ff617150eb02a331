"""Indicators: goal keys, Swedish tables of targets and outcomes, and the small chart across documents."""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go

from dashboard.core.labels import COMPUTED, GENDERS
from dashboard.core.numbers import MISSING, format_gap, format_value, qualifier_of
from dashboard.core.periods import period_label, period_midpoint, time_axis
from dashboard.figures.style import KÖN_COLOURS, TARGET_COLOUR, apply_style

KIND_LABELS = {"utfall": "Utfall", "mål": "Nämndens mål", "kf-mål": "KF:s mål", "prognos": "Prognos"}
DOCUMENT_SHORT = {"vp2026": "VP 2026", "t1_2021": "T1 2021"}
DOCUMENT_NAME = {"vp2026": "Verksamhetsplan 2026", "t1_2021": "Tertialrapport 1 2021"}
LEVEL_COLUMNS = {"inriktningsmal": "Inriktningsmål", "kf_mal": "KF-mål", "namndmal": "Nämndmål"}
_GOAL_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)*)\.?\s")


def short_document(document: str, title: str | None = None) -> str:
    return DOCUMENT_SHORT.get(document, title or document)


def decimals(printed: object) -> int | None:
    """Decimals as the source prints the number ('75,28' → 2, '1 000' → 0); None when not printed."""
    if not isinstance(printed, str) or not printed.strip():
        return None
    _, comma, rest = printed.strip().partition(",")
    return len(re.sub(r"\D", "", rest)) if comma else 0


def format_printed(value: float | None, unit: str, printed: object = None, qualifier: object = None) -> str:
    """The value in Swedish format with as many decimals and the qualifier as the source printed."""
    return format_value(value, unit, decimals(printed), qualifier)


def _qualifiers(frame: pd.DataFrame) -> list:
    return list(frame["qualifier"]) if "qualifier" in frame else [None] * len(frame)


def goal_number(text: str) -> str:
    """'3.2.1 Nämnden bidrar …' → '3.2.1', '1.1.1. Kvinnor …' → '1.1.1'; the text itself if unnumbered."""
    match = _GOAL_NUMBER.match(str(text))
    return match[1] if match else str(text)


def goal_key(document: str, goal: str) -> str:
    """A short key for a goal in a document, for the URL: 'vp2026:3.2'."""
    return f"{document}:{goal_number(goal)}"


def goal_options(indicators: pd.DataFrame) -> dict[str, str]:
    """Every goal (all three levels) by key, labelled with the document, in the document's order."""
    options: dict[str, str] = {}
    for row in indicators.itertuples():
        for level in LEVEL_COLUMNS:
            goal = getattr(row, level)
            if isinstance(goal, str) and goal:
                options.setdefault(goal_key(row.document, goal), f"{short_document(row.document)} · {goal}")
    return dict(sorted(options.items(), key=lambda kv: (kv[0].split(":")[0] != "vp2026",
                                                        [int(p) if p.isdigit() else 0
                                                         for p in kv[0].split(":")[1].split(".")])))


def under_goal(indicators: pd.DataFrame, key: str) -> pd.Series:
    """True for the indicators under the goal `key` at any level."""
    mask = pd.Series(False, index=indicators.index)
    for level in LEVEL_COLUMNS:
        goals = indicators[level].fillna("")
        mask |= pd.Series([g != "" and goal_key(d, g) == key
                           for d, g in zip(indicators["document"], goals, strict=True)], index=indicators.index)
    return mask


def own_values(obs: pd.DataFrame, measure: object, document: str) -> pd.DataFrame:
    """The observations of an indicator's measure published in the indicator's own document."""
    if not isinstance(measure, str):
        return obs.iloc[0:0]
    return obs[(obs["measure"] == measure) & (obs["source_id"] == document)]


def value_text(rows: pd.DataFrame, kind: str, gender: str = "totalt", with_period: bool = True) -> str:
    """The latest value of a kind, formatted as printed, with its period; 'uppgift saknas' if none."""
    found = rows[(rows["kind"] == kind) & (rows["gender"] == gender)]
    if found.empty:
        return MISSING
    last = found.sort_values(["period_end", "period_start"]).iloc[-1]
    text = format_printed(last["value"], last["unit"], last["printed"], last.get("qualifier"))
    return f"{text} ({period_label(last['period'])})" if with_period else text


def summary_table(indicators: pd.DataFrame, obs: pd.DataFrame, statuses: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator with its goal chain, targets, outcome, prognosis, status and source (Swedish)."""
    rows = []
    for ind in indicators.itertuples():
        own = own_values(obs, ind.measure, ind.document)
        status = statuses[statuses["indicator"] == ind.indicator]
        rows.append({
            "Indikator": ind.name,
            "Dokument": DOCUMENT_NAME.get(ind.document, ind.document_title),
            "Nämndens mål": value_text(own, "mål"),
            "KF:s mål": value_text(own, "kf-mål"),
            "Utfall": value_text(own, "utfall"),
            "Prognos": value_text(own, "prognos"),
            "Status (rapporterad)": "; ".join(status["status"]) if not status.empty else MISSING,
            "Per kön": "ja" if ind.by_gender else "nej",
            "Periodicitet": ind.periodicity,
            "Ämne": ind.topic if isinstance(ind.topic, str) else "inget mått",
            "Inriktningsmål": ind.inriktningsmal,
            "KF-mål": ind.kf_mal or "",
            "Nämndmål": ind.namndmal or "",
            "Anmärkning": ind.note or "",
            "Källa": ind.document_title,
            "Var i källan": ind.source_location,
            "Id": ind.indicator,
        })
    return pd.DataFrame(rows)


def observation_table(obs: pd.DataFrame) -> pd.DataFrame:
    """Every value of the measure, as printed and in Swedish format, with document and line."""
    ordered = obs.sort_values(["period_end", "period_start", "kind", "gender"], kind="stable")
    return pd.DataFrame({
        "Period": [period_label(p) for p in ordered["period"]],
        "Slag": ordered["kind"].map(KIND_LABELS),
        "Kön": ordered["gender"].map(GENDERS),
        "Värde": [format_printed(v, u, p, q) for v, u, p, q in
                  zip(ordered["value"], ordered["unit"], ordered["printed"], _qualifiers(ordered), strict=True)],
        "Var i källan": ordered["source_location"],
        "Källa": ordered["source"],
        "Tryckt i källan": ordered["printed"].fillna(""),
        "Anmärkning": ordered["note"].fillna(""),
    })


def _shown(row: object, unit: str) -> str:
    """One itertuples row as printed, or 'uppgift saknas' when there is none."""
    if row is None:
        return MISSING
    return format_printed(row.value, unit, row.printed, getattr(row, "qualifier", None))


def gender_table(obs: pd.DataFrame) -> pd.DataFrame:
    """Outcomes for kvinnor and män side by side, and the gap kvinnor − män computed by the tool."""
    split = obs[(obs["kind"] == "utfall") & obs["gender"].isin(["kvinnor", "män"])]
    rows = []
    for (period, source), group in split.groupby(["period", "source"], sort=False):
        by = {r.gender: r for r in obs[(obs["kind"] == "utfall") & (obs["period"] == period)
                                       & (obs["source"] == source)].itertuples()}
        women, men, total = by.get("kvinnor"), by.get("män"), by.get("totalt")
        unit = group["unit"].iat[0]
        gap_unit = "procentenheter" if unit == "procent" else unit
        places = [decimals(r.printed) or 0 for r in (women, men) if r is not None]
        gap = women.value - men.value if women is not None and men is not None else None
        approximate = any(qualifier_of(getattr(r, "qualifier", None)) for r in (women, men) if r is not None)
        gap_text = format_gap(gap, gap_unit, max(places), approximate)
        rows.append({
            "Period": period_label(period),
            "Totalt": _shown(total, unit),
            "Kvinnor": _shown(women, unit),
            "Män": _shown(men, unit),
            f"Skillnad kvinnor − män ({gap_unit}, {COMPUTED})": gap_text,
            "Källa": source,
            "Var i källan": ", ".join(dict.fromkeys(group["source_location"])),
        })
    return pd.DataFrame(rows)


_STYLES = {
    ("utfall", "totalt"): {"mode": "lines+markers+text", "marker": {"size": 11, "color": KÖN_COLOURS["totalt"]},
                           "line": {"color": KÖN_COLOURS["totalt"]}},
    ("utfall", "kvinnor"): {"mode": "markers+text", "marker": {"size": 10, "color": KÖN_COLOURS["kvinnor"]}},
    ("utfall", "män"): {"mode": "markers+text", "marker": {"size": 10, "color": KÖN_COLOURS["män"],
                                                           "symbol": "square"}},
    ("prognos", "totalt"): {"mode": "markers+text", "marker": {"size": 12, "color": KÖN_COLOURS["totalt"],
                                                               "symbol": "circle-open", "line": {"width": 2}}},
    ("mål", "totalt"): {"mode": "markers+text", "marker": {"size": 16, "color": TARGET_COLOUR,
                                                           "symbol": "line-ew", "line": {"width": 4,
                                                                                         "color": TARGET_COLOUR}}},
    ("kf-mål", "totalt"): {"mode": "markers+text", "marker": {"size": 12, "color": TARGET_COLOUR,
                                                              "symbol": "diamond-open", "line": {"width": 2}}},
}
# Values written beside the markers; kvinnor and män are left to the hover and the table (they overlap).
_TEXT_POSITION = {("utfall", "totalt"): "top center", ("mål", "totalt"): "top center",
                  ("kf-mål", "totalt"): "middle right", ("prognos", "totalt"): "bottom center"}


def short_source(obs: pd.DataFrame) -> str:
    """'T1 2021 rad 160, 163; VP 2026 rad 1464': short enough to sit under a small chart."""
    parts = []
    for document, rows in obs.groupby("source_id", sort=False):
        lines = sorted(dict.fromkeys(str(loc).removeprefix("rad ") for loc in rows["source_location"]),
                       key=lambda x: int(x) if x.isdigit() else 0)
        parts.append(f"{short_document(document)} rad {', '.join(lines)}")
    return "; ".join(parts)


# Kvinnor and män sit just beside the period's total (a share of the axis' span), so that close values
# do not hide each other.
_SHIFT = {"kvinnor": -0.012, "män": 0.012}


def indicator_figure(obs: pd.DataFrame, *, unit: str, source: str | None = None, demo: bool = False,
                     height: int = 380) -> go.Figure:
    """Outcomes, forecasts and targets over time, each at the middle of its period on a true time scale
    (so that 2021 and 2026 are far apart), the axis labelled with the periods in Swedish."""
    ordered = obs.sort_values(["period_end", "period_start"], kind="stable")
    periods = list(dict.fromkeys(ordered["period"]))
    axis = time_axis(periods, max_ticks=12)
    span = (pd.Timestamp(axis["range"][1]) - pd.Timestamp(axis["range"][0])) if axis else pd.Timedelta(0)
    fig = go.Figure()
    for (kind, gender), style in _STYLES.items():
        rows = ordered[(ordered["kind"] == kind) & (ordered["gender"] == gender)]
        if rows.empty:
            continue
        texts = [format_printed(v, u, p, q) for v, u, p, q in
                 zip(rows["value"], rows["unit"], rows["printed"], _qualifiers(rows), strict=True)]
        name = KIND_LABELS[kind] + ("" if gender == "totalt" else f", {GENDERS[gender].lower()}")
        position = _TEXT_POSITION.get((kind, gender))
        style = {**style, "mode": style["mode"] if position else style["mode"].replace("+text", "")}
        shift = _SHIFT.get(gender, 0.0)
        fig.add_trace(go.Scatter(
            x=[(pd.Timestamp(period_midpoint(p)) + span * shift).isoformat() for p in rows["period"]],
            y=rows["value"], name=name,
            text=texts,
            textposition=position or "top center",
            customdata=list(zip([period_label(p) for p in rows["period"]], rows["source"], rows["source_location"],
                                strict=True)),
            hovertemplate=f"{name}, %{{customdata[0]}}: %{{text}}<br>%{{customdata[1]}}, %{{customdata[2]}}"
                          "<extra></extra>",
            cliponaxis=False, **style,
        ))
    top = float(ordered["value"].max()) if not ordered.empty else 1.0
    fig.update_xaxes(**axis, showgrid=False, zeroline=False, title=None)
    fig.update_yaxes(rangemode="tozero", range=[0, top * 1.2 if top > 0 else 1], title=None,
                     ticksuffix=" %" if unit == "procent" else "")
    apply_style(fig, source=source, demo=demo, height=height)
    fig.update_layout(showlegend=True, legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
                      margin={"t": 50, "b": 80 if source else 30})
    return fig


def measure_values(obs: pd.DataFrame, measure: object) -> pd.DataFrame:
    """Every target, outcome and forecast of an indicator's measure, in every document; none without a measure."""
    if not isinstance(measure, str):
        return obs.iloc[0:0]
    return obs[obs["measure"] == measure]


def indicator_chart(values: pd.DataFrame, *, unit: object, demo: bool = False) -> go.Figure:
    """The chosen indicator's chart: its values over time with the documents and lines under it.

    Without any value the chart says "uppgift saknas" instead of showing empty axes.
    """
    fig = indicator_figure(values, unit=str(unit), source=short_source(values) or None, demo=demo)
    if values.empty:
        fig.add_annotation(text=MISSING, xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False,
                           font={"size": 20, "color": "#555"})
    return fig
