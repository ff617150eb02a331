"""Presentable views: a view id and a plain state dict (the page's URL keys) → a Slide.

Built from queries and figure builders only (no Streamlit), so that the presentation page, the exports and
the tests draw exactly what the pages draw. An unknown or missing state value falls back to the page's default.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go
from sqlalchemy import Engine

from dashboard.core import labels
from dashboard.figures.style import DEMO_LABEL

State = Mapping[str, str]


@dataclass
class Slide:
    """One view, ready to show or export: the figure and everything the footnote must say."""

    view: str
    title: str
    figure: go.Figure
    source: str  # "Källa: title, rad 12–30; …"
    period: str
    definition: str
    datasets: str  # titles of the data sets behind the figure
    demo: bool = False
    small_numbers: str | None = None  # the small-number rule, where individual-level data is shown
    link: str = ""  # page url_path + query string, e.g. "karta?matt=…"
    notes: list[str] = field(default_factory=list)  # further lines (computed values, marks)
    fallbacks: list[str] = field(default_factory=list)  # state keys whose saved value no longer exists

    def footnote_parts(self, base_url: str = "") -> list[str]:
        """The footnote, one line per part, in Swedish; `base_url` makes the link absolute."""
        data = f"Data: {self.datasets}" + (f" – {DEMO_LABEL}" if self.demo else "")
        parts = [self.source, f"Period: {self.period}", f"Definition: {self.definition}", data]
        parts += self.notes
        if self.small_numbers:
            parts.append(f"Små tal: {self.small_numbers}")
        parts.append(f"Länk till vyn: {full_link(self.link, base_url)}")
        return parts

    def footnote(self, base_url: str = "") -> str:
        return "\n".join(self.footnote_parts(base_url))


@dataclass(frozen=True)
class View:
    key: str
    label: str  # Swedish name in lists
    url_path: str
    state_keys: tuple[str, ...]
    build: Callable[[State, Engine | None], Slide]


def full_link(link: str, base_url: str = "") -> str:
    return f"{base_url.rstrip('/')}/{link}" if base_url else link


def view_link(url_path: str, state: State, keys: tuple[str, ...]) -> str:
    """'karta?matt=…&period=…' with the keys in the page's order; empty values left out."""
    query = urlencode({k: state[k] for k in keys if state.get(k) not in (None, "")})
    return f"{url_path}?{query}" if query else url_path


def dataset_titles(frame: pd.DataFrame, engine: Engine | None = None) -> str:
    from queries.coverage import datasets_overview

    if frame.empty:
        return "uppgift saknas"
    titles = datasets_overview(engine).set_index("dataset")["title"]
    return "; ".join(str(titles.get(d, d)) for d in dict.fromkeys(frame["dataset"]))


def pick(state: State, key: str, options: list[str], default: str | None = None,
         fallbacks: list[str] | None = None) -> str:
    """The state's value if it is one of `options`, else `default` (or the first option).

    A value that was given but is not available is noted in `fallbacks` (e.g. a saved slide after a rebuild).
    """
    value = state.get(key)
    if value in options:
        return str(value)
    if value not in (None, "") and fallbacks is not None:
        fallbacks.append(key)
    return default if default in options else options[0]


# --- Karta ---------------------------------------------------------------------------------------

MAP_KEYS = ("data", "matt", "period", "niva", "kon", "grupp", "slag", "fokus", "omrade")


