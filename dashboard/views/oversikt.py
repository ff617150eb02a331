"""The start page's headline cards: which measures, and the rules for latest value, target, status and change.

Everything here is pure: it takes the observations of one measure (Stockholms stad, group `alla`, no demo data)
and returns what a card shows. The page only lays it out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pandas as pd

from dashboard.core.numbers import MISSING, format_change, format_value, qualifier_of, whole
from dashboard.core.periods import period_bounds, period_label

TARGET_KINDS = ("mål", "kf-mål")
KIND_LABELS = {"mål": "Nämndens mål", "kf-mål": "KF:s mål"}
PARTLY = 0.9  # "delvis uppfyllt" from 90 % of the target (higher is better) …
PARTLY_OVER = 1.1  # … or up to 10 % over it (lower is better)

STATUS_RULE = (
    "**Så bedöms status här:** utfallet jämförs med nämndens mål för samma år (det år utfallets period slutar). "
    "*Uppfyllt* när utfallet når målet; *delvis uppfyllt* när det når minst 90 % av målet (för ett mått där lägre "
    "är bättre: högst 10 % över målet); annars *ej uppfyllt*. Finns inget nämndmål för året används KF:s mål för "
    "samma år. Inget mål för samma år = ingen status: ett mål för ett annat år visas med sitt år men bedöms inte. "
    "Ett ungefärligt utfall (”närmare 50 %”) bedöms bara när det ger samma status i hela intervallet på en "
    "enhet åt det håll ordet anger (närmare 50: 49–50; drygt 57,5: 57,5–58,5; omkring 13: 12–14). "
    "Det är verktygets bedömning; den status nämnden själv rapporterade står på sidan "
    "[Indikatorer](/indikatorer)."
)


@dataclass(frozen=True)
class Card:
    """One headline card: the outcome measure and the measures whose targets apply to the same result."""

    key: str
    title: str
    measure: str
    link: str
    link_label: str
    target_measures: tuple[str, ...] = ()  # other measures (e.g. a VP indicator) with targets for the same result
    related: tuple[str, ...] = ()  # other definitions shown beside it, never compared with it
    note: str = ""  # said on the card, e.g. why a target is not used
    show_definition: bool = False  # the measure's definition on the card itself (where definitions differ)


# The cards, in the order shown: the ONE place that says which measures the start page uses.
RESULT_CARDS = (
    Card("kaa_arbete", "KAA: till arbete", "kaa_andel_avslutade_arbete", "/kaa", "KAA-tratten",
         target_measures=("ind_kaa_utskrivna_arbete",)),
    Card("kaa_studier", "KAA: till studier", "kaa_andel_avslutade_studier", "/kaa", "KAA-tratten",
         target_measures=("ind_kaa_utskrivna_studier",)),
    Card("sthlmsjobb_3man", "Stockholmsjobb: i arbete eller studier efter 3 månader",
         "sthlmsjobb_andel_arbete_studier_3man", "/stockholmsjobb", "Stockholmsjobb",
         target_measures=("ind_arbete_studier_3_man_efter_stockholmsjobb",)),
    Card("jobbtorg", "Jobbtorg: avslutade till arbete eller studier", "jobbtorg_andel_avslutade_arbete_studier",
         "/jobbtorg", "Jobbtorg Stockholm", target_measures=("ind_avslutade_jobbtorg_arbete_studier",)),
)
VOLUME_CARDS = (
    Card("aspiranter", "Aspiranter med Stockholmsjobb", "sthlmsjobb_aspiranter", "/stockholmsjobb", "Stockholmsjobb",
         note="VP 2026:s indikator ”Antal aspiranter som fått Stockholmsjobb” räknar inte samma sak: för tertial 1 "
              "2021 var dess utfall 247, medan 420 aspiranter hade Stockholmsjobb (Tertialrapport 1 2021, rad 287 "
              "och 742). Indikatorns mål används därför inte här; de står på sidan Indikatorer."),
    Card("feriejobb", "Feriejobb: anställda ungdomar", "feriejobb_anstallda",
         "/feriejobb", "Feriejobb per förvaltning",  # per employing förvaltning: not a map of where they live
         note="Inget mål för antalet anställda feriejobbare i källorna. Indikatorerna om feriejobb mäter annat "
              "(platser som nämnden tillhandahåller, feriejobb i nämndens regi) och står på sidan Indikatorer."),
    Card("arbetsloshet", "Arbetslöshet i Stockholms stad", "arbetsloshet_af_andel_arbetskraft_16_64",
         "/karta?matt=arbetsloshet_ar2022_andel&period=2022-12", "Karta",
         related=("arbetsloshet_ar2022_andel",), show_definition=True),
)
CARDS = RESULT_CARDS + VOLUME_CARDS


def card_measures() -> tuple[str, ...]:
    """Every measure the cards read (outcomes, targets and related definitions)."""
    found = [m for c in CARDS for m in (c.measure, *c.target_measures, *c.related)]
    return tuple(dict.fromkeys(found))


# --- periods -------------------------------------------------------------------------------------------------


def _bounds(period: str) -> tuple[date, date]:
    return period_bounds(period)


def period_shape(period: str) -> tuple[str, int]:
    """How long a period is: ('mån', 12) for a year or any 12 whole months, ('dag', n) otherwise."""
    start, end = _bounds(period)
    next_day = date.fromordinal(end.toordinal() + 1)
    if start.day == 1 and next_day.day == 1:
        return "mån", (end.year - start.year) * 12 + end.month - start.month + 1
    return "dag", (end - start).days + 1


def target_year(period: str) -> int:
    """The year whose target applies to an outcome: the year its period ends (Sept 2021–Aug 2022 → 2022)."""
    return _bounds(period)[1].year


# --- picking rows ---------------------------------------------------------------------------------------------


def _outcomes(obs: pd.DataFrame, measure: str, gender: str = "totalt") -> pd.DataFrame:
    return obs[(obs["measure"] == measure) & (obs["kind"] == "utfall") & (obs["gender"] == gender)]


def latest(obs: pd.DataFrame, measure: str) -> pd.Series | None:
    """The outcome (totalt) whose period ends last; of two ending the same day, the shorter (later start)."""
    rows = _outcomes(obs, measure)
    if rows.empty:
        return None
    keys = [(_bounds(p)[1], _bounds(p)[0]) for p in rows["period"]]
    return rows.iloc[max(range(len(keys)), key=keys.__getitem__)]


def previous(obs: pd.DataFrame, measure: str, period: str) -> pd.Series | None:
    """The outcome of the same measure for the latest earlier period of the same length, ending before `period`
    starts (2022 → 2021; a 12-month span → the 12 months before). A period of another length is not compared."""
    start, _ = _bounds(period)
    shape = period_shape(period)
    rows = _outcomes(obs, measure)
    candidates = [(i, _bounds(p)[1]) for i, p in enumerate(rows["period"])
                  if period_shape(p) == shape and _bounds(p)[1] < start]
    if not candidates:
        return None
    return rows.iloc[max(candidates, key=lambda c: c[1])[0]]


@dataclass(frozen=True)
class Target:
    kind: str  # mål or kf-mål
    value: float
    period: str
    measure: str
    source: str
    location: str
    same_year: bool  # True when the target is for the year the outcome's period ends
    qualifier: str = ""  # as printed ("minst 50 procent")

    @property
    def label(self) -> str:
        return f"{KIND_LABELS[self.kind]} {self.period}"

    def text(self, unit: str) -> str:
        return format_value(self.value, unit, qualifier=self.qualifier)


def targets_for(obs: pd.DataFrame, measures: tuple[str, ...], period: str) -> list[Target]:
    """Per kind (nämndens, KF:s): the target for the outcome's year, else the nearest year's (a later one on a tie).

    `measures` is in order of preference: the outcome's own measure first, then equivalent indicators."""
    year = target_year(period)
    rank = {m: i for i, m in enumerate(measures)}
    rows = obs[obs["measure"].isin(measures) & obs["kind"].isin(TARGET_KINDS) & (obs["gender"] == "totalt")]
    out = []
    for kind in TARGET_KINDS:
        # nearest year first, then the later year, then the preferred measure
        candidates = sorted(
            (abs(target_year(r.period) - year), -target_year(r.period), rank[r.measure], i)
            for i, r in enumerate(rows.itertuples()) if r.kind == kind
        )
        if not candidates:
            continue
        row = rows.iloc[candidates[0][-1]]
        out.append(Target(kind, float(row["value"]), row["period"], row["measure"], row["source"],
                          row["source_location"], target_year(row["period"]) == year,
                          qualifier_of(row.get("qualifier"))))
    return out


