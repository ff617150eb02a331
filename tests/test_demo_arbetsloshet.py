"""The generated demo data set: deterministic, complete, internally consistent, and through the published figures."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import func, select

from dashboard.core.periods import period_bounds
from dashboard.demo import arbetsloshet as demo
from dashboard.ingest.load import Bundle, LoadError, collect, write

MONTHS = [f"{y}-{m:02d}" for y in range(2015, 2026) for m in range(1, 13)]
YEARS = [str(y) for y in range(2015, 2026)]
GENDERS = ["kvinnor", "män", "totalt"]
GROUPS = ["alla", "unga 18–24 år", "utrikes födda"]


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    b = collect()
    demo.add_to_bundle(b)
    return b


@pytest.fixture(scope="module")
def rows(bundle: Bundle) -> pd.DataFrame:
    frame = pd.DataFrame([o for o in bundle.observations if o["dataset"] == demo.DATASET])
    frame["name"] = [a[0] for a in frame["area"]]
    frame["level"] = [a[1] for a in frame["area"]]
    return frame


def _valid(m: dict, start: date, end: date) -> bool:
    return (m["valid_from"] is None or m["valid_from"] <= start) and (m["valid_to"] is None or m["valid_to"] >= end)


@pytest.fixture(scope="module")
def parents(bundle: Bundle) -> pd.DataFrame:
    """(month, stadsdel, parent name, parent level) from the memberships, for every month; the city included."""
    stadsdelar = sorted(name for name, level in bundle.areas if level == "stadsdel")
    records = []
    for month in MONTHS:
        start, end = period_bounds(month)
        records += [(month, m["member"][0], *m["parent"]) for m in bundle.memberships
                    if m["member"][1] == "stadsdel" and m["parent"][1] in ("stadsdelsomrade", "fokusomrade")
                    and _valid(m, start, end)]
        records += [(month, s, "Stockholms stad", "stad") for s in stadsdelar]
    return pd.DataFrame(records, columns=["period", "stadsdel", "name", "level"])


def _demo_rows(bundle: Bundle) -> list[dict]:
    return [o for o in bundle.observations if o["dataset"] == demo.DATASET]


def test_two_runs_give_identical_rows(bundle: Bundle) -> None:
    again = collect()
    demo.add_to_bundle(again)
    assert _demo_rows(again) == _demo_rows(bundle)


def test_adding_twice_is_an_error(bundle: Bundle) -> None:
    with pytest.raises(LoadError, match="finns redan"):
        demo.add_to_bundle(bundle)


def test_every_month_and_year_is_covered(rows: pd.DataFrame) -> None:
    assert sorted(rows.loc[rows.measure == demo.RATE, "period"].unique()) == MONTHS
    assert sorted(rows.loc[rows.measure == demo.COUNT, "period"].unique()) == MONTHS
    assert sorted(rows.loc[rows.measure == demo.POPULATION, "period"].unique()) == YEARS


def test_every_area_valid_in_a_month_has_all_genders_and_groups(
        rows: pd.DataFrame, parents: pd.DataFrame, bundle: Bundle) -> None:
    rates = rows[rows.measure == demo.RATE]
    cells = rates.groupby(["period", "level", "name"]).apply(
        lambda g: sorted(zip(g.gender, g.population_group, strict=True)), include_groups=False)
    assert all(c == sorted((g, p) for g in GENDERS for p in GROUPS) for c in cells)
    stadsdelar = sorted(name for name, level in bundle.areas if level == "stadsdel")
    assert len(stadsdelar) == 117
    for month, group in rates.groupby("period"):
        shown = {level: sorted(g.name.unique()) for level, g in group.groupby("level")}
        expected = parents[parents.period == month]
        assert shown["stadsdel"] == stadsdelar
        for level in ("stadsdelsomrade", "fokusomrade", "stad"):
            assert shown[level] == sorted(expected.loc[expected.level == level, "name"].unique()), (month, level)
        assert set(shown) == {"stadsdel", "stadsdelsomrade", "fokusomrade", "stad"}


@pytest.mark.parametrize(("month", "count", "present", "absent"), [
    ("2019-12", 14, {"Älvsjö", "Hägersten-Liljeholmen", "Rinkeby-Kista", "Norrmalm"}, {"Hägersten-Älvsjö", "Järva"}),
    ("2021-01", 13, {"Hägersten-Älvsjö", "Rinkeby-Kista", "Spånga-Tensta", "Östermalm"}, {"Älvsjö", "Järva"}),
    ("2024-01", 11, {"Järva", "Norra innerstaden", "Hägersten-Älvsjö"}, {"Rinkeby-Kista", "Norrmalm", "Älvsjö"}),
])
def test_stadsdelsomraden_follow_the_division_of_the_month(
        rows: pd.DataFrame, month: str, count: int, present: set[str], absent: set[str]) -> None:
    names = set(rows.loc[(rows.period == month) & (rows.level == "stadsdelsomrade"), "name"])
    assert len(names) == count
    assert present <= names
    assert not absent & names


def test_aggregates_are_sums_of_the_stadsdel_counts(
        bundle: Bundle, rows: pd.DataFrame, parents: pd.DataFrame) -> None:
    data = demo.generate(bundle)
    g, s, k, t = np.indices(data.unemployed.shape).reshape(4, -1)
    counts = pd.DataFrame({"population_group": np.array(GROUPS)[g], "stadsdel": np.array(data.stadsdelar)[s],
                           "gender": np.array(demo.SEXES)[k], "period": np.array(data.months)[t],
                           "antal": data.unemployed.ravel()})
    g, s, k, y = np.indices(data.population.shape).reshape(4, -1)
    population = pd.DataFrame({"population_group": np.array(GROUPS)[g], "stadsdel": np.array(data.stadsdelar)[s],
                               "gender": np.array(demo.SEXES)[k], "year": np.array(data.years)[y].astype(str),
                               "befolkning": data.population.ravel()})
    cells = counts.assign(year=counts.period.str[:4]).merge(population, on=["population_group", "stadsdel",
                                                                            "gender", "year"])
    assert (cells.antal <= cells.befolkning).all()
    alla = cells[cells.population_group == "alla"].set_index(["stadsdel", "gender", "period"]).antal
    for group in GROUPS[1:]:
        part = cells[cells.population_group == group].set_index(["stadsdel", "gender", "period"]).antal
        assert (part <= alla.loc[part.index]).all()
    both = cells.groupby(["population_group", "stadsdel", "period"], as_index=False)[["antal", "befolkning"]].sum()
    cells = pd.concat([cells, both.assign(gender="totalt")])

    stadsdel = cells.rename(columns={"stadsdel": "name"}).assign(level="stadsdel")
    summed = (cells.merge(parents, on=["period", "stadsdel"])
              .groupby(["period", "level", "name", "gender", "population_group"], as_index=False)
              [["antal", "befolkning"]].sum())
    expected = pd.concat([stadsdel, summed])
    expected["andel"] = np.round(100 * expected.antal / expected.befolkning, 1)
    keys = ["period", "level", "name", "gender", "population_group"]

    rates = rows[rows.measure == demo.RATE].merge(expected, on=keys, how="left", validate="one_to_one")
    assert len(rates) == len(expected)
    assert (rates.value == rates.andel).all()
    shown = rows[rows.measure == demo.COUNT].merge(expected, on=keys, how="left", validate="one_to_one")
    assert len(shown) > 0 and set(shown.level) == {"stadsdelsomrade", "fokusomrade", "stad"}
    assert (shown.value == shown.antal).all()


def test_rates_totals_and_counts_agree_in_the_rows(rows: pd.DataFrame) -> None:
    keys = ["period", "level", "name", "population_group"]
    for measure in (demo.COUNT, demo.POPULATION):
        wide = rows[rows.measure == measure].pivot_table(index=keys, columns="gender", values="value")
        assert (wide["totalt"] == wide["kvinnor"] + wide["män"]).all(), measure
        assert (rows.loc[rows.measure == measure, "value"] % 1 == 0).all()
    counts = rows[rows.measure == demo.COUNT].assign(year=lambda f: f.period.str[:4])
    population = rows[rows.measure == demo.POPULATION].rename(columns={"period": "year", "value": "befolkning"})
    rates = rows[rows.measure == demo.RATE].rename(columns={"value": "andel"})
    cells = (counts.merge(population[["year", "level", "name", "gender", "population_group", "befolkning"]],
                          on=["year", "level", "name", "gender", "population_group"], validate="many_to_one")
             .merge(rates[["period", "level", "name", "gender", "population_group", "andel"]],
                    on=["period", "level", "name", "gender", "population_group"], validate="one_to_one"))
    assert len(cells) == len(counts)
    assert (cells.andel == np.round(100 * cells.value / cells.befolkning, 1)).all()


def test_passes_through_every_published_value_of_the_anchor_family(bundle: Bundle, rows: pd.DataFrame) -> None:
    published = [o for o in bundle.observations
                 if o["dataset"] == demo.ANCHOR_DATASET and o["measure"] == demo.ANCHOR_MEASURE
                 and o["period"] in MONTHS and o["gender"] == "totalt" and o["population_group"] == "alla"]
    assert len(published) >= 5  # 2017-08: three stadsdelsområden and the city; 2018-02: the city
    rates = rows[(rows.measure == demo.RATE) & (rows.gender == "totalt") & (rows.population_group == "alla")]
    for o in published:
        match = rates[(rates.period == o["period"]) & (rates.name == o["area"][0]) & (rates.level == o["area"][1])]
        assert match.value.tolist() == [o["value"]], (o["area"], o["period"])


def test_everything_is_labelled_demo(bundle: Bundle, rows: pd.DataFrame) -> None:
    dataset = bundle.datasets[demo.DATASET]
    assert dataset["is_demo"] is True and dataset["used"] is True
    assert dataset["title"].startswith("Demodata")
    assert "inte verkliga" in dataset["description"]
    assert bundle.sources["demo"]["kind"] == "demo"
    assert set(rows.measure) == {demo.RATE, demo.COUNT, demo.POPULATION}
    assert all(bundle.measures[m]["name"].startswith("Demodata") for m in set(rows.measure))
    assert (rows.dataset == demo.DATASET).all() and (rows.source == "demo").all() and (rows.kind == "utfall").all()
    assert rows.printed.isna().all() and rows.note.isna().all()
    assert (rows.source_location == "genererad (dashboard/demo/arbetsloshet.py)").all()


def test_rows_have_the_shape_and_checks_of_loaded_rows(bundle: Bundle, rows: pd.DataFrame) -> None:
    real = next(o for o in bundle.observations if o["dataset"] == demo.ANCHOR_DATASET)
    assert all(set(o) == set(real) for o in _demo_rows(bundle))
    assert set(rows.area) <= set(bundle.areas)
    assert all(bundle.measures[m]["unit"] == u for m, u in set(zip(rows.measure, rows.unit, strict=True)))
    bounds = {p: period_bounds(p) for p in rows.period.unique()}
    assert all(bounds[p] == (s, e) for p, s, e in zip(rows.period, rows.period_start, rows.period_end, strict=True))
    keys = rows[["measure", "period", "level", "name", "gender", "population_group", "kind"]]
    assert not keys.duplicated().any()
    rates = rows.loc[rows.measure == demo.RATE, "value"]
    assert rates.between(0, 100).all() and (np.round(rates, 1) == rates).all()


def test_structure_looks_like_stockholm(rows: pd.DataFrame) -> None:
    rates = rows[(rows.measure == demo.RATE)].pivot_table(
        index="period", columns=["level", "name", "gender", "population_group"], values="value")
    city = rates[("stad", "Stockholms stad")]
    assert (city[("totalt", "unga 18–24 år")] > city[("totalt", "alla")]).all()
    assert (city[("totalt", "utrikes födda")] > city[("totalt", "alla")]).all()
    assert city.loc["2020-06", ("totalt", "alla")] > 1.4 * city.loc["2019-12", ("totalt", "alla")]
    assert city[("män", "alla")].mean() > city[("kvinnor", "alla")].mean()
    sdo = rates["stadsdelsomrade"]
    after = MONTHS.index("2023-07")
    assert (sdo[("Järva", "totalt", "alla")].iloc[after:] > sdo[("Norra innerstaden", "totalt", "alla")].iloc[after:]
            ).all()
    assert (sdo[("Skärholmen", "totalt", "alla")] > sdo[("Bromma", "totalt", "alla")]).all()
    july, may = city.loc["2019-07", ("totalt", "unga 18–24 år")], city.loc["2019-05", ("totalt", "unga 18–24 år")]
    assert july > may


def test_rows_load_into_the_database(bundle: Bundle, tmp_path: Path) -> None:
    from dashboard.db.schema import observations
    from queries.db import engine

    db = engine(f"sqlite:///{tmp_path / 'demo.sqlite'}", create=True)
    write(db, bundle)
    with db.connect() as conn:
        stored = conn.execute(select(func.count()).select_from(observations)
                              .where(observations.c.dataset == demo.DATASET)).scalar_one()
    assert stored == len(_demo_rows(bundle))
