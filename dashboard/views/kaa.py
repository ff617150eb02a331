"""The KAA funnel's view model: from the URL state and the city's KAA observations to everything the page,
the slide and the downloads show (resolved choices, figure, tables, title, notes). No Streamlit here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from dashboard.core import labels
from dashboard.core.numbers import MISSING, format_gap, format_value, printed_values
from dashboard.core.periods import period_label
from dashboard.figures import kaa
from dashboard.views.presentable import pick

GAP_COLUMN = f"Skillnad kvinnor − män (procentenheter, {labels.COMPUTED})"


@dataclass
class KaaView:
    choice: str  # the pair of periods compared (kaa.PERIOD_SETS)
    kon: str  # totalt, kvinnor, män or skillnad
    kon_options: list[str]
    periods: tuple[str, ...]
    series: tuple[str, ...]
    demo: bool
    title: str
    period_text: str
    figure: go.Figure
    shown: pd.DataFrame  # the observations behind the chart (its sources)
    noted_shown: int  # how many of them carry a note
    split_note: str | None  # which steps are published by kön, said plainly
    funnel_rows: pd.DataFrame  # "Tratten i siffror"
    kon_observations: pd.DataFrame
    gap_rows: pd.DataFrame  # "Kvinnor och män"
    shares: pd.DataFrame  # the published shares per kön (may be empty)
    shares_rows: pd.DataFrame
    register_note: str | None
    target_observations: pd.DataFrame
    target_rows: pd.DataFrame
    noted: pd.DataFrame
    notes_rows: pd.DataFrame
    fallbacks: list[str] = field(default_factory=list)


def _pct(value: float, decimals: int | None = None, qualifier: object = None) -> str:
    return format_value(value, "procent", decimals, qualifier)


def kon_options(obs: pd.DataFrame, periods: tuple[str, ...]) -> list[str]:
    """Totalt, and kvinnor, män and the gap where the funnel's counts are published by kön."""
    genders = set(obs[obs["period"].isin(periods) & obs["measure"].isin([s.count for s in kaa.STEPS])]["gender"])
    return ["totalt", "kvinnor", "män", "skillnad"] if {"kvinnor", "män"} <= genders else ["totalt"]


def split_note(table: pd.DataFrame, periods: tuple[str, ...]) -> str | None:
    """'Publicerat per kön: … Inte publicerat per kön: …', or None when every step is."""
    split = table[(table["gender"] == "kvinnor") & table["count"].notna()]
    with_split, without = [], []
    for step in kaa.STEPS:
        name = step.label[0].lower() + step.label[1:]
        found = [p for p in periods if p in set(split[split["step"] == step.key]["period"])]
        if not found:
            without.append(name)
        else:
            with_split.append(name if len(found) == len(periods) else f"{name} (bara {kaa.short_period(found[0])})")
    if not without:
        return None
    return (f"Publicerat per kön: {', '.join(with_split) or 'inget steg'}. "
            f"Inte publicerat per kön: {', '.join(without)}.")


def funnel_rows(table: pd.DataFrame, kon: str, series: tuple[str, ...]) -> pd.DataFrame:
    rows = table[table["gender"].isin(["totalt", *series])] if kon != "skillnad" else table
    return pd.DataFrame({
        "Period": [period_label(p) for p in rows["period"]],
        "Kön": [labels.GENDERS[g] for g in rows["gender"]],
        "Steg": rows["label"],
        "Antal": [format_value(v, "antal") for v in rows["count"]],
        "Andel av föregående steg (publicerad)": [
            _pct(v) if pd.notna(v) else ("" if s == "omfattade" else MISSING)
            for v, s in zip(rows["share_published"], rows["step"], strict=True)],
        f"Andel av föregående steg ({labels.COMPUTED})": [
            _pct(v, 1) if pd.notna(v) else ("" if s == "omfattade" else MISSING)
            for v, s in zip(rows["share_computed"], rows["step"], strict=True)],
        "Källa": rows["source"].replace("", MISSING),
        "Var i källan": rows["source_location"],
    })


def gap_rows(obs: pd.DataFrame, periods: tuple[str, ...], kon_obs: pd.DataFrame) -> pd.DataFrame:
    gaps = kaa.gap_table(kaa.funnel_table(obs, periods, ("kvinnor", "män")))
    out = pd.DataFrame({
        "Period": [period_label(p) for p in gaps["period"]],
        "Steg": gaps["label"],
        "Kvinnor": [_pct(v, 1, q) for v, q in zip(gaps["kvinnor"], gaps["kvinnor_qualifier"], strict=True)],
        "Män": [_pct(v, 1, q) for v, q in zip(gaps["män"], gaps["män_qualifier"], strict=True)],
        GAP_COLUMN: [format_gap(v, "procentenheter", 1, a) for v, a in zip(gaps["gap"], gaps["approximate"],
                                                                          strict=True)],
        "Källa": [labels.source_places(kon_obs[kon_obs["period"] == p]) for p in gaps["period"]],
    })
    return out[(gaps["step"] != "omfattade").to_numpy()].reset_index(drop=True)


