"""The start page, as a user opens it: every card against the transcribed CSV files."""

from __future__ import annotations

import csv
import re
from datetime import date

import pytest

from dashboard.core.numbers import format_value
from dashboard.core.periods import period_bounds, period_label
from dashboard.views import oversikt as ov
from tests.apptest import open_app
from tests.seeds import REPO

SHARED = REPO.parent / "shared" / "data" / "published_unemployment_by_district.csv"

# Transcribed by hand from data/observations/*.csv (and, for arbetslöshet, the shared published file):
# card → (latest value as shown, its period, change as shown or None, status label).
EXPECTED = {
    "kaa_arbete": ("21,5 %", "2022", None, "Ingen status"),  # only target: VP 2026, for 2026
    "kaa_studier": ("närmare 50 %", "2022", None, "Uppfyllt"),  # mål 2022 45 %
    # "drygt 57,5" after 56,8: approximate, so no "+0,7"
    "sthlmsjobb_3man": ("drygt 57,5 %", "2021-09/2022-08", "\u2248 +1 procentenhet", "Uppfyllt"),  # mål 2022 55 %
    "jobbtorg": ("närmare 71 %", "2022", "\u2248 +6 procentenheter", "Uppfyllt"),  # "drygt 65" 2021; mål 2022 60 %
    "aspiranter": ("877", "2022", None, "Uppfyllt"),  # mål 2022 800
    "feriejobb": ("9 532", "2022", None, "Ingen status"),
    "arbetsloshet": ("6,4 %", "2022-09", "\u22120,3 procentenheter", "Ingen status"),
}
BADGE = re.compile(r"-badge\[:material/\w+: (Uppfyllt|Delvis uppfyllt|Ej uppfyllt|Ingen status)\]")


def _plain(text: str) -> str:
    return re.sub(r"[\u00a0\u2009\u202f]", " ", text)


def _published_rows() -> list[dict[str, str]]:
    """Every city row of the transcription, the shared published file mapped to its measures as the loader does."""
    rows = []
    for path in sorted((REPO / "data" / "observations").glob("*.csv")):
        with path.open(encoding="utf-8") as handle:
            rows += [r | {"file": path.name} for r in csv.DictReader(handle)]
    with (REPO / "data" / "publicerad_arbetsloshet_matt.csv").open(encoding="utf-8") as handle:
        mapping = {(r["measure"], r["unit"], r["age_group"], r["population_base"]): r["target_measure"]
                   for r in csv.DictReader(handle)}
    with SHARED.open(encoding="utf-8") as handle:
        for r in csv.DictReader(handle):
            rows.append({"measure": mapping[(r["measure"], r["unit"], r["age_group"], r["population_base"])],
                         "period": r["period"], "area": r["area"], "area_level": "stad", "group": "alla",
                         "gender": {"total": "totalt"}.get(r["gender"], r["gender"]), "value": r["value"],
                         "unit": r["unit"], "kind": "utfall", "source": r["source_title"], "line": ""})
    return [r for r in rows if r["area"] == "Stockholms stad" and r["group"] == "alla"]


ROWS = _published_rows()


def _outcomes(measure: str, gender: str = "totalt") -> list[dict[str, str]]:
    return [r for r in ROWS if r["measure"] == measure and r["kind"] == "utfall" and r["gender"] == gender]


def _latest(measure: str) -> dict[str, str]:
    def key(row: dict[str, str]) -> tuple[date, date]:
        start, end = period_bounds(row["period"])
        return end, start
    return max(_outcomes(measure), key=key)


def _expected_status(card: ov.Card, value: float, period: str, qualifier: str = "") -> str:
    """The rule as the page states it, written out again: nämndens mål for the year, else KF's; 90 %; an
    approximate value only when its one-unit range in the qualifier's direction gives one status."""
    if qualifier:
        low, high = {"närmare": (value - 1, value - 1e-6), "drygt": (value + 1e-6, value + 1)}.get(
            qualifier, (value - 1, value + 1))
        both = {_expected_status(card, low, period), _expected_status(card, high, period)}
        return both.pop() if len(both) == 1 else "Ingen status"
    year = str(period_bounds(period)[1].year)
    for kind in ("mål", "kf-mål"):
        targets = [float(r["value"]) for m in (card.measure, *card.target_measures) for r in ROWS
                   if r["measure"] == m and r["kind"] == kind and r["period"] == year and r["gender"] == "totalt"]
        if targets:
            target = targets[0]
            if value >= target:
                return "Uppfyllt"
            return "Delvis uppfyllt" if value >= 0.9 * target else "Ej uppfyllt"
    return "Ingen status"


def _cards(at) -> list[dict]:
    """Each bordered card: its metric and all text under it (popover included), in page order."""
    found = []

    def texts(node) -> list[str]:
        out = [node.value] if type(node).__name__ in ("Markdown", "Caption") else []
        for child in getattr(node, "children", {}).values():
            out += texts(child)
        return out

    def walk(node) -> None:
        children = list(getattr(node, "children", {}).values())
        metrics = [c for c in children if type(c).__name__ == "Metric"]
        if metrics:
            found.append({"metric": metrics[0], "text": _plain("\n".join(texts(node)))})
            return
        for child in children:
            walk(child)

    walk(at.main)
    return found


