"""DEMODATA: generated monthly arbetslöshet 2015-01 … 2025-12. Not real figures.

What it is. A deterministic, made-up data set (`demo_arbetsloshet`, `is_demo` true) for trying out the
views: maps by stadsdel and stadsdelsområde, time series, kön and group filters. Nothing in it was read in a
source, except that it passes exactly through the few published figures of its own definition (below).

One definition. The demo measure `demo_arbetsloshet_andel` is *öppet arbetslösa som andel av
befolkningen 16–64 år*: the headline share of the city's monthly report "Arbetssökande i stadsdelsområden"
(family (b) in shared/data/published_unemployment_by_district.md). It is NOT öppet arbetslösa + program, and
NOT Arbetsförmedlingen's share of the labour force.

Anchor family: `arbetsloshet_oppet_andel_bef_16_64` (the published measure with the same numerator, the same
denominator and monthly periods). Its rows in the published data set are 2017-08 (Rinkeby-Kista 6,8;
Spånga-Tensta 5,5; Skärholmen 5,4; Stockholms stad 3,2) and 2018-02 (Stockholms stad 3,2). At each of those
(area, month) the demo's totalt/alla value equals the published value. The expected counts are nudged towards it
(a correction of at most a few per cent, fading out over ±12 months so the series stays smooth); then the integer
counts of that area's stadsdelar are apportioned so the aggregate rounds to the published figure. For the city
the stadsdelar outside the stadsdelsområden anchored that month take up the difference. An anchor area that is not a
stadsdelsområde valid in its month is a load error. Why not another family: the other rates are either
öppet + program (and then only 18–64 October rows, or AF's labour-force share for the whole city), or have an
unstated age base; using them would mix definitions, which data/README.md forbids.

How the numbers are made (fixed seed, numpy's PCG64):
1. Population 16–64 per stadsdel × kön × year (one value per year, the denominator for every month of that
   year). Sizes are rough, hand-set orders of magnitude (`_SIZE`, thousands of inhabitants), not statistics;
   the city total is scaled to about 620 000 aged 16–64 in 2015 and grows about 1 % a year. Unga 18–24 år and
   utrikes födda are subsets (shares per stadsdel).
2. Expected rate = level of the stadsdelsområde (2017) × stadsdel factor (Järva, Skärholmen, Hagsätra-Rågsved,
   Farsta high; villa areas and the inner city low) × city trend (pandemic rise from 2020-03, recovery 2021–22,
   rise 2023–25) × season (high in July and January) × a pandemic extra where many are utrikes födda × a
   small drift per stadsdel. Men slightly higher than women; unga about 1,35 and utrikes födda about 2,6 times
   the rate of the rest, unga with a stronger summer peak.
3. Counts: öppet arbetslösa (alla) ~ Poisson(expected) per stadsdel × kön × month; unga and utrikes födda are
   binomial thinnings of those, so a group never exceeds alla.
4. Everything else is summed from the stadsdel counts: totalt = kvinnor + män; a stadsdelsområde is the sum of
   the stadsdelar that belong to it *in that month* (14 areas to 2020-06, 13 to 2023-06, 11 after; memberships
   from data/memberships/), a fokusområde the sum of its stadsdelar, Stockholms stad the sum of all 117
   (no "Ej skrivna i staden"). Rate = 100 × antal / befolkning, rounded to one decimal.

Rows (all kind `utfall`, source `demo`, `printed` and `note` empty), each × kön (kvinnor, män, totalt) × group
(alla, unga 18–24 år, utrikes födda):
- `demo_arbetsloshet_andel` (procent): every month, every stadsdel, the stadsdelsområden valid that month, the
  fokusområden and the city (about 160 000 rows);
- `demo_arbetsloshet_antal` (antal): every month, but only at the levels in `COUNT_LEVELS` (stadsdelsområde,
  fokusområde, stad; about 21 000 rows);
- `demo_befolkning_16_64` (antal): every year (period `2015` …) at the same levels, for each area valid in some
  month of that year (Älvsjö and Hägersten-Älvsjö both have a 2020 value; about 1 800 rows).
The stadsdel counts are left out to keep the database small (they would add about 150 000 rows); pass
`count_levels=(*COUNT_LEVELS, "stadsdel")` to get them. `generate()` returns them for checks. The rows are built
directly in the shape `load.observation()` produces and validated in bulk (`_validate`): one `observation()`
call per row would take several seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from dashboard.core.periods import period_bounds
from dashboard.ingest.load import GENDERS, KINDS, Bundle, LoadError, display_path

DATASET = "demo_arbetsloshet"
SOURCE = "demo"
RATE = "demo_arbetsloshet_andel"
COUNT = "demo_arbetsloshet_antal"
POPULATION = "demo_befolkning_16_64"
ANCHOR_DATASET = "publicerad_arbetsloshet"
ANCHOR_MEASURE = "arbetsloshet_oppet_andel_bef_16_64"
FIRST_YEAR, LAST_YEAR = 2015, 2025
SEED = 20_150_101
SEXES = ("kvinnor", "män")  # totalt = kvinnor + män
GROUPS = ("alla", "unga 18–24 år", "utrikes födda")
MODULE = display_path(Path(__file__))
LOCATION = f"genererad ({MODULE})"
COUNT_LEVELS = ("stadsdelsomrade", "fokusomrade", "stad")  # where antal and befolkning rows go
TAPER_MONTHS = 12  # an anchor's correction fades to nothing 12 months away

TITLE = "Demodata: arbetslöshet per månad 2015–2025"
DESCRIPTION = (
    "GENERERADE siffror, inte verkliga: påhittad arbetslöshet per månad 2015–2025 för att pröva vyerna. "
    "Mått: öppet arbetslösa som andel av befolkningen 16–64 år, per stadsdel, stadsdelsområde (den indelning "
    "som gällde varje månad), fokusområde och hela staden, för kvinnor, män och totalt och för alla, unga "
    "18–24 år och utrikes födda. Antal och befolkning genereras per stadsdel; allt annat är summor av dem. "
    "Serien går exakt genom de publicerade talen med samma definition (öppet arbetslösa, andel av "
    "befolkningen 16–64 år, stadens månadsrapport): Rinkeby-Kista, Spånga-Tensta, Skärholmen och staden i "
    "augusti 2017 och staden i februari 2018. Allt annat är påhittat."
)

MEASURES = {
    RATE: ("Demodata: arbetslöshet, andel av befolkningen 16–64 år", "procent", "Befolkningen 16–64 år",
           "Genererat mått för att pröva vyerna (inte verkliga siffror): öppet arbetslösa som andel av "
           "befolkningen 16–64 år, samma definition som stadens månadsrapport. Andel = 100 × antal / befolkning "
           "med de genererade talen; avrundad till en decimal."),
    COUNT: ("Demodata: öppet arbetslösa 16–64 år, antal", "antal", "Ej tillämplig (antal personer)",
            "Genererat antal öppet arbetslösa 16–64 år vid månadens slut (inte verkliga siffror); täljaren i "
            "demomåttet för arbetslöshet. Stadsdelsområden, fokusområden och staden är summor av stadsdelarna."),
    POPULATION: ("Demodata: befolkning 16–64 år", "antal", "Ej tillämplig (antal personer)",
                 "Genererad befolkning 16–64 år, ett värde per år (inte verkliga siffror); nämnaren i "
                 "demomåttet för arbetslöshet för varje månad det året. Gruppen anger delbefolkningen (unga "
                 "18–24 år, utrikes födda)."),
}

# Stadsdelsområde levels in 2017 (öppet arbetslösa, % of 16–64, annual mean), set so the anchors need little
# correction. Hand-set for the demo, not statistics.
_SDO_LEVEL = {
    "Rinkeby-Kista": 6.4, "Spånga-Tensta": 4.9, "Skärholmen": 5.2, "Hässelby-Vällingby": 3.9, "Farsta": 3.9,
    "Enskede-Årsta-Vantör": 3.6, "Skarpnäck": 2.9, "Hägersten-Liljeholmen": 2.8, "Älvsjö": 2.5, "Bromma": 2.15,
    "Södermalm": 2.15, "Kungsholmen": 1.8, "Norrmalm": 1.9, "Östermalm": 1.9,
}

# Rough size of each stadsdel (thousands of inhabitants, all ages): an order of magnitude for the demo only.
_SIZE = {
    "Akalla": 9, "Hansta": 0.05, "Husby": 12.5, "Kista": 14, "Rinkeby": 16.5,
    "Bromsten": 8, "Flysta": 1.5, "Lunda": 0.3, "Solhem": 5, "Sundby": 2, "Tensta": 19,
    "Grimsta": 2.5, "Hässelby gård": 12, "Hässelby strand": 11, "Hässelby villastad": 14, "Kälvesta": 4.5,
    "Nälsta": 3, "Råcksta": 6, "Vinsta": 4, "Vällingby": 9,
    "Abrahamsberg": 5, "Alvik": 3.5, "Beckomberga": 6, "Blackeberg": 9, "Bromma kyrka": 4, "Bällsta": 5,
    "Eneby": 2.5, "Höglandet": 2.5, "Mariehäll": 5, "Nockeby": 2.5, "Nockebyhov": 4, "Norra Ängby": 5,
    "Olovslund": 1, "Riksby": 3, "Smedslätten": 2, "Stora Mossen": 2.5, "Södra Ängby": 3.5, "Traneberg": 11,
    "Ulvsunda": 6, "Ulvsunda industriområde": 0.3, "Äppelviken": 3, "Åkeshov": 1.5, "Åkeslund": 2.5, "Ålsten": 4,
    "Fredhäll": 7, "Kristineberg": 6, "Kungsholmen": 40, "Lilla Essingen": 5, "Marieberg": 5, "Stadshagen": 12,
    "Stora Essingen": 5,
    "Norrmalm": 11, "Skeppsholmen": 0.1, "Vasastaden": 60,
    "Djurgården": 0.8, "Hjorthagen": 10, "Ladugårdsgärdet": 9, "Norra Djurgården": 3, "Östermalm": 55,
    "Gamla stan": 3, "Långholmen": 0.5, "Reimersholme": 2.2, "Riddarholmen": 0.05, "Södermalm": 100,
    "Södra Hammarbyhamnen": 20,
    "Bandhagen": 10, "Enskede gård": 4.5, "Enskedefältet": 4, "Gamla Enskede": 5, "Hagsätra": 10.5,
    "Högdalen": 7.5, "Johanneshov": 22, "Rågsved": 11, "Stureby": 5.5, "Årsta": 25, "Örby": 5, "Östberga": 6,
    "Bagarmossen": 12.5, "Björkhagen": 6, "Enskededalen": 3, "Flaten": 0.05, "Hammarbyhöjden": 8, "Kärrtorp": 5,
    "Orhem": 0.05, "Skarpnäcks gård": 11, "Skrubba": 0.05,
    "Fagersjö": 3, "Farsta": 9, "Farsta strand": 6.5, "Farstanäset": 1, "Gubbängen": 7, "Hökarängen": 8.5,
    "Larsboda": 1.5, "Sköndal": 6, "Svedmyra": 4, "Tallkrogen": 3,
    "Herrängen": 3.5, "Liseberg": 0.6, "Långbro": 4, "Långsjö": 2.5, "Solberga": 9, "Älvsjö": 4.5,
    "Örby slott": 3.5,
    "Aspudden": 9, "Fruängen": 10, "Gröndal": 11, "Hägersten": 9.5, "Hägerstensåsen": 9, "Liljeholmen": 17,
    "Midsommarkransen": 9, "Mälarhöjden": 5, "Västberga": 1.5, "Västertorp": 6,
    "Bredäng": 10, "Skärholmen": 11, "Sätra": 8, "Vårberg": 10,
}

# Rate of a stadsdel relative to its stadsdelsområde (before normalising); 1 when not listed.
_FACTOR = {
    "Rinkeby": 1.5, "Husby": 1.4, "Tensta": 1.6, "Kista": 0.8, "Bromsten": 0.5, "Flysta": 0.4, "Solhem": 0.4,
    "Sundby": 0.4, "Lunda": 0.6,
    "Hässelby gård": 1.5, "Hässelby strand": 1.4, "Vällingby": 1.2, "Råcksta": 1.2, "Grimsta": 1.1,
    "Hässelby villastad": 0.5, "Kälvesta": 0.7, "Nälsta": 0.8, "Vinsta": 0.9,
    "Beckomberga": 1.3, "Blackeberg": 1.2, "Ulvsunda": 1.1, "Mariehäll": 1.1, "Ålsten": 0.5, "Nockeby": 0.5,
    "Äppelviken": 0.5, "Smedslätten": 0.5, "Södra Ängby": 0.6, "Norra Ängby": 0.7, "Höglandet": 0.6,
    "Olovslund": 0.6, "Stora Mossen": 0.6, "Åkeslund": 0.9,
    "Stadshagen": 1.1, "Hjorthagen": 1.2, "Norra Djurgården": 0.8, "Djurgården": 0.8, "Södra Hammarbyhamnen": 0.9,
    "Hagsätra": 1.8, "Rågsved": 1.8, "Högdalen": 1.4, "Bandhagen": 1.3, "Östberga": 1.5, "Gamla Enskede": 0.5,
    "Enskedefältet": 0.5, "Enskede gård": 0.6, "Stureby": 0.7, "Årsta": 0.8, "Johanneshov": 0.8,
    "Bagarmossen": 1.3, "Skarpnäcks gård": 1.1, "Hammarbyhöjden": 0.9, "Kärrtorp": 0.9, "Enskededalen": 0.6,
    "Farsta": 1.3, "Farsta strand": 1.4, "Fagersjö": 1.4, "Hökarängen": 1.1, "Gubbängen": 0.9, "Sköndal": 0.8,
    "Svedmyra": 0.9, "Tallkrogen": 0.6, "Larsboda": 0.7, "Farstanäset": 0.6,
    "Solberga": 1.2, "Långbro": 0.7, "Herrängen": 0.5, "Långsjö": 0.6, "Liseberg": 0.6, "Älvsjö": 0.9,
    "Fruängen": 1.5, "Västertorp": 1.1, "Hägerstensåsen": 0.9, "Midsommarkransen": 0.8, "Aspudden": 0.8,
    "Gröndal": 0.9, "Liljeholmen": 0.8, "Mälarhöjden": 0.5, "Västberga": 1.1,
    "Skärholmen": 1.2, "Vårberg": 1.1, "Sätra": 0.9,
}

# Yearly population growth where much was built; elsewhere about 0,9 % a year.
_GROWTH = {"Södra Hammarbyhamnen": 0.04, "Hjorthagen": 0.05, "Liljeholmen": 0.03, "Årsta": 0.025,
           "Norra Djurgården": 0.06, "Västberga": 0.04, "Ulvsunda": 0.03, "Kista": 0.02}

# City trend of the rate relative to 2017, at knots (month) between which it is linear.
_TREND = [("2015-01", 1.08), ("2016-01", 1.03), ("2017-01", 1.0), ("2018-06", 0.98), ("2019-06", 0.95),
          ("2020-02", 0.98), ("2020-05", 1.6), ("2020-10", 1.65), ("2021-03", 1.4), ("2021-12", 1.05),
          ("2022-06", 0.93), ("2023-01", 0.95), ("2023-12", 1.08), ("2024-12", 1.2), ("2025-12", 1.18)]
# Pandemic intensity (0–1): how much more the rate rose where many are utrikes födda, and for unga.
_PANDEMIC = [("2020-02", 0.0), ("2020-06", 1.0), ("2020-12", 1.0), ("2021-09", 0.4), ("2022-06", 0.0)]
_SEASON = np.array([1.05, 1.03, 1.0, 0.98, 0.96, 1.02, 1.08, 1.04, 0.97, 0.96, 0.96, 0.99])


@dataclass
class Generated:
    """Counts per stadsdel, and the areas they add up to in each month."""

    months: list[str]
    years: list[int]
    stadsdelar: list[str]
    unemployed: np.ndarray  # [group, stadsdel, kön, month], int64
    population: np.ndarray  # [group, stadsdel, kön, year], int64
    # per month: the areas (name, level) valid that month and for each the indices of its stadsdelar
    areas_by_month: list[list[tuple[tuple[str, str], np.ndarray]]]


def _months() -> list[str]:
    return [f"{y}-{m:02d}" for y in range(FIRST_YEAR, LAST_YEAR + 1) for m in range(1, 13)]


def _curve(knots: list[tuple[str, float]], months: list[str]) -> np.ndarray:
    index = {m: i for i, m in enumerate(months)}
    xs = [index[m] for m, _ in knots]
    return np.interp(np.arange(len(months)), xs, [v for _, v in knots])


def _fail(reason: str) -> LoadError:
    return LoadError(MODULE, 0, "(demodata)", reason)


def _members(bundle: Bundle, parent_level: str, start: date, end: date) -> dict[tuple[str, str], set[str]]:
    """Stadsdelar of each parent area over the whole of [start, end]; a change inside the span is an error."""
    parents: dict[tuple[str, str], set[str]] = {}
    for m in bundle.memberships:
        if m["member"][1] != "stadsdel" or m["parent"][1] != parent_level:
            continue
        at_start = (m["valid_from"] is None or m["valid_from"] <= start) and (
            m["valid_to"] is None or m["valid_to"] >= start)
        at_end = (m["valid_from"] is None or m["valid_from"] <= end) and (m["valid_to"] is None or m["valid_to"] >= end)
        if at_start != at_end:
            raise _fail(f"{m['member'][0]} byter {parent_level} mitt i månaden {start:%Y-%m}")
        if at_start:
            parents.setdefault(m["parent"], set()).add(m["member"][0])
    return parents


def _areas_by_month(bundle: Bundle, months: list[str], stadsdelar: list[str]) -> list[list]:
    position = {name: i for i, name in enumerate(stadsdelar)}
    everything = np.arange(len(stadsdelar))
    result = []
    for month in months:
        start, end = period_bounds(month)
        sdo = _members(bundle, "stadsdelsomrade", start, end)
        counted = sorted(name for names in sdo.values() for name in names)
        if counted != stadsdelar:
            raise _fail(f"stadsdelarna hör inte till exakt ett stadsdelsområde i {month}")
        fokus = _members(bundle, "fokusomrade", start, end)
        areas = [((name, "stadsdel"), np.array([i])) for i, name in enumerate(stadsdelar)]
        for parents in (sdo, fokus):
            areas += [(key, np.array(sorted(position[n] for n in names))) for key, names in sorted(parents.items())]
        areas.append((("Stockholms stad", "stad"), everything))
        result.append(areas)
    return result


def _anchors(bundle: Bundle, months: list[str]) -> list[tuple[str, tuple[str, str], float]]:
    """The published totalt/alla values of the anchor family inside the demo's months: (month, area, value)."""
    found = []
    for o in bundle.observations:
        if (o["dataset"], o["measure"], o["gender"], o["population_group"], o["kind"]) == (
                ANCHOR_DATASET, ANCHOR_MEASURE, "totalt", "alla", "utfall") and o["period"] in months:
            if o["area"][1] not in ("stadsdelsomrade", "stad"):
                raise _fail(f"publicerat värde för {o['area']} {o['period']} är varken stadsdelsområde eller stad")
            found.append((o["period"], o["area"], o["value"]))
    # stadsdelsområden before the city, so the city can take up the rest
    return sorted(found, key=lambda a: (a[0], a[1][1] == "stad", a[1][0]))