# --- rules ----------------------------------------------------------------------------------------------------


# Which way a qualifier moves the true value from the printed one: below it, above it, or either side.
BELOW = {"närmare", "knappt", "strax under", "under", "nästan", "mindre än", "högst", "uppemot"}
ABOVE = {"drygt", "strax över", "över", "mer än", "minst"}


def approximate_range(value: float, qualifier: str, step: float = 1.0) -> tuple[float, float]:
    """The ends of what an approximate number may stand for, one unit wide in the qualifier's direction
    ("närmare 50": just under 50 down to 49; "drygt 57,5": just over 57,5 up to 58,5; "omkring 13": 12–14)."""
    tiny = 1e-6
    if qualifier in BELOW:
        return value - step, value - tiny
    if qualifier in ABOVE:
        return value + tiny, value + step
    return value - step, value + step


def status(value: float | None, target: float | None, higher_is_better: bool | None,
           qualifier: str = "") -> str | None:
    """'uppfyllt', 'delvis uppfyllt' or 'ej uppfyllt' by the rule in STATUS_RULE; None without a target,
    a value or a direction, and for an approximate value whose range straddles a threshold."""
    if _missing(value) or _missing(target) or higher_is_better is None:
        return None
    if qualifier:
        low, high = approximate_range(value, qualifier)  # the status only changes at thresholds: ends suffice
        found = {_status(low, target, higher_is_better), _status(high, target, higher_is_better)}
        return found.pop() if len(found) == 1 else None
    return _status(value, target, higher_is_better)


