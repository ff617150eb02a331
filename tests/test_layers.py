"""The layers the README describes, checked on the source: who may import Streamlit, who may speak SQL,
what the figure builders may read, and that no module uses another module's private names."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.seeds import REPO

PROJECT = ("dashboard", "queries", "geo")


def _modules() -> list[Path]:
    return sorted(p for folder in (*PROJECT, "pages") for p in (REPO / folder).rglob("*.py"))


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names) for every import in the file."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(a.name, []) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.append((node.module, [a.name for a in node.names]))
    return out


def _name(path: Path) -> str:
    return str(path.relative_to(REPO))


def _may_use_streamlit(name: str) -> bool:
    return (name.startswith("pages/") or name in ("dashboard/app.py", "dashboard/ui.py", "dashboard/state.py")
            or name.endswith("_ui.py"))


def _may_use_sql(name: str) -> bool:
    return (name.startswith(("queries/", "dashboard/ingest/", "dashboard/individ/"))
            or name in ("dashboard/schema.py", "dashboard/load.py", "dashboard/build.py", "dashboard/decks.py",
                        "dashboard/audit.py", "dashboard/upgrade.py", "dashboard/backup.py"))


def test_streamlit_only_in_pages_and_the_ui_modules() -> None:
    found = [_name(p) for p in _modules() if not _may_use_streamlit(_name(p))
             and any(m.split(".")[0] == "streamlit" for m, _ in _imports(p))]
    assert found == []


def test_sql_only_in_the_database_layer_and_queries() -> None:
    """Elsewhere only the Engine type may be named (to pass the database on)."""
    found = [f"{_name(p)}: {m} {names}" for p in _modules() if not _may_use_sql(_name(p))
             for m, names in _imports(p) if m.split(".")[0] == "sqlalchemy" and set(names) - {"Engine"}]
    assert found == []


def test_figure_builders_read_no_database() -> None:
    found = [f"{_name(p)}: {m}" for p in (REPO / "dashboard" / "figures").glob("*.py")
             for m, _ in _imports(p) if m.split(".")[0] in ("queries", "sqlalchemy", "streamlit")]
    assert found == []


def test_no_private_names_across_modules() -> None:
    found = []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = {a.asname or a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module
                   and n.module.split(".")[0] in PROJECT for a in n.names}
        aliases |= {(a.asname or a.name).split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import)
                    for a in n.names if a.name.split(".")[0] in PROJECT}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in PROJECT:
                found += [f"{_name(path)}: from {node.module} import {a.name}" for a in node.names
                          if a.name.startswith("_") and a.asname is None]
            elif (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
                  and isinstance(node.value, ast.Name) and node.value.id in aliases):
                found.append(f"{_name(path)}:{node.lineno}: {node.value.id}.{node.attr}")
    assert found == []
