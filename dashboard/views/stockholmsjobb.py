"""The Stockholmsjobb view model: from the URL state (kon, diagram) and the observations to everything the page,
the slide and the downloads show (resolved choices, figures, tables, metrics, title, footnote). No Streamlit here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import pandas as pd
import plotly.graph_objects as go

from dashboard.core import labels
from dashboard.core.numbers import MISSING, format_gap, qualifier_of
from dashboard.core.periods import period_label
from dashboard.figures import followup as fig
from dashboard.views.followup import (
    Metric,
    Table,
    definition_text,
    kon_options,
    observations_table,
    periods_in_order,
    row_metric,
)
from dashboard.views.presentable import STHLMSJOBB_KEYS, pick, view_link

VOLUMES = fig.STHLMSJOBB_VOLUMES
OUTCOME = fig.STHLMSJOBB_OUTCOME
OUTCOME_TARGETS = fig.STHLMSJOBB_OUTCOME_TARGETS  # VP 2026's indicator for the same result
OUTCOMES_BY_TYPE = ["sthlmsjobb_yrkeskurs_andel_arbete_studier_3man",
                    "sthlmsjobb_serviceassistenter_andel_arbete_studier_3man",
                    "sthlmsjobb_serviceassistenter_avslutade_arbete_studier_3man",
                    "sthlmsjobb_serviceassistenter_avslutade", "sthlmsjobb_arbetslag_andel_arbete_studier_3man",
                    "sthlmsjobb_arbetslag_avslutade_arbete_studier_3man", "sthlmsjobb_arbetslag_avslutade",
                    "sthlmsjobb_ungdomsanstallning_andel_arbete_studier_3man"]
KINDS_OF_JOBS = ["sthlmsjobb_andel_yrkeskurs", "sthlmsjobb_serviceassistenter",
                 "sthlmsjobb_serviceassistenter_paborjade", "sthlmsjobb_arbetslag_introjobb",
                 "sthlmsjobb_arbetslag_introjobb_paborjade", "sthlmsjobb_arbetslag", "sthlmsjobb_arbetslag_paborjade",
                 "sthlmsjobb_ungdomsanstallning"]
INDICATORS = ["ind_aspiranter_stockholmsjobb", "ind_platser_stockholmsjobb",
              "ind_arbete_studier_3_man_efter_stockholmsjobb", "ind_arbete_studier_3_man_efter_serviceassistent"]
COHORT_WORK = fig.COHORT_WORK
COHORT_AID = ["jobbtorg_kohort_ekbistand_1ar_fore_inskrivning", "jobbtorg_kohort_ekbistand_2ar_efter_inskrivning",
              fig.COHORT_AID_AFTER, "jobbtorg_kohort_ekbistand_minskning_2ar"]
BUDGET = "sthlmsjobb_sdn_budget_anstallningar"
BUDGET_YEAR = "2022"
BUDGET_DAY = date(2022, 12, 31)  # the stadsdelsområden of the budget year
# Every measure the view shows, in the page's order (the page and the slide load the same).
MEASURES = [*VOLUMES, OUTCOME, *OUTCOME_TARGETS, *OUTCOMES_BY_TYPE, *KINDS_OF_JOBS, *INDICATORS, *COHORT_WORK,
            *COHORT_AID, BUDGET]
NO_SPLIT = "Inte publicerat uppdelat på kvinnor och män: siffrorna gäller totalt."
PERIODS_DIFFER = ("Perioderna skiljer sig: helår, januari–mars och tertial 1 (januari–april) är inte jämförbara "
                  "rakt av.")
TARGETS_NOTE = "Målen är ritade som linjer, vart och ett med sitt år och sin källa."
VP2026_NOTE = ("VP 2026:s mål gäller indikatorn ”Andel kvinnor och män som arbetar eller studerar, tre månader "
               "efter avslutat Stockholmsjobb”.")


@dataclass
class StockholmsjobbView:
    """The resolved choices and the observations; every figure, table and text is built from them when first
    asked for (the slide needs one figure, the page all of them) and kept."""

    kon: str  # totalt, kvinnor, män or skillnad (the indicators by kön)
    kon_options: list[str]
    chart: str  # the chart to share (fig.STHLMSJOBB_CHARTS)
    obs: pd.DataFrame  # the observations of MEASURES
    definitions: pd.DataFrame  # queries.followup.measure_definitions of them
    districts: list[str]  # the stadsdelsområden of the budget year
    fallbacks: list[str] = field(default_factory=list)

    def of(self, measures: Sequence[str]) -> pd.DataFrame:
        return self.obs[self.obs["measure"].isin(measures)]

    @property
    def demo(self) -> bool:
        return fig.is_demo(self.obs)

    @cached_property
    def split_note(self) -> str:
        """What is and is not published by kön."""
        split = sorted(set(self.obs.loc[self.obs["gender"] != "totalt", "measure_name"]))
        return ("**Kön.** Arbetsmarknadsrapport 2022 och tertialrapportens text redovisar Stockholmsjobb utan "
                "uppdelning på kvinnor och män – volymerna, resultatet efter tre månader, yrkeskurserna, "
                "serviceassistenterna, arbetslagen och uppföljningen av 2018 års aspiranter finns bara för totalt. "
                + (f"Uppdelat på kvinnor och män finns bara indikatorerna: {'; '.join(split)} (se avsnittet Per "
                   "kön)." if split else "Inga Stockholmsjobbsiffror är publicerade per kön."))

    # --- Volymer
    @cached_property
    def volumes(self) -> Table:
        return observations_table(self.of(VOLUMES), "stockholmsjobb_volymer")

    @cached_property
    def volume_metrics(self) -> list[Metric]:
        volumes = self.volumes.frame
        return [row_metric(one(volumes, "sthlmsjobb_aspiranter", "2022"), "Aspiranter med Stockholmsjobb 2022"),
                row_metric(one(volumes, "sthlmsjobb_aspiranter", "2022", "mål"), "Mål 2022"),
                row_metric(one(volumes, "sthlmsjobb_finansierade_namnden", "2022"), "Finansierade av nämnden 2022"),
                row_metric(one(volumes, "sthlmsjobb_startade", "2022"), "Startade Stockholmsjobb 2022")]

    @cached_property
    def volumes_figure(self) -> go.Figure:
        return fig.volumes_figure(self.volumes.frame)

    @cached_property
    def financed_text(self) -> str | None:
        """Of the aspiranter, how many the nämnd financed and (computed) how many the stadsdelsnämnder did."""
        return financed_text(self.volumes.frame)

    # --- I arbete eller studier tre månader efter avslut
    @cached_property
    def outcome(self) -> Table:
        return observations_table(self.of([OUTCOME, *OUTCOME_TARGETS]), "stockholmsjobb_resultat_3_manader")

    @property
    def has_vp2026(self) -> bool:
        return bool(self.outcome.frame["measure"].isin(OUTCOME_TARGETS).any())

    @cached_property
    def outcome_figure(self) -> go.Figure:
        return fig.outcome_figure(self.outcome.frame)

    @property
    def outcome_caption(self) -> str:
        return (f"{TARGETS_NOTE} {VP2026_NOTE}" if self.has_vp2026 else
                "Verksamhetsplanen för 2026 finns inte i databasen; dess mål visas därför inte.")

    @cached_property
    def outcomes_by_type(self) -> Table:
        return observations_table(self.of(OUTCOMES_BY_TYPE), "stockholmsjobb_resultat_per_typ")

    # --- Yrkeskurs, serviceassistenter, arbetslag och introjobb
    @cached_property
    def kinds(self) -> Table:
        return observations_table(self.of(KINDS_OF_JOBS), "stockholmsjobb_typer")

    @cached_property
    def vocational_figure(self) -> go.Figure:
        """The share combined with a yrkeskurs."""
        share = self.kinds.frame
        share = share[share["measure"] == "sthlmsjobb_andel_yrkeskurs"].sort_values("period_start")
        share = share.assign(Period=[fig.axis_label(p) for p in share["period"]])
        return fig.bar_chart(share, x="Period", series=None, unit="procent", height=520,
                             title="Andel kombinerade med yrkeskurs", source=fig.chart_source(share),
                             demo=fig.is_demo(share))

    @cached_property
    def job_types_figure(self) -> go.Figure:
        people = self.kinds.frame
        people = people[people["unit"] == "antal"].sort_values("period_start")
        people = people.assign(Period=[fig.axis_label(p) for p in people["period"]])
        return fig.bar_chart(people, x="Period", series="measure_name", unit="antal", height=520,
                             title="Personer per typ av anställning", source=fig.chart_source(people),
                             demo=fig.is_demo(people))

    # --- Per kön
    @cached_property
    def indicators(self) -> Table:
        return observations_table(self.of(INDICATORS), "stockholmsjobb_indikatorer")

    @cached_property
    def gaps(self) -> pd.DataFrame:
        """fig.gender_gaps of the indicators: kvinnor, män, totalt and the computed gap."""
        return fig.gender_gaps(self.indicators.frame)

    @cached_property
    def gap_rows(self) -> pd.DataFrame:
        return fig.gap_table(self.gaps)

    @cached_property
    def gender_metrics(self) -> list[Metric]:
        """The indicators for the chosen kön (or the gap)."""
        return gender_metrics(self.gaps, self.kon)

    # --- Långsiktig uppföljning: aspiranter aktuella 2018
    @cached_property
    def cohort(self) -> Table:
        return observations_table(self.of(COHORT_WORK + COHORT_AID), "stockholmsjobb_kohort_2018")

    @cached_property
    def cohort_figure(self) -> go.Figure:
        return fig.cohort_figure(self.cohort.frame)

    @cached_property
    def cohort_metrics(self) -> list[Metric]:
        cohort = self.cohort.frame
        return [row_metric(one(cohort, "jobbtorg_kohort_ekbistand_1ar_fore_inskrivning", "2018"),
                           "Ekonomiskt bistånd ett år före inskrivning", "procent"),
                row_metric(one(cohort, "jobbtorg_kohort_ekbistand_2ar_efter_inskrivning", "2018"),
                           "Ekonomiskt bistånd två år efter inskrivning", "procent")]

    # --- Budgeterade platser per stadsdelsnämnd
    @cached_property
    def budget(self) -> Table:
        budget = self.obs[(self.obs["measure"] == BUDGET) & (self.obs["period"] == BUDGET_YEAR)]
        return observations_table(budget.sort_values("value", ascending=False),
                                  "stockholmsjobb_budget_stadsdelsnamnder")

    @cached_property
    def budget_figure(self) -> go.Figure:
        return fig.budget_figure(self.budget.frame, self.districts, f"Budgeterade Stockholmsjobb {BUDGET_YEAR}")

    @property
    def budget_link(self) -> str:
        return f"/karta?matt={BUDGET}&period={BUDGET_YEAR}&niva=stadsdelsomrade"

    # --- The chosen chart as a slide: title, figure and the footnote's parts
    @property
    def title(self) -> str:
        return fig.STHLMSJOBB_VOLUMES_TITLE if self.chart == "volymer" else fig.STHLMSJOBB_OUTCOME_TITLE

    @property
    def figure(self) -> go.Figure:
        return self.volumes_figure if self.chart == "volymer" else self.outcome_figure

    @cached_property
    def shown(self) -> pd.DataFrame:
        """The observations behind the chosen chart."""
        return fig.volume_counts(self.volumes.frame) if self.chart == "volymer" else self.outcome.frame

    @property
    def source(self) -> str:
        return labels.source_text(self.shown)

    @property
    def period(self) -> str:
        if self.chart == "volymer":
            return periods_in_order(self.shown)
        return outcome_period(fig.outcome_results(self.outcome.frame), self.outcome.frame)

    @property
    def definition(self) -> str:
        measures = list(dict.fromkeys(self.shown["measure"])) if self.chart == "volymer" else [OUTCOME]
        return definition_text(self.definitions, measures)

    @property
    def notes(self) -> list[str]:
        if self.chart == "volymer":
            return [NO_SPLIT, PERIODS_DIFFER]
        return [NO_SPLIT, TARGETS_NOTE] + ([VP2026_NOTE] if self.has_vp2026 else [])

    @property
    def link(self) -> str:
        return view_link("stockholmsjobb", {"kon": self.kon, "diagram": self.chart}, STHLMSJOBB_KEYS)


def one(frame: pd.DataFrame, measure: str, period: str, kind: str = "utfall") -> pd.Series | None:
    """The published totalt of a measure in a period, or None."""
    rows = frame[(frame["measure"] == measure) & (frame["period"] == period) & (frame["kind"] == kind)
                 & (frame["gender"] == "totalt")]
    return rows.iloc[0] if len(rows) else None


def financed_text(volumes: pd.DataFrame) -> str | None:
    """'Av N aspiranter 2022 finansierades M av arbetsmarknadsnämnden …'; the rest, N − M, is computed
    (approximate when either count is)."""
    total, own = one(volumes, "sthlmsjobb_aspiranter", "2022"), one(volumes, "sthlmsjobb_finansierade_namnden", "2022")
    if total is None or own is None:
        return None
    approximate = bool(qualifier_of(total.get("qualifier")) or qualifier_of(own.get("qualifier")))
    rest = format_gap(total["value"] - own["value"], "antal", approximate=approximate)
    return (f"Av {fig.shown_row(total, 'antal')} aspiranter 2022 finansierades {fig.shown_row(own, 'antal')} av "
            f"arbetsmarknadsnämnden och resten av stadsdelsnämnderna. Antalet som stadsdelsnämnderna finansierade "
            f"är inte tryckt ({MISSING}); skillnaden är {rest} ({labels.COMPUTED} ur de två publicerade talen).")


def gender_metrics(gaps: pd.DataFrame, kon: str) -> list[Metric]:
    """One metric per indicator published for kvinnor and män: the chosen kön's value, or the computed gap."""
    out = []
    for _, row in gaps.iterrows():
        if kon == "skillnad":
            shown, whose = fig.gap_value(row), f"kvinnor − män ({labels.COMPUTED})"
        else:
            shown = fig.shown_value(row[kon], row["unit"], row[f"{kon}_printed"], row.get(f"{kon}_qualifier"))
            whose = labels.GENDER_CHOICES[kon].lower()
        out.append(Metric(f"{row['measure_name']}, {period_label(row['period'])} – {whose}", shown,
                          f"Källa: {row['source']} ({row['source_location']})"))
    return out


