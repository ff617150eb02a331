"""The Jobbtorg Stockholm view model: from the URL state (kon, urval) and the observations to everything the page,
the slide and the downloads show (resolved choices, figures, tables, metrics, title, footnote). No Streamlit here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd
import plotly.graph_objects as go

from dashboard.core import labels
from dashboard.core.numbers import MISSING
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
from dashboard.views.presentable import JOBBTORG_KEYS, pick, view_link

ENROLLED = fig.JOBBTORG_ENROLLED
UNIQUE = fig.JOBBTORG_UNIQUE
EXITS = "jobbtorg_andel_avslutade_arbete_studier"
EXIT_TARGETS = ["ind_avslutade_jobbtorg_arbete_studier"]  # VP 2026's indicator for the same result
INDICATORS = ["ind_avslutade_jobbtorg_arbete_studier", "ind_avslutade_jobbtorg_18_29_arbete_studier",
              "ind_avslutade_jobbtorg_arbete_studier_inom_12_man", "ind_avslutade_jobbtorg_exkl_ateremitterade_12_man",
              "ind_sjalvforsorjande_6_man_efter_jobbtorg", "ind_handlingsplan_inom_5_dagar",
              "ind_inskrivningstid_jobbtorg", "ind_inskrivningstid_unga_18_29", "ind_delaktiga_planering_jobbtorg",
              "ind_upplever_okade_mojligheter_jobbtorg"]
# Every measure the view shows (the page and the slide load the same).
MEASURES = [ENROLLED, UNIQUE, EXITS, *INDICATORS]
TERMS = ["Unik individ"]  # the glossary terms that explain the counts
SPANS = fig.JOBBTORG_SPANS
MANY_GROUPS = "Inskrivna räknas per målgrupp; en person kan räknas i mer än en målgrupp."
GAP_IS_COUNTED = (f"Skillnaden är antal kvinnor minus antal män, {labels.COMPUTED} ur de publicerade talen. "
                  "Negativt = fler män.")



@dataclass
class JobbtorgView:
    """The resolved choices and the observations; every figure, table and text is built from them when first
    asked for (the slide needs one figure, the page all of them) and kept."""

    kon: str  # totalt, kvinnor, män or skillnad
    kon_options: list[str]
    span: str  # helar or jan-mar (SPANS)
    obs: pd.DataFrame  # the observations of MEASURES
    definitions: pd.DataFrame  # queries.followup.measure_definitions of them
    terms: pd.DataFrame  # the glossary entries of TERMS
    fallbacks: list[str] = field(default_factory=list)

    @property
    def demo(self) -> bool:
        return fig.is_demo(self.obs)

    # --- Inskrivna per målgrupp
    @cached_property
    def counts(self) -> pd.DataFrame:
        """Inskrivna and unika individer of the span's periods, every kön."""
        counts = self.obs[self.obs["measure"].isin([ENROLLED, UNIQUE])]
        return counts[[fig.span_of(p) == self.span for p in counts["period"]]]

    @cached_property
    def enrolled(self) -> Table:
        """Inskrivna per målgrupp and kön with the computed gap; the download has every row behind it."""
        return observations_table(self.counts, f"jobbtorg_inskrivna_{self.span}",
                                  rows=fig.enrolled_pivot(self.counts), kon=labels.GENDER_CHOICES[self.kon])

    @property
    def gap_caption(self) -> str | None:
        return GAP_IS_COUNTED if self.kon == "skillnad" else None

    # --- Unika individer och inskrivna
    @cached_property
    def unique_metrics(self) -> list[list[Metric]]:
        """Per period (newest first) totalt inskrivna, unika individer and the difference, for the chosen kön
        (totalt for the gap, which is not a count of people)."""
        gender = "totalt" if self.kon == "skillnad" else self.kon
        out = []
        for period in sorted(self.counts["period"].unique(), reverse=True):
            at = self.counts[(self.counts["period"] == period) & (self.counts["gender"] == gender)]
            enrolled = at[(at["measure"] == ENROLLED) & (at["group"] == "alla")]
            unique = at[at["measure"] == UNIQUE]
            difference = (MISSING if enrolled.empty or unique.empty else
                          fig.shown_value(enrolled["value"].iloc[0] - unique["value"].iloc[0], "antal"))
            name = period_label(period)
            out.append([row_metric(None if enrolled.empty else enrolled.iloc[0], f"Totalt inskrivna, {name} "
                                   f"({gender})", "antal"),
                        row_metric(None if unique.empty else unique.iloc[0], f"Unika individer, {name} ({gender})",
                                   "antal"),
                        Metric(f"Skillnad ({labels.COMPUTED})", difference)])
        return out

    @cached_property
    def definition_lines(self) -> list[str]:
        """Why inskrivna and unika individer differ: the stored definitions and the glossary's, with sources."""
        lines = [f"- **{d.name}**: {d.definition} ({d.source}, {d.source_location})"
                 for d in self.definitions.itertuples() if d.measure in (ENROLLED, UNIQUE)]
        return lines + [f"- **{t.term}** (ordlistan): {t.definition} ({t.source}, {t.source_location})"
                        for t in self.terms.itertuples()]

    # --- Avslutade till arbete eller studier
    @cached_property
    def exits(self) -> Table:
        exits = self.obs[self.obs["measure"].isin([EXITS, *EXIT_TARGETS])
                         & self.obs["kind"].isin(["utfall", "mål", "kf-mål"])]
        return observations_table(exits, "jobbtorg_avslut_arbete_studier")

    @cached_property
    def exits_figure(self) -> go.Figure:
        exits = self.exits.frame
        outcome = exits[(exits["measure"] == EXITS) & (exits["kind"] == "utfall")].sort_values("period_start")
        outcome = outcome.assign(Period=[fig.axis_label(p) for p in outcome["period"]])
        return fig.bar_chart(outcome, x="Period", series=None, unit="procent", targets=fig.target_lines(exits),
                             height=480, source=fig.chart_source(exits), demo=fig.is_demo(exits),
                             title="Andel avslutade aspiranter som gått vidare till arbete eller studier")

    @property
    def exits_by_kon(self) -> bool:
        """Whether the share of avslut to arbete or studier is published by kön."""
        exits = self.exits.frame
        return bool(exits[exits["measure"] == EXITS]["gender"].isin(["kvinnor", "män"]).any())

    # --- Indikatorer per kön
    @cached_property
    def indicators(self) -> Table:
        return observations_table(self.obs[self.obs["measure"].isin(INDICATORS)], "jobbtorg_indikatorer")

    @cached_property
    def indicators_figure(self) -> go.Figure:
        chosen = fig.indicators_by_gender(self.indicators.frame, self.kon)
        return fig.bar_chart(chosen, x="Indikator", series=None, horizontal=True,
                             unit="procentenheter" if self.kon == "skillnad" else "procent",
                             height=160 + 70 * max(len(chosen), 1), source=fig.chart_source(chosen),
                             demo=fig.is_demo(chosen),
                             title=f"Indikatorer för Jobbtorg Stockholm – {fig.choice_text(self.kon)}")

    @cached_property
    def gap_rows(self) -> pd.DataFrame:
        """The indicators published for kvinnor and män: the two, totalt and the computed gap."""
        return fig.gap_table(fig.gender_gaps(self.indicators.frame))

    # --- Inskrivna per målgrupp as a slide: title, figure and the footnote's parts
    @property
    def title(self) -> str:
        return f"Inskrivna på Jobbtorg Stockholm per målgrupp, {fig.choice_text(self.kon)}, {SPANS[self.span].lower()}"

    @cached_property
    def figure(self) -> go.Figure:
        return fig.enrolled_figure(self.counts, self.kon)

    @cached_property
    def shown(self) -> pd.DataFrame:
        """The observations behind the figure: inskrivna per målgrupp of the chosen kön (kvinnor and män for
        the gap)."""
        groups = fig.enrolled_groups(self.counts)
        return groups[groups["gender"].isin(["kvinnor", "män"] if self.kon == "skillnad" else [self.kon])]

    @property
    def source(self) -> str:
        return labels.source_text(self.shown)

    @property
    def period(self) -> str:
        return periods_in_order(self.shown)

    @property
    def definition(self) -> str:
        return definition_text(self.definitions, [ENROLLED])

    @property
    def notes(self) -> list[str]:
        return [MANY_GROUPS] + ([GAP_IS_COUNTED] if self.kon == "skillnad" else [])

    @property
    def link(self) -> str:
        return view_link("jobbtorg", {"kon": self.kon, "urval": self.span}, JOBBTORG_KEYS)


def jobbtorg_view(obs: pd.DataFrame, state: Mapping[str, str], *, definitions: pd.DataFrame | None = None,
                  terms: pd.DataFrame | None = None) -> JobbtorgView:
    """The Jobbtorg view for `state` (keys kon, urval). `obs`: the observations of MEASURES; `definitions`:
    queries.followup.measure_definitions of them; `terms`: glossary_entries(TERMS). A value that is not available
    falls back to the default and is named in `fallbacks`."""
    fallbacks: list[str] = []
    options = kon_options(obs[obs["measure"].isin([ENROLLED, UNIQUE])])
    kon = pick(state, "kon", options, "totalt", fallbacks=fallbacks)
    span = pick(state, "urval", list(SPANS), "helar", fallbacks=fallbacks)
    return JobbtorgView(
        kon=kon, kon_options=options, span=span, obs=obs,
        definitions=definitions if definitions is not None else pd.DataFrame(columns=["measure"]),
        terms=terms if terms is not None else pd.DataFrame(columns=["term"]), fallbacks=fallbacks)