def shares_rows(shares: pd.DataFrame) -> pd.DataFrame:
    if shares.empty:
        return pd.DataFrame()
    return pd.DataFrame({
        "Mått": shares["measure_name"],
        "Period": [period_label(p) for p in shares["period"]],
        "Kvinnor": [_pct(v, None, q) for v, q in zip(shares["kvinnor"], shares["kvinnor_qualifier"], strict=True)],
        "Män": [_pct(v, None, q) for v, q in zip(shares["män"], shares["män_qualifier"], strict=True)],
        GAP_COLUMN: [format_gap(v, "procentenheter", 1, a) for v, a in zip(shares["gap"], shares["approximate"],
                                                                          strict=True)],
        "Källa": shares["source"],
        "Var i källan": shares["source_location"],
    })


def register_note(obs: pd.DataFrame, periods: tuple[str, ...]) -> str | None:
    register = obs[(obs["measure"] == "kaa_omfattade_andel_kon") & obs["period"].isin(periods)]
    if register.empty:
        return None
    parts = ", ".join(f"{g} {_pct(v, None, q)}" for g, v, q in
                      zip(register["gender"], register["value"], register["qualifier"], strict=True))
    return (f"Publicerad andel av dem i registret {', '.join(dict.fromkeys(register['period']))}: {parts} "
            f"({register['source'].iat[0]}, {', '.join(dict.fromkeys(register['source_location']))}).")


def target_rows(targets: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Till": targets["goal"].map({"arbete": "Arbete", "studier": "Studier"}),
        "Period": [period_label(p) for p in targets["period"]],
        "Slag": targets["kind"].map(kaa.KIND_LABELS),
        "Kön": [labels.GENDERS[g] for g in targets["gender"]],
        "Värde": printed_values(targets),
        "Mått": targets["measure_name"],
        "Källa": targets["source"],
        "Var i källan": targets["source_location"],
    })


def notes_rows(noted: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Mått": noted["measure_name"],
        "Period": [period_label(p) for p in noted["period"]],
        "Kön": [labels.GENDERS[g] for g in noted["gender"]],
        "Tryckt": printed_values(noted),
        "Anmärkning": noted["note"],
        "Källa": noted["source"],
        "Var i källan": noted["source_location"],
    })


def kaa_view(obs: pd.DataFrame, state: Mapping[str, str]) -> KaaView:
    """Everything the KAA view shows for `state` (keys jmf, kon); a value that is not available falls back
    to the default and is named in `fallbacks`."""
    fallbacks: list[str] = []
    choice = pick(state, "jmf", list(kaa.PERIOD_SETS), "ar", fallbacks=fallbacks)
    periods = kaa.PERIOD_SETS[choice]
    options = kon_options(obs, periods)
    kon = pick(state, "kon", options, "totalt", fallbacks=fallbacks)
    series = ("kvinnor", "män") if kon == "skillnad" else (kon,)
    demo = bool(obs["is_demo"].any())
    table = kaa.funnel_table(obs, periods)
    shown = obs[obs["period"].isin(periods) & (obs["kind"] == "utfall")
                & obs["measure"].isin([m for s in kaa.STEPS for m in (s.count, s.share) if m])]
    kon_obs = obs[obs["period"].isin(periods) & obs["gender"].isin(["kvinnor", "män"])]
    targets = pd.concat([kaa.targets_frame(obs, g).assign(goal=g) for g in ("arbete", "studier")])
    noted = obs[obs["note"].notna() & (obs["note"] != "")]
    shares = kaa.published_gender_gaps(obs[obs["measure"] != "kaa_omfattade_andel_kon"])
    period_text = " och ".join(kaa.short_period(p) for p in periods)
    kön = "kvinnor och män" if kon == "skillnad" else kon
    return KaaView(
        choice=choice, kon=kon, kon_options=options, periods=periods, series=series, demo=demo,
        title=f"KAA-tratten, {kön}, {period_text}", period_text=period_text,
        figure=kaa.funnel_figure(table, series, periods, demo=demo), shown=shown,
        noted_shown=int((shown["note"].notna() & (shown["note"] != "")).sum()),
        split_note=split_note(table, periods), funnel_rows=funnel_rows(table, kon, series),
        kon_observations=kon_obs, gap_rows=gap_rows(obs, periods, kon_obs), shares=shares,
        shares_rows=shares_rows(shares),
        register_note=register_note(obs, periods), target_observations=targets, target_rows=target_rows(targets),
        noted=noted, notes_rows=notes_rows(noted), fallbacks=fallbacks)