def _apportion(weights: np.ndarray, total: int) -> np.ndarray:
    """Integers proportional to `weights` that sum to `total` (largest remainder, ties by position)."""
    w = weights.astype(float).ravel()
    if w.sum() <= 0:
        w = np.ones_like(w)
    exact = w * total / w.sum()
    result = np.floor(exact).astype(np.int64)
    rest = int(total - result.sum())
    result[np.argsort(-(exact - result), kind="stable")[:rest]] += 1
    return result.reshape(weights.shape)


def generate(bundle: Bundle) -> Generated:
    """The stadsdel counts, deterministic for a given bundle (areas, memberships and published anchors)."""
    rng = np.random.default_rng(SEED)
    months = _months()
    years = list(range(FIRST_YEAR, LAST_YEAR + 1))
    year_of = np.array([int(m[:4]) - FIRST_YEAR for m in months])
    stadsdelar = sorted(name for name, level in bundle.areas if level == "stadsdel")
    missing = sorted(set(stadsdelar) ^ set(_SIZE))
    if missing:
        raise _fail(f"stadsdelarna stämmer inte med demons lista: {', '.join(missing)}")
    areas_by_month = _areas_by_month(bundle, months, stadsdelar)
    n_s, n_t, n_y = len(stadsdelar), len(months), len(years)

    # 1. Population 16–64 per stadsdel × kön × year, and the shares of the groups.
    size = np.array([_SIZE[s] for s in stadsdelar]) * rng.lognormal(0, 0.05, n_s)
    growth = np.array([_GROWTH.get(s, 0.009) for s in stadsdelar]) + rng.normal(0, 0.003, n_s)
    total = np.maximum(size * 1000 * 0.68, 150.0)
    total *= 620_000 / total.sum()
    total_by_year = total[:, None] * (1 + growth[:, None]) ** np.arange(n_y)[None, :]
    women = rng.uniform(0.49, 0.51, n_s)
    pop_alla = np.rint(total_by_year[:, None, :] * np.stack([women, 1 - women], axis=1)[:, :, None]).astype(np.int64)

    index_2017 = months.index("2017-08")
    sdo_2017 = [(key, idx) for key, idx in areas_by_month[index_2017] if key[1] == "stadsdelsomrade"]
    factor = np.array([_FACTOR.get(s, 1.0) for s in stadsdelar]) * rng.lognormal(0, 0.1, n_s)
    base = np.zeros(n_s)
    for (name, _), idx in sdo_2017:
        weight = pop_alla[idx, :, 2].sum(axis=1)
        base[idx] = _SDO_LEVEL[name] * factor[idx] / (factor[idx] * weight).sum() * weight.sum()
    relative = base / 3.2
    utrikes_share = np.clip(0.22 * relative ** 0.9 * rng.lognormal(0, 0.05, n_s), 0.12, 0.72)
    unga_share = np.clip(rng.normal(0.115, 0.01, n_s), 0.08, 0.15)
    unga_share[stadsdelar.index("Norra Djurgården")] = 0.3  # student housing
    pop_unga = np.rint(pop_alla * unga_share[:, None, None]).astype(np.int64)
    pop_utrikes = np.rint(pop_alla * utrikes_share[:, None, None]).astype(np.int64)
    population = np.stack([pop_alla, np.maximum(pop_unga, 1), np.maximum(pop_utrikes, 1)])

    # 2. Expected rate (percent) per stadsdel × kön × month.
    trend = _curve(_TREND, months)
    pandemic = _curve(_PANDEMIC, months)
    season = _SEASON[np.arange(n_t) % 12]
    beta = 0.35 * (utrikes_share - 0.25)
    drift = np.exp(rng.normal(0, 0.015, n_s)[:, None] * (np.arange(n_t)[None, :] / 12 - 2.6))
    wobble = np.exp(np.cumsum(rng.normal(0, 0.02, (n_s, n_t)), axis=1) * 0.5)
    rate = base[:, None] * trend * season * (1 + beta[:, None] * pandemic) * drift * wobble
    men = 1.10 + 0.06 * pandemic
    by_sex = np.stack([1 / (0.5 * men + 0.5), men / (0.5 * men + 0.5)])  # [kön, month]
    rate = rate[:, None, :] * by_sex[None, :, :]
    expected = pop_alla[:, :, year_of] * rate / 100

    # 3. Nudge the expected counts towards the anchors, fading over ±TAPER_MONTHS.
    anchors = _anchors(bundle, months)
    lookup = [dict(areas) for areas in areas_by_month]
    distance = np.arange(n_t)
    for month, area, value in anchors:
        t0 = months.index(month)
        if area not in lookup[t0]:
            raise _fail(f"publicerat värde för {area[0]} ({area[1]}) {month}: området finns inte den månaden")
        idx, target = _anchor_members(area, t0, anchors, months, lookup, population)
        current = expected[idx, :, t0].sum()
        weight = np.clip(1 - np.abs(distance - t0) / TAPER_MONTHS, 0, None)
        expected[idx] *= 1 + (target(value) / current - 1) * weight[None, None, :]

    # 4. Counts: Poisson for alla, then the exact anchors, then the groups as binomial thinnings.
    alla = np.minimum(rng.poisson(expected), pop_alla[:, :, year_of])
    for month, area, value in anchors:
        t0 = months.index(month)
        idx, target = _anchor_members(area, t0, anchors, months, lookup, population)
        wanted = round(target(value, alla[:, :, t0]))
        if wanted < 0:
            raise _fail(f"det publicerade värdet {value} för {area[0]} {month} går inte att nå")
        weights = alla[idx, :, t0] if alla[idx, :, t0].sum() > 0 else expected[idx, :, t0]
        alla[idx, :, t0] = _apportion(weights, wanted)
    unga_ratio = 1.35 * (1 + 0.8 * (season - 1)) * (1 + 0.15 * pandemic)
    unga_rate = unga_ratio[None, :] / (unga_share[:, None] * unga_ratio[None, :] + 1 - unga_share[:, None])
    utrikes_rate = 2.6 * (1 + 0.1 * pandemic)[None, :] / (utrikes_share[:, None] * 2.6 + 1 - utrikes_share[:, None])
    unga = rng.binomial(alla, np.clip(unga_share[:, None] * unga_rate, 0, 1)[:, None, :])
    utrikes = rng.binomial(alla, np.clip(utrikes_share[:, None] * utrikes_rate, 0, 1)[:, None, :])
    unemployed = np.stack([alla, np.minimum(unga, population[1][:, :, year_of]),
                           np.minimum(utrikes, population[2][:, :, year_of])]).astype(np.int64)

    for month, area, value in anchors:
        t0 = months.index(month)
        idx = lookup[t0][area]
        share = 100 * unemployed[0][idx, :, t0].sum() / population[0][idx][:, :, year_of[t0]].sum()
        if np.round(share, 1) != value:
            raise _fail(f"demodata går inte genom det publicerade värdet {value} för {area[0]} {month}")
    return Generated(months, years, stadsdelar, unemployed, population, areas_by_month)