def build_karta(state: State, engine: Engine | None = None) -> Slide:
    """The map as pages/karta.py draws it for the same URL state."""
    from dashboard.core import config
    from dashboard.core.periods import period_label
    from dashboard.figures import karta as figures
    from dashboard.views.mapdata import LEVEL_LABELS, city_printed, map_values
    from geo.boundaries import water_geojson
    from queries import areas, karta, observations

    catalogue = karta.map_catalogue(engine)
    missed: list[str] = []
    has_demo = bool(catalogue["is_demo"].any()) and config.demo_enabled()  # as on the page
    data = pick(state, "data", ["publicerat", "demo"] if has_demo else ["publicerat"], fallbacks=missed)
    is_demo = data == "demo"
    available = catalogue[catalogue["is_demo"] == is_demo]
    names = available.drop_duplicates("measure").set_index("measure")["name"].sort_values()
    preferred = [m for m in names.index if m.startswith(("arbetsloshet_ar2022", "demo_arbetsloshet_andel"))]
    measure = pick(state, "matt", list(names.index), preferred[0] if preferred else None, fallbacks=missed)
    rows = available[available["measure"] == measure]
    info = rows.iloc[0]
    drawable = rows[rows["level"].isin(["stadsdelsomrade", "stadsdel", "rapportgrupp"])]
    periods = list(dict.fromkeys(drawable.sort_values("period_start")["period"]))
    period = pick(state, "period", periods, periods[-1], fallbacks=missed)
    at_period = rows[rows["period"] == period]
    day = pd.Timestamp(at_period["period_end"].iloc[0]).date()
    present = set(at_period["level"])
    levels = [lv for lv in ("stadsdelsomrade", "stadsdel")
              if lv in present or (lv == "stadsdelsomrade" and "rapportgrupp" in present)]
    level = pick(state, "niva", levels, fallbacks=missed)
    drawn = at_period[at_period["level"].isin([level, "rapportgrupp"] if level == "stadsdelsomrade" else [level])]
    split = {"kvinnor", "män"} <= set(drawn["gender"])
    kon = pick(state, "kon", ["totalt", "kvinnor", "män", "skillnad"] if split else ["totalt"], fallbacks=missed)
    group = pick(state, "grupp", sorted(at_period["group"].unique(), key=lambda g: (g != "alla", g)), fallbacks=missed)
    kind = pick(state, "slag", sorted(at_period["kind"].unique(), key=lambda k: (k != "utfall", k)), fallbacks=missed)
    fokus = pick(state, "fokus", ["1", "0"], fallbacks=missed)

    observed = observations.observations_of(measure, periods=(period,), kinds=(kind,), groups=(group,),
                                            engine=engine)
    observed = observed[observed["is_demo"] == is_demo]
    members = areas.memberships_at(day, "stadsdelsomrade", "rapportgrupp", engine)
    values, unit = map_values(observed, level, kon, members)
    city_text = city_printed(observed, kon, unit)
    legend = {"procent": "Andel", "procentenheter": "Skillnad", "antal": "Antal"}.get(unit, unit)
    fig = figures.area_map(
        areas.polygons(level, day, engine), values, unit=unit, legend_title=legend, city_text=city_text,
        water=water_geojson(tolerance_m=40.0, decimals=4, min_area_m2=100_000.0),
        fokus=areas.fokus_polygons(day, engine), highlight_fokus=fokus == "1", diverging=kon == "skillnad",
        demo=is_demo,
    )
    kön = labels.GENDER_CHOICES[kon].lower()
    title = f"{info['name']}, {kön}, {period_label(period)}"
    definition = info["definition"] if pd.notna(info["definition"]) and info["definition"] else "anges inte i källan"
    base = info["population_base"]
    if pd.notna(base) and base:
        definition += f" Befolkningsbas: {base}."
    notes = [f"Nivå: {LEVEL_LABELS[level].lower()}. Staden: {city_text}. Grått = uppgift saknas."]
    if kon == "skillnad":
        notes.append("Skillnaden kvinnor − män är beräknad av verktyget ur de publicerade värdena.")
    chosen = {"data": data, "matt": measure, "period": period, "niva": level, "kon": kon, "grupp": group,
              "slag": kind, "fokus": fokus}
    return Slide(view="karta", title=title, figure=fig, source=labels.source_text(observed),
                 period=period_label(period), definition=definition, datasets=dataset_titles(observed, engine),
                 demo=is_demo, link=view_link("karta", chosen, MAP_KEYS), notes=notes, fallbacks=missed)


