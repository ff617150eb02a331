"""What a page shows and offers, read from AppTest, to compare with its view model and its slide."""

from __future__ import annotations

import json
from collections.abc import Callable

import pandas as pd
import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from dashboard import ui
from dashboard.export.downloads import csv_bytes, with_context
from dashboard.ui import labelled
from dashboard.ui.share import escaped
from dashboard.views import presentable
from dashboard.views.followup import Metric, Table


def tables(at: AppTest) -> list[pd.DataFrame]:
    """The page's tables in order, without the demo label's column (the rows are compared, the label apart)."""
    return [d.value.drop(columns=[c for c in ("Märkning",) if c in d.value]).reset_index(drop=True)
            for d in at.dataframe]


def metrics(at: AppTest) -> list[tuple[str, str]]:
    return [(m.label, m.value) for m in at.metric]


def shown(items: list[Metric]) -> list[tuple[str, str]]:
    return [(m.label, m.value) for m in items]


def chart(at: AppTest, title: str) -> dict:
    """The page's chart with this title (the figure's own), as Plotly JSON."""
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    found = [s for s in specs if s["layout"].get("title", {}).get("text") == title]
    assert len(found) == 1, [s["layout"].get("title", {}).get("text") for s in specs]
    return found[0]


def same_chart(page: dict, slide: presentable.Slide) -> None:
    """The same traces (values, texts, names) and the same notes in the figure (the source under the chart)."""
    drawn = json.loads(slide.figure.to_json())
    assert page["data"] == drawn["data"]
    assert [a.get("text") for a in page["layout"].get("annotations", [])] == [
        a.get("text") for a in drawn["layout"].get("annotations", [])]


def preview(at: AppTest) -> tuple[str, str]:
    """The title and footnote the page says its slide has (the share bar's expander)."""
    (block,) = [e for e in at.expander if e.label.startswith("Bilden i en presentation")]
    return block.markdown[0].value, block.caption[0].value


def same_title_and_footnote(at: AppTest, slide: presentable.Slide) -> None:
    title, footnote = preview(at)
    assert title == f"**{escaped(slide.title)}**" + (f" – {escaped(presentable.DEMO_LABEL)}" if slide.demo else "")
    assert footnote == "  \n".join(escaped(p) for p in slide.footnote_parts())


def expected_files(table: Table, db: Engine) -> dict[str, bytes]:
    """The two CSV files of the table as the page must offer them: its rows, the context on every row."""
    context = {"Mått": table.measures, "Period": table.periods, "Kön": table.kon,
               "Dataset": presentable.dataset_titles(table.frame, db)}
    out = labelled(with_context(table.download, context), table.demo)
    return {f"{table.name}.csv": csv_bytes(out), f"{table.name}_komma.csv": csv_bytes(out, for_excel=False)}


def same_downloads(files: dict[str, Callable[[], bytes]], model_tables: list[Table], db: Engine) -> None:
    """Every download on the page is one of the view model's tables, and carries exactly its rows."""
    expected = {name: content for t in model_tables for name, content in expected_files(t, db).items()}
    assert {n for n in files if n.endswith(".csv")} == set(expected)
    assert {n for n in files if n.endswith(".xlsx")} == {f"{t.name}.xlsx" for t in model_tables}
    for name, content in expected.items():
        assert files[name]() == content, name


def recorded_downloads(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """What the page hands ui.download_table, call by call (the files are made from exactly this)."""
    calls: list[dict] = []
    original = ui.download_table

    def record(frame, file_name, **kwargs):  # noqa: ANN001, ANN003, ANN202
        calls.append({"table": frame, "file_name": file_name, **kwargs})
        return original(frame, file_name, **kwargs)

    monkeypatch.setattr(ui, "download_table", record)
    return calls
