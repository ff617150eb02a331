"""Time and size of one 10-chart PDF deck: the old hand-written writer (from git) and fpdf2's, in one run. Not a test.

    DATABASE_URL=… .venv/bin/python scripts/bench_pdf.py [--old-ref main] [--rounds 2]

The old writer is `dashboard/export_slides.py` as it was at `--old-ref` (before the move to fpdf2), loaded beside
the current one; both get the same slides. The rounds alternate old and new, so a warm disk favours neither.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmark_export import DECK  # noqa: E402

from dashboard.export import presentation  # noqa: E402
from dashboard.views import presentable  # noqa: E402


def old_writer(ref: str):
    """The module `dashboard/export_slides.py` at git `ref`, imported under another name."""
    source = subprocess.run(["git", "-C", str(REPO), "show", f"{ref}:dashboard/export_slides.py"], check=True,
                            capture_output=True, text=True).stdout
    path = Path(tempfile.mkdtemp()) / "export_slides_old.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("export_slides_old", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old-ref", default="main", help="git revision with the old writer (default: main)")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()

    slides = [presentable.build(view, state) for view, state in DECK]
    writers = {f"före ({args.old_ref}, egen skrivare)": old_writer(args.old_ref), "efter (fpdf2)": presentation}
    results: dict[str, list[tuple[float, int]]] = {name: [] for name in writers}
    for _ in range(args.rounds):
        for name, module in writers.items():
            start = time.perf_counter()
            pdf = module.deck_pdf(slides, "http://localhost:8501", "Benchmark")
            results[name].append((time.perf_counter() - start, len(pdf)))
            (Path(tempfile.gettempdir()) / f"bench_pdf_{'old' if module is not presentation else 'new'}.pdf"
             ).write_bytes(pdf)
    for name, runs in results.items():
        seconds = "; ".join(f"{s:.1f}" for s, _ in runs)
        size = runs[-1][1] / 2**20
        print(f"PDF {name}: {len(slides)} bilder på {seconds} s, {size:.2f} MiB".replace(".", ","))
    return 0


if __name__ == "__main__":
    sys.exit(main())
