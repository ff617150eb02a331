"""The Indikatorer view model: from the URL state (the filters dok, mal, amne, frekvens, perkon and the chosen
indicator ind) and the indicators, their statuses and observations to everything the page, the slide and the
downloads show. No Streamlit here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from dashboard.core import labels
from dashboard.core.labels import genders_text, periods_text
from dashboard.core.numbers import MISSING
from dashboard.core.periods import period_label
from dashboard.figures import indikatorer as fig_ind
from dashboard.views.context import Download, dataset_names
from dashboard.views.presentable import pick

ALL = "alla"
FILTERS = {"dok": "Dokument", "mal": "Mål", "amne": "Ämne", "frekvens": "Periodicitet", "perkon": "Per kön"}
KEYS = (*FILTERS, "ind")  # the page's URL keys, in the order of its share link
NO_MEASURE = "inget"  # the topic of an indicator without a measure
OWN_KINDS = ("mål", "kf-mål", "utfall", "prognos")  # the document's own numbers at the top of the page


@dataclass
class IndikatorerData:
    """What the view reads: the indicators, the statuses they were given, their measures' observations and
    the data sets' titles (by id)."""

    indicators: pd.DataFrame
    statuses: pd.DataFrame
    observations: pd.DataFrame
    titles: Mapping[str, str]


@dataclass
class OwnValue:
    """One of the indicator's own document's numbers (totalt): kind, the value as printed, its period."""

    label: str
    text: str | None  # None: nothing published
    period: str


@dataclass
class Status:
    period: str
    status: str
    source: str
    note: str | None


@dataclass
class Twin:
    """Another document's indicator on the same measure: its values are in the same chart and table."""

    indicator: str
    document: str
    document_title: str
    name: str
    source_location: str
    listed: bool  # it passes the filters, so the page can switch to it


@dataclass
class IndikatorerView:
    filters: dict[str, str]  # key → the resolved value (ALL = no filter)
    filter_options: dict[str, dict[str, str]]  # key → value → label, without ALL
    demo: bool  # the page's data are demo data
    shown: pd.DataFrame  # the indicators the filters let through
    count_text: str  # "Visar 12 av 86 indikatorer (…)"
    names: dict[str, str]  # indicator id → its label in lists
    chosen: str | None  # None when no indicator passes the filters
    summary: pd.DataFrame  # "Alla indikatorer i urvalet"
    summary_download: Download
    indicator: pd.Series | None = None
    chain: str = ""
    own: list[OwnValue] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)  # (label, text)
    note: str | None = None
    statuses: list[Status] = field(default_factory=list)
    no_status: str | None = None
    has_measure: bool = False
    values: pd.DataFrame = field(default_factory=pd.DataFrame)  # every value of the measure, every document
    twins: list[Twin] = field(default_factory=list)
    figure: go.Figure | None = None
    values_table: pd.DataFrame = field(default_factory=pd.DataFrame)
    values_download: Download | None = None
    gender_table: pd.DataFrame = field(default_factory=pd.DataFrame)
    gender_text: str | None = None  # why there is no table of kvinnor and män
    title: str = ""
    source: str = ""
    period: str = MISSING
    definition: str = MISSING
    datasets: str = MISSING
    notes: list[str] = field(default_factory=list)
    link_state: dict[str, str] = field(default_factory=dict)  # the state a link to the view carries
    fallbacks: list[str] = field(default_factory=list)


def filter_options(indicators: pd.DataFrame, document: str = ALL) -> dict[str, dict[str, str]]:
    """Each filter's options (value → label, without ALL); the goals are those of the chosen document."""
    documents = dict(zip(indicators["document"], indicators["document_title"], strict=True))
    in_doc = indicators if document == ALL else indicators[indicators["document"] == document]
    topics = sorted(indicators["topic"].dropna().unique(), key=str.lower)
    return {
        "dok": {d: fig_ind.DOCUMENT_NAME.get(d, t) for d, t in documents.items()},
        "mal": fig_ind.goal_options(in_doc),
        "amne": {**{t: t for t in topics}, NO_MEASURE: "Inget mått"},
        "frekvens": {p: p.capitalize() for p in ("tertial", "halvår", "år") if p in set(indicators["periodicity"])},
        "perkon": {"ja": "Redovisas per kön", "nej": "Inte per kön"},
    }


