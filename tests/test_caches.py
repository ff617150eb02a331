"""Every Streamlit cache that reads the database is keyed by it, so that two databases never share results."""

from __future__ import annotations

import ast

from tests.seeds import REPO

# Caches that read no database (geometry from the boundary files is keyed by level and day only).
WITHOUT_DATABASE = {"water"}


def _cached_functions():
    for path in [*sorted((REPO / "pages").glob("*.py")), *sorted((REPO / "dashboard").rglob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef):
                continue
            names = [ast.unparse(d.func if isinstance(d, ast.Call) else d) for d in node.decorator_list]
            if any(n in ("st.cache_data", "st.cache_resource") for n in names):
                yield path.relative_to(REPO), node, names


def test_every_cache_takes_the_database_as_an_argument() -> None:
    found = list(_cached_functions())
    assert len(found) > 10, "the scan finds the caches"
    unkeyed = [f"{path}:{node.lineno} {node.name}" for path, node, _ in found
               if node.name not in WITHOUT_DATABASE
               and not any(a.arg in ("database", "database_url") for a in node.args.args)]
    assert unkeyed == []


def test_the_database_is_filled_in_by_one_decorator() -> None:
    for path, node, names in _cached_functions():
        if node.args.args and node.args.args[0].arg == "database":
            assert names[0] == "with_database_url", f"{path}:{node.lineno} {node.name}"
