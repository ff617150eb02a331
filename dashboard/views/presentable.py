"""Presentable views: a view id and a plain state dict (the page's URL keys) → a Slide.

Built from queries and figure builders only (no Streamlit), so that the presentation page, the exports and
the tests draw exactly what the pages draw. An unknown or missing state value falls back to the page's default.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go
from sqlalchemy import Engine

from dashboard.core import labels
from dashboard.figures.style import DEMO_LABEL

if TYPE_CHECKING:  # the view models import this module
    from dashboard.views.jobbtorg import JobbtorgView
    from dashboard.views.stockholmsjobb import StockholmsjobbView

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
    """The map as pages/karta.py draws it for the same URL state: the same view model."""
    from dashboard.core import config
    from dashboard.core.periods import period_label
    from dashboard.views import karta
    from queries.karta import map_catalogue

    missed: list[str] = []
    choice = karta.resolve(map_catalogue(engine), state, config.demo_enabled(), missed)
    view = karta.map_view(choice, karta.QueryMapData(engine))
    return Slide(view="karta", title=view.title, figure=view.figure, source=labels.source_text(view.observed),
                 period=period_label(choice.period), definition=karta.definition_text(choice),
                 datasets=view.datasets, demo=choice.is_demo, link=view_link("karta", choice.state(), MAP_KEYS),
                 notes=view.notes, fallbacks=missed)


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

STHLMSJOBB_KEYS = ("kon", "diagram")
JOBBTORG_KEYS = ("kon", "urval")


class FollowUpView(Protocol):
    """What a slide takes from a view model (dashboard.views.stockholmsjobb, dashboard.views.jobbtorg)."""

    title: str
    figure: go.Figure
    shown: pd.DataFrame
    source: str
    period: str
    definition: str
    notes: list[str]
    link: str
    fallbacks: list[str]


def slide_of(view: str, model: FollowUpView, datasets: str) -> Slide:
    """The view model's chart as a slide; `datasets`: the titles of the data sets behind `model.shown`."""
    return Slide(view=view, title=model.title, figure=model.figure, source=model.source, period=model.period,
                 definition=model.definition, datasets=datasets, demo=bool(model.shown["is_demo"].any()),
                 link=model.link, notes=list(model.notes), fallbacks=list(model.fallbacks))


def stockholmsjobb_model(state: State, engine: Engine | None = None) -> StockholmsjobbView:
    """The view model of pages/stockholmsjobb.py for the state, from the same queries the page reads."""
    from dashboard.views import stockholmsjobb
    from queries import areas, followup

    districts = areas.memberships_at(stockholmsjobb.BUDGET_DAY, "stadsdel", "stadsdelsomrade", engine)["parent"]
    return stockholmsjobb.stockholmsjobb_view(
        followup.observations_of(stockholmsjobb.MEASURES, engine), state,
        definitions=followup.measure_definitions(stockholmsjobb.MEASURES, engine), districts=list(districts.unique()))


def build_stockholmsjobb(state: State, engine: Engine | None = None) -> Slide:
    """The 3-month result against the targets (diagram=resultat) or the volumes (diagram=volymer) of
    pages/stockholmsjobb.py: the same view model."""
    model = stockholmsjobb_model(state, engine)
    return slide_of("stockholmsjobb", model, dataset_titles(model.shown, engine))


def jobbtorg_model(state: State, engine: Engine | None = None) -> JobbtorgView:
    """The view model of pages/jobbtorg.py for the state, from the same queries the page reads."""
    from dashboard.views import jobbtorg
    from queries import followup

    return jobbtorg.jobbtorg_view(followup.observations_of(jobbtorg.MEASURES, engine), state,
                                  definitions=followup.measure_definitions(jobbtorg.MEASURES, engine),
                                  terms=followup.glossary_entries(jobbtorg.TERMS, engine))


def build_jobbtorg(state: State, engine: Engine | None = None) -> Slide:
    """Inskrivna per målgrupp as pages/jobbtorg.py draws it for the same kön and period (urval): the same view
    model."""
    model = jobbtorg_model(state, engine)
    return slide_of("jobbtorg", model, dataset_titles(model.shown, engine))


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
