"""The start page's rules: latest period, previous period of the same length, target matching, status, change."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from dashboard.views import oversikt as ov
from tests.seeds import REPO

COLUMNS = ["measure", "period", "gender", "value", "unit", "kind", "source", "source_location", "note"]


def frame(*rows: tuple) -> pd.DataFrame:
    """Rows as (measure, period, gender, value, kind), unit procent, source 'S', line = row number."""
    out = [(m, p, g, v, "procent", k, "S", f"rad {i}", "") for i, (m, p, g, v, k) in enumerate(rows, start=1)]
    return pd.DataFrame(out, columns=COLUMNS)


# --- status ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "target", "expected"), [
    (57.5, 55, "uppfyllt"),
    (55, 55, "uppfyllt"),  # reaching the target is enough
    (45, 50, "delvis uppfyllt"),  # exactly 90 % of the target
    (49.9, 50, "delvis uppfyllt"),
    (44.9, 50, "ej uppfyllt"),
    (0, 55, "ej uppfyllt"),
])
def test_status_when_higher_is_better(value: float, target: float, expected: str) -> None:
    assert ov.status(value, target, True) == expected


@pytest.mark.parametrize(("value", "target", "expected"), [
    (6.0, 6.0, "uppfyllt"),
    (5.0, 6.0, "uppfyllt"),
    (6.6, 6.0, "delvis uppfyllt"),  # exactly 10 % over
    (6.7, 6.0, "ej uppfyllt"),
])
def test_status_when_lower_is_better(value: float, target: float, expected: str) -> None:
    assert ov.status(value, target, False) == expected


def test_no_status_without_target_value_or_direction() -> None:
    assert ov.status(50, None, True) is None
    assert ov.status(None, 50, True) is None
    assert ov.status(float("nan"), 50, True) is None
    assert ov.status(50, 45, None) is None


def test_the_stated_rule_names_the_thresholds_and_the_indicator_page() -> None:
    assert "90 %" in ov.STATUS_RULE and "10 %" in ov.STATUS_RULE
    assert ov.PARTLY == 0.9 and ov.PARTLY_OVER == 1.1
    assert "(/indikatorer)" in ov.STATUS_RULE
    assert "inget mål" in ov.STATUS_RULE.lower() or "Inget mål" in ov.STATUS_RULE


# --- change ---------------------------------------------------------------------------------------------------

def test_difference_keeps_the_published_precision() -> None:
    assert ov.difference(57.5, 56.8) == 0.7
    assert ov.difference(71, 65) == 6
    assert ov.difference(6.4, 6.7) == -0.3
    assert ov.difference(4828, 4704) == 124


def test_change_is_in_procentenheter_for_shares_and_in_the_unit_otherwise() -> None:
    assert ov.change_unit("procent") == "procentenheter"
    assert ov.change_unit("antal") == "antal"
    assert ov.signed(0.7, "procentenheter") == "+0,7 procentenheter"
    assert ov.signed(-0.3, "procentenheter") == "\u22120,3 procentenheter"
    assert ov.signed(0, "procentenheter") == "±0 procentenheter"
    assert ov.signed(357, "antal") == "+357"


# --- periods --------------------------------------------------------------------------------------------------

def test_period_shape_and_target_year() -> None:
    assert ov.period_shape("2022") == ov.period_shape("2021-09/2022-08") == ("mån", 12)
    assert ov.period_shape("2021-01/2021-03") == ("mån", 3)
    assert ov.period_shape("2021-T1") == ("mån", 4)
    assert ov.period_shape("2022-09") == ("mån", 1)
    assert ov.period_shape("2022-12-31") == ("dag", 1)
    assert ov.target_year("2021-09/2022-08") == 2022
    assert ov.target_year("2021-T1") == 2021


def test_latest_is_the_period_that_ends_last() -> None:
    obs = frame(("m", "2021", "totalt", 1, "utfall"), ("m", "2022", "totalt", 2, "utfall"),
                ("m", "2021-01/2021-03", "totalt", 3, "utfall"), ("m", "2026", "totalt", 9, "mål"),
                ("m", "2023", "kvinnor", 4, "utfall"))
    assert ov.latest(obs, "m")["period"] == "2022"  # not the target year, not a kön-only period
    assert ov.latest(obs, "other") is None


def test_latest_prefers_the_shorter_period_on_the_same_end() -> None:
    obs = frame(("m", "2022", "totalt", 1, "utfall"), ("m", "2022-T3", "totalt", 2, "utfall"))
    assert ov.latest(obs, "m")["period"] == "2022-T3"


def test_previous_compares_like_with_like() -> None:
    obs = frame(("m", "2022", "totalt", 50, "utfall"), ("m", "2021-01/2021-03", "totalt", 37, "utfall"))
    assert ov.previous(obs, "m", "2022") is None  # three months are not a year
    obs = frame(("m", "2020", "totalt", 1, "utfall"), ("m", "2021", "totalt", 2, "utfall"),
                ("m", "2022", "totalt", 3, "utfall"))
    assert ov.previous(obs, "m", "2022")["period"] == "2021"


def test_previous_of_a_twelve_month_span_is_the_twelve_months_before() -> None:
    obs = frame(("m", "2021-09/2022-08", "totalt", 57.5, "utfall"), ("m", "2020-09/2021-08", "totalt", 56.8, "utfall"),
                ("m", "2020-01/2020-12", "totalt", 47, "utfall"), ("m", "2021-03/2022-02", "totalt", 1, "utfall"))
    assert ov.previous(obs, "m", "2021-09/2022-08")["period"] == "2020-09/2021-08"  # not the overlapping one


# --- targets --------------------------------------------------------------------------------------------------

def test_target_for_the_outcomes_year() -> None:
    obs = frame(("m", "2021", "totalt", 50, "mål"), ("m", "2022", "totalt", 45, "mål"),
                ("ind", "2026", "totalt", 60, "mål"))
    [target] = ov.targets_for(obs, ("m", "ind"), "2022")
    assert (target.kind, target.period, target.value, target.same_year) == ("mål", "2022", 45, True)


def test_a_span_is_matched_to_the_year_it_ends() -> None:
    obs = frame(("m", "2021", "totalt", 50, "mål"), ("m", "2022", "totalt", 55, "mål"))
    [target] = ov.targets_for(obs, ("m",), "2021-09/2022-08")
    assert target.period == "2022" and target.same_year


def test_without_a_target_for_the_year_the_nearest_is_shown_but_not_the_same_year() -> None:
    obs = frame(("ind", "2026", "totalt", 20, "mål"))
    [target] = ov.targets_for(obs, ("m", "ind"), "2022")
    assert (target.period, target.same_year, target.label) == ("2026", False, "Nämndens mål 2026")


def test_nearest_year_tie_takes_the_later_year_and_own_measure_wins_in_the_same_year() -> None:
    obs = frame(("m", "2021", "totalt", 50, "mål"), ("m", "2023", "totalt", 60, "mål"))
    assert ov.targets_for(obs, ("m",), "2022")[0].period == "2023"
    obs = frame(("ind", "2022", "totalt", 99, "mål"), ("m", "2022", "totalt", 45, "mål"))
    assert ov.targets_for(obs, ("m", "ind"), "2022")[0].measure == "m"


def test_nämndens_and_kf_targets_are_kept_apart() -> None:
    obs = frame(("m", "2021", "totalt", 485, "mål"), ("m", "2021", "totalt", 800, "kf-mål"))
    targets = {t.kind: t.value for t in ov.targets_for(obs, ("m",), "2021-T1")}
    assert targets == {"mål": 485, "kf-mål": 800}


# --- a whole card ---------------------------------------------------------------------------------------------

INFO = pd.DataFrame([("m", "Mått", "Definition", "procent", True)],
                    columns=["measure", "name", "definition", "unit", "higher_is_better"])


def test_a_target_for_another_year_gives_no_status() -> None:
    card = ov.Card("k", "Kort", "m", "/kaa", "KAA", target_measures=("ind",))
    obs = frame(("m", "2022", "totalt", 21.5, "utfall"), ("ind", "2026", "totalt", 20, "mål"))
    view = ov.build_view(card, obs, INFO)
    assert view.status is None and view.no_status_reason == "inget mål för 2022"
    assert view.no_change_reason == "ingen tidigare period"


def test_a_card_with_target_change_and_kön() -> None:
    card = ov.Card("k", "Kort", "m", "/kaa", "KAA")
    obs = frame(("m", "2021", "totalt", 65, "utfall"), ("m", "2022", "totalt", 71, "utfall"),
                ("m", "2022", "kvinnor", 73.5, "utfall"), ("m", "2022", "män", 68, "utfall"),
                ("m", "2022", "totalt", 60, "mål"))
    view = ov.build_view(card, obs, INFO)
    assert view.value_text == "71 %"
    assert view.change_text == "+6 procentenheter"
    assert view.status == "uppfyllt" and view.status_target.period == "2022"
    assert view.gap_text == "+5,5 procentenheter"
    assert list(view.sources_frame()["source_location"]) == ["rad 1", "rad 2", "rad 3", "rad 4", "rad 5"]


def _qualified(obs: pd.DataFrame, qualifiers: dict[int, str]) -> pd.DataFrame:
    """The frame with a qualifier column: {row index: word}."""
    return obs.assign(qualifier=[qualifiers.get(i) for i in range(len(obs))])


def test_an_approximate_value_keeps_its_word_and_its_change_and_gap_are_approximate() -> None:
    card = ov.Card("k", "Kort", "m", "/kaa", "KAA")
    obs = _qualified(frame(("m", "2021", "totalt", 56.8, "utfall"), ("m", "2022", "totalt", 57.5, "utfall"),
                           ("m", "2022", "kvinnor", 47, "utfall"), ("m", "2022", "män", 53, "utfall")),
                     {1: "drygt", 2: "cirka", 3: "cirka"})
    view = ov.build_view(card, obs, INFO)
    assert view.value_text == "drygt 57,5 %"
    assert view.change_text == "\u2248 +1 procentenhet", "not +0,7: the newer value is approximate"
    assert view.gap_text == "\u2248 \u22126 procentenheter"
    assert view.kvinnor.text == "cirka 47 %" and view.previous.text == "56,8 %"


def test_an_exact_change_stays_exact_beside_an_approximate_card() -> None:
    card = ov.Card("k", "Kort", "m", "/kaa", "KAA")
    obs = _qualified(frame(("m", "2021", "totalt", 56.8, "utfall"), ("m", "2022", "totalt", 57.5, "utfall")), {})
    assert ov.build_view(card, obs, INFO).change_text == "+0,7 procentenheter"


@pytest.mark.parametrize(("value", "qualifier", "target", "expected"), [
    (50, "närmare", 50, "delvis uppfyllt"),  # below 50, above 45
    (50, "", 50, "uppfyllt"),
    (50, "omkring", 50, None),  # either side of the target
    (57.5, "drygt", 55, "uppfyllt"),
    (44.5, "drygt", 50, None),  # 44,5–45,5 straddles 90 % of the target
    (30, "cirka", 50, "ej uppfyllt"),
])
def test_status_of_an_approximate_value(value: float, qualifier: str, target: float, expected: str | None) -> None:
    assert ov.status(value, target, True, qualifier) == expected


def test_an_approximate_value_at_the_target_gets_no_status_and_says_why() -> None:
    card = ov.Card("k", "Kort", "m", "/kaa", "KAA")
    obs = _qualified(frame(("m", "2022", "totalt", 50, "utfall"), ("m", "2022", "totalt", 50, "mål")), {0: "omkring"})
    view = ov.build_view(card, obs, INFO)
    assert view.status is None and "ungefärligt (omkring 50 %)" in view.no_status_reason


def test_a_target_keeps_its_qualifier() -> None:
    obs = _qualified(frame(("m", "2021", "totalt", 50, "mål")), {0: "minst"})
    [target] = ov.targets_for(obs, ("m",), "2021")
    assert target.text("procent") == "minst 50 %"


def test_a_card_without_data_says_so() -> None:
    view = ov.build_view(ov.Card("k", "Kort", "m", "/kaa", "KAA"), frame(), INFO)
    assert view.value_text == "uppgift saknas" and view.status is None and view.gap_text == "uppgift saknas"


# --- the card list --------------------------------------------------------------------------------------------

def _catalogue() -> dict[str, dict[str, str]]:
    out = {}
    for path in sorted((REPO / "data" / "measures").glob("*.csv")):
        with path.open(encoding="utf-8") as handle:
            out.update({r["measure"]: r for r in csv.DictReader(handle)})
    return out


def test_every_card_measure_exists_and_targets_share_the_outcomes_unit() -> None:
    catalogue = _catalogue()
    keys = [c.key for c in ov.CARDS]
    assert len(keys) == len(set(keys))
    for card in ov.CARDS:
        assert card.measure in catalogue, card.measure
        for other in (*card.target_measures, *card.related):
            assert other in catalogue, other
            assert catalogue[other]["unit"] == catalogue[card.measure]["unit"], other
        assert card.link.split("?")[0] in {"/kaa", "/stockholmsjobb", "/jobbtorg", "/feriejobb", "/karta", "/indikatorer",
                                              "/data"}
    assert set(ov.card_measures()) >= {c.measure for c in ov.CARDS}


def test_the_feriejobb_card_does_not_send_people_to_a_map_of_förvaltningar() -> None:
    """Feriejobb per förvaltning say where young people worked; the map would read as where they live."""
    card = next(c for c in ov.CARDS if c.measure == "feriejobb_anstallda")
    assert not card.link.startswith("/karta")
