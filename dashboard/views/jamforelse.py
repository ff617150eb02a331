"""The "Jämfört med" view model: Stockholm against the län, riket and other kommuner for one measure, by kön.
From the URL state (jmf_matt, jmf_kon), the comparable measures and their values to the table, chart, download
and notes Översikt shows. No Streamlit here."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from dashboard.core import labels
from dashboard.core.numbers import MISSING, printed_value
from dashboard.core.periods import period_label, period_midpoint
from dashboard.figures import jamforelse as fig_jmf
from dashboard.views.context import Download, dataset_names
from dashboard.views.presentable import pick

EMPTY = ("Ingen jämförelse finns ännu: inget mått har värden för både Stockholms stad och riket eller en annan "
         "kommun. Importera ett nyckeltal från Kolada (Stockholm, riket och de kommuner du vill jämföra med) eller en "
         "tabell från SCB på sidan Importera.")


@dataclass
class JamforelseView:
    measure_options: dict[str, str]  # measure → its name
    measure: str | None = None  # None: nothing to compare
    kon_options: list[str] = field(default_factory=list)
    kon: str = "totalt"
    period: str = ""  # the table's period: the latest with a number for Stockholm
    title: str = ""
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    figure: go.Figure | None = None
    download: Download | None = None
    source: str = ""  # the sources and data sets, under the table (the chart names the sources)
    notes: list[str] = field(default_factory=list)
    empty_text: str | None = None
    demo: bool = False  # some of the values are demo data


def kon_options(values: pd.DataFrame) -> list[str]:
    """Totalt, kvinnor and män as far as Stockholm's values have them; the gap when both kvinnor and män exist."""
    city = set(values.loc[values["area"] == fig_jmf.CITY, "gender"])
    found = [g for g in ("totalt", "kvinnor", "män") if g in city]
    return found + (["skillnad"] if {"kvinnor", "män"} <= city else [])


def latest_period(values: pd.DataFrame) -> str:
    """The latest period in which Stockholms stad has a number."""
    city = values[(values["area"] == fig_jmf.CITY) & values["value"].notna() & values["status"].isna()]
    periods = city["period"] if len(city) else values["period"]
    return max(periods.unique(), key=period_midpoint)


def _sources(values: pd.DataFrame) -> str:
    return "; ".join(str(s) for s in dict.fromkeys(values["source"]))


def _download_table(values: pd.DataFrame) -> pd.DataFrame:
    ordered = values.assign(_area=values["area"].map({a: i for i, a in enumerate(
        fig_jmf.ordered_areas(list(values["area"].unique())))}), _when=values["period"].map(period_midpoint))
    ordered = ordered.sort_values(["_when", "_area", "gender"], kind="stable")
    return pd.DataFrame({
        "Område": ordered["area"], "Nivå": [labels.LEVELS.get(x, x) for x in ordered["area_level"]],
        "Period": [period_label(p) for p in ordered["period"]],
        "Kön": [labels.gender_label(g) for g in ordered["gender"]],
        "Värde": [printed_value(r) for r in ordered.to_dict("records")],
        "Källa": ordered["source"], "Var i källan": ordered["source_location"],
    }).reset_index(drop=True)


def jamforelse_view(state: Mapping[str, str], measures: pd.DataFrame, values_of: Callable[[str], pd.DataFrame],
                    titles: Mapping[str, str]) -> JamforelseView:
    """Everything the section shows for `state`; `measures` is queries.jamforelse.comparable_measures,
    `values_of(measure)` its comparison_values."""
    options = dict(zip(measures["measure"], measures["measure_name"], strict=True))
    if not options:
        return JamforelseView(options, empty_text=EMPTY)
    measure = pick(state, "jmf_matt", list(options))
    values = values_of(measure)
    unit = str(values["unit"].iloc[0])
    kons = kon_options(values)
    kon = pick(state, "jmf_kon", kons)
    period = latest_period(values)
    source = f"{_sources(values)}. Data set: {dataset_names(values, titles)}"
    name = options[measure]
    kommuner = values.loc[values["area_level"] == "kommun", "area"].nunique()
    drawn = fig_jmf.chart_areas(list(values["area"].unique()))
    notes = [f"Kvinnor − män är beräknat av verktyget ur de publicerade värdena, i "
             f"{fig_jmf.gap_unit(unit)}."]
    if len(drawn) < values["area"].nunique():
        notes.append(f"Diagrammet visar Stockholms stad jämfört med {fig_jmf.CHART_KOMMUNER} av de {kommuner} "
                     "kommunerna (de största först), och länet och riket där de finns; tabellen och nedladdningen "
                     "har alla.")
    if "skillnad" not in kons:
        notes.append("Måttet är inte publicerat uppdelat på kvinnor och män för Stockholms stad.")
    table = fig_jmf.latest_table(values, period)
    demo = bool(values["is_demo"].any())
    return JamforelseView(
        options, measure, kons, kon, period,
        title=f"{name}: Stockholms stad jämfört med {_compared(values)}, {labels.gender_label(kon).lower()}",
        table=table,
        figure=fig_jmf.comparison_chart(values, kon, unit=unit, source=_sources(values), demo=demo),
        download=Download(_download_table(values), f"jamforelse_{measure}.csv",
                          {"Mått": name, "Period": None, "Kön": None, "Dataset": dataset_names(values, titles)},
                          is_demo=demo, key="dl_jmf"),
        source=source, notes=notes, demo=demo)


def _compared(values: pd.DataFrame) -> str:
    """'länet, riket och 10 andra kommuner': what Stockholm is set against."""
    parts = [word for area, word in ((fig_jmf.LAN, "länet"), (fig_jmf.RIKET, "riket")) if area in set(values["area"])]
    kommuner = values.loc[values["area_level"] == "kommun", "area"].nunique()
    if kommuner:
        parts.append("en annan kommun" if kommuner == 1 else f"{kommuner} andra kommuner")
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " och " + parts[-1]


@dataclass
class Summary:
    """One line of Översikt's comparison: a measure's latest totals for Stockholm and what it is set against."""

    measure: str
    name: str
    period: str  # as a label
    text: str  # "Stockholms stad omkring 6,3 %, Stockholms län omkring 6,3 %, Riket runt 6,7 %"
    gap: str | None  # Stockholm's kvinnor − män; None when it cannot be computed


def comparisons(measures: pd.DataFrame, values_of: Callable[[str], pd.DataFrame], titles: Mapping[str, str],
                limit: int = 4) -> list[JamforelseView]:
    """The views of the first `limit` comparable measures (Översikt shows each as a line and an expander)."""
    return [jamforelse_view({"jmf_matt": m}, measures, values_of, titles) for m in list(measures["measure"])[:limit]]


def summary_of(view: JamforelseView) -> Summary:
    """The view's line: the table's totals for Stockholm, the län and riket, and Stockholm's gap."""
    table = view.table.set_index("Område")
    shown = [a for a in (fig_jmf.CITY, fig_jmf.LAN, fig_jmf.RIKET) if a in table.index]
    text = ", ".join(f"{area} {table.loc[area, labels.GENDERS['totalt']]}" for area in shown)
    gap = str(table.loc[fig_jmf.CITY, fig_jmf.GAP_COLUMN])
    return Summary(str(view.measure), view.measure_options[str(view.measure)], period_label(view.period), text,
                   None if gap == MISSING else gap)