def _anchor_members(area: tuple[str, str], t0: int, anchors: list, months: list[str], lookup: list[dict],
                    population: np.ndarray) -> tuple[np.ndarray, Callable[..., float]]:
    """The stadsdelar an anchor adjusts and a function giving its target count (expected or integer).

    A stadsdelsområde adjusts all its stadsdelar; the city adjusts the stadsdelar outside the stadsdelsområden
    anchored the same month, and its target is the city's count minus theirs.
    """
    year = int(months[t0][:4]) - FIRST_YEAR
    pop = population[0][:, :, year]
    idx = lookup[t0][area]
    if area[1] != "stad":
        return idx, lambda value, counts=None: value / 100 * pop[idx].sum()
    fixed = [lookup[t0][a] for m, a, _ in anchors if m == months[t0] and a[1] != "stad"]
    fixed_idx = np.concatenate(fixed) if fixed else np.array([], dtype=int)
    rest = np.setdiff1d(idx, fixed_idx)
    fixed_values = [(lookup[t0][a], v) for m, a, v in anchors if m == months[t0] and a[1] != "stad"]

    def target(value, counts=None):
        city = value / 100 * pop.sum()
        if counts is None:  # expected counts: the anchored areas at their published values
            return city - sum(v / 100 * pop[i].sum() for i, v in fixed_values)
        return round(city) - counts[fixed_idx].sum()

    return rest, target


