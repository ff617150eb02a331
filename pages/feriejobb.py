"""Feriejobb: the young people with a feriejobb per employing förvaltning, and the feriejobb each stadsdelsnämnd
budgeted. Both per organisation, never as where the young people live (and so not on the map)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard import ui
from dashboard.core.numbers import MISSING
from dashboard.core.periods import period_bounds, period_label
from dashboard.figures import feriejobb as figures
from dashboard.ui.glossary import glossary_popover

st.title("Feriejobb")
glossary_popover(["Feriejobb"], key="begrepp_sida")

employed = ui.observations_of(figures.MEASURE)
rows = figures.employer_rows(employed)
budget = ui.observations_of(figures.BUDGET_MEASURE)
budget = budget[budget["kind"] == "budget"]
if len(budget):
    budget = budget[budget["period"] == budget.sort_values("period_start")["period"].iloc[-1]]
ui.demo_banner(bool(rows["is_demo"].any()) or bool(budget["is_demo"].any()))

# --- Per anställande förvaltning ---
when = f" {period_label(rows['period'].iloc[0])}" if len(rows) else ""
st.header(f"Feriejobb{when} per anställande förvaltning", anchor="per-forvaltning")
st.warning(f"**Inte var ungdomarna bor.** {figures.NOT_WHERE_THEY_LIVE}", icon=":material/info:")
if rows.empty:
    st.info(f"Feriejobb per förvaltning: {MISSING}.")
else:
    st.plotly_chart(figures.employer_figure(rows), key="feriejobb_forvaltning", width="stretch")
    st.caption(figures.employer_caption(rows, employed))
    table = figures.employer_table(rows, employed)
    ui.table(table, height=35 * (len(table) + 1) + 3)  # every row in view
    ui.sources_caption(rows)
    ui.download_table(figures.employer_export(rows), f"feriejobb_per_forvaltning_{rows['period'].iloc[0]}.csv",
                      is_demo=bool(rows["is_demo"].any()), key="csv_forvaltning", context={
                          "Mått": ui.measures_text(rows), "Period": ui.periods_text(rows),
                          "Kön": ui.genders_text(rows), "Dataset": ui.dataset_names(rows)})

# --- Budgeterat per stadsdelsnämnd ---
budget_when = period_label(budget["period"].iloc[0]) if len(budget) else ""
st.header(f"Budgeterade feriejobb per stadsdelsnämnd {budget_when}".strip(), anchor="per-stadsdelsnamnd")
st.caption(f"**Per stadsdelsnämnd, inte var ungdomarna bor.** {figures.BUDGET_NOT_WHERE_THEY_LIVE} "
           "Matrisen redovisar inte kvinnor och män.")
if budget.empty:
    st.info(f"Budgeterade feriejobb per stadsdelsnämnd: {MISSING}.")
else:
    day = period_bounds(budget["period"].iloc[0])[1]
    nämnder = ui.memberships_at(min(day, date.today()), "stadsdel", "stadsdelsomrade")["parent"].unique()
    table = figures.budget_table(budget, tuple(nämnder))
    ui.table(table, height=35 * (len(table) + 1) + 3)
    ui.sources_caption(budget.sort_values("source_location", key=lambda s: s.str.extract(r"(\d+)$")[0].astype(float)))
    ui.download_table(figures.employer_export(budget).rename(
        columns={"Anställande förvaltning eller nämnd": "Stadsdelsnämnd"}),
        f"feriejobb_budget_stadsdelsnamnder_{budget['period'].iloc[0]}.csv", is_demo=bool(budget["is_demo"].any()),
        key="csv_budget", context={"Mått": ui.measures_text(budget), "Period": ui.periods_text(budget),
                                   "Kön": ui.genders_text(budget), "Dataset": ui.dataset_names(budget)})
