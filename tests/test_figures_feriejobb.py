"""Feriejobb per employing förvaltning: observations in, figure and tables out, every number as printed."""

from __future__ import annotations

import pandas as pd

from dashboard.core.numbers import NBSP
from dashboard.figures import feriejobb as fj

SOURCE = "Arbetsmarknadsrapport 2022"


def obs(area: str, gender: str, value: float, line: int, *, level: str = "enhet", printed: str | None = None,
        qualifier: str | None = None, kind: str = "utfall", period: str = "2022", demo: bool = False) -> dict:
    return {"measure": fj.MEASURE, "measure_name": "Feriejobb: anställda ungdomar", "dataset": "ar2022_feriejobb",
            "period": period, "period_start": f"{period}-01-01", "area": area, "area_level": level, "gender": gender,
            "group": "alla", "value": value, "printed": printed or f"{value:,.0f}".replace(",", " "),
            "qualifier": qualifier, "unit": "antal", "kind": kind, "source": SOURCE,
            "source_location": f"rad {line}", "note": None, "is_demo": demo}


TABLE = pd.DataFrame([
    obs("Bromma stadsdelsförvaltning", "totalt", 353, 2116), obs("Bromma stadsdelsförvaltning", "män", 176, 2116),
    obs("Bromma stadsdelsförvaltning", "kvinnor", 177, 2116),
    obs("Rinkeby-Kista stadsdelsförvaltning", "totalt", 1432, 2132, printed="1432"),
    obs("Rinkeby-Kista stadsdelsförvaltning", "män", 697, 2132),
    obs("Rinkeby-Kista stadsdelsförvaltning", "kvinnor", 735, 2132),
    obs("Trafikkontoret", "totalt", 430, 2142), obs("Trafikkontoret", "män", 225, 2142),
    obs("Trafikkontoret", "kvinnor", 205, 2142),
])
CITY = pd.DataFrame([obs("Stockholms stad", "totalt", 9532, 2107, level="stad"),
                     obs("Stockholms stad", "kvinnor", 4828, 2148, level="stad"),
                     obs("Stockholms stad", "män", 4704, 2148, level="stad"),
                     obs("Rinkeby-Kista", "totalt", 1100, 838, level="stadsdelsomrade", kind="budget")])


def bars(fig) -> dict[str, dict[str, float]]:
    return {t.name: dict(zip(t.y, t.x, strict=True)) for t in fig.data if t.type == "bar"}


def test_only_the_rows_per_forvaltning_are_drawn() -> None:
    rows = fj.employer_rows(pd.concat([TABLE, CITY, pd.DataFrame([obs("Bromma stadsdelsförvaltning", "totalt", 1,
                                                                        9, period="2021")])]))
    assert set(rows["area"]) == {"Bromma stadsdelsförvaltning", "Rinkeby-Kista stadsdelsförvaltning",
                                 "Trafikkontoret"}
    assert set(rows["period"]) == {"2022"}, "the latest period only"
    assert set(fj.employer_rows(TABLE, period="2021")["area"]) == set()


def test_bars_stack_kvinnor_and_man_per_forvaltning_largest_first() -> None:
    fig = fj.employer_figure(TABLE)
    drawn = bars(fig)
    assert drawn["Kvinnor"] == {"Rinkeby-Kista stadsdelsförvaltning": 735, "Trafikkontoret": 205,
                                "Bromma stadsdelsförvaltning": 177}
    assert drawn["Män"]["Rinkeby-Kista stadsdelsförvaltning"] == 697
    assert fig.layout.barmode == "stack"
    assert fig.layout.xaxis.range[1] > 1432
    order = list(fig.layout.yaxis.categoryarray)
    assert order == ["Rinkeby-Kista stadsdelsförvaltning", "Trafikkontoret", "Bromma stadsdelsförvaltning"]
    assert fig.layout.yaxis.autorange == "reversed", "largest at the top"
    totals = next(t for t in fig.data if t.type == "scatter")
    assert [t.strip("\u2002") for t in totals.text] == [f"1{NBSP}432", "430", "353"], "as printed, Swedish digits"
    assert list(totals.x) == [1432, 430, 353]
    assert fig.layout.separators == f",{NBSP}"


def test_title_and_footnote_say_per_employer_and_name_the_lines() -> None:
    fig = fj.employer_figure(TABLE)
    assert fig.layout.title.text == ("Ungdomar med feriejobb 2022 per anställande förvaltning – "
                                     "inte var ungdomarna bor")
    notes = [a.text for a in fig.layout.annotations]
    assert f"Källa: {SOURCE}, rad 2116–2142" in notes
    kvinnor = next(t for t in fig.data if t.name == "Kvinnor")
    hover = dict(zip(kvinnor.y, kvinnor.customdata, strict=True))
    assert hover["Trafikkontoret"] == f"{SOURCE}, rad 2142", "each bar names its own line"
    assert "%{customdata}" in kvinnor.hovertemplate


def test_a_qualifier_is_printed_with_the_value() -> None:
    rows = pd.DataFrame([obs("Kyrkogårdsnämnden", "totalt", 100, 2128, qualifier="drygt"),
                         obs("Kyrkogårdsnämnden", "kvinnor", 50, 2128, qualifier="cirka"),
                         obs("Kyrkogårdsnämnden", "män", 50, 2128, qualifier="cirka")])
    fig = fj.employer_figure(rows)
    assert next(t for t in fig.data if t.type == "scatter").hovertext == ("drygt 100",)
    assert next(t for t in fig.data if t.name == "Kvinnor").text == ("cirka 50",)
    table = fj.employer_table(rows)
    assert list(table["Totalt"]) == ["drygt 100"] and list(table["Kvinnor"]) == ["cirka 50"]
    assert list(fj.employer_export(rows)["Förbehåll"]) == ["drygt", "cirka", "cirka"]