def _rows(data: Generated, count_levels: tuple[str, ...]) -> list[dict]:
    sexes = (*SEXES, "totalt")
    year_index = {year: i for i, year in enumerate(data.years)}
    template = {"dataset": DATASET, "printed": None, "qualifier": None, "kind": "utfall", "source": SOURCE,
                "source_location": LOCATION, "note": None}
    rows: list[dict] = []

    def add(measure: str, unit: str, period: str, areas: list, values: list) -> None:
        start, end = period_bounds(period)
        for (area, _), gender_values in zip(areas, values, strict=True):
            for gender, group_values in zip(sexes, gender_values, strict=True):
                for group, value in zip(GROUPS, group_values, strict=True):
                    rows.append({**template, "measure": measure, "period": period, "period_start": start,
                                 "period_end": end, "area": area, "gender": gender, "population_group": group,
                                 "value": value, "unit": unit})

    def summed(areas: list, array: np.ndarray) -> np.ndarray:
        """[group, stadsdel, kön] summed to [area, kön with totalt last, group]."""
        matrix = np.zeros((len(areas), array.shape[1]), dtype=np.int64)
        for row, (_, idx) in enumerate(areas):
            matrix[row, idx] = 1
        per_sex = np.einsum("as,gsk->akg", matrix, array)
        return np.concatenate([per_sex, per_sex.sum(axis=1, keepdims=True)], axis=1)

    population_areas: dict[int, dict] = {}
    for t, month in enumerate(data.months):
        areas = data.areas_by_month[t]
        year = int(month[:4])
        count = summed(areas, data.unemployed[:, :, :, t])
        pop = summed(areas, data.population[:, :, :, year_index[year]])
        if (pop <= 0).any():
            raise _fail(f"befolkningen är noll någonstans i {month}")
        add(RATE, "procent", month, areas, np.round(100 * count / pop, 1).tolist())
        wanted = [i for i, (key, _) in enumerate(areas) if key[1] in count_levels]
        if wanted:
            add(COUNT, "antal", month, [areas[i] for i in wanted], count[wanted].astype(float).tolist())
            population_areas.setdefault(year, {}).update(areas[i] for i in wanted)
    for year, chosen in population_areas.items():
        areas = sorted(chosen.items(), key=lambda a: (a[0][1], a[0][0]))
        pop = summed(areas, data.population[:, :, :, year_index[year]])
        add(POPULATION, "antal", str(year), areas, pop.astype(float).tolist())
    return rows


