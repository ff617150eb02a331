"""The validated load: all or nothing, idempotent, and clear Swedish errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from dashboard.core import config
from dashboard.db.build import full_bundle
from dashboard.db.protected import store_protected
from dashboard.db.schema import observations, sources
from dashboard.ingest.load import LoadError, collect, write


def _count(db: Engine, table) -> int:
    with db.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, target)
    return target


def test_load_is_idempotent(db: Engine) -> None:
    before = _count(db, observations)
    write(db, full_bundle())
    assert _count(db, observations) == before > 0
    store_protected(db)  # write() empties the derived protected tables; build-db fills them again


def test_bad_value_names_file_row_column_and_reason(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    path = data / "observations" / "ar2022_kaa.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[3].split(",")
    cells[header.index("value")] = "sju"
    lines[3] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        collect(data)
    error = caught.value
    assert (error.file.endswith("ar2022_kaa.csv"), error.row, error.column) == (True, 4, "value")
    assert "'sju' är inte ett tal" in str(error)
    assert str(error).startswith("Fel i ")


@pytest.mark.parametrize(
    ("column", "bad", "reason"),
    [
        ("gender", "kvinna", "är inte ett av"),
        ("period", "2022-13", "månad 13 finns inte"),
        ("measure", "finns_inte", "finns inte i data/measures/"),
        ("area", "Atlantis", "finns inte i data/areas/"),
        ("printed", "1 000 000", "är inte samma tal"),
    ],
)
def test_each_kind_of_bad_cell_is_reported(tmp_path: Path, column: str, bad: str, reason: str) -> None:
    data = _copy_data(tmp_path)
    path = data / "observations" / "ar2022_kaa.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index(column)] = bad
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(LoadError, match=reason) as caught:
        collect(data)
    assert (caught.value.row, caught.value.column) == (2, column)


def test_failed_write_leaves_database_as_it_was(db: Engine) -> None:
    bundle = collect()
    before = _count(db, observations)
    bundle.observations.append({**bundle.observations[0], "measure": "finns_inte"})  # breaks a foreign key
    with pytest.raises(Exception):  # noqa: B017 - the database's own integrity error
        write(db, bundle)
    assert _count(db, observations) == before
    assert _count(db, sources) > 0


def test_every_document_source_exists_in_seeds() -> None:
    bundle = collect()
    for source in bundle.sources.values():
        if source["kind"] == "dokument":
            assert (config.seeds_dir() / source["path"]).is_file(), source["path"]