def test_without_kon_the_total_is_drawn_and_the_caption_says_so() -> None:
    rows = pd.DataFrame([obs("Trafikkontoret", "totalt", 430, 2142), obs("Bromma stadsdelsförvaltning", "totalt",
                                                                         353, 2116)])
    fig = fj.employer_figure(rows)
    assert set(bars(fig)) == {fj.UNSPLIT}
    assert bars(fig)[fj.UNSPLIT] == {"Trafikkontoret": 430, "Bromma stadsdelsförvaltning": 353}
    assert not fj.has_gender_split(rows)
    caption = fj.employer_caption(rows, CITY)
    assert "utan uppdelning på kvinnor och män" in caption
    assert "inte var ungdomarna bor" in caption
    partly = pd.concat([TABLE[TABLE["area"] != "Trafikkontoret"], rows[rows["area"] == "Trafikkontoret"]])
    assert "Trafikkontoret visas bara som totalt" in fj.employer_caption(partly, CITY)


def test_caption_and_table_carry_kon_and_the_city_total_with_its_lines() -> None:
    caption = fj.employer_caption(TABLE, CITY)
    assert caption.startswith("**Per anställande förvaltning eller nämnd, inte var ungdomarna bor.**")
    assert "Kvinnor och män enligt tabellens kolumner Tjej och Kille" in caption
    assert f"Hela staden: 9{NBSP}532 (kvinnor 4{NBSP}828, män 4{NBSP}704) – {SOURCE}, rad 2107, 2148." in caption
    table = fj.employer_table(TABLE, CITY)
    assert list(table.columns) == ["Anställande förvaltning eller nämnd", "Totalt", "Kvinnor", "Män", "Källa",
                                   "is_demo"]
    first, last = table.iloc[0], table.iloc[-1]
    assert (first["Anställande förvaltning eller nämnd"], first["Totalt"], first["Kvinnor"], first["Män"],
            first["Källa"]) == ("Rinkeby-Kista stadsdelsförvaltning", f"1{NBSP}432", "735", "697", f"{SOURCE}, rad 2132")
    assert last["Anställande förvaltning eller nämnd"] == "Stockholms stad (totalt)"
    assert last["Källa"] == f"{SOURCE}, rad 2107, 2148"
    assert len(table) == 4, "the budget row of a stadsdelsområde is not a förvaltning"


def test_a_missing_kon_is_a_gap_not_zero() -> None:
    rows = pd.concat([TABLE[TABLE["area"] != "Trafikkontoret"],
                      pd.DataFrame([obs("Trafikkontoret", "totalt", 430, 2142),
                                    obs("Trafikkontoret", "män", 225, 2142)])])
    table = fj.employer_table(rows).set_index("Anställande förvaltning eller nämnd")
    assert table.at["Trafikkontoret", "Kvinnor"] == "uppgift saknas"
    assert bars(fj.employer_figure(rows))[fj.UNSPLIT] == {"Trafikkontoret": 430}, "drawn whole, not split"


def test_demo_rows_are_labelled_on_the_chart_and_in_the_table() -> None:
    rows = TABLE.assign(is_demo=True)
    fig = fj.employer_figure(rows)
    assert "Demodata" in fig.layout.title.text
    assert any("Demodata" in a.text for a in fig.layout.annotations)
    assert fj.employer_table(rows)["is_demo"].all()
    assert not fj.employer_table(TABLE)["is_demo"].any()


def test_budget_table_per_stadsdelsnamnd_with_gaps() -> None:
    budget = pd.DataFrame([obs("Rinkeby-Kista", "totalt", 1100, 838, level="stadsdelsomrade", kind="budget",
                               printed="1 100"),
                           obs("Enheten för hemlösa", "totalt", 1, 922, kind="budget"),
                           obs("Hässelby-Vällingby", "totalt", 1050, 848, level="stadsdelsomrade", kind="budget",
                               printed="1050")])
    table = fj.budget_table(budget, ("Rinkeby-Kista", "Bromma", "Hässelby-Vällingby"))
    assert list(table["Stadsdelsnämnd"]) == ["Rinkeby-Kista", "Hässelby-Vällingby", "Enheten för hemlösa", "Bromma"]
    assert list(table["Budgeterade feriejobb"]) == [f"1{NBSP}100", f"1{NBSP}050", "1", "uppgift saknas"]
    assert list(table["Källa"])[:3] == [f"{SOURCE}, rad 838", f"{SOURCE}, rad 848", f"{SOURCE}, rad 922"]


def test_the_download_holds_numbers_per_kon_with_their_lines() -> None:
    out = fj.employer_export(TABLE)
    assert list(out.columns) == ["Anställande förvaltning eller nämnd", "Kön", "Värde", "Förbehåll", "Slag", "Källa",
                                 "Plats i källan", "Anmärkning"]
    assert str(out["Värde"].dtype) == "Int64" and out["Värde"].tolist()[:3] == [353, 176, 177]
    assert set(out["Kön"]) == {"Totalt", "Kvinnor", "Män"} and set(out["Slag"]) == {"Utfall"}
    assert out["Plats i källan"].tolist()[0] == "rad 2116"
