"""Deterministic demo data for the individual-level tables (data set `demo_individ`).

Made-up people whose city totals reproduce the published figures exactly where the nämnd has published a
count (Stockholms stad, a whole year, kind utfall, unit antal):

* KAA per year and kön: omfattade, uppsökta (= nådda + ej nådda where only those are published), nådda,
  ej nådda, tagit del av stöd (= Jobbtorg's målgrupp "KAA 16-19 år" per kön), avslutade; and the
  avslutade's arbete/studier from the published shares of the total (rounded to whole people).
* Jobbtorg per year, målgrupp and kön: inskrivna (people enrolled at some time in the year), and unique
  individuals per kön (some people have two enrolments in a year: they move from one målgrupp to another).
* Stockholmsjobb per year: aspiranter (per kön through Jobbtorg's målgrupp "Stockholmsjobb"), started,
  financed by the nämnd, per kind (serviceassistent, arbetslag/introjobb, ungdomsanställning) and started
  per kind.

Years without published counts (2020, 2023) and counts not published (e.g. avslutade per kön) are
plausible values drawn from the neighbouring year. Published shares (3-month outcome of Stockholmsjobb,
Jobbtorg's avslut to arbete/studier, yrkeskurs) are met to the nearest whole person of this demo's own
denominator, not exactly. One seeded numpy generator: the same rows every run.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from dashboard.db import individ_schema as ischema

DATASET = "demo_individ"
SEED = 20_240_501
YEARS = (2020, 2021, 2022, 2023)
EXPORT_DATE = date(2024, 1, 31)  # the demo "export": 3-month follow-ups later than this are missing
CITY = ("Stockholms stad", "stad")
TITLE = "Demodata: individnivå för KAA, Jobbtorg och Stockholmsjobb 2020–2023"
DESCRIPTION = (
    "Påhittade, pseudonyma individer (inga namn, inga personnummer) som visar hur instrumentpanelen "
    "fungerar med stadens egna individdata. Stadens totaler per år och kön är desamma som de publicerade "
    "där nämnden publicerat ett antal; allt annat är slumpat med ett fast frö. Inte verkliga siffror."
)

# Residence weights (relative chance that a participant lives in the stadsdel); default 1.
AREA_WEIGHTS = {
    "Rinkeby": 9, "Tensta": 8, "Husby": 7, "Akalla": 5, "Kista": 3.5, "Skärholmen": 6, "Bredäng": 5,
    "Vårberg": 5, "Sätra": 3.5, "Hagsätra": 5, "Rågsved": 5, "Hässelby gård": 3, "Hässelby strand": 3,
    "Vällingby": 2.5, "Farsta": 3, "Hökarängen": 2.5, "Fagersjö": 2.5, "Farsta strand": 2, "Högdalen": 2.5,
    "Bagarmossen": 2.5, "Fruängen": 2, "Östberga": 3, "Västertorp": 1.5, "Södermalm": 3, "Vasastaden": 1.5,
    "Kungsholmen": 1.5, "Östermalm": 1.2, "Årsta": 1.5, "Johanneshov": 1.5, "Skarpnäcks gård": 1.5,
    "Hansta": 0.02, "Djurgården": 0.05, "Skeppsholmen": 0.02, "Riddarholmen": 0.02, "Norra Djurgården": 0.05,
    "Ulvsunda industriområde": 0.03, "Långholmen": 0.05, "Flaten": 0.05, "Skrubba": 0.1, "Ladugårdsgärdet": 0.3,
    "Västberga": 0.3, "Reimersholme": 0.3, "Orhem": 0.3, "Åkeslund": 0.3, "Riksby": 0.4, "Lilla Essingen": 0.4,
}

_YEAR = re.compile(r"\d{4}")


def _day(rng: np.random.Generator, lo: date, hi: date) -> date:
    """A uniformly drawn day in [lo, hi] (lo if the span is empty)."""
    span = (hi - lo).days
    return lo if span <= 0 else lo + timedelta(days=int(rng.integers(0, span + 1)))


def _split(total: int, weights: list[float]) -> list[int]:
    """`total` shared in proportion to `weights`, whole numbers by largest remainder (sums to total)."""
    w = np.asarray(weights, dtype=float)
    raw = total * w / w.sum() if w.sum() > 0 else np.full(len(w), total / len(w))
    base = np.floor(raw).astype(int)
    for i in np.argsort(-(raw - base), kind="stable")[: total - base.sum()]:
        base[i] += 1
    return [int(v) for v in base]


def _by_gender(total: int, weights: dict[str, float]) -> dict[str, int]:
    k, m = _split(total, [weights["kvinnor"], weights["män"]])
    return {"kvinnor": k, "män": m}


class _Published:
    """The published annual city counts in the bundle: (measure, year, gender, group) → whole number."""

    def __init__(self, bundle) -> None:
        self.values: dict[tuple[str, int, str, str], int] = {}
        for o in bundle.observations:
            if (o["area"] == CITY and o["kind"] == "utfall" and o["unit"] == "antal" and _YEAR.fullmatch(o["period"])
                    and o["dataset"] != DATASET):
                self.values[(o["measure"], int(o["period"]), o["gender"], o["population_group"])] = int(o["value"])
        self.shares: dict[tuple[str, int], float] = {}
        for o in bundle.observations:
            if o["area"] == CITY and o["kind"] == "utfall" and o["unit"] == "procent" and o["gender"] == "totalt":
                self.shares.setdefault((o["measure"], o["period"]), o["value"] / 100)

    def get(self, measure: str, year: int, gender: str, group: str = "alla") -> int | None:
        return self.values.get((measure, year, gender, group))

    def pair(self, measure: str, year: int, group: str = "alla") -> dict[str, int] | None:
        """kvinnor and män if both are published (checked against totalt where that is too)."""
        k, m = self.get(measure, year, "kvinnor", group), self.get(measure, year, "män", group)
        if k is None or m is None:
            return None
        total = self.get(measure, year, "totalt", group)
        if total is not None and total != k + m:
            raise ValueError(f"{measure} {year} {group}: kvinnor + män ≠ totalt i publicerade data")
        return {"kvinnor": k, "män": m}

    def share(self, measure: str, period: str, default: float) -> float:
        return self.shares.get((measure, period), default)


# --------------------------------------------------------------------------------------------- targets


@dataclass
class _Targets:
    kaa: dict[int, dict[str, dict[str, int]]] = field(default_factory=dict)  # year → kön → step → n
    jt: dict[int, dict[str, dict[str, int]]] = field(default_factory=dict)  # year → kön → målgrupp → n
    jt_unique: dict[int, dict[str, int]] = field(default_factory=dict)
    sj_active: dict[int, dict[str, int]] = field(default_factory=dict)  # year → kön → aspiranter
    sj_started: dict[int, int | None] = field(default_factory=dict)
    sj_kind_active: dict[int, dict[str, int]] = field(default_factory=dict)
    sj_kind_started: dict[int, dict[str, int]] = field(default_factory=dict)
    sj_financed: dict[int, int | None] = field(default_factory=dict)


def _scaled(rng: np.random.Generator, values: dict[str, int], lo: float = 0.92, hi: float = 1.06) -> dict[str, int]:
    factor = rng.uniform(lo, hi)
    return {k: int(round(v * factor * rng.uniform(0.98, 1.02))) for k, v in values.items()}


def _kaa_targets(pub: _Published, rng: np.random.Generator) -> dict[int, dict[str, dict[str, int]]]:
    out: dict[int, dict[str, dict[str, int]]] = {}
    for year in YEARS:
        steps = {
            "omfattade": pub.pair("kaa_omfattade", year),
            "nadda": pub.pair("kaa_nadda", year),
            "ej_nadda": pub.pair("kaa_ej_nadda", year),
            "uppsokta": pub.pair("kaa_uppsokta", year),
            "inskrivna": pub.pair("jobbtorg_inskrivna", year, "KAA 16-19 år"),
        }
        if steps["nadda"] and steps["ej_nadda"]:
            summed = {g: steps["nadda"][g] + steps["ej_nadda"][g] for g in ischema.GENDERS}
            if steps["uppsokta"] not in (None, summed):
                raise ValueError(f"KAA {year}: uppsökta ≠ nådda + ej nådda")
            steps["uppsokta"] = summed
        for measure, step in (("kaa_uppsokta", "uppsokta"), ("kaa_tagit_del_av_stod", "inskrivna")):
            total = pub.get(measure, year, "totalt")
            if steps[step] and total is not None and total != sum(steps[step].values()):
                raise ValueError(f"KAA {year}: {measure} totalt stämmer inte med kön")
        out[year] = {g: {s: v[g] for s, v in steps.items() if v} for g in ischema.GENDERS}
    # Years without figures: the neighbouring year, scaled.
    for year, base in ((2020, 2021), (2023, 2022)):
        for g in ischema.GENDERS:
            if not out[year][g]:
                out[year][g] = _scaled(rng, {s: out[base][g][s] for s in
                                             ("omfattade", "uppsokta", "nadda", "inskrivna")})
    for year in YEARS:
        avsl_total = pub.get("kaa_avslutade", year, "totalt")
        ins = {g: out[year][g]["inskrivna"] for g in ischema.GENDERS}
        if avsl_total is None:
            avsl_total = int(round(sum(ins.values()) * rng.uniform(0.6, 0.7)))
        avsl = _by_gender(avsl_total, ins)
        work_share = pub.share("kaa_andel_avslutade_arbete", str(year), rng.uniform(0.18, 0.24))
        study_share = pub.share("kaa_andel_avslutade_studier", str(year), rng.uniform(0.44, 0.52))
        work = _by_gender(int(round(work_share * avsl_total)), avsl)
        study = _by_gender(int(round(study_share * avsl_total)), avsl)
        for g in ischema.GENDERS:
            t = out[year][g]
            t.pop("ej_nadda", None)
            t.update(avslutade=avsl[g], arbete=work[g], studier=study[g])
            chain = [t["omfattade"], t["uppsokta"], t["nadda"], t["inskrivna"], t["avslutade"]]
            decreasing = all(b <= a for a, b in zip(chain, chain[1:], strict=False))
            if not decreasing or t["arbete"] + t["studier"] > t["avslutade"]:
                raise ValueError(f"KAA {year} {g}: trattens steg minskar inte: {t}")
    return out


def _targets(pub: _Published, rng: np.random.Generator) -> _Targets:
    t = _Targets(kaa=_kaa_targets(pub, rng))
    own = [m for m in ischema.MALGRUPPER if m != "KAA 16-19 år"]
    for year in YEARS:
        t.jt[year] = {g: {} for g in ischema.GENDERS}
        for m in own:
            pair = pub.pair("jobbtorg_inskrivna", year, m)
            if pair:
                for g in ischema.GENDERS:
                    t.jt[year][g][m] = pair[g]
        uniq = pub.pair("jobbtorg_unika_individer", year)
        if uniq:
            t.jt_unique[year] = uniq
    for year, base in ((2020, 2021), (2023, 2022)):
        for g in ischema.GENDERS:
            if not t.jt[year][g]:
                t.jt[year][g] = _scaled(rng, t.jt[base][g])
        if year not in t.jt_unique:
            dup = {g: 1 - t.jt_unique[base][g] / (sum(t.jt[base][g].values()) + t.kaa[base][g]["inskrivna"])
                   for g in ischema.GENDERS}
            t.jt_unique[year] = {g: int(round((sum(t.jt[year][g].values()) + t.kaa[year][g]["inskrivna"])
                                              * (1 - dup[g] * rng.uniform(0.95, 1.05)))) for g in ischema.GENDERS}
    kinds = {"serviceassistent": "sthlmsjobb_serviceassistenter", "arbetslag/introjobb":
             "sthlmsjobb_arbetslag_introjobb", "ungdomsanställning": "sthlmsjobb_ungdomsanstallning"}
    for year in YEARS:
        for g in ischema.GENDERS:
            t.jt[year][g]["KAA 16-19 år"] = t.kaa[year][g]["inskrivna"]
        active = {g: t.jt[year][g]["Stockholmsjobb"] for g in ischema.GENDERS}
        total = pub.get("sthlmsjobb_aspiranter", year, "totalt")
        if total is not None and total != sum(active.values()):
            raise ValueError(f"Stockholmsjobb {year}: aspiranter ≠ Jobbtorgs målgrupp Stockholmsjobb")
        t.sj_active[year] = active
        t.sj_started[year] = pub.get("sthlmsjobb_startade", year, "totalt")
        t.sj_financed[year] = pub.get("sthlmsjobb_finansierade_namnden", year, "totalt")
        t.sj_kind_active[year] = {k: v for k, m in kinds.items() if (v := pub.get(m, year, "totalt")) is not None}
        t.sj_kind_started[year] = {k: v for k, m in kinds.items()
                                   if (v := pub.get(f"{m}_paborjade", year, "totalt")) is not None}
    return t


# --------------------------------------------------------------------------------------------- model


@dataclass
class _Person:
    pid: str
    gender: str
    age_band: str
    home: str  # stadsdel name


@dataclass(eq=False)
class _Enrolment:
    eid: str
    malgrupp: str
    gender: str
    start: date | None = None
    end: date | None = None
    person: _Person | None = None
    exit: str | None = None
    kaa_id: str | None = None
    job: _Job | None = None
    first_of: _Enrolment | None = None  # for a second enrolment in a year: the one it follows
    paired_year: int | None = None  # the year in which it is such a second enrolment
    is_first: bool = False  # followed by a second enrolment in the same year (ends in that year)


@dataclass(eq=False)
class _Job:
    jid: str
    kind: str
    gender: str
    enrolment: _Enrolment
    financing: str = ""
    yrkeskurs: bool = False
    outcome: str | None = None


class _Generator:
    def __init__(self, bundle, seed: int = SEED) -> None:
        self.bundle = bundle
        self.rng = np.random.default_rng(seed)
        self.pub = _Published(bundle)
        stadsdelar = sorted(name for name, level in bundle.areas if level == "stadsdel")
        unknown = set(AREA_WEIGHTS) - set(stadsdelar)
        if unknown:
            raise ValueError(f"okända stadsdelar i AREA_WEIGHTS: {sorted(unknown)}")
        self.stadsdelar = stadsdelar
        w = np.array([AREA_WEIGHTS.get(s, 1.0) for s in stadsdelar])
        self.area_p = w / w.sum()
        # how readily people in each stadsdel are reached/enrolled (varies the funnel between areas)
        self.area_reach = dict(zip(stadsdelar, self.rng.lognormal(0, 0.25, len(stadsdelar)), strict=True))
        self.sdo: dict[str, list] = defaultdict(list)
        for m in bundle.memberships:
            if m["member"][1] == "stadsdel" and m["parent"][1] == "stadsdelsomrade":
                self.sdo[m["member"][0]].append((m["valid_from"], m["valid_to"], m["parent"]))
        self.persons: list[_Person] = []
        self.counters: dict[str, int] = defaultdict(int)
        self.rows: dict[str, list[dict]] = {table.name: [] for table in ischema.TABLES}
        self._stays: dict[tuple[int, str], list[_Job]] = {}

    def next_id(self, kind: str) -> str:
        self.counters[kind] += 1
        return f"demo-{kind}-{self.counters[kind]:06d}"

    def new_person(self, gender: str, age_band: str) -> _Person:
        home = self.stadsdelar[int(self.rng.choice(len(self.stadsdelar), p=self.area_p))]
        person = _Person(self.next_id("p"), gender, age_band, home)
        self.persons.append(person)
        return person

    def sdo_at(self, stadsdel: str, day: date) -> tuple[str, str]:
        for start, end, parent in self.sdo[stadsdel]:
            if (start is None or start <= day) and (end is None or end >= day):
                return parent
        raise ValueError(f"{stadsdel} hör inte till något stadsdelsområde {day}")

    def ranked(self, items: list, homes: list[str]) -> list:
        """Items in a random order favouring stadsdelar with a high reach (Efraimidis–Spirakis keys)."""
        if not items:
            return []
        weights = np.array([self.area_reach[h] for h in homes])
        keys = np.log(self.rng.random(len(items))) / weights
        return [items[i] for i in np.argsort(-keys, kind="stable")]

    # ------------------------------------------------------------------ KAA

    def kaa(self, targets: _Targets) -> dict[int, dict[str, list[_Enrolment]]]:
        """KAA register years and outreach contacts; returns the year's KAA-målgrupp Jobbtorg enrolments."""
        previous: dict[str, list[_Person]] = {g: [] for g in ischema.GENDERS}
        enrolments: dict[int, dict[str, list[_Enrolment]]] = {}
        for year in YEARS:
            jan1, dec31 = date(year, 1, 1), date(year, 12, 31)
            enrolments[year] = {}
            for g in ischema.GENDERS:
                t = targets.kaa[year][g]
                back = min(int(round(0.35 * t["omfattade"])), len(previous[g]))
                returning = [previous[g][i] for i in sorted(self.rng.choice(len(previous[g]), back, replace=False))]
                returning_ids = {p.pid for p in returning}
                people = returning + [self.new_person(g, "16–19") for _ in range(t["omfattade"] - back)]
                homes = {p.pid: p.home for p in people}

                def top(pool: list[_Person], n: int, homes: dict[str, str] = homes) -> list[_Person]:
                    return self.ranked(pool, [homes[p.pid] for p in pool])[:n]

                sought = top(people, t["uppsokta"])
                reached = top(sought, t["nadda"])
                enrolled = top(reached, t["inskrivna"])
                ended = top(enrolled, t["avslutade"])
                outcome = {p.pid: o for p, o in zip(
                    _shuffled(self.rng, ended),
                    ["arbete"] * t["arbete"] + ["studier"] * t["studier"]
                    + ["annat"] * (t["avslutade"] - t["arbete"] - t["studier"]), strict=True)}
                sought_ids, reached_ids = {p.pid for p in sought}, {p.pid for p in reached}
                enrolled_ids, ended_ids = {p.pid for p in enrolled}, {p.pid for p in ended}
                enrolments[year][g] = []
                for person in people:
                    kid = self.next_id("kaa")
                    start = jan1 if person.pid in returning_ids or self.rng.random() < 0.4 else _day(
                        self.rng, jan1, date(year, 11, 30))
                    ins_from = avsl_on = None
                    contact_end = dec31
                    if person.pid in enrolled_ids:
                        ins_from = _day(self.rng, start + timedelta(days=7), date(year, 11, 30))
                        contact_end = ins_from
                        if person.pid in ended_ids:
                            avsl_on = _day(self.rng, ins_from + timedelta(days=14), dec31)
                    utfall = outcome.get(person.pid)
                    self.rows["individ_kaa"].append({
                        "kaa_id": kid, "dataset": DATASET, "person_id": person.pid, "year": year,
                        "registered_from": start, "registered_to": avsl_on if utfall == "studier" else None,
                        "uppsokt": person.pid in sought_ids, "nadd": person.pid in reached_ids,
                        "inskriven": person.pid in enrolled_ids, "inskriven_from": ins_from,
                        "avslutad": person.pid in ended_ids, "avslutad_on": avsl_on, "utfall": utfall,
                    })
                    if person.pid in sought_ids:
                        self.contacts(person, kid, start, contact_end, person.pid in reached_ids)
                    if person.pid in enrolled_ids:
                        # support not ended in the year: the KAA enrolment closes at the year end without an
                        # avslut (a new registration next year); in the last year it is still open.
                        end = avsl_on or (None if year == YEARS[-1] else dec31)
                        enrolments[year][g].append(_Enrolment(
                            self.next_id("jt"), "KAA 16-19 år", g, start=ins_from, end=end, person=person,
                            exit=utfall, kaa_id=kid))
                previous[g] = people
        return enrolments

    def contacts(self, person: _Person, kid: str, lo: date, hi: date, reached: bool) -> None:
        n = int(self.rng.choice([1, 2, 3, 4], p=[0.45, 0.3, 0.17, 0.08]))
        days = sorted(_day(self.rng, lo, hi) for _ in range(n))
        channels = self.rng.choice(len(ischema.CHANNELS), n, p=[0.15, 0.35, 0.2, 0.15, 0.1, 0.05])
        for i, (day, channel) in enumerate(zip(days, channels, strict=True)):
            self.rows["individ_kontakter"].append({
                "contact_id": self.next_id("k"), "dataset": DATASET, "person_id": person.pid, "kaa_id": kid,
                "contact_date": day, "channel": ischema.CHANNELS[int(channel)], "reached": reached and i == n - 1,
            })

    # ------------------------------------------------------------------ Stockholmsjobb plan

    def sj_plan(self, t: _Targets) -> dict[int, dict[str, dict[str, int]]]:
        """Per year and kind: active, started and carried over from last year (active − started)."""
        plan: dict[int, dict[str, dict[str, int]]] = {}
        shares = {"serviceassistent": 0.08, "arbetslag/introjobb": 0.18, "ungdomsanställning": 0.26}
        for i, year in enumerate(YEARS):
            total = sum(t.sj_active[year].values())
            active = dict(t.sj_kind_active[year])
            for kind, share in shares.items():
                active.setdefault(kind, int(round(total * share * self.rng.uniform(0.9, 1.1))))
            active["övrig anställning"] = total - sum(active.values())
            if active["övrig anställning"] < 0:
                raise ValueError(f"Stockholmsjobb {year}: slagen är fler än aspiranterna")
            carried = dict.fromkeys(ischema.SJ_KINDS, 0)
            if i > 0:
                before = plan[YEARS[i - 1]]
                started = t.sj_started[year]
                carry_total = total - started if started is not None else int(round(
                    min(0.42 * sum(v["active"] for v in before.values()), 0.6 * total)))
                fixed = {k: active[k] - s for k, s in t.sj_kind_started[year].items()}
                carried.update(fixed)
                free = [k for k in ischema.SJ_KINDS if k not in fixed]
                caps = [min(before[k]["active"], active[k]) for k in free]
                rest = carry_total - sum(fixed.values())
                if rest < 0 or rest > sum(caps):
                    raise ValueError(f"Stockholmsjobb {year}: kan inte fördela {rest} fortsatta anställningar")
                for k, n in zip(free, _capped_split(rest, caps), strict=True):
                    carried[k] = n
                for k, n in carried.items():
                    if n < 0 or n > before[k]["active"] or n > active[k]:
                        raise ValueError(f"Stockholmsjobb {year} {k}: fler fortsatta än möjligt")
            plan[year] = {k: {"active": active[k], "carried": carried[k], "started": active[k] - carried[k]}
                          for k in ischema.SJ_KINDS}
        return plan

    # ------------------------------------------------------------------ Jobbtorg + Stockholmsjobb

    def jobbtorg(self, t: _Targets, kaa_enrolments: dict[int, dict[str, list[_Enrolment]]]) -> None:
        plan = self.sj_plan(t)
        carry_rate = {"Försörjningsstöd": 0.45, "Ingång 20-29 år": 0.35, "Övriga målgrupper": 0.4}
        own = list(carry_rate)
        open_: dict[str, list[_Enrolment]] = {g: [] for g in ischema.GENDERS}  # carried into the year
        open_jobs: list[_Job] = []
        all_enrolments: list[_Enrolment] = []
        jobs: list[_Job] = []
        for i, year in enumerate(YEARS):
            jan1, dec31 = date(year, 1, 1), date(year, 12, 31)
            last = i == len(YEARS) - 1
            # Stockholmsjobb: new employments per kind, kön chosen so that the kön totals match.
            new_by_gender = {g: t.sj_active[year][g] - sum(j.gender == g for j in open_jobs) for g in ischema.GENDERS}
            if min(new_by_gender.values()) < 0:
                raise ValueError(f"Stockholmsjobb {year}: fler fortsatta än aspiranter av ett kön")
            kinds = [k for k in ischema.SJ_KINDS for _ in range(plan[year][k]["started"])]
            genders = ["kvinnor"] * new_by_gender["kvinnor"] + ["män"] * new_by_gender["män"]
            if len(kinds) != len(genders):
                raise ValueError(f"Stockholmsjobb {year}: slag och kön går inte ihop")
            new_jobs = []
            for kind, g in zip(kinds, _shuffled(self.rng, genders), strict=True):
                enrolment = _Enrolment(self.next_id("jt"), "Stockholmsjobb", g)
                job = _Job(self.next_id("sj"), kind, g, enrolment)
                enrolment.job = job
                new_jobs.append(job)
            self.finance(t, year, open_jobs, new_jobs)
            yrke = self.pub.share("sthlmsjobb_andel_yrkeskurs", str(year), 0.12)
            for job in new_jobs:
                job.yrkeskurs = bool(self.rng.random() < yrke)
            jobs.extend(new_jobs)
            active_jobs = open_jobs + new_jobs
            sj_stay = {j.enrolment.eid for k in ischema.SJ_KINDS for j in self.sj_stays(year, plan, active_jobs, k)}

            for g in ischema.GENDERS:
                carried = open_[g]
                new: list[_Enrolment] = []
                for m in own:
                    n_new = t.jt[year][g][m] - sum(e.malgrupp == m for e in carried)
                    if n_new < 0:
                        raise ValueError(f"Jobbtorg {year} {g} {m}: fler fortsatta än inskrivna")
                    new += [_Enrolment(self.next_id("jt"), m, g) for _ in range(n_new)]
                new += [j.enrolment for j in new_jobs if j.gender == g]
                active = carried + new + kaa_enrolments[year][g]
                # How many own-målgrupp enrolments continue into next year (never a "first").
                keep = {m: (int(round(carry_rate[m] * t.jt[year][g][m] * self.rng.uniform(0.9, 1.1))) if last
                            else min(int(round(carry_rate[m] * t.jt[year][g][m])), t.jt[YEARS[i + 1]][g][m]))
                        for m in own}
                # Second enrolments in the year: the person moved from one målgrupp to another.
                self.pair(year, new, carried, keep, len(active) - t.jt_unique[year][g], own)
                stays: set[str] = set()
                for m in own:
                    pool = [e for e in carried + new if e.malgrupp == m and not e.is_first]
                    chosen = self.rng.choice(len(pool), keep[m], replace=False) if keep[m] else []
                    stays |= {pool[int(c)].eid for c in chosen}
                stays |= sj_stay
                for e in new:
                    if e.paired_year != year:
                        e.start = _day(self.rng, jan1, date(year, 10, 31) if e.is_first else date(year, 12, 15))
                for e in carried + new:
                    if e.paired_year != year:
                        self.close(e, year, e.eid in stays)
                for e in new:
                    if e.paired_year == year:
                        e.start = min(e.first_of.end + timedelta(days=int(self.rng.integers(1, 46))), dec31)
                        self.close(e, year, e.eid in stays)
                all_enrolments += new + kaa_enrolments[year][g]
                open_[g] = [e for e in carried + new if e.eid in stays]
            open_jobs = [] if last else [j for j in active_jobs if j.enrolment.end is None]
        self.outcomes(all_enrolments, jobs)
        self.emit_jobbtorg(all_enrolments, jobs)

    def sj_stays(self, year: int, plan: dict, active_jobs: list[_Job], kind: str) -> list[_Job]:
        """The employments of `kind` that continue into next year (or past the export in the last year)."""
        key = (year, kind)
        if key not in self._stays:
            pool = [j for j in active_jobs if j.kind == kind]
            n = plan[year + 1][kind]["carried"] if year + 1 in plan else int(round(0.4 * len(pool)))
            chosen = sorted(int(c) for c in self.rng.choice(len(pool), n, replace=False))
            self._stays[key] = [pool[c] for c in chosen]
        return self._stays[key]

    def close(self, e: _Enrolment, year: int, stays: bool) -> None:
        """End date of an enrolment active in `year`: in the year, or none yet if it continues."""
        if stays:
            e.end = None
            return
        lo = max(e.start, date(year, 1, 1))
        hi = date(year, 11, 30) if e.is_first and lo <= date(year, 11, 30) else date(year, 12, 31)
        e.end = _day(self.rng, lo, hi)

    def pair(self, year: int, new: list[_Enrolment], carried: list[_Enrolment], keep: dict[str, int],
             n_pairs: int, own: list[str]) -> None:
        """Make `n_pairs` new enrolments the person's second in the year, after a first that ends.

        Firsts come from the own målgrupper (not KAA, not Stockholmsjobb), leaving `keep[m]` enrolments
        of each to continue into next year; a second is a new enrolment in another målgrupp.
        """
        if n_pairs <= 0:
            return
        order = {"Stockholmsjobb": 0, "Ingång 20-29 år": 1, "Övriga målgrupper": 2, "Försörjningsstöd": 3}
        seconds = sorted(_shuffled(self.rng, new), key=lambda e: order[e.malgrupp])
        prefer = {"Stockholmsjobb": ["Försörjningsstöd", "Ingång 20-29 år", "Övriga målgrupper"],
                  "Ingång 20-29 år": ["Övriga målgrupper", "Försörjningsstöd"],
                  "Övriga målgrupper": ["Försörjningsstöd", "Ingång 20-29 år"],
                  "Försörjningsstöd": ["Övriga målgrupper", "Ingång 20-29 år"]}
        youth = ["Ingång 20-29 år", "Övriga målgrupper", "Försörjningsstöd"]
        pools = {m: _shuffled(self.rng, [e for e in carried + new if e.malgrupp == m]) for m in own}
        room = {m: len(pools[m]) - keep[m] for m in own}
        used: set[str] = set()
        made = 0
        for second in seconds:
            if made == n_pairs:
                break
            if second.eid in used:
                continue
            groups = prefer[second.malgrupp]
            if second.job is not None and second.job.kind in ("ungdomsanställning", "arbetslag/introjobb"):
                groups = youth
            first = None
            for m in groups:
                pool = pools[m]
                while pool and (pool[-1].eid in used or pool[-1] is second):
                    pool.pop()
                if pool and room[m] > 0:
                    first = pool.pop()
                    room[m] -= 1
                    break
            if first is None:
                continue
            used.update((first.eid, second.eid))
            first.is_first = True
            second.first_of, second.paired_year = first, year
            made += 1
        if made < n_pairs:
            raise ValueError(f"Jobbtorg {year}: bara {made} av {n_pairs} byten av målgrupp gick att göra")

    def finance(self, t: _Targets, year: int, carried: list[_Job], new: list[_Job]) -> None:
        target = t.sj_financed[year]
        total = len(carried) + len(new)
        if target is None:
            target = int(round(total * self.rng.uniform(0.6, 0.7)))
        n_new = target - sum(j.financing == "arbetsmarknadsnämnden" for j in carried)
        if not 0 <= n_new <= len(new):
            raise ValueError(f"Stockholmsjobb {year}: finansieringen går inte att fördela")
        chosen = set(int(i) for i in self.rng.choice(len(new), n_new, replace=False))
        for i, job in enumerate(new):
            job.financing = "arbetsmarknadsnämnden" if i in chosen else "stadsdelsnämnd"

    def outcomes(self, enrolments: list[_Enrolment], jobs: list[_Job]) -> None:
        """Stockholmsjobb's 3-month outcome and Jobbtorg's exits, per year of the end date."""
        sj_share = {2020: self.pub.share("sthlmsjobb_andel_arbete_studier_3man", "2020-01/2020-12", 0.5),
                    2021: self.pub.share("sthlmsjobb_andel_arbete_studier_3man", "2020-09/2021-08", 0.55),
                    2022: self.pub.share("sthlmsjobb_andel_arbete_studier_3man", "2021-09/2022-08", 0.55)}
        for year in YEARS:
            ended = [j for j in jobs if j.enrolment.end and j.enrolment.end.year == year
                     and j.enrolment.end + timedelta(days=92) <= EXPORT_DATE]
            good = int(round(sj_share.get(year, 0.55) * len(ended)))
            for n, job in enumerate(_shuffled(self.rng, ended)):
                job.outcome = ("arbete" if self.rng.random() < 0.7 else "studier") if n < good else "annat"
            for job in ended:
                job.enrolment.exit = job.outcome
        jt_share = {2020: 0.66, 2021: self.pub.share("jobbtorg_andel_avslutade_arbete_studier", "2021", 0.65),
                    2022: self.pub.share("jobbtorg_andel_avslutade_arbete_studier", "2022", 0.7)}
        for year in YEARS:
            ended = [e for e in enrolments if e.end and e.end.year == year and not e.is_first]
            fixed = [e for e in ended if e.malgrupp in ("KAA 16-19 år", "Stockholmsjobb")]
            free = [e for e in ended if e.malgrupp not in ("KAA 16-19 år", "Stockholmsjobb")]
            for e in fixed:  # the Stockholmsjobb not yet followed up: exit at the end anyway
                if e.malgrupp == "Stockholmsjobb" and e.exit is None:
                    e.exit = "arbete" if self.rng.random() < 0.4 else "annat"
            counted = [e for e in fixed if e.exit is not None] + free
            good = int(round(jt_share.get(year, 0.68) * len(counted))) - sum(
                e.exit in ("arbete", "studier") for e in fixed)
            good = min(max(good, 0), len(free))
            work = {"Ingång 20-29 år": 0.5, "Försörjningsstöd": 0.75, "Övriga målgrupper": 0.7}
            for n, e in enumerate(_shuffled(self.rng, free)):
                e.exit = ("arbete" if self.rng.random() < work[e.malgrupp] else "studier") if n < good else "annat"

    # ------------------------------------------------------------------ rows

    def emit_jobbtorg(self, enrolments: list[_Enrolment], jobs: list[_Job]) -> None:
        bands = {"Ingång 20-29 år": (["20–24", "25–29"], [0.55, 0.45]),
                 "Försörjningsstöd": (list(ischema.AGE_BANDS[1:]), [0.1, 0.15, 0.45, 0.3]),
                 "Övriga målgrupper": (list(ischema.AGE_BANDS[1:]), [0.12, 0.18, 0.4, 0.3])}
        job_bands = {"ungdomsanställning": (["20–24", "25–29"], [0.7, 0.3]),
                     "arbetslag/introjobb": (["20–24", "25–29"], [0.75, 0.25]),
                     "serviceassistent": (list(ischema.AGE_BANDS[1:]), [0.15, 0.2, 0.4, 0.25]),
                     "övrig anställning": (list(ischema.AGE_BANDS[1:]), [0.05, 0.15, 0.45, 0.35])}
        ordered = sorted(enrolments, key=lambda e: (e.start, e.eid))
        for e in ordered:  # persons in time order: a second enrolment takes its first's person
            if e.person is None and e.first_of is None:
                labels, p = job_bands[e.job.kind] if e.job else bands[e.malgrupp]
                e.person = self.new_person(e.gender, labels[int(self.rng.choice(len(labels), p=p))])
        for e in ordered:
            if e.person is None:
                e.person = _root(e).person
        for e in sorted(enrolments, key=lambda e: e.eid):
            self.rows["individ_jobbtorg"].append({
                "enrolment_id": e.eid, "dataset": DATASET, "person_id": e.person.pid, "malgrupp": e.malgrupp,
                "kaa_id": e.kaa_id, "start_date": e.start, "end_date": e.end, "exit": e.exit,
            })
        for job in sorted(jobs, key=lambda j: j.jid):
            e = job.enrolment
            area = CITY if job.financing == "arbetsmarknadsnämnden" else self.sdo_at(e.person.home, e.start)
            self.rows["individ_stockholmsjobb"].append({
                "job_id": job.jid, "dataset": DATASET, "person_id": e.person.pid, "enrolment_id": e.eid,
                "kind": job.kind, "start_date": e.start, "end_date": e.end, "financing": job.financing,
                "financing_area": area, "yrkeskurs": job.yrkeskurs, "outcome_3m": job.outcome,
            })

    def run(self) -> dict[str, list[dict]]:
        self._stays = {}
        targets = _targets(self.pub, self.rng)
        kaa_enrolments = self.kaa(targets)
        self.jobbtorg(targets, kaa_enrolments)
        self.rows["individ_personer"] = [
            {"person_id": p.pid, "dataset": DATASET, "gender": p.gender, "age_band": p.age_band,
             "home_area": (p.home, "stadsdel")} for p in sorted(self.persons, key=lambda p: p.pid)]
        return self.rows


