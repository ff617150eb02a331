"""The map's values: an approximate figure stays approximate, also in the computed gap kvinnor − män."""

from __future__ import annotations

import pandas as pd

from dashboard.views.mapdata import by_gender, city_printed, fokus_comparison, map_values

COLUMNS = ["area", "area_level", "period", "period_start", "gender", "value", "unit", "qualifier", "source",
           "source_location", "note"]


def _obs(*rows: tuple) -> pd.DataFrame:
    """Rows as (area, level, gender, value, qualifier)."""
    return pd.DataFrame([(a, lv, "2022-12", "2022-12-01", g, v, "procent", q, "S", "rad 1", None)
                         for a, lv, g, v, q in rows], columns=COLUMNS)


EMPTY_GROUPS = pd.DataFrame(columns=["parent", "member"])


def test_the_gap_from_an_approximate_share_is_approximate_and_whole() -> None:
    obs = _obs(("Skärholmen", "stadsdelsomrade", "kvinnor", 8.8, "cirka"), ("Skärholmen", "stadsdelsomrade", "män", 6.1, None),
               ("Bromma", "stadsdelsomrade", "kvinnor", 2.4, None), ("Bromma", "stadsdelsomrade", "män", 2.1, None))
    gaps = by_gender(obs, "skillnad").set_index("area")
    assert gaps.at["Skärholmen", "value"] == 3.0 and gaps.at["Skärholmen", "qualifier"] == "\u2248"
    assert round(gaps.at["Bromma", "value"], 6) == 0.3 and pd.isna(gaps.at["Bromma", "qualifier"])
    values, unit = map_values(obs, "stadsdelsomrade", "skillnad", EMPTY_GROUPS)
    assert unit == "procentenheter"
    assert set(values.set_index("area")["qualifier"].dropna()) == {"\u2248"}


def test_the_city_and_the_fokus_table_print_the_qualifier() -> None:
    obs = _obs(("Stockholms stad", "stad", "totalt", 6.3, "omkring"), ("Skärholmen", "stadsdelsomrade", "totalt", 8.8, None),
               ("Spånga-Tensta", "stadsdelsomrade", "totalt", 10.3, "ca"))
    assert city_printed(obs, "totalt", "procent") == "omkring 6,3 %"
    fokus = pd.DataFrame({"parent": ["Järva", "Skärholmen"], "member": ["Tensta", "Skärholmen"]})
    sdo = pd.DataFrame({"parent": ["Spånga-Tensta", "Skärholmen"], "member": ["Tensta", "Skärholmen"]})
    table = fokus_comparison(obs, "totalt", fokus, sdo, "procent", 6.3).set_index("Fokusområde")
    assert table.at["Järva", "Värde"] == "Spånga-Tensta: ca 10,3 %"
    assert table.at["Skärholmen", "Värde"] == "Skärholmen: 8,8 %"
    assert table.at["Järva", "Staden"] == "omkring 6,3 %"
