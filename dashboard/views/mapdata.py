"""Shaping observations for the map, the fokusområde comparison and the area profile (pandas only)."""

from __future__ import annotations

import pandas as pd

from dashboard.core import labels
from dashboard.core.numbers import APPROX, MISSING, printed_value, printed_values, qualifier_of, whole
from dashboard.core.periods import period_label

LEVEL_LABELS = {key: labels.LEVELS[key] for key in ("stadsdelsomrade", "stadsdel")}
KEYS = ["area", "area_level", "period", "period_start"]
CARRIED = ["qualifier", "source", "source_location", "note"]


def gap_unit(unit: str) -> str:
    return "procentenheter" if unit == "procent" else unit


def by_gender(observed: pd.DataFrame, kon: str) -> pd.DataFrame:
    """Rows for one kön; for 'skillnad', kvinnor − män where both exist (computed here, never stored).

    A gap computed from an approximate value ("cirka 47 %") is approximate: whole units, qualifier '≈'."""
    if "qualifier" not in observed:
        observed = observed.assign(qualifier=None)
    if kon != "skillnad":
        return observed[observed["gender"] == kon]
    women = observed[observed["gender"] == "kvinnor"].set_index(KEYS)
    men = observed[observed["gender"] == "män"].set_index(KEYS)
    both = women.merge(men[["value", "qualifier"]], left_index=True, right_index=True, suffixes=("", "_men"),
                       how="inner")
    approximate = [bool(qualifier_of(a) or qualifier_of(b)) for a, b in zip(both["qualifier"], both["qualifier_men"],
                                                                              strict=True)]
    gap = both["value"] - both["value_men"]
    both["value"] = [whole(g) if a else g for g, a in zip(gap, approximate, strict=True)]
    both["qualifier"] = [APPROX if a else None for a in approximate]
    both["unit"] = both["unit"].map(gap_unit)
    return both.drop(columns=["value_men", "qualifier_men"]).reset_index()


def map_values(observed: pd.DataFrame, level: str, kon: str,
               rapportgrupper: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Values per drawn area (reporting groups colour all their members) and the unit shown.

    The frame's attrs['enheter'] lists units that are not places, which are never drawn.
    """
    rows = by_gender(observed, kon)
    unit = gap_unit(observed["unit"].iloc[0]) if kon == "skillnad" and len(observed) else (
        observed["unit"].iloc[0] if len(observed) else "antal")
    own = rows[rows["area_level"] == level].assign(group_note="")
    parts = [own]
    if level == "stadsdelsomrade":
        grouped = rows[rows["area_level"] == "rapportgrupp"].merge(
            rapportgrupper.rename(columns={"parent": "area", "member": "member_area"})[["area", "member_area"]],
            on="area")
        grouped["group_note"] = "Värdet gäller " + grouped["area"] + " tillsammans"
        parts.append(grouped.assign(area=grouped["member_area"]).drop(columns="member_area"))
    values = pd.concat(parts, ignore_index=True)[["area", "value", *CARRIED, "group_note"]]
    values = values.drop_duplicates("area")
    units = rows[rows["area_level"] == "enhet"]
    values.attrs["enheter"] = pd.DataFrame({
        "Enhet": units["area"], "Värde": printed_values(units.assign(unit=unit))})
    return values, unit


def city_value(observed: pd.DataFrame, kon: str) -> float | None:
    rows = by_gender(observed, kon)
    rows = rows[rows["area_level"] == "stad"]
    return float(rows["value"].iloc[0]) if len(rows) else None


def city_printed(observed: pd.DataFrame, kon: str, unit: str) -> str:
    """The city's value as printed ("omkring 6,3 %"), or 'uppgift saknas'."""
    rows = by_gender(observed, kon)
    rows = rows[rows["area_level"] == "stad"]
    return printed_value(rows.iloc[0].to_dict() | {"unit": unit}) if len(rows) else MISSING


def fokus_comparison(observed: pd.DataFrame, kon: str, fokus_members: pd.DataFrame,
                     sdo_members: pd.DataFrame, unit: str, city: float | None) -> pd.DataFrame:
    """Each fokusområde's value, or the values of the stadsdelsområden it lies in, against the city."""
    rows = by_gender(observed, kon).assign(unit=unit)
    own = {r["area"]: printed_value(r) for r in rows[rows["area_level"] == "fokusomrade"].to_dict("records")}
    sdo = {r["area"]: printed_value(r) for r in rows[rows["area_level"] == "stadsdelsomrade"].to_dict("records")}
    lies_in = fokus_members.merge(sdo_members.rename(columns={"parent": "sdo"})[["member", "sdo"]], on="member")
    city_text = city_printed(observed, kon, unit) if city is not None else MISSING
    out = []
    for fokus in sorted(fokus_members["parent"].unique()):
        if fokus in own:
            value, about = own[fokus], "fokusområdet"
        else:
            areas = sorted(lies_in.loc[lies_in["parent"] == fokus, "sdo"].unique())
            value = "; ".join(f"{a}: {sdo.get(a, MISSING)}" for a in areas)
            about = "stadsdelsområdet" if len(areas) == 1 else "stadsdelsområdena"
        out.append({"Fokusområde": fokus, "Värde": value, "Avser": about,
                    "Staden": city_text})
    return pd.DataFrame(out)


def profile_frames(measure_rows: pd.DataFrame, area_rows: pd.DataFrame, area: str, kon: str,
                   measure: str, *, demo: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The measure over time for the area and the city; and every other measure the area has.

    Only rows of the kind of data set the view is set to (`demo`: the generated ones, else the published
    ones); the table carries each row's own `is_demo`, so its label follows the row's data set.
    """
    measure_rows = measure_rows[measure_rows["is_demo"].astype(bool) == demo]
    area_rows = area_rows[area_rows["is_demo"].astype(bool) == demo]
    rows = by_gender(measure_rows, kon)
    series = rows[(rows["area"] == area) | (rows["area_level"] == "stad")]
    series = series.assign(series=series["area"]).sort_values("period_start")
    others = area_rows[area_rows["measure"] != measure].sort_values(["measure_name", "period_start"])
    table = pd.DataFrame({
        "Mått": others["measure_name"], "Period": [period_label(p) for p in others["period"]],
        "Kön": others["gender"], "Grupp": others["group"], "Slag": others["kind"],
        "Värde": printed_values(others),
        "Källa": others["source"], "Plats i källan": others["source_location"],
        "is_demo": others["is_demo"].astype(bool),
    })
    return series[["series", "period", "period_start", "value", "unit", "qualifier"]], table
