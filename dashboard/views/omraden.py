"""The Uppföljning per område view model: from the URL state (dataset, niva, ar, kon, omrade, malgrupp, and
program: the chart a slide shows) and the stored protected tables to everything the page, the slide and the
downloads show. Every number comes from the tables build-db or an import stored
(queries.individ.protected_levels): nothing here counts people, so a count under 5 is "<5" wherever it goes.
No Streamlit here."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from dashboard.core import labels
from dashboard.core.numbers import MISSING
from dashboard.core.suppression import LEGEND, RULE
from dashboard.figures import omraden as figures
from dashboard.figures.style import apply_style
from dashboard.views.context import Download
from dashboard.views.presentable import pick
from queries.individ import CITY, MALGRUPPER

PROGRAMS = ("kaa", "jobbtorg", "stockholmsjobb")
PROGRAM_TITLES = {"kaa": "KAA – det kommunala aktivitetsansvaret", "jobbtorg": "Jobbtorg Stockholm",
                  "stockholmsjobb": "Stockholmsjobb – sysselsättning 3 månader efter anställningen"}
PROGRAM_NOTES = {
    "kaa": "Unga 16–19 år i registret, räknade i det område de bodde i när de kom in i registret det året.",
    "jobbtorg": "Inskrivna räknas per målgrupp; ”alla” är summan, som nämnden redovisar den.",
    "stockholmsjobb": "Utfallet tre månader efter att anställningen slutat, av dem som följts upp.",
}
COARSE = ("kaa", "stockholmsjobb")  # not shown per stadsdel (nearly every count there is under 5)
LEVELS = {key: labels.LEVELS[key] for key in ("stadsdelsomrade", "stadsdel", "fokusomrade")}
KON = ("totalt", "kvinnor", "män", "skillnad")
ALL_GROUPS = "alla"
KEYS = ("dataset", "niva", "ar", "kon", "omrade", "malgrupp", "program")  # the page's URL keys, in order
RULE_TEXT = f"{RULE} {LEGEND}"
SHARES = f"Andelar räknas bara ur synliga antal; annars står det ”{figures.HIDDEN_SHARE}”."
BARS = ("Efter antalet står andelen av steget ovanför (till exempel nådda av uppsökta). Ett dolt antal ritas inte "
        "som stapel – bara dess märkning står kvar.")
GAP_HEADING = f"Skillnad {labels.GAP.lower()} (procentenheter, {labels.COMPUTED} ur synliga antal)"


@dataclass
class OmradenData:
    """What the view reads: the individual-level data sets with stored protected tables (dataset, title,
    is_demo; the city's own first), their years, and a register's stored table of a year at every level."""

    datasets: pd.DataFrame
    years: Callable[[str], list[int]]  # data set → years
    tables: Callable[[str, int, str], pd.DataFrame]  # (register, year, data set) → protected_levels


@dataclass
class Section:
    """One program on the page: the chosen area's chart, then every area's table (and the gaps)."""

    program: str
    header: str
    note: str
    not_here: tuple[str, str] | None = None  # (headline, why): the program is not shown at this level
    empty: str | None = None  # the data set has nothing for the program this year
    title: str = ""
    figure: go.Figure | None = None
    steps: pd.DataFrame = field(default_factory=pd.DataFrame)  # the chosen area's steps
    table: pd.DataFrame = field(default_factory=pd.DataFrame)  # every area at the level
    table_demo: bool = False
    download: Download | None = None
    gaps: pd.DataFrame | None = None  # kvinnor − män per area (kön = skillnad only)
    gaps_demo: bool = False
    gap_download: Download | None = None


@dataclass
class OmradenView:
    dataset: str | None  # None: no individual-level data set to show
    dataset_options: list[str] = field(default_factory=list)
    dataset_labels: dict[str, str] = field(default_factory=dict)
    dataset_title: str = MISSING
    dataset_demo: bool = False  # the chosen data set is the demo
    years: list[str] = field(default_factory=list)
    year: int | None = None
    level: str = "stadsdelsomrade"
    kon: str = "totalt"
    genders: tuple[str, ...] = ("totalt",)
    missing_tables: bool = False  # the data set's stored tables for the year are not there
    area_options: list[str] = field(default_factory=list)
    area: str = CITY
    group_options: list[str] = field(default_factory=list)
    group: str = ALL_GROUPS
    program_options: list[str] = field(default_factory=list)
    program: str = "kaa"
    demo: bool = False  # the rows shown are demo data
    sections: dict[str, Section] = field(default_factory=dict)
    title: str = "Uppföljning per område"
    figure: go.Figure | None = None  # the chosen program's chart (the slide's)
    source: str = "Källa: uppgift saknas"
    period: str = MISSING
    definition: str = MISSING
    notes: list[str] = field(default_factory=list)
    link_state: dict[str, str] = field(default_factory=dict)
    fallbacks: list[str] = field(default_factory=list)


def short_name(program: str) -> str:
    """'KAA', 'Jobbtorg Stockholm', 'Stockholmsjobb'."""
    return PROGRAM_TITLES[program].split(" – ")[0]


def dataset_labels(datasets: pd.DataFrame) -> dict[str, str]:
    """Data set → its title, the demo's marked '(demodata)'."""
    return {r.dataset: f"{r.title} (demodata)" if r.is_demo else str(r.title) for r in datasets.itertuples()}


def default_year(years: list[str], is_demo: bool) -> str:
    """The demo opens on 2022 (its totals are the published ones); the city's own data on its latest year."""
    return "2022" if is_demo and "2022" in years else years[-1]


def at_level(frame: pd.DataFrame, level: str) -> pd.DataFrame:
    """The level's areas and the city, from an all-levels table."""
    return frame[frame["level"].isin([level, "stad"])]


def area_options(tables: Mapping[str, pd.DataFrame], level: str) -> list[str]:
    """The city first (where it is in the tables), then the level's areas in order. Per stadsdel only
    Jobbtorg is shown, so its areas are the ones offered."""
    shown = [tables["jobbtorg"]] if level == "stadsdel" else list(tables.values())
    present = set().union(*(set(t["area"]) for t in shown))
    return ([CITY] if CITY in present else []) + sorted(present - {CITY})


def group_options(level: str) -> list[str]:
    """Jobbtorg's målgrupper; per stadsdel only all of them together."""
    return [ALL_GROUPS] if level == "stadsdel" else [ALL_GROUPS, *MALGRUPPER]


def group_label(group: str) -> str:
    return "Alla målgrupper" if group == ALL_GROUPS else group


def program_options(level: str) -> list[str]:
    """The programs whose chart can be shown at the level (a slide shows one of them)."""
    return [p for p in PROGRAMS if level != "stadsdel" or p not in COARSE]


def not_per_stadsdel(program: str) -> tuple[str, str]:
    """KAA and Stockholmsjobb per stadsdel: the headline and why."""
    return (f"{short_name(program)} visas inte per stadsdel.",
            "Per stadsdel är nästan alla antal under 5: de skulle döljas, och för att de inte ska kunna räknas fram "
            "skulle också stadsdelsområdenas och fokusområdenas tal behöva döljas. Därför visas de per "
            "stadsdelsområde och fokusområde.")


def chart_title(program: str, area: str, year: int, kon: str, group: str = ALL_GROUPS) -> str:
    """'KAA, Rinkeby-Kista, 2022, kvinnor'; Jobbtorg names a chosen målgrupp."""
    name = short_name(program) + (f" ({group})" if program == "jobbtorg" and group != ALL_GROUPS else "")
    return f"{name}, {area}, {year}, {labels.GENDER_CHOICES[kon].lower()}"


def gap_note(gaps: pd.DataFrame, area: str, area_label: str) -> str:
    """The chosen area's gaps in one line, or that none can be computed from visible counts."""
    here = gaps[gaps[area_label] == area]
    if here.empty:
        return f"{GAP_HEADING}: ingen skillnad kan räknas ur synliga antal i {area}."
    parts = "; ".join(f"{r['Andel'].lower()} {r['Skillnad kvinnor − män']} (kvinnor {r['Kvinnor']}, män {r['Män']})"
                      for _, r in here.iterrows())
    return f"{GAP_HEADING}, {area}: {parts}."


def _section(program: str, frame: pd.DataFrame, view: OmradenView) -> Section:
    note = PROGRAM_NOTES[program]
    if program == "jobbtorg" and view.level == "stadsdel":
        note += " Per stadsdel visas bara alla målgrupper tillsammans."
    section = Section(program, PROGRAM_TITLES[program], note)
    if program in COARSE and view.level == "stadsdel":
        section.not_here = not_per_stadsdel(program)
        return section
    if program == "jobbtorg":
        frame = frame[frame["malgrupp"] == view.group]
    if frame.empty:
        section.empty = f"Data setet har inga uppgifter om {short_name(program)} för {view.year}."
        return section
    area_label = LEVELS[view.level]
    chosen = frame[frame["area"] == view.area]
    section.steps = figures.step_table(chosen, program, view.genders)
    section.title = chart_title(program, view.area, view.year, view.kon, view.group)
    section.figure = figures.steps_figure(section.steps, program, view.genders, title=section.title,
                                          demo=bool(chosen["is_demo"].any()))
    rows = frame[frame["gender"].isin(view.genders)]
    rows = pd.concat([rows[rows["area"] != CITY], rows[rows["area"] == CITY]])  # the city last
    section.table, section.table_demo = figures.area_table(rows, program, area_label), bool(rows["is_demo"].any())
    context = {"Mått": PROGRAM_TITLES[program], "Period": str(view.year), "Kön": labels.GENDER_CHOICES[view.kon],
               "Dataset": view.dataset_title}
    stem = f"omraden_{program}_{view.level}_{view.year}"
    section.download = Download(section.table, f"{stem}_{view.kon}.csv", context, section.table_demo, RULE_TEXT,
                                f"dl_{program}")
    if view.kon == "skillnad":
        section.gaps, section.gaps_demo = figures.gap_table(frame, program, area_label), bool(frame["is_demo"].any())
        if not section.gaps.empty:
            section.gap_download = Download(section.gaps, f"{stem}_skillnad.csv", context, section.gaps_demo,
                                            RULE_TEXT, f"dl_gap_{program}")
    return section


def _missing(title: str) -> go.Figure:
    fig = apply_style(go.Figure(go.Scatter(x=[], y=[])), title=title)
    fig.add_annotation(text=MISSING, xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False,
                       font={"size": 20, "color": "#555"})
    return fig


def omraden_view(data: OmradenData, state: Mapping[str, str]) -> OmradenView:
    """Everything Uppföljning per område shows for `state`; a value that is not among its options falls back
    to the page's default and is named in `fallbacks`."""
    fallbacks: list[str] = []
    if data.datasets.empty:
        return OmradenView(dataset=None, figure=_missing("Uppföljning per område: inga uppgifter på individnivå"),
                           fallbacks=fallbacks)
    options = list(data.datasets["dataset"])
    dataset = pick(state, "dataset", options, options[0], fallbacks)
    row = data.datasets.set_index("dataset").loc[dataset]
    view = OmradenView(dataset=dataset, dataset_options=options, dataset_labels=dataset_labels(data.datasets),
                       dataset_title=str(row["title"]), dataset_demo=bool(row["is_demo"]), fallbacks=fallbacks)
    view.years = [str(y) for y in data.years(dataset)]
    view.level = pick(state, "niva", list(LEVELS), "stadsdelsomrade", fallbacks)
    view.year = int(pick(state, "ar", view.years, default_year(view.years, view.dataset_demo), fallbacks))
    view.kon = pick(state, "kon", list(KON), "totalt", fallbacks)
    view.genders = ("kvinnor", "män") if view.kon == "skillnad" else (view.kon,)
    tables = {p: at_level(data.tables(p, view.year, dataset), view.level) for p in PROGRAMS}
    view.period = str(view.year)
    if all(t.empty for t in tables.values()):  # individual-level data without its protected tables
        view.missing_tables = True
        view.figure = _missing(f"Uppföljning per område, {view.year}: de skyddade tabellerna saknas")
        return view
    view.demo = bool(pd.concat([t["is_demo"] for t in tables.values()]).any())
    view.area_options = area_options(tables, view.level)
    view.area = pick(state, "omrade", view.area_options, view.area_options[0], fallbacks)
    view.group_options = group_options(view.level)
    view.group = pick(state, "malgrupp", view.group_options, ALL_GROUPS, fallbacks)
    view.program_options = program_options(view.level)
    view.program = pick(state, "program", view.program_options, view.program_options[0], fallbacks)
    view.sections = {p: _section(p, tables[p], view) for p in PROGRAMS}
    _slide_parts(view)
    return view


def _slide_parts(view: OmradenView) -> None:
    """Title, chart and footnote of the chosen program, for the slide."""
    section = view.sections[view.program]
    view.title = section.title or chart_title(view.program, view.area, view.year, view.kon, view.group)
    view.figure = section.figure if section.figure is not None else _missing(view.title)
    where = f"skyddad tabell för {short_name(view.program)} {view.year} per {LEVELS[view.level].lower()}"
    view.source = labels.source_text(pd.DataFrame({"source": [view.dataset_title], "source_location": [where]}))
    view.definition = f"{section.note} Nivå: {LEVELS[view.level].lower()}."
    if view.program == "jobbtorg":
        view.definition += f" Målgrupp: {group_label(view.group).lower()}."
    notes = [BARS, SHARES]
    if section.empty:
        notes.insert(0, section.empty)
    if section.gaps is not None:
        notes.append(gap_note(section.gaps, view.area, LEVELS[view.level]))
    view.notes = notes
    chosen = {"dataset": view.dataset if len(view.dataset_options) > 1 else "", "niva": view.level,
              "ar": str(view.year), "kon": view.kon, "omrade": view.area, "malgrupp": view.group,
              "program": view.program}
    view.link_state = {k: v for k, v in chosen.items() if v}