@pytest.fixture
def page(app_env: str):
    at = open_app()
    assert not at.exception
    return at


def test_the_app_starts_on_the_overview(page) -> None:
    assert page.title[0].value == "Översikt"
    intro = " ".join(m.value for m in page.markdown)
    assert "källa" in intro.lower() and "uppgift saknas" in intro


def test_the_reading_guide_is_an_expander_and_the_intro_is_short(page) -> None:
    guide = next(e for e in page.expander if e.label == "Så läser du korten")
    inside = " ".join(c.value for c in guide.caption)
    assert "minst 90 % av målet" in inside and "Förändring" in inside
    before = [m.value for m in page.main.children.values() if getattr(m, "type", "") == "markdown"][:2]
    assert sum(len(text) for text in before) < 200  # one sentence before the cards, not a page of text


def test_the_status_rule_is_stated_on_the_page(page) -> None:
    captions = " ".join(c.value for c in page.caption)
    assert "minst 90 % av målet" in captions
    assert "(/indikatorer)" in captions  # where the nämnd's own reported status is


def test_every_card_shows_the_latest_transcribed_value(page) -> None:
    cards = _cards(page)
    assert [c["metric"].label for c in cards] == [c.title for c in ov.CARDS]
    for card, shown in zip(ov.CARDS, cards):
        row = _latest(card.measure)
        value, period, _, _ = EXPECTED[card.key]
        assert row["period"] == period, card.key
        assert _plain(format_value(float(row["value"]), row["unit"], qualifier=row.get("qualifier"))) == value, card.key
        assert _plain(shown["metric"].value) == value, card.key
        assert f"Utfall **{_plain(period_label(period))}**" in shown["text"], card.key


def test_every_card_names_source_and_line_of_its_value(page) -> None:
    for card, shown in zip(ov.CARDS, _cards(page)):
        row = _latest(card.measure)
        assert "Källa: " in shown["text"], card.key
        if row.get("file"):  # a seed document: title and line
            assert f"rad {row['line']}" in shown["text"], card.key
        else:  # the shared published file: the article it quotes
            assert row["source"] in shown["text"], card.key


def test_change_is_shown_in_procentenheter_or_said_to_be_missing(page) -> None:
    for card, shown in zip(ov.CARDS, _cards(page)):
        change = EXPECTED[card.key][2]
        if change is None:
            assert not shown["metric"].delta, card.key
            assert "ingen tidigare period" in shown["text"], card.key
        else:
            assert _plain(shown["metric"].delta) == change, card.key
            assert "Förändring sedan" in shown["text"], card.key


def test_status_follows_the_stated_rule(page) -> None:
    for card, shown in zip(ov.CARDS, _cards(page)):
        row = _latest(card.measure)
        expected = _expected_status(card, float(row["value"]), row["period"], row.get("qualifier", ""))
        assert expected == EXPECTED[card.key][3], card.key
        assert BADGE.findall(shown["text"]) == [expected], card.key


def test_a_target_for_another_year_is_labelled_with_its_year(page) -> None:
    kaa = _cards(page)[0]
    assert "Nämndens mål 2026:** 20 % (gäller 2026, inte 2022)" in kaa["text"]
    assert "inget mål för 2022" in kaa["text"]


def test_kvinnor_and_män_where_published_and_uppgift_saknas_where_not(page) -> None:
    for card, shown in zip(ov.CARDS, _cards(page)):
        period = _latest(card.measure)["period"]
        by = {g: [r for r in _outcomes(card.measure, g) if r["period"] == period] for g in ("kvinnor", "män")}
        if by["kvinnor"] and by["män"]:
            women, men = by["kvinnor"][0], by["män"][0]
            for label, row in (("Kvinnor", women), ("Män", men)):
                text = format_value(float(row["value"]), row["unit"], qualifier=row.get("qualifier"))
                assert f"**{label}** {_plain(text)}" in shown["text"], card.key
            assert "Kvinnor − män: **" in shown["text"] and "beräknat av verktyget" in shown["text"], card.key
        else:
            assert "**Kvinnor/män:** uppgift saknas" in shown["text"], card.key
    feriejobb = _cards(page)[5]["text"]
    assert "**Kvinnor** 4 828 · **Män** 4 704" in feriejobb and "**+124**" in feriejobb


def test_unemployment_says_which_definition(page) -> None:
    text = _cards(page)[6]["text"]
    assert "**Definition:**" in text and "registerbaserade arbetskraften 16–64 år" in text
    assert "Annat mått, jämförs inte" in text  # the report's own figure, kept apart


def test_every_card_links_to_its_detail_page(page) -> None:
    for card, shown in zip(ov.CARDS, _cards(page)):
        assert f"]({card.link})" in shown["text"], card.key
