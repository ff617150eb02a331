"""The Feriejobb page, and the map without the counts per organisation: feriejobb per förvaltning and per
stadsdelsnämnd say where young people worked, never where they live."""

from __future__ import annotations

import json

import pandas as pd
from sqlalchemy import Engine

from dashboard.figures.followup import shown_value
from queries.karta import PER_ORGANISATION, map_catalogue
from queries.observations import observations_of
from tests.apptest import open_app
from tests.seeds import REPO

PAGE = "pages/feriejobb.py"
OBS = REPO / "data" / "observations"
BUDGET = "feriejobb_sdn_budget_antal"


def transcribed(name: str) -> pd.DataFrame:
    return pd.read_csv(OBS / f"{name}.csv", dtype={"period": str, "printed": str, "qualifier": str})


def chart(at) -> dict:
    found = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert len(found) == 1
    return found[0]


def test_the_page_draws_feriejobb_per_employing_forvaltning(app_env: str) -> None:
    at = open_app(page=PAGE)
    assert not at.exception
    assert at.title[0].value == "Feriejobb"
    spec = chart(at)
    assert spec["layout"]["title"]["text"] == ("Ungdomar med feriejobb 2022 per anställande förvaltning – "
                                               "inte var ungdomarna bor")
    assert "Källa: Arbetsmarknadsrapport 2022, rad 2116–2146" in [a["text"] for a in spec["layout"]["annotations"]]
    rows = transcribed("ar2022_feriejobb")
    rows = rows[(rows["area_level"] == "enhet") & (rows["measure"] == "feriejobb_anstallda")]
    drawn = {t["name"]: dict(zip(t["y"], t["x"], strict=True)) for t in spec["data"] if t["type"] == "bar"}
    assert set(drawn) == {"Kvinnor", "Män"}
    for row in rows[rows["gender"] != "totalt"].itertuples():
        assert drawn[row.gender.capitalize()][row.area] == row.value, (row.area, row.gender)
    captions = [c.value for c in at.caption]
    assert any(c.startswith("**Per anställande förvaltning eller nämnd, inte var ungdomarna bor.**")
               and "Kvinnor och män enligt tabellens kolumner Tjej och Kille" in c for c in captions), captions
    assert any("inte var ungdomarna bor" in w.value for w in at.warning)


def test_every_figure_of_the_table_per_forvaltning_is_in_the_page_table_with_its_line(app_env: str) -> None:
    at = open_app(page=PAGE)
    table = next(d.value for d in at.dataframe if "Anställande förvaltning eller nämnd" in d.value.columns)
    rows = transcribed("ar2022_feriejobb")
    rows = rows[(rows["area_level"] == "enhet") & (rows["measure"] == "feriejobb_anstallda")]
    assert len(rows) == 48
    shown = table.set_index("Anställande förvaltning eller nämnd")
    column = {"totalt": "Totalt", "kvinnor": "Kvinnor", "män": "Män"}
    for row in rows.itertuples():
        expected = shown_value(row.value, row.unit, row.printed, row.qualifier if pd.notna(row.qualifier) else None)
        assert shown.at[row.area, column[row.gender]] == expected, (row.area, row.gender)
        assert shown.at[row.area, "Källa"] == f"Arbetsmarknadsrapport 2022, rad {row.line}"
    assert shown.at["Stockholms stad (totalt)", "Totalt"] == "9\u00a0532"
    assert "Märkning" not in table.columns, "published figures only"
    assert any(b.label == "CSV (Excel, semikolon)" for b in at.get("download_button"))


def test_the_budgeted_feriejobb_per_stadsdelsnamnd_are_on_the_page(app_env: str) -> None:
    at = open_app(page=PAGE)
    table = next(d.value for d in at.dataframe if "Budgeterade feriejobb" in d.value.columns)
    shown = table.set_index("Stadsdelsnämnd")
    rows = transcribed("ar2022_stadsdelar")
    rows = rows[rows["measure"] == BUDGET]
    assert len(rows) >= 10
    for row in rows.itertuples():
        assert shown.at[row.area, "Budgeterade feriejobb"] == shown_value(row.value, row.unit, row.printed)
        assert shown.at[row.area, "Källa"] == f"Arbetsmarknadsrapport 2022, rad {row.line}"
    assert shown.at["Bromma", "Budgeterade feriejobb"] == "uppgift saknas", "'-' in the matrix is a gap"
    assert any(c.value.startswith("**Per stadsdelsnämnd, inte var ungdomarna bor.**") for c in at.caption)


def test_the_map_does_not_offer_counts_per_organisation(db: Engine) -> None:
    catalogue = set(map_catalogue(db)["measure"])
    assert BUDGET in PER_ORGANISATION
    assert not PER_ORGANISATION & catalogue
    assert {"sdf_insatser_unika_personer", "arbetsloshet_ar2022_andel"} <= catalogue, "other measures stay"
    stored = observations_of(BUDGET, engine=db)
    assert "stadsdelsomrade" in set(stored["area_level"]), "the rows the map would have drawn exist"


def test_a_link_to_the_map_with_a_measure_per_organisation_shows_another(app_env: str) -> None:
    at = open_app("pages/karta.py", {"matt": BUDGET, "period": "2022"})
    assert not at.exception
    offered = at.selectbox(key="matt").options  # as the list shows them: by name
    assert any("Stockholmsjobb per stadsdelsnämnd" in o for o in offered)
    assert not any("Feriejobb per stadsdelsnämnd" in o for o in offered)
    assert at.selectbox(key="matt").value != BUDGET
    assert any(f"”{BUDGET}” finns inte här" in c.value for c in at.caption)
