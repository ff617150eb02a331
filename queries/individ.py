"""Counts from the individual-level tables: KAA funnel, Jobbtorg enrolments and exits, Stockholmsjobb.

Every function returns RAW counts per data set, year, kön and area (suppression is the caller's job:
the `suppressed_*` functions apply `dashboard.core.suppression`). Area levels:

* `stad` – the whole city ("Stockholms stad");
* `stadsdel` – the person's stadsdel of residence;
* `stadsdelsomrade` / `fokusomrade` – what the stadsdel belonged to on the date of the counted event
  (KAA: first day in the register that year; Jobbtorg and Stockholmsjobb: the spell's first day in the
  year, i.e. its start or 1 January), through area_memberships. People outside every fokusområde are not
  in the fokusområde rows.

A spell (Jobbtorg enrolment, Stockholmsjobb employment) counts in every year it is active in:
start ≤ 31 December and (no end or end ≥ 1 January).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd
from sqlalchemy import Date, Engine, Integer, and_, case, distinct, func, literal, or_, select, union_all
from sqlalchemy.orm import aliased

from dashboard.core import suppression
from dashboard.db import individ_schema
from dashboard.db import keys as secret_keys
from dashboard.db.individ_schema import jobbtorg, kaa, personer, skyddat, stockholmsjobb
from dashboard.db.schema import area_memberships, areas, datasets
from queries.db import engine as default_engine
from queries.demo import shown_only

CITY = "Stockholms stad"
MALGRUPPER = individ_schema.MALGRUPPER  # Jobbtorg's målgrupper, in the order the pages list them
LEVELS = ("stad", "stadsdelsomrade", "stadsdel", "fokusomrade")
PARTITIONS = ("stadsdelsomrade", "stadsdel")  # levels whose areas add up to the city
# KAA and Stockholmsjobb are not published per stadsdel: there, 96 % of the cells would be hidden, and
# protecting them together with the other levels hid 95 % of the fokusområde cells too (2022, demo data:
# fokusområde 91 of 96 hidden with stadsdelar, 14 of 96 without; the city 14 of 24 → 0).
COARSE_LEVELS = ("stad", "stadsdelsomrade", "fokusomrade")
KAA_COUNTS = ["omfattade", "uppsokta", "nadda", "inskrivna", "avslutade", "arbete", "studier", "annat"]
JOBBTORG_COUNTS = ["inskrivna", "startade", "avslutade", "arbete", "studier", "annat"]
STHLMSJOBB_COUNTS = ["aspiranter", "startade", "finansierade_namnden", "avslutade", "uppfoljda", "arbete",
                     "studier", "annat"]

# (larger, smaller): steps that can only shrink, in every row; the protection reasons with them too
KAA_ORDER = [("omfattade", "uppsokta"), ("uppsokta", "nadda"), ("nadda", "inskrivna"), ("inskrivna", "avslutade")]
JOBBTORG_ORDER = [("inskrivna", "startade"), ("inskrivna", "avslutade")]
STHLMSJOBB_ORDER = [("aspiranter", "startade"), ("aspiranter", "finansierade_namnden"), ("aspiranter", "avslutade"),
                    ("avslutade", "uppfoljda")]


def _flag(condition) -> object:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _years(years: Sequence[int]):
    """The years as a derived table (year, first_day, last_day); bound parameters only."""
    parts = [select(literal(y, Integer).label("year"), literal(date(y, 1, 1), Date).label("first_day"),
                    literal(date(y, 12, 31), Date).label("last_day")) for y in years]
    return union_all(*parts).subquery("years") if len(parts) > 1 else parts[0].subquery("years")


def _area(query, level: str, day):
    """Join the area of `level` at `day` onto a query over `personer`; returns (query, area column)."""
    if level not in LEVELS:
        raise ValueError(f"okänd områdesnivå: {level}")
    if level == "stad":
        return query, None
    if level == "stadsdel":
        home = aliased(areas, name="home")
        return query.join(home, home.c.area_id == personer.c.home_area_id), home.c.name
    member, parent = aliased(area_memberships, name="m"), aliased(areas, name="parent")
    valid = and_(
        member.c.member_id == personer.c.home_area_id,
        or_(member.c.valid_from.is_(None), member.c.valid_from <= day),
        or_(member.c.valid_to.is_(None), member.c.valid_to >= day),
    )
    query = query.join(member, valid).join(parent, and_(parent.c.area_id == member.c.parent_id,
                                                        parent.c.level == level))
    return query, parent.c.name


def _finish(query, area, dims: list, counts: list, genders, dataset, engine) -> pd.DataFrame:
    """Group by data set, dims, kön and area; filter; read; add the area column for the city level."""
    keys = [datasets.c.dataset, datasets.c.is_demo, *dims, personer.c.gender]
    if area is not None:
        keys.append(area.label("area"))
    query = shown_only(query.add_columns(*keys, *counts).group_by(*keys))
    if genders is not None:
        query = query.where(personer.c.gender.in_(list(genders)))
    if dataset is not None:
        query = query.where(datasets.c.dataset == dataset)
    with (engine or default_engine()).connect() as conn:
        frame = pd.read_sql(query, conn)
    if area is None:
        frame["area"] = CITY
    frame["is_demo"] = frame["is_demo"].astype(bool)
    names = [c.name for c in counts]
    frame[names] = frame[names].astype("int64")
    order = ["dataset", "is_demo", *[d.name for d in dims], "area", "gender"]
    return frame[[*order, *names]].sort_values(order, ignore_index=True)


def individ_years(engine: Engine | None = None, *, dataset: str | None = None) -> list[int]:
    """The KAA register years present in the data sets that may be shown (the demo's years), ascending."""
    query = shown_only(select(kaa.c.year).join(datasets, datasets.c.dataset == kaa.c.dataset).distinct()
                       .order_by(kaa.c.year))
    if dataset is not None:
        query = query.where(kaa.c.dataset == dataset)
    with (engine or default_engine()).connect() as conn:
        return [int(y) for y in conn.execute(query).scalars()]


def kaa_funnel(level: str = "stad", *, years: Sequence[int] | None = None, genders: Sequence[str] | None = None,
               dataset: str | None = None, engine: Engine | None = None) -> pd.DataFrame:
    """KAA per year: omfattade → uppsökta → nådda → inskrivna (tagit del av stöd) → avslutade →
    arbete / studier / annat, per data set, kön and area."""
    query = select().select_from(kaa.join(personer, personer.c.person_id == kaa.c.person_id)
                                 .join(datasets, datasets.c.dataset == kaa.c.dataset))
    query, area = _area(query, level, kaa.c.registered_from)
    if years is not None:
        query = query.where(kaa.c.year.in_([int(y) for y in years]))
    counts = [
        func.count().label("omfattade"), _flag(kaa.c.uppsokt).label("uppsokta"), _flag(kaa.c.nadd).label("nadda"),
        _flag(kaa.c.inskriven).label("inskrivna"), _flag(kaa.c.avslutad).label("avslutade"),
        _flag(kaa.c.utfall == "arbete").label("arbete"), _flag(kaa.c.utfall == "studier").label("studier"),
        _flag(kaa.c.utfall == "annat").label("annat"),
    ]
    return _finish(query, area, [kaa.c.year], counts, genders, dataset, engine)


def _spell_years(spell, years: Sequence[int] | None, engine: Engine | None):
    years = list(years) if years is not None else individ_years(engine)
    if not years:
        years = [date.today().year]
    y = _years([int(v) for v in years])
    active = and_(spell.c.start_date <= y.c.last_day,
                  or_(spell.c.end_date.is_(None), spell.c.end_date >= y.c.first_day))
    day = case((spell.c.start_date >= y.c.first_day, spell.c.start_date), else_=y.c.first_day)
    ended = and_(spell.c.end_date.is_not(None), spell.c.end_date >= y.c.first_day,
                 spell.c.end_date <= y.c.last_day)
    started = spell.c.start_date >= y.c.first_day
    base = (select().select_from(spell.join(personer, personer.c.person_id == spell.c.person_id)
                                 .join(datasets, datasets.c.dataset == spell.c.dataset).join(y, active)))
    return base, y, day, started, ended


def jobbtorg_flows(level: str = "stad", *, years: Sequence[int] | None = None,
                   genders: Sequence[str] | None = None, dataset: str | None = None,
                   engine: Engine | None = None) -> pd.DataFrame:
    """Jobbtorg per year and målgrupp: inskrivna (people enrolled at some time in the year), startade,
    avslutade (ended in the year with an avslut) and their exits arbete / studier / annat."""
    query, y, day, started, ended = _spell_years(jobbtorg, years, engine)
    query, area = _area(query, level, day)
    done = and_(ended, jobbtorg.c.exit.is_not(None))
    counts = [
        func.count(distinct(jobbtorg.c.person_id)).label("inskrivna"), _flag(started).label("startade"),
        _flag(done).label("avslutade"), _flag(and_(done, jobbtorg.c.exit == "arbete")).label("arbete"),
        _flag(and_(done, jobbtorg.c.exit == "studier")).label("studier"),
        _flag(and_(done, jobbtorg.c.exit == "annat")).label("annat"),
    ]
    return _finish(query, area, [y.c.year, jobbtorg.c.malgrupp], counts, genders, dataset, engine)


def jobbtorg_individuals(level: str = "stad", *, years: Sequence[int] | None = None,
                         genders: Sequence[str] | None = None, dataset: str | None = None,
                         engine: Engine | None = None) -> pd.DataFrame:
    """Unique people enrolled at Jobbtorg at some time in the year (any målgrupp)."""
    query, y, day, _, _ = _spell_years(jobbtorg, years, engine)
    query, area = _area(query, level, day)
    counts = [func.count(distinct(jobbtorg.c.person_id)).label("unika")]
    return _finish(query, area, [y.c.year], counts, genders, dataset, engine)


def stockholmsjobb_outcomes(level: str = "stad", *, years: Sequence[int] | None = None,
                            genders: Sequence[str] | None = None, dataset: str | None = None,
                            engine: Engine | None = None) -> pd.DataFrame:
    """Stockholmsjobb per year: aspiranter (employed at some time in the year), startade, financed by the
    nämnd, avslutade in the year, of them followed up 3 months later (uppföljda) and the outcome."""
    query, y, day, started, ended = _spell_years(stockholmsjobb, years, engine)
    query, area = _area(query, level, day)
    followed = and_(ended, stockholmsjobb.c.outcome_3m.is_not(None))
    counts = [
        func.count(distinct(stockholmsjobb.c.person_id)).label("aspiranter"), _flag(started).label("startade"),
        _flag(stockholmsjobb.c.financing == "arbetsmarknadsnämnden").label("finansierade_namnden"),
        _flag(ended).label("avslutade"), _flag(followed).label("uppfoljda"),
        _flag(and_(followed, stockholmsjobb.c.outcome_3m == "arbete")).label("arbete"),
        _flag(and_(followed, stockholmsjobb.c.outcome_3m == "studier")).label("studier"),
        _flag(and_(followed, stockholmsjobb.c.outcome_3m == "annat")).label("annat"),
    ]
    return _finish(query, area, [y.c.year], counts, genders, dataset, engine)


# ------------------------------------------------------------------------------------- suppressed


def with_totals(frame: pd.DataFrame, counts: Sequence[str], column: str, total: str) -> pd.DataFrame:
    """`frame` plus rows with `column` = `total` holding the sums over `column`."""
    keys = [c for c in frame.columns if c not in counts and c != column]
    sums = frame.groupby(keys, dropna=False, sort=False)[list(counts)].sum().reset_index()
    sums[column] = total
    return pd.concat([frame, sums[frame.columns]], ignore_index=True)


def _marks_key(engine: Engine | None) -> str | None:
    """The data's key of the marks (dashboard/db/keys.py), None before build-db or an import has made one."""
    with (engine or default_engine()).connect() as conn:
        return secret_keys.stored(conn, *secret_keys.MARKS)


def _suppressed(query, level: str, counts: list[str], genders, *, groups: str | None = None,
                column_sums: Sequence[suppression.ColumnSum] = (), orders: Sequence[tuple[str, str]] = (),
                **kwargs) -> suppression.Suppressed:
    """Suppress over the whole table (both kön, totals, the city where the areas add up to it), then filter
    kön: a filtered view must not be suppressed on its own or the other kön would give it away."""
    frame = query(level, **kwargs)
    margins = [suppression.Margin("gender", "totalt", ("kvinnor", "män"))]
    if level in PARTITIONS:
        frame = pd.concat([frame, query("stad", **kwargs)], ignore_index=True)
        margins.append(suppression.Margin("area", CITY))
    if groups is not None:
        frame = with_totals(frame, counts, groups, "alla")
        margins.append(suppression.Margin(groups, "alla"))
    frame = with_totals(frame, counts, "gender", "totalt")
    keys = [c for c in frame.columns if c not in counts]
    frame = frame.sort_values(keys, ignore_index=True)
    result = suppression.suppress(frame, counts, margins=margins, column_sums=column_sums, keys=keys,
                                  orders=orders, mark_key=_marks_key(kwargs.get("engine")))
    if genders is not None:
        keep = result.frame["gender"].isin(list(genders)).to_numpy()
        result = suppression.Suppressed(result.frame[keep].reset_index(drop=True),
                                        result.mask[keep].reset_index(drop=True),
                                        result.primary[keep].reset_index(drop=True))
    return result


def suppressed_kaa_funnel(level: str = "stad", *, years: Sequence[int] | None = None,
                          genders: Sequence[str] | None = None, dataset: str | None = None,
                          engine: Engine | None = None) -> suppression.Suppressed:
    """`kaa_funnel` with kön totals (and the city for stadsdel/stadsdelsområde), small numbers protected."""
    return _suppressed(kaa_funnel, level, KAA_COUNTS, genders, orders=KAA_ORDER,
                       column_sums=[suppression.ColumnSum("avslutade", ("arbete", "studier", "annat"))],
                       years=years, dataset=dataset, engine=engine)


def suppressed_stockholmsjobb_outcomes(level: str = "stad", *, years: Sequence[int] | None = None,
                                       genders: Sequence[str] | None = None, dataset: str | None = None,
                                       engine: Engine | None = None) -> suppression.Suppressed:
    """`stockholmsjobb_outcomes` with kön totals (and the city where areas add up), protected."""
    return _suppressed(stockholmsjobb_outcomes, level, STHLMSJOBB_COUNTS, genders, orders=STHLMSJOBB_ORDER,
                       column_sums=[suppression.ColumnSum("uppfoljda", ("arbete", "studier", "annat"))],
                       years=years, dataset=dataset, engine=engine)


# ------------------------------------------------------------------- suppressed, all levels together


def _members(year: int, parent_level: str, engine: Engine | None) -> dict[str, set[str]]:
    """parent name → the stadsdelar that belonged to it at some time in `year`."""
    member, parent = aliased(areas, name="member"), aliased(areas, name="parent")
    first, last = date(year, 1, 1), date(year, 12, 31)
    query = (select(parent.c.name.label("parent"), member.c.name.label("member"))
             .select_from(area_memberships)
             .join(member, member.c.area_id == area_memberships.c.member_id)
             .join(parent, parent.c.area_id == area_memberships.c.parent_id)
             .where(member.c.level == "stadsdel", parent.c.level == parent_level,
                    or_(area_memberships.c.valid_from.is_(None), area_memberships.c.valid_from <= last),
                    or_(area_memberships.c.valid_to.is_(None), area_memberships.c.valid_to >= first)))
    with (engine or default_engine()).connect() as conn:
        rows = conn.execute(query).all()
    out: dict[str, set[str]] = {}
    for name, stadsdel in rows:
        out.setdefault(name, set()).add(stadsdel)
    return out


AREA_SEP = "|"  # level|name: the same name can be a stadsdel, a stadsdelsområde and a fokusområde


def _area_margins(frame: pd.DataFrame, members: dict[str, dict[str, set[str]]]) -> list[suppression.Margin]:
    """Sums between the levels: the city = Σ stadsdelar (= Σ stadsdelsområden), and each stadsdelsområde or
    fokusområde = Σ its stadsdelar; each used for the cells where it holds exactly (not where a person was
    counted in two stadsdelsområden in a year when the division changed). Jobbtorg's stadsdel rows carry
    målgrupp "alla" alone, so its other målgrupper have no parts and no sum."""
    present = set(frame["area"])
    stadsdelar = tuple(sorted(a for a in present if a.startswith("stadsdel" + AREA_SEP)))
    sdos = tuple(sorted(a for a in present if a.startswith("stadsdelsomrade" + AREA_SEP)))
    city = "stad" + AREA_SEP + CITY
    candidates = [(city, stadsdelar), (city, sdos)]
    for level, parents in members.items():
        for name, parts in parents.items():
            found = tuple(sorted(p for p in (f"stadsdel{AREA_SEP}{s}" for s in parts) if p in present))
            candidates.append((level + AREA_SEP + name, found))
    return [suppression.Margin("area", total, parts, where_it_holds=True)
            for total, parts in candidates if parts and total in present]


def _suppressed_levels(query, counts: list[str], *, year: int, dataset: str | None, engine: Engine | None,
                       column_sums: Sequence[suppression.ColumnSum] = (), groups: str | None = None,
                       stadsdel_all_groups: bool = True, orders: Sequence[tuple[str, str]] = (),
                       levels: Sequence[str] = LEVELS, mark_key: str | None = None) -> suppression.Suppressed:
    """One suppression over the city, every stadsdelsområde, stadsdel and fokusområde of `year` (both kön,
    totals), so that no level can be subtracted from another (a few seconds per year and program).
    `stadsdel_all_groups=False` keeps only the group total ("alla") per stadsdel: the stadsdel × målgrupp
    table is too slow to protect."""
    parts = []
    for level in levels:
        frame = query(level, years=[year], dataset=dataset, engine=engine)
        if groups is not None:
            frame = with_totals(frame, counts, groups, "alla")
            if level == "stadsdel" and not stadsdel_all_groups:
                frame = frame[frame[groups] == "alla"]
        frame = frame.assign(area=level + AREA_SEP + frame["area"].astype(str))
        parts.append(frame)
    frame = with_totals(pd.concat(parts, ignore_index=True), counts, "gender", "totalt")
    keys = [c for c in frame.columns if c not in counts]
    frame = frame.sort_values(keys, ignore_index=True)
    members = {lv: _members(year, lv, engine) for lv in ("stadsdelsomrade", "fokusomrade")}
    margins = [suppression.Margin("gender", "totalt", ("kvinnor", "män")), *_area_margins(frame, members)]
    if groups is not None:
        margins.append(suppression.Margin(groups, "alla"))
    result = suppression.suppress(frame, counts, margins=margins, column_sums=column_sums, keys=keys,
                                  orders=orders, mark_key=mark_key or _marks_key(engine))
    out = result.frame
    split = out["area"].str.split(AREA_SEP, n=1, expand=True)
    out = out.drop(columns="area")
    out.insert(out.columns.get_loc("gender"), "level", split[0])
    out.insert(out.columns.get_loc("gender"), "area", split[1])
    return suppression.Suppressed(out, result.mask, result.primary, constraints=result.constraints)


def suppressed_jobbtorg_flows_levels(year: int, *, dataset: str | None = None, engine: Engine | None = None,
                                     mark_key: str | None = None) -> suppression.Suppressed:
    """`jobbtorg_flows` for one year at every level, protected as one table; per stadsdel only målgrupp
    "alla" (the stadsdel × målgrupp table takes about a minute to protect)."""
    return _suppressed_levels(jobbtorg_flows, JOBBTORG_COUNTS, year=year, dataset=dataset, engine=engine,
                              orders=JOBBTORG_ORDER, mark_key=mark_key,
                              column_sums=[suppression.ColumnSum("avslutade", ("arbete", "studier", "annat"))],
                              groups="malgrupp", stadsdel_all_groups=False)



def suppressed_kaa_funnel_levels(year: int, *, dataset: str | None = None,
                                 engine: Engine | None = None, mark_key: str | None = None) -> suppression.Suppressed:
    """`kaa_funnel` for one year at the city, stadsdelsområde and fokusområde levels (column `level`; not per
    stadsdel, see COARSE_LEVELS), protected as one table, so that no level can be subtracted from another."""
    return _suppressed_levels(kaa_funnel, KAA_COUNTS, year=year, dataset=dataset, engine=engine, orders=KAA_ORDER,
                              levels=COARSE_LEVELS, mark_key=mark_key,
                              column_sums=[suppression.ColumnSum("avslutade", ("arbete", "studier", "annat"))])


def suppressed_stockholmsjobb_outcomes_levels(year: int, *, dataset: str | None = None,
                                              engine: Engine | None = None,
                                              mark_key: str | None = None) -> suppression.Suppressed:
    """`stockholmsjobb_outcomes` for one year at the COARSE_LEVELS (column `level`), protected as one table."""
    return _suppressed_levels(stockholmsjobb_outcomes, STHLMSJOBB_COUNTS, year=year, dataset=dataset,
                              engine=engine, orders=STHLMSJOBB_ORDER, levels=COARSE_LEVELS, mark_key=mark_key,
                              column_sums=[suppression.ColumnSum("uppfoljda", ("arbete", "studier", "annat"))])


# ------------------------------------------------------------------- stored, as computed by build-db

REGISTER_COUNTS = {"kaa": KAA_COUNTS, "jobbtorg": JOBBTORG_COUNTS, "stockholmsjobb": STHLMSJOBB_COUNTS}


def protected_levels(register: str, year: int, *, dataset: str | None = None,
                     engine: Engine | None = None) -> pd.DataFrame:
    """The protected table of one register and year at every level, as `build-db` stored it
    (dashboard/db/protected.py), in the shape of `suppressed_*_levels(...).frame`."""
    counts = REGISTER_COUNTS[register]
    query = shown_only(
        select(skyddat.c.dataset, datasets.c.is_demo, skyddat.c.year, skyddat.c.malgrupp, skyddat.c.level,
               skyddat.c.area, skyddat.c.gender, skyddat.c["count"], skyddat.c.value, skyddat.c.display)
        .join(datasets, datasets.c.dataset == skyddat.c.dataset)
        .where(skyddat.c.register == register, skyddat.c.year == year))
    if dataset is not None:
        query = query.where(skyddat.c.dataset == dataset)
    with (engine or default_engine()).connect() as conn:
        long = pd.read_sql(query, conn)
    keys = ["dataset", "is_demo", "year", "malgrupp", "level", "area", "gender"]
    if register != "jobbtorg":
        keys.remove("malgrupp")
    values = long.pivot(index=keys, columns="count", values="value")
    shown = long.pivot(index=keys, columns="count", values="display")
    out = pd.concat([values.reindex(columns=counts).astype("Int64"),
                     shown.reindex(columns=counts).add_suffix(suppression.DISPLAY_SUFFIX)], axis=1)
    out.columns.name = None
    return out.reset_index().sort_values(keys, ignore_index=True)


def protected_datasets(engine: Engine | None = None) -> pd.DataFrame:
    """The individual-level data sets with stored protected tables that may be shown (dataset, title,
    is_demo): the city's own (imported) first, the demo last."""
    query = shown_only(select(datasets.c.dataset, datasets.c.title, datasets.c.is_demo)
                       .where(datasets.c.dataset.in_(select(skyddat.c.dataset).distinct()))
                       .order_by(datasets.c.is_demo, datasets.c.dataset))
    with (engine or default_engine()).connect() as conn:
        frame = pd.read_sql(query, conn)
    frame["is_demo"] = frame["is_demo"].astype(bool)
    return frame


def protected_years(dataset: str, engine: Engine | None = None) -> list[int]:
    """The years with a stored protected table of any register in `dataset`, ascending."""
    query = shown_only(select(skyddat.c.year).join(datasets, datasets.c.dataset == skyddat.c.dataset)
                       .where(skyddat.c.dataset == dataset).distinct().order_by(skyddat.c.year))
    with (engine or default_engine()).connect() as conn:
        return [int(y) for y in conn.execute(query).scalars()]