def filtered(indicators: pd.DataFrame, filters: Mapping[str, str]) -> pd.DataFrame:
    """The indicators that pass every filter (a missing or ALL filter lets all through)."""
    shown = indicators
    doc, goal, topic = filters.get("dok", ALL), filters.get("mal", ALL), filters.get("amne", ALL)
    periodicity, split = filters.get("frekvens", ALL), filters.get("perkon", ALL)
    if doc != ALL:
        shown = shown[shown["document"] == doc]
    if goal != ALL:
        shown = shown[fig_ind.under_goal(shown, goal)]
    if topic != ALL:
        shown = shown[shown["topic"].isna()] if topic == NO_MEASURE else shown[shown["topic"] == topic]
    if periodicity != ALL:
        shown = shown[shown["periodicity"] == periodicity]
    if split != ALL:
        shown = shown[shown["by_gender"].fillna(False).astype(bool) == (split == "ja")]
    return shown


def indicator_names(shown: pd.DataFrame) -> dict[str, str]:
    """Indicator id → 'Name (VP 2026)', in the order shown."""
    return {r.indicator: f"{r.name} ({fig_ind.short_document(r.document)})" for r in shown.itertuples()}


def resolve_filters(indicators: pd.DataFrame, state: Mapping[str, str],
                    fallbacks: list[str] | None = None) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """The filters of `state`, each among its options or ALL, and the options they were chosen from."""
    document = pick(state, "dok", [ALL, *filter_options(indicators)["dok"]], ALL, fallbacks)
    options = filter_options(indicators, document)
    chosen = {"dok": document}
    for key in ("mal", "amne", "frekvens", "perkon"):
        chosen[key] = pick(state, key, [ALL, *options[key]], ALL, fallbacks)
    return chosen, options


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _count_text(shown: pd.DataFrame, indicators: pd.DataFrame) -> str:
    documents = dict(zip(indicators["document"], indicators["document_title"], strict=True))
    counts = ", ".join(f"{(shown['document'] == d).sum()} av {(indicators['document'] == d).sum()} i {t}"
                       for d, t in documents.items())
    return f"Visar {len(shown)} av {len(indicators)} indikatorer ({counts})."


def _own_values(own: pd.DataFrame) -> list[OwnValue]:
    out = []
    for kind in OWN_KINDS:
        rows = own[(own["kind"] == kind) & (own["gender"] == "totalt")]
        when = period_label(rows.sort_values("period_end")["period"].iloc[-1]) if not rows.empty else MISSING
        text = fig_ind.value_text(own, kind, with_period=False) if not rows.empty else None
        out.append(OwnValue(fig_ind.KIND_LABELS[kind], text, when))
    return out


def _definition(ind: pd.Series, has_measure: bool) -> str:
    """The measure's definition ending in a full stop, and its unit; 'uppgift saknas' without a measure."""
    if not has_measure:
        return MISSING
    text = (_text(ind["definition"]) or MISSING).rstrip()
    return text + ("" if text.endswith((".", "!", "?")) else ".") + f" Enhet: {ind['unit']}."


def _gender_text(values: pd.DataFrame, by_gender: bool, table: pd.DataFrame) -> str | None:
    if (values["kind"] != "utfall").all():
        return ("Inga utfall är publicerade för måttet, så det finns ingen uppdelning på kvinnor och män att "
                "visa" + (" (indikatorn ska redovisas per kön)." if by_gender else "."))
    if table.empty:
        return ("Utfallet är inte publicerat uppdelat på kvinnor och män"
                + (" fast indikatorn ska redovisas per kön." if by_gender else "."))
    return None


def gender_note(table: pd.DataFrame) -> str:
    """The table of kvinnor and män in one line: each period's outcomes and the gap the tool computed."""
    gap = next(c for c in table.columns if c.startswith("Skillnad"))
    periods = "; ".join(f"{r['Period']}: kvinnor {r['Kvinnor']}, män {r['Män']}, skillnad {r[gap]}"
                        for _, r in table.iterrows())
    return f"Utfall för kvinnor och män ({labels.GAP.lower()} {labels.COMPUTED}): {periods}."


def indikatorer_view(data: IndikatorerData, state: Mapping[str, str]) -> IndikatorerView:
    """Everything the Indikatorer view shows for `state`; a value that is not among its options falls back to
    the page's default (ALL, or the first indicator the filters let through) and is named in `fallbacks`."""
    indicators, obs = data.indicators, data.observations
    fallbacks: list[str] = []
    filters, options = resolve_filters(indicators, state, fallbacks)
    shown = filtered(indicators, filters)
    names = indicator_names(shown)
    demo = bool(obs["is_demo"].any())
    summary = fig_ind.summary_table(shown, obs, data.statuses)
    view = IndikatorerView(
        filters=filters, filter_options=options, demo=demo, shown=shown, count_text=_count_text(shown, indicators),
        names=names, chosen=None, summary=summary, fallbacks=fallbacks,
        summary_download=Download(summary, "indikatorer.csv", key="dl_all_csv", is_demo=demo, context={
            "Mått": "Indikatorerna i urvalet, en rad per indikator", "Period": "senaste värdet, perioden inom parentes",
            "Kön": "Totalt", "Dataset": dataset_names(obs, data.titles)}))
    if names:
        chosen = pick(state, "ind", list(names), next(iter(names)), fallbacks)
        _describe(view, data, shown[shown["indicator"] == chosen].iloc[0])
    return view


