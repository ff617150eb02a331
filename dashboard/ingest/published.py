"""Adapter for the shared file of published unemployment figures (one row per number, each with its source).

The file's three families of definitions are mapped to separate measures by
`data/publicerad_arbetsloshet_matt.csv`; an unmapped combination is a load error.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from dashboard.core import config
from dashboard.ingest.load import Bundle, CellChecker, LoadError, display_path, observation, read_rows

DATASET = "publicerad_arbetsloshet"
FILE_SOURCE = "publicerad_arbetsloshet"
KEY = ("measure", "unit", "age_group", "population_base")


def published_file() -> Path:
    return config.shared_dir() / "data" / "published_unemployment_by_district.csv"


def _source_id(title: str) -> str:
    return "pub_" + hashlib.sha1(title.encode()).hexdigest()[:8]


def collect(bundle: Bundle, data_dir: Path) -> None:
    """Add the published figures as their own data set; each original publication becomes a source."""
    mapping_path = data_dir / "publicerad_arbetsloshet_matt.csv"
    path = published_file()
    if not path.exists():
        raise LoadError(display_path(path), 0, "(fil)", "filen med publicerade arbetslöshetssiffror saknas")
    bundle.files += [mapping_path, path]
    mapping = {}
    for line, row in read_rows(mapping_path, [*KEY, "target_measure"]):
        c = CellChecker(mapping_path, line, row)
        if row["target_measure"] not in bundle.measures:
            raise c.fail("target_measure", f"måttet '{row['target_measure']}' finns inte i data/measures/")
        mapping[tuple(row[k] for k in KEY)] = row["target_measure"]
    file_source = bundle.sources[FILE_SOURCE]
    bundle.datasets[DATASET].update(used=True, origin=display_path(path))
    seen: dict[tuple, int] = {}
    required = ["period", "area", "measure", "gender", "age_group", "value", "unit", "population_base",
                "source_title", "source_url", "quote"]
    for line, row in read_rows(path, required):
        c = CellChecker(path, line, row)
        combination = tuple(row[k] for k in KEY)
        if combination not in mapping:
            raise c.fail("population_base", f"kombinationen {combination} saknas i {display_path(mapping_path)}")
        source = _source_id(row["source_title"])
        bundle.sources.setdefault(source, {
            "source": source, "kind": "rapport" if "Statistik" in row["source_title"] else "artikel",
            "title": row["source_title"], "publisher": None, "year": None, "path": file_source["path"],
            "url": row["source_url"] or None,
            "note": "Hämtad via data/published_unemployment_by_district.csv; se filens beskrivning.",
        })
        area_level = "enhet" if row["area"] == "Ej skrivna i staden" else (
            "stad" if row["area"] == "Stockholms stad" else "stadsdelsomrade")
        tidy = {
            "measure": mapping[combination], "period": row["period"], "area": row["area"], "area_level": area_level,
            "gender": {"total": "totalt"}.get(row["gender"], row["gender"]), "group": "alla",
            "value": row["value"], "printed": "", "unit": row["unit"], "kind": "utfall", "source": source,
            "line": "", "note": f"Citat: \u201d{row['quote']}\u201d",
        }
        location = f"{file_source['path']}, rad {line}"
        bundle.observations.append(observation(bundle, CellChecker(path, line, tidy), DATASET, seen, location))
