"""The Uppföljning per område view model, and the page and the slide drawn from it: the same chart, title,
footnote and download rows for the same URL state; every number from the stored protected tables."""

from __future__ import annotations

import html
import json
import re

import pandas as pd
import pytest
from sqlalchemy import Engine

from dashboard.core import labels
from dashboard.core.suppression import DISPLAY_SUFFIX
from dashboard.figures.style import DEMO_LABEL
from dashboard.views import omraden as views
from dashboard.views import presentable
from queries import individ
from tests.apptest import open_app
from tests.parity import recorded_downloads
from tests.test_app_omraden import PAGE_TIMEOUT, counts_in

PAGE = "pages/omraden.py"
STATES = [
    {},
    {"kon": "skillnad", "omrade": "Rinkeby-Kista"},
    {"niva": "fokusomrade", "kon": "kvinnor", "program": "stockholmsjobb"},
    {"niva": "stadsdel", "ar": "2021", "kon": "män", "omrade": "Rinkeby"},
    {"malgrupp": "KAA 16-19 år", "program": "jobbtorg", "kon": "män", "ar": "2023"},
    {"ar": "1999", "omrade": "Atlantis", "program": "saknas", "kon": "alla"},  # unknown values fall back
]


# --- the view on a small protected table, no database --------------------------------------------------


def protected(register: str, cells: dict[tuple[str, str, str], dict[str, int | None]]) -> pd.DataFrame:
    """A table in the shape of protected_levels: (level, area, gender) → counts; None = hidden ("<5")."""
    counts = individ.REGISTER_COUNTS[register]
    rows = []
    for (level, area, gender), given in cells.items():
        row = {"dataset": "egen", "is_demo": False, "year": 2024, "level": level, "area": area, "gender": gender}
        if register == "jobbtorg":
            row["malgrupp"] = "alla"
        for count in counts:
            value = given.get(count, 20)
            row[count] = value
            row[count + DISPLAY_SUFFIX] = "<5" if value is None else f"{value}"
        rows.append(row)
    out = pd.DataFrame(rows)
    out[counts] = out[counts].astype("Int64")
    return out


CELLS = {(level, area, gender): ({"arbete": None} if area == "Rinkeby-Kista" and gender == "kvinnor" else {})
         for level, area in (("stad", individ.CITY), ("stadsdelsomrade", "Rinkeby-Kista"),
                             ("stadsdelsomrade", "Skärholmen"), ("stadsdel", "Rinkeby"))
         for gender in ("kvinnor", "män", "totalt")}


def small_data(datasets: pd.DataFrame | None = None, tables: bool = True) -> views.OmradenData:
    if datasets is None:
        datasets = pd.DataFrame({"dataset": ["egen"], "title": ["Stadens uttag 2024"], "is_demo": [False]})

    def table(register: str, year: int, dataset: str) -> pd.DataFrame:
        frame = protected(register, CELLS)
        if register != "jobbtorg":
            frame = frame[frame["level"] != "stadsdel"]
        return frame if tables else frame.iloc[0:0]

    return views.OmradenData(datasets, lambda dataset: [2023, 2024], table)


def test_the_view_resolves_its_state_and_names_what_fell_back() -> None:
    view = views.omraden_view(small_data(), {"dataset": "x", "niva": "x", "ar": "1999", "kon": "x", "omrade": "x",
                                             "malgrupp": "x", "program": "x"})
    assert view.fallbacks == ["dataset", "niva", "ar", "kon", "omrade", "malgrupp", "program"]
    assert (view.dataset, view.level, view.year, view.kon, view.area, view.group, view.program) == \
           ("egen", "stadsdelsomrade", 2024, "totalt", individ.CITY, "alla", "kaa")
    assert view.area_options == [individ.CITY, "Rinkeby-Kista", "Skärholmen"]
    assert views.omraden_view(small_data(), {}).fallbacks == []
    assert view.title == "KAA, Stockholms stad, 2024, totalt"
    assert view.link_state == {"niva": "stadsdelsomrade", "ar": "2024", "kon": "totalt",
                               "omrade": individ.CITY, "malgrupp": "alla", "program": "kaa"}


def test_per_stadsdel_only_jobbtorg_is_shown_and_a_saved_kaa_chart_falls_back() -> None:
    view = views.omraden_view(small_data(), {"niva": "stadsdel", "program": "kaa", "malgrupp": "Stockholmsjobb"})
    assert view.program_options == ["jobbtorg"] and view.program == "jobbtorg"
    assert view.fallbacks == ["malgrupp", "program"] and view.group_options == ["alla"]
    assert view.area_options == [individ.CITY, "Rinkeby"]
    assert view.sections["kaa"].not_here[0] == "KAA visas inte per stadsdel."
    assert view.sections["stockholmsjobb"].figure is None and view.sections["jobbtorg"].figure is not None


