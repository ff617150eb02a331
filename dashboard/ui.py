"""Shared pieces of the Streamlit pages: cached queries, kön choice, sources, downloads and the demo label."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from dashboard import state
from dashboard.figures.style import DEMO_LABEL
from dashboard.numbers import format_value
from queries import coverage, observations

KÖN_LABELS = {"totalt": "Totalt", "kvinnor": "Kvinnor", "män": "Män", "skillnad": "Kvinnor − män"}


@st.cache_data(show_spinner=False)
def datasets_overview() -> pd.DataFrame:
    return coverage.datasets_overview()


@st.cache_data(show_spinner=False)
def dataset_coverage(dataset: str) -> pd.DataFrame:
    return coverage.dataset_coverage(dataset)


@st.cache_data(show_spinner=False)
def measure_catalogue() -> pd.DataFrame:
    return observations.measure_catalogue()


@st.cache_data(show_spinner=False)
def observations_of(measure: str | None = None, *, periods: tuple[str, ...] | None = None,
                    area_levels: tuple[str, ...] | None = None, genders: tuple[str, ...] | None = None,
                    kinds: tuple[str, ...] | None = None, groups: tuple[str, ...] | None = None,
                    area_names: tuple[str, ...] | None = None, dataset: str | None = None) -> pd.DataFrame:
    """Cached by its plain arguments (tuples, not lists)."""
    return observations.observations_of(measure, periods=periods, area_levels=area_levels, genders=genders,
                                        kinds=kinds, groups=groups, area_names=area_names, dataset=dataset)


def with_formatted_values(frame: pd.DataFrame) -> pd.DataFrame:
    """Adds 'Värde' in Swedish format, from the value and unit columns."""
    out = frame.copy()
    out["Värde"] = [format_value(v, u) for v, u in zip(out["value"], out["unit"], strict=True)]
    return out


def gender_choice(key: str, available: Sequence[str], allow_gap: bool = True,
                  no_split: str = "Det här måttet är inte publicerat uppdelat på kvinnor och män.") -> str:
    """Totalt / Kvinnor / Män (/ Skillnad); disabled with a plain sentence when the data has no split."""
    split = {"kvinnor", "män"} <= set(available)
    options = ["totalt", "kvinnor", "män"] + (["skillnad"] if allow_gap else [])
    state.bind(key, options, "totalt", label="Kön", format_func=KÖN_LABELS.get)
    if not split:
        st.session_state[key] = "totalt"
    choice = st.segmented_control("Kön", options, key=key, format_func=KÖN_LABELS.get, disabled=not split)
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
    st.caption("Källa: " + source_text(frame))


def source_text(frame: pd.DataFrame) -> str:
    """'Title (rad 12, 14); Other (file.csv, rad 3, 5)': each source once, its places compacted."""
    parts = []
    for source, locations in frame.groupby("source", sort=False)["source_location"]:
        places: dict[str, list[str]] = {}
        for location in dict.fromkeys(locations):
            prefix, _, row = str(location).rpartition("rad ")
            places.setdefault(prefix, []).append(row)
        parts.append(f"{source} (" + "; ".join(f"{prefix}rad {', '.join(rows)}" for prefix, rows in places.items())
                     + ")")
    return "; ".join(parts)


def download_table(frame: pd.DataFrame, file_name: str, *, is_demo: bool = False, key: str | None = None,
                   rule: str | None = None) -> None:
    """CSV and Excel side by side, Swedish headers, the source of every row; demo data and the small-number
    rule (when given) are stated in the file itself."""
    from dashboard.exports import xlsx_bytes

    out = labelled(frame, is_demo)
    if rule:
        out.insert(len(out.columns), "Skydd av små tal", rule)
    stem = file_name.removesuffix(".csv")
    left, right = st.columns(2)
    left.download_button("Ladda ner CSV", out.to_csv(index=False).encode("utf-8-sig"), file_name=f"{stem}.csv",
                         mime="text/csv", key=key)
    right.download_button("Ladda ner Excel", xlsx_bytes(frame, is_demo=is_demo, rule=rule),
                          file_name=f"{stem}.xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          key=f"{key}_xlsx" if key else None)


@st.cache_data(show_spinner=False)
def map_catalogue() -> pd.DataFrame:
    from queries.karta import map_catalogue as query

    return query()


@st.cache_data(show_spinner=False)
def boundary_version(day) -> dict:
    from queries.karta import boundary_version as query

    return query(day)


@st.cache_data(show_spinner=False)
def memberships_at(day, member_level: str, parent_level: str) -> pd.DataFrame:
    from queries.areas import memberships_at as query

    return query(day, member_level, parent_level)


@st.cache_resource(show_spinner=False)
def polygons(level: str, day) -> dict:
    """Geometry is built once per process and shared: never modify the result."""
    from queries.areas import polygons as query

    return query(level, day)


@st.cache_resource(show_spinner=False)
def fokus_polygons(day) -> dict:
    from queries.areas import fokus_polygons as query

    return query(day)


@st.cache_resource(show_spinner=False)
def water() -> dict:
    from geo.boundaries import water_geojson

    return water_geojson(tolerance_m=60.0, decimals=4, min_area_m2=200_000.0)


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