def _status(value: float, target: float, higher_is_better: bool) -> str:
    eps = 1e-9
    if higher_is_better:
        if value >= target - eps:
            return "uppfyllt"
        return "delvis uppfyllt" if value >= PARTLY * target - eps else "ej uppfyllt"
    if value <= target + eps:
        return "uppfyllt"
    return "delvis uppfyllt" if value <= PARTLY_OVER * target + eps else "ej uppfyllt"


def _decimals(value: float) -> int:
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    return max(0, -int(exponent))


def difference(a: float, b: float) -> float:
    """a − b, rounded to the decimals the two published numbers have (57,5 − 56,8 = 0,7, not 0,70000001)."""
    return round(a - b, max(_decimals(a), _decimals(b)))


def change_unit(unit: str) -> str:
    """Shares change in procentenheter; counts and other units in their own unit."""
    return "procentenheter" if unit == "procent" else unit


def signed(value: float, unit: str, approximate: bool = False) -> str:
    """'+0,7 procentenheter', '−0,3 procentenheter', '±0 procentenheter'; '≈ +1 procentenhet' when computed
    from an approximate value."""
    return format_change(value, unit, approximate)


def approximate_difference(a: Figure, b: Figure) -> tuple[float, bool]:
    """a − b as shown: exact from two exact numbers; from an approximate one, whole units and approximate."""
    if a.qualifier or b.qualifier:
        return whole(a.value - b.value), True
    return difference(a.value, b.value), False


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


# --- the card as shown ----------------------------------------------------------------------------------------


@dataclass
class Figure:
    """One published number on a card, with where it comes from."""

    what: str  # e.g. "Utfall 2022", "Kvinnor 2022", "Nämndens mål 2022"
    value: float
    unit: str
    period: str
    source: str
    location: str
    note: str = ""
    qualifier: str = ""  # as printed ("drygt"); "" = exact

    @property
    def text(self) -> str:
        return format_value(self.value, self.unit, qualifier=self.qualifier)