# --- KAA ------------------------------------------------------------------------------------------

KAA_KEYS = ("jmf", "kon")
KAA_TERM = "Kommunens aktivitetsansvar (KAA)"


def build_kaa(state: State, engine: Engine | None = None) -> Slide:
    """The KAA funnel as pages/kaa.py draws it for the same URL state: the same view model."""
    from dashboard.figures import kaa
    from dashboard.views.kaa import kaa_view
    from queries import glossary
    from queries import kaa as kaa_queries

    view = kaa_view(kaa_queries.city_observations(kaa.all_measures(), engine), state)
    terms = glossary.glossary_entries([KAA_TERM], engine)
    definition = (f"”{terms['definition'].iat[0]}” ({terms['source'].iat[0]}, {terms['source_location'].iat[0]})"
                  if not terms.empty else "Unga 16–19 år i det kommunala aktivitetsansvaret.")
    notes = [f"Efter antalet står andelen kvar av föregående steg. {kaa.COMPUTED_MARK} = {labels.COMPUTED} "
             "ur de publicerade antalen; en andel utan * är publicerad."]
    return Slide(view="kaa", title=view.title, figure=view.figure, source=labels.source_text(view.shown),
                 period=view.period_text, definition=definition, datasets=dataset_titles(view.shown, engine),
                 demo=view.demo, link=view_link("kaa", {"jmf": view.choice, "kon": view.kon}, KAA_KEYS), notes=notes,
                 fallbacks=view.fallbacks)


# --- Stockholmsjobb, Jobbtorg Stockholm --------------------------------------------------------------

STHLMSJOBB_KEYS = ("diagram",)
JOBBTORG_KEYS = ("kon", "urval")


def _observations(measures: list[str], engine: Engine | None) -> pd.DataFrame:
    """Every observation of the measures, as the follow-up pages load them (one query per measure)."""
    from queries import observations

    frames = [observations.observations_of(m, engine=engine) for m in dict.fromkeys(measures)]
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else observations.observations_of("__ingen__", engine=engine)


def _definitions(measures: list[str], engine: Engine | None) -> str:
    """'Name: definition (source, rad n)' per measure, in the given order; 'anges inte i källan' if none."""
    from queries import followup

    found = followup.measure_definitions(measures, engine).set_index("measure")
    parts = []
    for measure in dict.fromkeys(measures):
        if measure not in found.index:
            continue
        row = found.loc[measure]
        text = row["definition"] if pd.notna(row["definition"]) and row["definition"] else "anges inte i källan"
        where = ", ".join(str(x) for x in (row["source"], row["source_location"]) if pd.notna(x) and x)
        parts.append(f"{row['name']}: {text}" + (f" ({where})" if where else ""))
    return " ".join(parts) or "anges inte i källan"


def _periods(frame: pd.DataFrame) -> str:
    """The periods of the rows in time order, e.g. '2021; 2022' ('uppgift saknas' if none)."""
    from dashboard.core.numbers import MISSING
    from dashboard.core.periods import period_label

    ordered = frame.sort_values(["period_start", "period_end"] if "period_end" in frame else ["period_start"])
    return "; ".join(period_label(p) for p in dict.fromkeys(ordered["period"])) or MISSING


