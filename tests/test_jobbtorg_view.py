"""The Jobbtorg view model, and the page and the slide drawn from it: the same numbers, title, footnote and
downloads, for every kön, both periods and a link whose values no longer exist."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from dashboard.views import presentable
from tests import parity
from tests.apptest import offered_downloads, open_app

PAGE = "pages/jobbtorg.py"
STATES = [{}, {"kon": "kvinnor", "urval": "helar"}, {"kon": "män", "urval": "jan-mar"},
          {"kon": "skillnad", "urval": "helar"}, {"kon": "skillnad", "urval": "jan-mar"},
          {"kon": "ingen", "urval": "finns_inte"}]


def test_the_view_resolves_its_state_and_names_what_fell_back(db: Engine) -> None:
    view = presentable.jobbtorg_model({"kon": "ingen", "urval": "finns_inte"}, db)
    assert (view.kon, view.span, view.fallbacks) == ("totalt", "helar", ["kon", "urval"])
    assert view.kon_options == ["totalt", "kvinnor", "män", "skillnad"]
    assert presentable.jobbtorg_model({}, db).fallbacks == []
    assert view.link == "jobbtorg?kon=totalt&urval=helar"


def test_the_view_holds_the_pivot_by_kon_the_gap_and_the_unique_people(db: Engine) -> None:
    gap = presentable.jobbtorg_model({"kon": "skillnad", "urval": "helar"}, db)
    pivot = gap.enrolled.rows.set_index("Målgrupp")
    assert pivot.at["Försörjningsstöd", "2022: kvinnor − män (beräknat av verktyget)"] == "\u2212257"
    assert gap.title == ("Inskrivna på Jobbtorg Stockholm per målgrupp, kvinnor − män (beräknat av verktyget), "
                         "helår")
    assert set(gap.shown["gender"]) == {"kvinnor", "män"} and any("fler män" in n for n in gap.notes)
    women = presentable.jobbtorg_model({"kon": "kvinnor", "urval": "jan-mar"}, db)
    assert set(women.shown["gender"]) == {"kvinnor"} and women.title.endswith("kvinnor, januari–mars")
    assert [m.label for m in women.unique_metrics[0]][:2] == ["Totalt inskrivna, januari 2021 – mars 2021 (kvinnor)",
                                                             "Unika individer, januari 2021 – mars 2021 (kvinnor)"]
    assert set(gap.counts["period"]) == {"2021", "2022"} and len(pivot) == len(gap.enrolled.rows)


@pytest.mark.parametrize("state", STATES, ids=["-".join(s.values()) or "standard" for s in STATES])
def test_page_and_slide_show_the_same_numbers_title_footnote_and_downloads(app_env: str, db: Engine,
                                                                           state: dict[str, str]) -> None:
    with offered_downloads() as files:
        at = open_app(page=PAGE, query=state)
    assert not at.exception
    slide = presentable.build("jobbtorg", state, db)
    view = presentable.jobbtorg_model(state, db)
    assert slide.fallbacks == view.fallbacks
    for key in view.fallbacks:  # the page says so where the control is
        assert any(f"”{state[key]}” finns inte här" in c.value for c in at.caption), key
    assert slide.title == view.title
    parity.same_chart(parity.chart(at, view.figure.layout.title.text), slide)
    parity.same_title_and_footnote(at, slide)
    shown = [view.enrolled.rows, view.exits.rows, view.gap_rows, view.indicators.rows]
    assert len(parity.tables(at)) == len(shown)
    for page_table, rows in zip(parity.tables(at), shown, strict=True):
        assert page_table.equals(rows.reset_index(drop=True))
    assert parity.metrics(at) == parity.shown([m for row in view.unique_metrics for m in row])
    parity.same_downloads(files, [view.enrolled, view.exits, view.indicators], db)
    assert any(c.value.endswith(slide.link) for c in at.code), "the share link is the slide's link"