@dataclass
class CardView:
    card: Card
    name: str
    definition: str
    unit: str
    higher_is_better: bool | None
    value: Figure | None = None
    previous: Figure | None = None
    change: float | None = None
    change_approximate: bool = False  # computed from an approximate value: shown with ≈ in whole units
    no_change_reason: str = ""
    targets: list[Target] = field(default_factory=list)
    status: str | None = None
    status_target: Target | None = None
    no_status_reason: str = ""
    kvinnor: Figure | None = None
    män: Figure | None = None
    gap: float | None = None
    gap_approximate: bool = False
    related: list[CardView] = field(default_factory=list)

    @property
    def value_text(self) -> str:
        return self.value.text if self.value else MISSING

    @property
    def change_text(self) -> str:
        return signed(self.change, change_unit(self.unit), self.change_approximate) if self.change is not None else ""

    @property
    def gap_text(self) -> str:
        return signed(self.gap, change_unit(self.unit), self.gap_approximate) if self.gap is not None else MISSING

    def figures(self) -> list[Figure]:
        """Every number the card shows, for its sources."""
        found = [self.value, self.previous, self.kvinnor, self.män]
        found += [Figure(t.label, t.value, self.unit, t.period, t.source, t.location, qualifier=t.qualifier)
                  for t in self.targets]
        return [f for f in found if f is not None]

    def sources_frame(self) -> pd.DataFrame:
        """Source and place of every number shown (the shape labels.source_places expects)."""
        figures = self.figures() + [f for r in self.related for f in r.figures()]
        frame = pd.DataFrame({"source": [f.source for f in figures], "source_location": [f.location for f in figures]})
        first = {source: i for i, source in reversed(list(enumerate(frame["source"])))}
        order = sorted(range(len(frame)), key=lambda i: (first[frame["source"].iat[i]],
                                                         _line_number(frame["source_location"].iat[i])))
        return frame.iloc[order].reset_index(drop=True)


def _line_number(location: str) -> int:
    """12 from 'rad 12' or 'file.csv, rad 12' (0 when there is none), for listing a source's lines in order."""
    tail = str(location).rpartition("rad ")[2]
    return int(tail) if tail.isdigit() else 0


def _figure(what: str, row: pd.Series) -> Figure:
    note = row.get("note")
    return Figure(f"{what} {period_label(row['period'])}", float(row["value"]), row["unit"], row["period"],
                  row["source"], row["source_location"], note if isinstance(note, str) else "",
                  qualifier_of(row.get("qualifier")))


def measure_facts(info: pd.DataFrame, measure: str) -> tuple[str, str, str, bool | None]:
    """Name, definition, unit and direction of a measure from the catalogue rows."""
    row = info[info["measure"] == measure]
    if row.empty:
        return measure, "", "antal", None
    r = row.iloc[0]
    hib = r["higher_is_better"]
    hib = None if hib is None or (isinstance(hib, float) and math.isnan(hib)) else bool(hib)
    return r["name"], r["definition"] or "", r["unit"], hib


def build_view(card: Card, obs: pd.DataFrame, info: pd.DataFrame, measure: str | None = None) -> CardView:
    """What one card shows, from the city's observations (group alla) and the measure catalogue."""
    measure = measure or card.measure
    name, definition, unit, hib = measure_facts(info, measure)
    view = CardView(card, name, definition, unit, hib)
    row = latest(obs, measure)
    if row is None:
        view.no_change_reason = "ingen tidigare period"
        view.no_status_reason = "inget utfall"
        return view
    period = row["period"]
    view.value = _figure("Utfall", row)

    before = previous(obs, measure, period)
    if before is not None:
        view.previous = _figure("Föregående utfall", before)
        view.change, view.change_approximate = approximate_difference(view.value, view.previous)
    else:
        others = _outcomes(obs, measure)
        earlier = others[[_bounds(p)[1] < _bounds(period)[0] for p in others["period"]]]
        view.no_change_reason = ("ingen tidigare period av samma längd" if not earlier.empty
                                 else "ingen tidigare period")

    if measure == card.measure:
        view.targets = targets_for(obs, (measure, *card.target_measures), period)
        same = {t.kind: t for t in view.targets if t.same_year}
        chosen = same.get("mål") or same.get("kf-mål")
        year = target_year(period)
        if chosen is None:
            view.no_status_reason = (f"inget mål för {year}" if view.targets else "inget mål")
        elif hib is None:
            view.no_status_reason = "måttet har ingen angiven riktning"
        else:
            view.status = status(view.value.value, chosen.value, hib, view.value.qualifier)
            view.status_target = chosen
            if view.status is None:
                view.no_status_reason = (f"utfallet är ungefärligt ({view.value.text}) och ligger för nära "
                                         "en gräns för att bedömas")
        view.related = [build_view(card, obs, info, m) for m in card.related]

    for gender in ("kvinnor", "män"):
        split = _outcomes(obs, measure, gender)
        split = split[split["period"] == period]
        if not split.empty:
            setattr(view, gender, _figure(gender.capitalize(), split.iloc[0]))
    if view.kvinnor and view.män:
        view.gap, view.gap_approximate = approximate_difference(view.kvinnor, view.män)
    return view
