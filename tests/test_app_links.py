"""Every control of every page is in its link: change every control, open the link (the share bar's, or the
address bar's where a page has none) in a fresh session, and find the same controls and the same figures.

Also: state restored from the URL or the session is what the widget shows (after a page switch too), and a
URL value that does not exist is replaced by the default with one line saying so."""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import parse_qsl, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import open_app
from tests.seeds import REPO

WIDGETS = ("selectbox", "radio", "segmented_control", "pills", "toggle", "checkbox", "text_input", "text_area",
           "multiselect", "slider", "select_slider", "number_input", "date_input")
# the share bar's own deck choice, the new-presentation form and the import form (a file is no view state)
NOT_VIEW_STATE = ("share_", "ny_", "import_")

Step = tuple[str, str, object]  # widget kind, key (or label for a widget without key), value
# Each page: the plans that between them change every control the page has (the test checks that).
PLANS: dict[str, list[list[Step]]] = {
    "pages/oversikt.py": [[]],
    "pages/data.py": [[]],
    "pages/importera.py": [[]],
    "pages/feriejobb.py": [[]],
    "pages/karta.py": [
        [("selectbox", "matt", "arbetsloshet_oppet_andel_bef_ej_angiven"), ("selectbox", "period", "2015-10"),
         ("toggle", "Fokusområden", False), ("selectbox", "omrade", "Skärholmen")],
        [("radio", "data", "demo"), ("radio", "niva", "stadsdel"),  # the demo measure comes first
         ("selectbox", "period", "2020-06"), ("segmented_control", "kon", "kvinnor"),
         ("selectbox", "grupp", "unga 18–24 år"), ("selectbox", "omrade", "Rinkeby")],
    ],
    "pages/kaa.py": [[("segmented_control", "kon", "kvinnor"), ("segmented_control", "jmf", "jan_mars")]],
    "pages/stockholmsjobb.py": [[("segmented_control", "kon", "kvinnor"),
                                 ("segmented_control", "diagram", "volymer")]],
    "pages/jobbtorg.py": [[("segmented_control", "kon", "män"), ("segmented_control", "urval", "jan-mar")]],
    "pages/indikatorer.py": [[("selectbox", "dok", "t1_2021"), ("selectbox", "mal", "t1_2021:1.1"),
                              ("selectbox", "amne", "Jobbtorg Stockholm"), ("selectbox", "frekvens", "tertial"),
                              ("selectbox", "perkon", "ja"), ("selectbox", "ind", "t1_2021_07")]],
    "pages/begrepp.py": [[("text_input", "sok", "aspirant"), ("selectbox", "kalla", "vp2020_bilagor"),
                          ("selectbox", "term", "Aspirant")]],
    "pages/omraden.py": [[("radio", "niva", "fokusomrade"), ("selectbox", "ar", "2021"),
                          ("segmented_control", "kon", "kvinnor"), ("selectbox", "omrade", "Järva"),
                          ("selectbox", "malgrupp", "Försörjningsstöd"),
                          ("segmented_control", "program", "stockholmsjobb")]],
}


def _presentation_plan() -> list[list[Step]]:
    from queries.decks import list_decks

    decks = list_decks()
    return [[("selectbox", "deck", str(decks[-1].id))]] if len(decks) > 1 else [[]]


DYNAMIC: dict[str, Callable[[], list[list[Step]]]] = {"pages/presentation.py": _presentation_plan}


def test_every_page_has_a_plan() -> None:
    assert set(PLANS) | set(DYNAMIC) == {f"pages/{p.name}" for p in (REPO / "pages").glob("*.py")}


def controls(at: AppTest) -> dict[tuple[str, str], object]:
    """Every control of the view on the page, by kind and key (or label), with its value."""
    out = {}
    for kind in WIDGETS:
        for widget in at.get(kind):
            name = widget.key or widget.label
            if not str(name).startswith(NOT_VIEW_STATE):
                out[(kind, name)] = widget
    return out


def changeable(widget) -> bool:
    options = getattr(widget, "options", None)
    return not widget.disabled and (options is None or len(options) > 1)


def widget(at: AppTest, kind: str, name: str):
    return controls(at)[(kind, name)]


def link_query(at: AppTest) -> dict[str, str]:
    """The share bar's link (what "Kopiera länk" copies), else the address bar."""
    links = [c.value for c in at.code if "?" in c.value]
    if links:
        return dict(parse_qsl(urlsplit(links[-1]).query))
    return {k: at.query_params[k] for k in at.query_params}


def shown(at: AppTest) -> dict:
    """What the view shows: the controls' values, every table, chart titles and the key texts."""
    titles = []
    for chart in at.get("plotly_chart"):
        title = json.loads(chart.proto.spec)["layout"].get("title", {})
        titles.append(title.get("text") if isinstance(title, dict) else title)
    return {
        "controls": {k: w.value for k, w in controls(at).items()},
        "tables": [t.value.to_dict("split") for t in at.dataframe],
        "charts": titles,
        "texts": [e.value for kind in ("subheader", "metric") for e in at.get(kind)]
        + [c.value for c in at.caption if "finns inte här" not in c.value],
    }