def _describe(view: IndikatorerView, data: IndikatorerData, ind: pd.Series) -> None:
    """The chosen indicator's part of the view: its numbers, chart, tables, status and the slide's texts."""
    indicators, obs, demo, names, chosen = data.indicators, data.observations, view.demo, view.names, ind["indicator"]
    has_measure = isinstance(ind["measure"], str)
    values = fig_ind.measure_values(obs, ind["measure"])
    by_gender = bool(ind["by_gender"])
    chain = " › ".join(g for g in (ind["inriktningsmal"], ind["kf_mal"], ind["namndmal"]) if _text(g))
    status = data.statuses[data.statuses["indicator"] == chosen]
    gender_table = fig_ind.gender_table(values)
    twins = indicators[(indicators["measure"] == ind["measure"]) & (indicators["indicator"] != chosen)]

    notes = [f"Indikatorn: {ind['document_title']}, {ind['source_location']} ({chain})."]
    if not has_measure:
        notes.append("Indikatorn har inget mått i databasen, så inga mål eller utfall visas.")
    elif values.empty:
        notes.append(f"Inga mål eller utfall är publicerade för måttet: {MISSING}.")
    if (values["gender"] != "totalt").any():
        notes.append("Kvinnor och män är de publicerade värdena; de står bredvid periodens totalt.")
    if not gender_table.empty:
        notes.append(gender_note(gender_table))
    if _text(ind["note"]):
        notes.append(f"Anmärkning: {ind['note']}")
    values_table = fig_ind.observation_table(values)

    view.chosen, view.indicator, view.chain, view.has_measure, view.values = chosen, ind, chain, has_measure, values
    view.own = _own_values(fig_ind.own_values(obs, ind["measure"], ind["document"]))
    view.facts = [
        ("Definition", _text(ind["definition"]) if has_measure and _text(ind["definition"]) else MISSING),
        ("Enhet", str(ind["unit"]) if has_measure else MISSING),
        ("Periodicitet", _text(ind["periodicity"]) or MISSING),
        ("Redovisas per kön", "ja" if by_gender else "nej"),
        ("Källa", f"{ind['document_title']}, {ind['source_location']}"),
    ]
    view.note = _text(ind["note"])
    view.statuses = [Status(period_label(r.period), r.status, f"{r.source}, {r.source_location}", _text(r.note))
                     for r in status.itertuples()]
    if status.empty:
        view.no_status = (f"ingen status rapporterad i {ind['document_title']}"
                          + (" (en verksamhetsplan sätter mål; den följer inte upp dem)."
                             if ind["document"] == "vp2026" else "."))
    view.twins = [Twin(t.indicator, t.document, t.document_title, t.name, t.source_location, t.indicator in names)
                  for t in twins.itertuples()] if not values.empty else []
    view.figure = fig_ind.indicator_chart(values, unit=ind["unit"], demo=demo)
    view.values_table = values_table
    view.values_download = Download(values_table, f"indikator_{chosen}.csv", key="dl_ind_csv", is_demo=demo, context={
        "Mått": ind["name"], "Period": periods_text(values), "Kön": genders_text(values),
        "Dataset": dataset_names(values, data.titles)})
    view.gender_table, view.gender_text = gender_table, _gender_text(values, by_gender, gender_table)
    view.title = f"{ind['name']} ({fig_ind.short_document(ind['document'])})"
    view.source = (labels.source_text(values) if not values.empty
                   else f"Källa: {ind['document_title']} ({ind['source_location']})")
    view.period = _periods(values)
    view.definition = _definition(ind, has_measure)
    view.datasets = dataset_names(values, data.titles)
    view.notes = notes
    view.link_state = {**{k: v for k, v in view.filters.items() if v != ALL}, "ind": chosen}


def _periods(frame: pd.DataFrame) -> str:
    """The periods of the rows in time order, e.g. '2021; 2022' ('uppgift saknas' if none)."""
    ordered = frame.sort_values(["period_start", "period_end"])
    return "; ".join(period_label(p) for p in dict.fromkeys(ordered["period"])) or MISSING
