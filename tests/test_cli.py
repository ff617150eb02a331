"""`python -m dashboard`: build the database and export observations and areas as CSV."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys

import pytest

from queries.observations import EXPORT_COLUMNS
from tests.seeds import REPO


def _run(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dashboard", *args], cwd=REPO, capture_output=True, text=True,
                          env={**os.environ, "DATABASE_URL": database_url}, timeout=300)


def test_export_observations_has_the_agreed_columns_and_formats(database_url: str) -> None:
    result = _run(database_url, "export", "observations")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == EXPORT_COLUMNS
    assert {r["gender"] for r in rows} <= {"kvinnor", "män", "totalt"}
    assert all("," not in r["value"] for r in rows), "decimal point, not comma"
    assert {"Rinkeby-Kista", "Stockholms stad"} <= {r["area"] for r in rows}
    kaa = [r for r in rows if r["measure"] == "kaa_omfattade" and r["period"] == "2022" and r["gender"] == "totalt"]
    assert [float(r["value"]) for r in kaa] == [7154.0]
    assert kaa[0]["source"] == "Arbetsmarknadsrapport 2022" and kaa[0]["source_location"].startswith("rad ")
    assert all(r["source"] and r["source_location"] for r in rows)
    periods = {r["period"] for r in rows}
    assert {"2022", "2022-12", "2021-T1"} <= periods
    approximate = [r for r in rows if r["measure"] == "sthlmsjobb_andel_arbete_studier_3man"
                   and r["period"] == "2021-09/2022-08"]
    assert [(r["qualifier"], r["value"]) for r in approximate] == [("drygt", "57.5")]
    assert kaa[0]["qualifier"] == "", "an exact number has no qualifier"


@pytest.mark.parametrize(("day", "areas"), [("2019-12-31", 14), ("2022-12-31", 13), ("2024-01-01", 11)])
def test_export_areas_at_a_date(database_url: str, day: str, areas: int) -> None:
    result = _run(database_url, "export", "areas", "--date", day)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["stadsdel", "stadsdelsomrade"]
    assert len(rows) == 117
    assert len({r["stadsdelsomrade"] for r in rows}) == areas
    rinkeby = next(r for r in rows if r["stadsdel"] == "Rinkeby")
    assert rinkeby["stadsdelsomrade"] == ("Järva" if day >= "2023-07-01" else "Rinkeby-Kista")


def test_build_db_reports_a_bad_file_in_swedish_and_writes_nothing(tmp_path) -> None:
    import shutil

    data = tmp_path / "repo"
    shutil.copytree(REPO, data, ignore=shutil.ignore_patterns(".venv", "var", "artifacts", ".git", "__pycache__"))
    target = data / "data" / "observations" / "ar2022_kaa.csv"
    lines = target.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].replace(",totalt,", ",okänt,", 1)
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "bad.sqlite"
    result = subprocess.run([sys.executable, "-m", "dashboard", "build-db"], cwd=data, capture_output=True, text=True,
                            env={**os.environ, "DATABASE_URL": f"sqlite:///{db}",
                                 "SHARED_DIR": str(REPO.parent / "shared")}, timeout=300)
    assert result.returncode == 1
    assert "Fel i data/observations/ar2022_kaa.csv, rad 6, kolumn 'gender'" in result.stderr
    assert not db.exists() or db.stat().st_size == 0


def test_build_db_om_andrat_builds_again_only_when_data_or_code_changed(tmp_path) -> None:
    """scripts/start.sh runs `build-db --om-andrat`: a restart of the same version starts at once."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    first = _run(url, "build-db", "--utan-demo", "--data", str(data), "--om-andrat")
    assert first.returncode == 0 and first.stdout.startswith("Databasen byggd"), first.stderr
    again = _run(url, "build-db", "--utan-demo", "--data", str(data), "--om-andrat")
    assert again.returncode == 0 and "redan byggd" in again.stdout, again.stdout
    (data / "glossary" / "NOTERING.txt").write_text("en ändring i data/", encoding="utf-8")
    changed = _run(url, "build-db", "--utan-demo", "--data", str(data), "--om-andrat")
    assert changed.returncode == 0 and changed.stdout.startswith("Databasen byggd"), changed.stdout
