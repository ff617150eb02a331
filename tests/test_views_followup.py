"""The pieces of the follow-up view models (no database): tables with their downloads, kön options, definitions."""

from __future__ import annotations

import math

import pandas as pd

from dashboard.core.numbers import MISSING
from dashboard.views import followup
from tests.test_figures_followup import frame


def test_a_table_and_its_download_hold_the_same_observations_with_their_context() -> None:
    data = frame([{"period": "2021", "period_start": "2021-01-01", "value": 50.0, "printed": "50", "is_demo": False},
                  {"gender": "kvinnor", "value": 52.5, "printed": "52,5", "is_demo": True}])
    table = followup.observations_table(data, "fil")
    assert list(table.rows["Värde"]) == ["50 %", "52,5 %"] and list(table.download["Värde"]) == [50.0, 52.5]
    assert (table.measures, table.periods, table.kon) == ("Mått", "2021; 2022", "Totalt; Kvinnor")
    assert table.rows_demo == [False, True] and table.demo
    pivot = followup.observations_table(data, "fil", rows=pd.DataFrame({"a": [1]}), kon="Kvinnor")
    assert pivot.rows_demo is True and pivot.kon == "Kvinnor" and len(pivot.download) == 2


def test_kon_options_offer_the_gap_only_where_both_kvinnor_and_man_are_published() -> None:
    assert followup.kon_options(frame([{"gender": "kvinnor"}, {"gender": "män"}])) == [
        "totalt", "kvinnor", "män", "skillnad"]
    assert followup.kon_options(frame([{"gender": "kvinnor"}, {"gender": "totalt"}])) == ["totalt"]


def test_a_definition_names_its_source_and_says_when_there_is_none() -> None:
    definitions = pd.DataFrame({"measure": ["a", "b"], "name": ["A", "B"], "definition": ["Antal.", None],
                                "source": ["Rapport", "Rapport"], "source_location": ["rad 3", math.nan]})
    assert followup.definition_text(definitions, ["b", "a", "okänd"]) == (
        "B: anges inte i källan (Rapport) A: Antal. (Rapport, rad 3)")
    assert followup.definition_text(pd.DataFrame(), ["a"]) == "anges inte i källan"


def test_a_metric_is_the_value_as_printed_with_its_source_and_a_gap_says_uppgift_saknas() -> None:
    assert (followup.row_metric(None, "Antal").value, followup.row_metric(None, "Antal").help) == (MISSING, None)
    row = frame([{"value": 7154.0, "unit": "antal", "printed": "7 154", "qualifier": "drygt"}]).iloc[0]
    metric = followup.row_metric(row, "Antal")
    assert (metric.value, metric.help) == ("drygt 7\u00a0154", "Källa: Rapport, rad 1")


def test_a_footnotes_periods_are_in_time_order() -> None:
    data = frame([{"period": "2022"}, {"period": "2021-T1", "period_start": "2021-01-01"},
                  {"period": "2022", "gender": "kvinnor"}])
    assert followup.periods_in_order(data) == "tertial 1 2021; 2022"
    assert followup.periods_in_order(data.iloc[0:0]) == MISSING