def outcome_period(results: pd.DataFrame, outcome: pd.DataFrame) -> str:
    """'avslutade 2021; 2022; mål 2022; 2026': the periods of the results and of the targets drawn."""
    targets = outcome[outcome["kind"].isin(["mål", "kf-mål"]) & (outcome["gender"] == "totalt")]
    period = "avslutade " + periods_in_order(results)
    if not targets.empty:
        period += "; mål " + "; ".join(period_label(p) for p in dict.fromkeys(targets.sort_values("period_start")
                                                                               ["period"]))
    return period


def stockholmsjobb_view(obs: pd.DataFrame, state: Mapping[str, str], *, definitions: pd.DataFrame | None = None,
                        districts: Sequence[str] = ()) -> StockholmsjobbView:
    """The Stockholmsjobb view for `state` (keys kon, diagram). `obs`: the observations of MEASURES;
    `definitions`: queries.followup.measure_definitions of them (for the footnote); `districts`: the
    stadsdelsområden of the budget year (each gets a bar). A value that is not available falls back to the
    default and is named in `fallbacks`."""
    fallbacks: list[str] = []
    options = kon_options(obs[obs["measure"].isin(INDICATORS)])
    kon = pick(state, "kon", options, "totalt", fallbacks=fallbacks)
    chart = pick(state, "diagram", list(fig.STHLMSJOBB_CHARTS), "resultat", fallbacks=fallbacks)
    return StockholmsjobbView(kon=kon, kon_options=options, chart=chart, obs=obs,
                              definitions=definitions if definitions is not None else pd.DataFrame(),
                              districts=list(districts), fallbacks=fallbacks)
