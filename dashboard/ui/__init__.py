"""Everything that imports Streamlit besides pages/ (its modules: state, caches, sign-in, sharing, glossary).
Here, the pieces every page shares: cached queries, kön choice, sources, downloads and the demo label."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from dashboard.core.labels import GENDER_CHOICES, source_places
from dashboard.core.labels import genders_text as genders_text  # the download context's texts, for the pages
from dashboard.core.labels import measures_text as measures_text
from dashboard.core.labels import periods_text as periods_text
from dashboard.figures.style import DEMO_LABEL
from dashboard.ui import state
from dashboard.views import context
from queries import coverage, jamforelse, observations
from queries.db import engine, with_database_url


@with_database_url
@st.cache_data(show_spinner=False)
def datasets_overview(database: str) -> pd.DataFrame:
    return coverage.datasets_overview(engine(database))


@with_database_url
@st.cache_data(show_spinner=False)
def dataset_coverage(database: str, dataset: str) -> pd.DataFrame:
    return coverage.dataset_coverage(dataset, engine(database))


@with_database_url
@st.cache_data(show_spinner=False)
def measure_catalogue(database: str) -> pd.DataFrame:
    return observations.measure_catalogue(engine(database))


@with_database_url
@st.cache_data(show_spinner=False)
def observations_of(database: str, measure: str | None = None, *, periods: tuple[str, ...] | None = None,
                    area_levels: tuple[str, ...] | None = None, genders: tuple[str, ...] | None = None,
                    kinds: tuple[str, ...] | None = None, groups: tuple[str, ...] | None = None,
                    area_names: tuple[str, ...] | None = None, dataset: str | None = None) -> pd.DataFrame:
    """Cached by the database and its plain arguments (tuples, not lists)."""
    return observations.observations_of(measure, periods=periods, area_levels=area_levels, genders=genders,
                                        kinds=kinds, groups=groups, area_names=area_names, dataset=dataset,
                                        engine=engine(database))


@with_database_url
@st.cache_data(show_spinner=False)
def comparable_measures(database: str) -> pd.DataFrame:
    """Measures to compare Stockholm by with the län, riket and other kommuner (Översikt)."""
    return jamforelse.comparable_measures(engine(database))


@with_database_url
@st.cache_data(show_spinner=False)
def comparison_values(database: str, measure: str) -> pd.DataFrame:
    return jamforelse.comparison_values(measure, engine(database))


def gender_choice(key: str, available: Sequence[str], allow_gap: bool = True,
                  no_split: str = "Det här måttet är inte publicerat uppdelat på kvinnor och män.") -> str:
    """Totalt / Kvinnor / Män (/ Skillnad); disabled with a plain sentence when the data has no split."""
    split = {"kvinnor", "män"} <= set(available)
    options = ["totalt", "kvinnor", "män"] + (["skillnad"] if allow_gap else [])
    state.bind(key, options, "totalt", label="Kön", format_func=GENDER_CHOICES.get)
    if not split:
        st.session_state[key] = "totalt"
    choice = st.segmented_control("Kön", options, key=key, format_func=GENDER_CHOICES.get, disabled=not split)
    if not split:
        st.caption(no_split)
    return choice or "totalt"


def labelled(frame: pd.DataFrame, is_demo: bool) -> pd.DataFrame:
    """A table from demo data says so in its first column, on every row."""
    if not is_demo:
        return frame
    out = frame.copy()
    out.insert(0, "Märkning", DEMO_LABEL)
    return out


def demo_banner(is_demo: bool) -> None:
    if is_demo:
        st.error(f"**{DEMO_LABEL}.** Genererade siffror för att pröva vyerna. Visa dem aldrig som fakta.")


def sources_caption(frame: pd.DataFrame) -> None:
    """One line naming every source (and where in it) behind the rows shown."""
    if frame.empty:
        return
    st.caption("Källa: " + source_places(frame))


def data_changed() -> None:
    """After an import or a removed data set: every page reads the database again, the map included."""
    from dashboard.ui import map_cache

    st.cache_data.clear()
    map_cache.forget()


def download_table(frame: pd.DataFrame, file_name: str, *, context: dict[str, str | None],
                   is_demo: bool = False, key: str | None = None, rule: str | None = None,
                   deferred: bool = False) -> None:
    """CSV for Swedish Excel (the default), CSV for programs and Excel, side by side. Each file says on every row
    what it holds: `context` gives "Mått", "Period", "Kön" and "Dataset" (None: does not apply; a column the
    table has keeps its own values). Demo data and the small-number rule (when given) are stated in the file.
    `deferred`: the files are written when the button is clicked, not on every rerun of the page."""
    from dashboard.export.downloads import XLSX_MIME, csv_bytes, with_context, xlsx_bytes
    from dashboard.ui.signin import audited, current_view

    table = with_context(frame, context)
    out = labelled(table, is_demo)
    if rule:
        out.insert(len(out.columns), "Skydd av små tal", rule)
    stem = file_name.removesuffix(".csv")
    view = current_view()  # every download is written to the audit log, with the view it came from
    excel_csv, program_csv, excel = st.columns(3)

    def made(write):  # the bytes now, or a function Streamlit calls when the button is clicked
        return write if deferred else write()

    excel_csv.download_button("CSV (Excel, semikolon)",
                              audited(made(lambda: csv_bytes(out)), "export_csv", view, f"{stem}.csv"),
                              file_name=f"{stem}.csv", mime="text/csv", key=key, icon=":material/download:",
                              help="Semikolon och decimalkomma: öppnas som kolumner i svenskt Excel.")
    program_csv.download_button("CSV (komma, för program)",
                                audited(made(lambda: csv_bytes(out, for_excel=False)), "export_csv", view,
                                        f"{stem}_komma.csv"),
                                file_name=f"{stem}_komma.csv", mime="text/csv", icon=":material/download:",
                                key=f"{key}_komma" if key else None,
                                help="Komma och decimalpunkt, UTF-8: för R, Python och andra program.")
    excel.download_button("Excel (.xlsx)", audited(made(lambda: xlsx_bytes(table, is_demo=is_demo, rule=rule)),
                                                   "export_excel", view, f"{stem}.xlsx"),
                          file_name=f"{stem}.xlsx", mime=XLSX_MIME, key=f"{key}_xlsx" if key else None,
                          icon=":material/download:")


@with_database_url
@st.cache_data(show_spinner=False)
def map_catalogue(database: str) -> pd.DataFrame:
    from queries.karta import map_catalogue as query

    return query(engine(database))


@with_database_url
@st.cache_data(show_spinner=False)
def boundary_version(database: str, day) -> dict:
    from queries.karta import boundary_version as query

    return query(day, engine(database))


@with_database_url
@st.cache_data(show_spinner=False)
def memberships_at(database: str, day, member_level: str, parent_level: str) -> pd.DataFrame:
    from queries.areas import memberships_at as query

    return query(day, member_level, parent_level, engine(database))


@with_database_url
@st.cache_resource(show_spinner=False)
def polygons(database: str, level: str, day) -> dict:
    """Geometry is built once per database and shared: never modify the result."""
    from queries.areas import polygons as query

    return query(level, day, engine(database))


@with_database_url
@st.cache_resource(show_spinner=False)
def fokus_polygons(database: str, day) -> dict:
    from queries.areas import fokus_polygons as query

    return query(day, engine(database))


@st.cache_resource(show_spinner=False)
def water() -> dict:
    from dashboard.figures.karta import WATER_DETAIL
    from geo.boundaries import water_geojson

    return water_geojson(**WATER_DETAIL)


def dataset_names(frame: pd.DataFrame) -> str:
    """The titles of the data sets behind the rows ('dataset' column), each once, for a download's context."""
    return context.dataset_names(frame, dataset_titles())