@pytest.mark.parametrize("page", sorted([*PLANS, *DYNAMIC]), ids=lambda p: p[6:-3])
def test_every_control_is_in_the_link(app_env: str, page: str) -> None:
    plans = DYNAMIC[page]() if page in DYNAMIC else PLANS[page]
    changed: set[tuple[str, str]] = set()
    seen: dict[tuple[str, str], object] = {}
    for plan in plans:
        at = open_app(page, timeout=900)
        assert not at.exception
        for kind, name, value in plan:
            control = widget(at, kind, name)
            assert control.value != value, (name, "the plan must change the control")
            control.set_value(value).run(timeout=900)
            assert not at.exception, (name, value)
            assert widget(at, kind, name).value == value, name
            changed.add((kind, name))
        seen.update({k: w for k, w in controls(at).items() if changeable(w)})
        query = link_query(at)
        fresh = open_app(page, query, timeout=900)
        assert not fresh.exception
        before, after = shown(at), shown(fresh)
        assert after["controls"] == before["controls"], query
        assert after["tables"] == before["tables"], query
        assert after["charts"] == before["charts"], query
        assert after["texts"] == before["texts"], query
    assert set(seen) <= changed, f"controls no plan changes: {sorted(set(seen) - changed)}"


def test_indicator_filters_survive_the_copied_link(app_env: str) -> None:
    """The case from the issue: 'Kopiera länk' with a goal and a kön filter opens the same few indicators."""
    at = open_app("pages/indikatorer.py")
    at.selectbox(key="dok").set_value("t1_2021").run()
    at.selectbox(key="mal").set_value("t1_2021:1.1").run()
    at.selectbox(key="perkon").set_value("ja").run()
    count = next(c.value for c in at.caption if c.value.startswith("Visar "))
    assert not count.startswith("Visar 86 av 86")
    query = link_query(at)
    assert {"dok": "t1_2021", "mal": "t1_2021:1.1", "perkon": "ja"}.items() <= query.items()
    fresh = open_app("pages/indikatorer.py", query)
    assert next(c.value for c in fresh.caption if c.value.startswith("Visar ")) == count


@pytest.mark.parametrize("page", ["pages/kaa.py", "pages/jobbtorg.py", "pages/stockholmsjobb.py",
                                  "pages/omraden.py"], ids=lambda p: p[6:-3])
def test_kön_chosen_on_another_page_is_shown_and_drawn(app_env: str, page: str) -> None:
    """Arriving with kön = kvinnor: the button is selected and the figures are the women's, at once."""
    at = open_app("pages/karta.py", {"matt": "sdf_insatser_unika_personer", "period": "2022"})
    at.segmented_control(key="kon").set_value("kvinnor").run()
    at.query_params.clear()  # a page switch in the browser leaves the old page's address behind
    at.switch_page("../" + page)
    at.run(timeout=900)
    assert not at.exception
    assert at.segmented_control(key="kon").value == "kvinnor"
    assert at.query_params["kon"] == "kvinnor"
    fresh = open_app(page, {"kon": "kvinnor"}, timeout=900)
    assert shown(at)["tables"] == shown(fresh)["tables"]
    assert shown(at)["charts"] == shown(fresh)["charts"]


@pytest.mark.parametrize(("page", "query", "key", "line"), [
    ("pages/karta.py", {"matt": "finns_inte"}, "matt", "Mått: ”finns_inte” finns inte här; visar ”"),
    ("pages/karta.py", {"matt": "arbetsloshet_ar2022_andel", "period": "1999-01"}, "period",
     "Period: ”1999-01” finns inte här; visar ”december 2022” i stället."),
    ("pages/indikatorer.py", {"ind": "vp2099_01"}, "ind", "Indikator: ”vp2099_01” finns inte här; visar ”"),
    ("pages/jobbtorg.py", {"urval": "1850"}, "urval", "Period: ”1850” finns inte här; visar ”Helår” i stället."),
    ("pages/kaa.py", {"kon": "alla"}, "kon", "Kön: ”alla” finns inte här; visar ”Totalt” i stället."),
])
def test_a_url_value_that_does_not_exist_is_named(app_env: str, page: str, query: dict[str, str], key: str,
                                                  line: str) -> None:
    at = open_app(page, query)
    assert not at.exception
    said = [c.value for c in at.caption if "finns inte här" in c.value]
    assert len(said) == 1 and line in said[0], said
    assert at.query_params[key] != query[key]  # the default is shown, and the link says so
    at.run()  # the next run has nothing to say
    assert not [c.value for c in at.caption if "finns inte här" in c.value]


def test_a_url_value_that_exists_gives_no_such_line(app_env: str) -> None:
    at = open_app("pages/karta.py", {"matt": "arbetsloshet_ar2022_andel", "period": "2022-12"})
    assert not [c.value for c in at.caption if "finns inte här" in c.value]
