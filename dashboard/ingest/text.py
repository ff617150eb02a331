"""The preview told in Swedish, as plain text (the command line) — the page draws the same Preview as tables."""

from __future__ import annotations

from dashboard.ingest.route import Preview
from dashboard.numbers import format_number
from dashboard.periods import period_label


def _n(count: int) -> str:
    return format_number(count)


def preview_lines(preview: Preview) -> list[str]:
    """Every line of the preview: format, data set, what was found, what would change, what matched nothing."""
    p = preview.parsed
    periods = sorted(preview.counts("period"))
    lines = [
        f"Fil: {p.file_name} (sha256 {preview.sha256[:12]}…)",
        f"Filtyp: {preview.format_label} [{preview.format}]",
        f"Data set: {preview.dataset} ("
        + ("finns redan, värden läggs till eller ersätts" if preview.dataset_exists else "nytt") + ")",
        *([f"Blad: {', '.join(p.sheets)}"] if p.sheets else []),
        f"Perioder: {_n(len(periods))}" + (f" ({period_label(periods[0])} – {period_label(periods[-1])})"
                                            if periods else ""),
        "Mått:",
        *[f"  {m}: {p.measures[m]['name']} – {_n(n)} rader" for m, n in sorted(preview.counts("measure").items())],
        "Områden:", *[f"  {a}: {_n(n)} rader" for a, n in sorted(preview.counts("område").items())],
        "Kön:", *[f"  {g}: {_n(n)} rader" for g, n in sorted(preview.counts("kön").items())],
        "Grupper:", *[f"  {g}: {_n(n)} rader" for g, n in sorted(preview.counts("grupp").items())],
    ]
    for status, n in sorted(preview.statuses().items()):
        lines.append(f"Utan tal ({status}): {_n(n)} rader, sparas som det de är")
    if p.blank_cells:
        lines.append(f"Tomma celler (ingen uppgift, inget sparas): {_n(p.blank_cells)}")
    if p.duplicates:
        lines.append(f"Samma värde på flera blad (läses en gång): {_n(p.duplicates)}")
    lines.append(f"Rader: {_n(preview.new)} nya, {_n(preview.replaced)} ersätter befintliga värden, "
                 f"{_n(preview.unchanged)} oförändrade")
    if preview.unmatched:
        lines.append(f"Områden som inte finns i databasen (läses inte in): {_n(sum(preview.unmatched.values()))} rader")
        lines += [f"  {name}: {_n(n)} rader" for name, n in preview.unmatched.items()]
    for earlier in preview.earlier_imports:
        lines.append(f"Samma fil importerades förut: import {earlier['import_id']} till {earlier['dataset']} "
                     f"({earlier['imported_at']:%Y-%m-%d %H:%M}, {earlier['imported_by']})")
    if not preview.changes:
        lines.append("Inget att ändra: alla värden finns redan.")
    return lines