def test_a_hidden_count_stays_hidden_in_the_chart_the_table_and_the_download() -> None:
    view = views.omraden_view(small_data(), {"kon": "kvinnor", "omrade": "Rinkeby-Kista"})
    kaa = view.sections["kaa"]
    row = kaa.table.set_index("Stadsdelsområde").loc["Rinkeby-Kista"]
    assert row["Till arbete"] == "<5" and row["Andel till arbete av avslutade"] == "dold"
    assert kaa.download.table is kaa.table and kaa.download.rule == views.RULE_TEXT
    assert kaa.download.context == {"Mått": views.PROGRAM_TITLES["kaa"], "Period": "2024", "Kön": "Kvinnor",
                                    "Dataset": "Stadens uttag 2024"}
    bars = [t for t in view.figure.data if t.type == "bar"]
    marks = [t for t in view.figure.data if t.type == "scatter"]
    assert all(len(b.x) == 7 for b in bars) and [m.text for m in marks] == [("<5 · dold",)]
    assert kaa.table.index.size == 3 and kaa.table.iloc[-1]["Stadsdelsområde"] == individ.CITY  # the city last


def test_the_gap_is_in_procentenheter_where_both_shares_are_visible() -> None:
    view = views.omraden_view(small_data(), {"kon": "skillnad", "omrade": "Skärholmen"})
    assert view.genders == ("kvinnor", "män") and view.title.endswith(f", {labels.GAP.lower()}")
    gaps = view.sections["kaa"].gaps
    assert set(gaps["Skillnad kvinnor − män"]) == {"0,0 procentenheter"}
    rinkeby = gaps[gaps["Stadsdelsområde"] == "Rinkeby-Kista"]
    assert "Andel till arbete av avslutade" not in set(rinkeby["Andel"])  # kvinnor's share is hidden
    assert view.notes[-1].startswith(views.GAP_HEADING) and "Skärholmen" in view.notes[-1]
    assert views.gap_note(gaps.iloc[0:0], "Skärholmen", "Stadsdelsområde").endswith(
        "ingen skillnad kan räknas ur synliga antal i Skärholmen.")
    assert view.sections["kaa"].gap_download.file_name.endswith("_skillnad.csv")


def test_without_data_or_without_its_tables_the_view_says_so() -> None:
    empty = views.omraden_view(small_data(pd.DataFrame(columns=["dataset", "title", "is_demo"])), {})
    assert empty.dataset is None and any(a.text == "uppgift saknas" for a in empty.figure.layout.annotations)
    missing = views.omraden_view(small_data(tables=False), {"ar": "2023"})
    assert missing.missing_tables and missing.year == 2023 and not missing.sections


# --- the slide and the page on the built databases -------------------------------------------------------


@pytest.fixture(scope="module")
def data(db: Engine) -> views.OmradenData:
    return views.OmradenData(
        individ.protected_datasets(db), lambda dataset: individ.protected_years(dataset, db),
        lambda register, year, dataset: individ.protected_levels(register, year, dataset=dataset, engine=db))


def figure_counts(figure: dict) -> list[int]:
    found = []
    for trace in figure["data"]:
        if trace.get("type") == "bar":
            found += [int(x) for x in trace["x"]]
        found += [n for t in trace.get("text") or [] for n in counts_in(t)]
    return found