def build_stockholmsjobb(state: State, engine: Engine | None = None) -> Slide:
    """The 3-month result against the targets (diagram=resultat) or the volumes (diagram=volymer) of
    pages/stockholmsjobb.py."""
    from dashboard.core.periods import period_label
    from dashboard.figures import followup as fig

    missed: list[str] = []
    chart = pick(state, "diagram", list(fig.STHLMSJOBB_CHARTS), "resultat", fallbacks=missed)
    link = view_link("stockholmsjobb", {"diagram": chart}, STHLMSJOBB_KEYS)
    no_split = "Inte publicerat uppdelat på kvinnor och män: siffrorna gäller totalt."
    if chart == "volymer":
        volumes = _observations(fig.STHLMSJOBB_VOLUMES, engine)
        counts = fig.volume_counts(volumes)
        return Slide(
            view="stockholmsjobb", title=fig.STHLMSJOBB_VOLUMES_TITLE, figure=fig.volumes_figure(volumes),
            source=labels.source_text(counts), period=_periods(counts),
            definition=_definitions(list(dict.fromkeys(counts["measure"])), engine),
            datasets=dataset_titles(counts, engine), demo=fig.is_demo(counts), link=link, fallbacks=missed,
            notes=[no_split, "Perioderna skiljer sig: helår, januari–mars och tertial 1 (januari–april) är inte "
                   "jämförbara rakt av."])
    outcome = _observations([fig.STHLMSJOBB_OUTCOME, *fig.STHLMSJOBB_OUTCOME_TARGETS], engine)
    results = fig.outcome_results(outcome)
    targets = outcome[outcome["kind"].isin(["mål", "kf-mål"]) & (outcome["gender"] == "totalt")]
    period = "avslutade " + _periods(results)
    if not targets.empty:
        period += "; mål " + "; ".join(period_label(p) for p in dict.fromkeys(targets.sort_values("period_start")
                                                                               ["period"]))
    notes = [no_split, "Målen är ritade som linjer, vart och ett med sitt år och sin källa."]
    if outcome["measure"].isin(fig.STHLMSJOBB_OUTCOME_TARGETS).any():
        notes.append("VP 2026:s mål gäller indikatorn ”Andel kvinnor och män som arbetar eller studerar, tre "
                     "månader efter avslutat Stockholmsjobb”.")
    return Slide(view="stockholmsjobb", title=fig.STHLMSJOBB_OUTCOME_TITLE, figure=fig.outcome_figure(outcome),
                 source=labels.source_text(outcome), period=period,
                 definition=_definitions([fig.STHLMSJOBB_OUTCOME], engine),
                 datasets=dataset_titles(outcome, engine), demo=fig.is_demo(outcome), link=link, notes=notes,
                 fallbacks=missed)


def build_jobbtorg(state: State, engine: Engine | None = None) -> Slide:
    """Inskrivna per målgrupp as pages/jobbtorg.py draws it for the same kön and period (urval)."""
    from dashboard.figures import followup as fig

    counts = _observations([fig.JOBBTORG_ENROLLED, fig.JOBBTORG_UNIQUE], engine)
    missed: list[str] = []
    split = {"kvinnor", "män"} <= set(counts["gender"])
    kon = pick(state, "kon", ["totalt", "kvinnor", "män", "skillnad"] if split else ["totalt"], fallbacks=missed)
    span = pick(state, "urval", list(fig.JOBBTORG_SPANS), "helar", fallbacks=missed)
    counts = counts[[fig.span_of(p) == span for p in counts["period"]]]
    groups = fig.enrolled_groups(counts)
    shown = groups if kon == "skillnad" else groups[groups["gender"] == kon]
    notes = ["Inskrivna räknas per målgrupp; en person kan räknas i mer än en målgrupp."]
    if kon == "skillnad":
        notes.append(f"Skillnaden är antal kvinnor minus antal män, {labels.COMPUTED} ur de publicerade talen. "
                     "Negativt = fler män.")
    return Slide(
        view="jobbtorg",
        title=f"Inskrivna på Jobbtorg Stockholm per målgrupp, {fig.choice_text(kon)}, "
              f"{fig.JOBBTORG_SPANS[span].lower()}",
        figure=fig.enrolled_figure(counts, kon), source=labels.source_text(shown), period=_periods(shown),
        definition=_definitions([fig.JOBBTORG_ENROLLED], engine), datasets=dataset_titles(shown, engine),
        demo=fig.is_demo(shown), link=view_link("jobbtorg", {"kon": kon, "urval": span}, JOBBTORG_KEYS),
        notes=notes, fallbacks=missed)


# --- Indikatorer -----------------------------------------------------------------------------------

