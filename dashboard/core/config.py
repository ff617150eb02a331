"""Where things are: the repository, the bundled data, the shared seeds and the database."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATA_DIR = REPO / "data"


def shared_dir() -> Path:
    """The shared folder beside the checkout (seeds, geo, published data); `SHARED_DIR` overrides it."""
    return Path(os.environ.get("SHARED_DIR", REPO.parent / "shared"))


def seeds_dir() -> Path:
    return Path(os.environ.get("SEEDS_DIR", shared_dir() / "seeds"))


def geo_dir() -> Path:
    """The CC0 boundaries: `GEO_DIR`, else `$SHARED_DIR/geo`."""
    env = os.environ.get("GEO_DIR")
    return Path(env).expanduser() if env else shared_dir() / "geo"


def default_database_url() -> str:
    return f"sqlite:///{REPO / 'var' / 'dashboard.sqlite'}"


def database_url() -> str:
    """`DATABASE_URL` (e.g. postgresql+psycopg://…) or the embedded SQLite file."""
    return os.environ.get("DATABASE_URL") or default_database_url()


def demo_enabled() -> bool:
    """Demo data sets may be chosen; `DASHBOARD_DEMO=0` hides them (e.g. on the computer used at nämnd meetings)."""
    return os.environ.get("DASHBOARD_DEMO", "1") != "0"