def _validate(bundle: Bundle, rows: list[dict]) -> None:
    """The checks `load.observation()` makes, once per distinct value instead of once per row."""
    for column, allowed in (("gender", GENDERS), ("kind", KINDS), ("source", set(bundle.sources))):
        bad = {r[column] for r in rows} - set(allowed)
        if bad:
            raise _fail(f"okända värden i kolumnen {column}: {sorted(bad)}")
    unknown = {r["area"] for r in rows} - set(bundle.areas)
    if unknown:
        raise _fail(f"områden som inte finns i data/areas/: {sorted(unknown)}")
    for measure, unit in {(r["measure"], r["unit"]) for r in rows}:
        if measure not in bundle.measures or bundle.measures[measure]["unit"] != unit:
            raise _fail(f"måttet {measure} saknas eller har inte enheten {unit}")
    keys = {(r["measure"], r["period"], r["area"], r["gender"], r["population_group"], r["kind"]) for r in rows}
    if len(keys) != len(rows):
        raise _fail("samma mått, period, område, kön, grupp och slag förekommer två gånger")
    values = np.array([r["value"] for r in rows])
    if not np.isfinite(values).all() or (values < 0).any():
        raise _fail("ett värde är negativt eller inte ett tal")


def add_to_bundle(bundle: Bundle, *, count_levels: tuple[str, ...] = COUNT_LEVELS) -> None:
    """Add the demo data set, its source, its measures and its rows to the bundle.

    The rate comes for every area; the antal and befolkning rows only for the levels in `count_levels`
    (add "stadsdel" for the stadsdel counts too: about 150 000 more rows; () for none).
    """
    if DATASET in bundle.datasets:
        raise _fail(f"data setet '{DATASET}' finns redan")
    clash = sorted(set(MEASURES) & set(bundle.measures))
    if clash:
        raise _fail(f"måtten finns redan: {', '.join(clash)}")
    source = bundle.sources.setdefault(SOURCE, {
        "source": SOURCE, "kind": "demo", "title": "Demodata genererad av verktyget", "publisher": None,
        "year": None, "path": None, "url": None, "note": "Påhittade siffror för att pröva vyerna; inte verkliga.",
    })
    if source["kind"] != "demo":
        raise _fail(f"källan '{SOURCE}' finns redan och är inte av slaget demo")
    for measure, (name, unit, base, definition) in MEASURES.items():
        if count_levels or measure == RATE:
            bundle.measures[measure] = {
                "measure": measure, "name": name, "definition": definition, "unit": unit,
                "topic": "arbetslöshet", "higher_is_better": False, "population_base": base,
                "source": SOURCE, "source_location": LOCATION,
            }
    rows = _rows(generate(bundle), tuple(count_levels))
    _validate(bundle, rows)
    bundle.datasets[DATASET] = {"dataset": DATASET, "title": TITLE, "is_demo": True, "origin": MODULE,
                                "description": DESCRIPTION, "line": None, "used": True}
    bundle.observations.extend(rows)
    bundle.files.append(Path(__file__))