def _shuffled(rng: np.random.Generator, items: list) -> list:
    return [items[int(i)] for i in rng.permutation(len(items))]


def _root(e: _Enrolment) -> _Enrolment:
    while e.first_of is not None:
        e = e.first_of
    return e


def _capped_split(total: int, caps: list[int]) -> list[int]:
    """`total` shared in proportion to `caps`, never above a cap (caps must hold the total)."""
    out = [0] * len(caps)
    remaining = total
    while remaining > 0:
        room = [c - o for c, o in zip(caps, out, strict=True)]
        if sum(room) == 0:
            raise ValueError("för lite utrymme")
        for i, n in enumerate(_split(min(remaining, sum(room)), [float(r) for r in room])):
            n = min(n, room[i])
            out[i] += n
            remaining -= n
    return out


def generate(bundle, seed: int = SEED) -> dict[str, list[dict]]:
    """The demo rows per table name (areas as (name, level) under keys ending in `_area`)."""
    return _Generator(bundle, seed).run()


def add_to_bundle(bundle) -> None:
    """Register the data set `demo_individ` and append the demo rows to `bundle.extra_tables`."""
    if DATASET in bundle.datasets:
        raise ValueError(f"data setet '{DATASET}' finns redan")
    rows = generate(bundle)
    bundle.datasets[DATASET] = {"dataset": DATASET, "title": TITLE, "is_demo": True,
                                "origin": "dashboard/demo/individ.py", "description": DESCRIPTION,
                                "line": 0, "used": True}
    for table in ischema.TABLES:
        bundle.extra_tables.append((table, rows[table.name]))