INDIKATORER_KEYS = ("dok", "mal", "amne", "frekvens", "perkon", "ind")


def titles_by_dataset(engine: Engine | None = None) -> dict[str, str]:
    """Every data set's title by its id, as the pages name them (ui.dataset_titles)."""
    from queries.coverage import datasets_overview

    overview = datasets_overview(engine)
    return dict(zip(overview["dataset"], overview["title"].astype(str), strict=True))


def build_indikatorer(state: State, engine: Engine | None = None) -> Slide:
    """The chosen indicator's targets, outcomes and forecasts over time, as pages/indikatorer.py draws them:
    the same view model. Filters that no longer let any indicator through fall back to all indicators."""
    from dashboard.views import indikatorer as views
    from queries import indikatorer as queries

    indicators = queries.indicator_list(engine)
    obs = queries.indicator_observations(tuple(sorted(indicators["measure"].dropna().unique())), engine)
    data = views.IndikatorerData(indicators, queries.indicator_statuses(engine), obs, titles_by_dataset(engine))
    view = views.indikatorer_view(data, state)
    if view.chosen is None:  # a saved selection that is empty now: the indicator among all
        emptied = [k for k, v in view.filters.items() if v != views.ALL]
        view = views.indikatorer_view(data, {"ind": state.get("ind", "")})
        view.fallbacks[:0] = [k for k in emptied if k not in view.fallbacks]
    return Slide(view="indikatorer", title=view.title, figure=view.figure, source=view.source, period=view.period,
                 definition=view.definition, datasets=view.datasets, demo=view.demo,
                 link=view_link("indikatorer", view.link_state, INDIKATORER_KEYS), notes=view.notes,
                 fallbacks=view.fallbacks)


# --- Uppföljning per område --------------------------------------------------------------------------

OMRADEN_KEYS = ("dataset", "niva", "ar", "kon", "omrade", "malgrupp", "program")


def build_omraden(state: State, engine: Engine | None = None) -> Slide:
    """The chosen program's chart for the chosen area, as pages/omraden.py draws it: the same view model, every
    number from the stored protected tables (queries.individ.protected_levels), never from raw counts."""
    from dashboard.views.omraden import RULE_TEXT, OmradenData, omraden_view
    from queries import individ

    data = OmradenData(
        individ.protected_datasets(engine), lambda dataset: individ.protected_years(dataset, engine),
        lambda register, year, dataset: individ.protected_levels(register, year, dataset=dataset, engine=engine))
    view = omraden_view(data, state)
    return Slide(view="omraden", title=view.title, figure=view.figure, source=view.source, period=view.period,
                 definition=view.definition, datasets=view.dataset_title, demo=view.demo or view.dataset_demo,
                 small_numbers=RULE_TEXT, link=view_link("omraden", view.link_state, OMRADEN_KEYS), notes=view.notes,
                 fallbacks=view.fallbacks)


VIEWS: dict[str, View] = {
    "karta": View("karta", "Karta", "karta", MAP_KEYS, build_karta),
    "kaa": View("kaa", "KAA-tratten", "kaa", KAA_KEYS, build_kaa),
    "stockholmsjobb": View("stockholmsjobb", "Stockholmsjobb", "stockholmsjobb", STHLMSJOBB_KEYS,
                           build_stockholmsjobb),
    "jobbtorg": View("jobbtorg", "Jobbtorg Stockholm: inskrivna per målgrupp", "jobbtorg", JOBBTORG_KEYS,
                     build_jobbtorg),
    "indikatorer": View("indikatorer", "Indikatorer", "indikatorer", INDIKATORER_KEYS, build_indikatorer),
    "omraden": View("omraden", "Uppföljning per område", "omraden", OMRADEN_KEYS, build_omraden),
}


def build(view: str, state: State | None = None, engine: Engine | None = None) -> Slide:
    """The slide of a registered view; raises KeyError for an unknown view id."""
    return VIEWS[view].build(dict(state or {}), engine)