def test_the_slide_reads_only_the_stored_protected_tables(db: Engine, data, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("the slide read raw counts")

    for name in ("kaa_funnel", "jobbtorg_flows", "jobbtorg_individuals", "stockholmsjobb_outcomes",
                 "suppressed_kaa_funnel_levels", "suppressed_jobbtorg_flows_levels",
                 "suppressed_stockholmsjobb_outcomes_levels"):
        monkeypatch.setattr(individ, name, refuse)
    for program in views.PROGRAMS:
        slide = presentable.build("omraden", {"omrade": "Rinkeby-Kista", "kon": "kvinnor", "program": program}, db)
        view = views.omraden_view(data, {"omrade": "Rinkeby-Kista", "kon": "kvinnor", "program": program})
        stored = individ.protected_levels(program, view.year, dataset=view.dataset, engine=db)
        row = stored[(stored["level"] == "stadsdelsomrade") & (stored["area"] == "Rinkeby-Kista")
                     & (stored["gender"] == "kvinnor") & (stored.get("malgrupp", "alla") == "alla")].iloc[0]
        visible = [int(row[s.key]) for s in views.figures.PROGRAMS[program] if pd.notna(row[s.key])]
        (bar,) = [t for t in slide.figure.data if t.type == "bar"]
        assert [int(x) for x in bar.x] == visible
        assert not [c for c in figure_counts(json.loads(slide.figure.to_json())) if 1 <= c <= 4]
        assert slide.small_numbers == views.RULE_TEXT and "Små tal: " + views.RULE_TEXT in slide.footnote()
        assert slide.title == f"{views.short_name(program)}, Rinkeby-Kista, {view.year}, kvinnor"


def test_the_slide_picture_keeps_small_counts_hidden(db: Engine, data) -> None:
    from dashboard.export import presentation

    state = next(s for s in ({"omrade": a, "kon": "kvinnor"} for a in views.omraden_view(data, {}).area_options)
                 if views.omraden_view(data, s).sections["kaa"].steps["shown"].eq("<5").any())
    slide = presentable.build("omraden", state, db)
    svg = presentation.slide_picture(slide, "svg").decode()
    texts = [html.unescape(re.sub(r"<[^>]+>", "", t)) for t in re.findall(r"<text[^>]*>(.*?)</text>", svg)]
    assert "<5 · dold" in texts
    assert not [n for t in texts for n in counts_in(t) if 1 <= n <= 4]
    assert DEMO_LABEL in svg  # the demo data set says so on the picture




def without_mark(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=[c for c in ("Märkning",) if c in frame.columns]).reset_index(drop=True)


@pytest.mark.parametrize("state", STATES, ids=["-".join(s.values()) or "default" for s in STATES])
def test_page_and_slide_show_the_same_area(app_env: str, db: Engine, data, state: dict[str, str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    calls = recorded_downloads(monkeypatch)
    at = open_app(PAGE, state, timeout=PAGE_TIMEOUT)
    assert not at.exception
    view = views.omraden_view(data, state)
    slide = presentable.build("omraden", state, db)
    # the same choices, and what fell back is said on the page and noted on the slide
    assert (at.radio(key="niva").value, at.selectbox(key="ar").value, at.segmented_control(key="kon").value,
            at.selectbox(key="omrade").value, at.segmented_control(key="program").value) == \
           (view.level, str(view.year), view.kon, view.area, view.program)
    assert slide.fallbacks == view.fallbacks
    for key in view.fallbacks:
        assert any(f"”{state[key]}” finns inte här" in c.value for c in at.caption), key
    # the same title, chart and footnote
    assert slide.title == view.title and view.area in slide.title and str(view.year) in slide.title
    assert labels.GENDER_CHOICES[view.kon].lower() in slide.title
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    page = next(c for c in charts if c["layout"]["title"]["text"].startswith(view.title))
    drawn = json.loads(slide.figure.to_json())
    assert [(t.get("x"), t.get("y"), t.get("text")) for t in page["data"]] == \
           [(t.get("x"), t.get("y"), t.get("text")) for t in drawn["data"]]
    assert not [c for c in figure_counts(drawn) if 1 <= c <= 4]
    assert slide.demo == view.demo == any(DEMO_LABEL in e.value for e in at.error)
    assert (DEMO_LABEL in slide.footnote()) == view.demo
    assert any(views.RULE_TEXT in c.value for c in at.caption) and slide.small_numbers == views.RULE_TEXT
    assert slide.source.startswith(f"Källa: {view.dataset_title}, skyddad tabell") and slide.period == str(view.year)
    assert slide.link == presentable.view_link("omraden", view.link_state, presentable.OMRADEN_KEYS)
    # the same tables, in the page's order, and the same download rows
    sections = [view.sections[p] for p in views.PROGRAMS]
    tables = [t for s in sections for t in (s.table, s.gaps) if t is not None and not (s.not_here or s.empty)
              and not (t is s.gaps and t.empty)]
    assert len(at.dataframe) == len(tables)
    for shown, table in zip(at.dataframe, tables, strict=True):
        assert without_mark(shown.value).equals(table.reset_index(drop=True))
    files = [f for s in sections for f in (s.download, s.gap_download) if f is not None]
    assert [c["file_name"] for c in calls] == [f.file_name for f in files]
    for call, file in zip(calls, files, strict=True):
        assert call["table"].equals(file.table) and call["context"] == file.context
        assert call["rule"] == views.RULE_TEXT and call["is_demo"] == file.is_demo