def dataset_titles() -> dict[str, str]:
    """Every data set's title by its id (a view model names the data sets behind its rows with them)."""
    overview = datasets_overview()
    return dict(zip(overview["dataset"], overview["title"].astype(str), strict=True))


def dataset_title(dataset: str) -> str:
    """A data set's title (its id if it has none), for a download's context."""
    return dataset_titles().get(dataset, dataset)


PUBLISHED_LABEL = "Publicerade siffror"


def marked(frame: pd.DataFrame, is_demo: bool | Sequence[bool] | pd.Series | None = None) -> pd.DataFrame:
    """The frame as a table shows it: where a row is demo data, a first column 'Märkning' says so on that row
    (and names the published rows beside it). The flags come from the frame's own `is_demo` column (dropped
    from the table), else from `is_demo`: one value for the whole table or one per row. A table that states
    neither is an error: every table must know its data set."""
    if "is_demo" in frame.columns:
        flags = frame["is_demo"].fillna(False).astype(bool).to_numpy()
        frame = frame.drop(columns="is_demo")
    elif is_demo is None:
        raise TypeError("ui.table: tabellen saknar kolumnen is_demo och is_demo är inte angivet")
    elif pd.api.types.is_scalar(is_demo):
        flags = [bool(is_demo)] * len(frame)
    else:
        flags = [bool(f) for f in is_demo]
        if len(flags) != len(frame):
            raise ValueError(f"ui.table: {len(flags)} is_demo-värden för {len(frame)} rader")
    if not any(flags):
        return frame
    out = frame.copy()
    out.insert(0, "Märkning", [DEMO_LABEL if f else PUBLISHED_LABEL for f in flags])
    return out


def table(frame: pd.DataFrame, *, is_demo: bool | Sequence[bool] | pd.Series | None = None, **kwargs) -> None:
    """The one way pages draw a table (st.dataframe, index hidden, full width): demo rows are labelled by
    `marked`. Other keyword arguments go to st.dataframe."""
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("width", "stretch")
    st.dataframe(marked(frame, is_demo), **kwargs)
