"""The Stockholmsjobb view model, and the page and the slide drawn from it: the same numbers, title, footnote and
downloads, for every kön, both charts and a link whose values no longer exist."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from dashboard.figures import followup as fig
from dashboard.views import presentable
from tests import parity
from tests.apptest import offered_downloads, open_app

PAGE = "pages/stockholmsjobb.py"
STATES = [{}, {"kon": "kvinnor", "diagram": "resultat"}, {"kon": "män", "diagram": "volymer"},
          {"kon": "skillnad", "diagram": "volymer"}, {"kon": "ingen", "diagram": "finns_inte"}]


def test_the_view_resolves_its_state_and_names_what_fell_back(db: Engine) -> None:
    view = presentable.stockholmsjobb_model({"kon": "ingen", "diagram": "finns_inte"}, db)
    assert (view.kon, view.chart, view.fallbacks) == ("totalt", "resultat", ["kon", "diagram"])
    assert view.kon_options == ["totalt", "kvinnor", "män", "skillnad"]
    assert presentable.stockholmsjobb_model({}, db).fallbacks == []
    assert view.link == "stockholmsjobb?kon=totalt&diagram=resultat"


def test_the_view_holds_the_kon_figures_and_the_gap_in_procentenheter(db: Engine) -> None:
    gap = presentable.stockholmsjobb_model({"kon": "skillnad"}, db)
    shown = dict(parity.shown(gap.gender_metrics))
    label = "Andel som arbetar eller studerar, tre månader efter avslutad serviceassistentanställning, tertial 1 2021"
    assert shown[f"{label} – kvinnor − män (beräknat av verktyget)"] == "7,14 procentenheter"
    women = dict(parity.shown(presentable.stockholmsjobb_model({"kon": "kvinnor"}, db).gender_metrics))
    assert women[f"{label} – kvinnor"] == "57,14 %"
    assert "Skillnad kvinnor − män (beräknat av verktyget)" in gap.gap_rows.columns
    assert "288 (beräknat av verktyget" in gap.financed_text  # 877 − 589, neither printed as the other
    assert gap.title == fig.STHLMSJOBB_OUTCOME_TITLE and gap.notes[0].startswith("Inte publicerat uppdelat")
    volumes = presentable.stockholmsjobb_model({"diagram": "volymer"}, db)
    assert volumes.title == fig.STHLMSJOBB_VOLUMES_TITLE and volumes.shown["unit"].eq("antal").all()


@pytest.mark.parametrize("state", STATES, ids=["-".join(s.values()) or "standard" for s in STATES])
def test_page_and_slide_show_the_same_numbers_title_footnote_and_downloads(app_env: str, db: Engine,
                                                                           state: dict[str, str]) -> None:
    with offered_downloads() as files:
        at = open_app(page=PAGE, query=state)
    assert not at.exception
    slide = presentable.build("stockholmsjobb", state, db)
    view = presentable.stockholmsjobb_model(state, db)
    assert slide.fallbacks == view.fallbacks
    for key in view.fallbacks:  # the page says so where the control is
        assert any(f"”{state[key]}” finns inte här" in c.value for c in at.caption), key
    assert slide.title == view.title and slide.figure is not None
    parity.same_chart(parity.chart(at, slide.title), slide)
    parity.same_title_and_footnote(at, slide)
    tables = [view.volumes, view.outcome, view.outcomes_by_type, view.kinds, view.indicators, view.cohort,
              view.budget]
    shown = [t.rows for t in tables[:4]] + [view.gap_rows] + [t.rows for t in tables[4:]]
    assert len(parity.tables(at)) == len(shown)
    for page_table, rows in zip(parity.tables(at), shown, strict=True):
        assert page_table.equals(rows.reset_index(drop=True))
    assert parity.metrics(at) == parity.shown(view.volume_metrics + view.gender_metrics + view.cohort_metrics)
    parity.same_downloads(files, tables, db)
    assert any(c.value.endswith(slide.link) for c in at.code), "the share link is the slide's link"
