"""Time the PowerPoint export of a 10-chart deck (target: at most 20 s on a 2-core machine). Not a test.

    DATABASE_URL=… .venv/bin/python scripts/benchmark_export.py [--pdf]

Uses the configured database (build it first with `python -m dashboard build-db`); writes nothing to it.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dashboard.export import presentation  # noqa: E402
from dashboard.views import presentable

# Six maps (WebGL, the slowest to draw) and four KAA funnels.
DECK = [
    ("karta", {"matt": "arbetsloshet_ar2022_andel", "period": "2022-12"}),
    ("karta", {"matt": "arbetsloshet_unga_18_24_antal", "period": "2014-06"}),
    ("karta", {"matt": "arbetsloshet_unga_18_24_antal", "period": "2018-06"}),
    ("karta", {"matt": "feriejobb_anstallda", "period": "2022", "kon": "kvinnor"}),
    ("karta", {"matt": "feriejobb_anstallda", "period": "2022", "kon": "skillnad"}),
    ("karta", {"matt": "arbetsloshet_oppet_andel_bef_ej_angiven", "period": "2017-10", "niva": "stadsdelsomrade"}),
    ("kaa", {"jmf": "ar", "kon": "totalt"}),
    ("kaa", {"jmf": "ar", "kon": "skillnad"}),
    ("kaa", {"jmf": "jan_mars", "kon": "totalt"}),
    ("kaa", {"jmf": "ar", "kon": "kvinnor"}),
]
TARGET_SECONDS = 20.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdf", action="store_true", help="time the PDF export too")
    args = parser.parse_args()

    start = time.perf_counter()
    slides = [presentable.build(view, state) for view, state in DECK]
    built = time.perf_counter() - start
    print(f"{len(slides)} bilder byggda ur databasen på {built:.1f} s")

    start = time.perf_counter()
    pptx = presentation.deck_pptx(slides, "http://localhost:8501", "Benchmark")
    seconds = time.perf_counter() - start
    out = Path(tempfile.gettempdir()) / "benchmark_export.pptx"
    out.write_bytes(pptx)
    verdict = "OK" if seconds <= TARGET_SECONDS else "FÖR LÅNGSAMT"
    print(f"PowerPoint: {seconds:.1f} s för {len(slides)} bilder ({seconds / len(slides):.2f} s/bild), "
          f"{len(pptx) / 1e6:.1f} MB → {out}  [{verdict}, mål ≤ {TARGET_SECONDS:.0f} s]")
    if args.pdf:
        start = time.perf_counter()
        pdf = presentation.deck_pdf(slides, "http://localhost:8501", "Benchmark")
        print(f"PDF: {time.perf_counter() - start:.1f} s, {len(pdf) / 1e6:.1f} MB")
    return 0 if seconds <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
