"""The preview told in Swedish, as plain text (the command line) — the page draws the same Preview as tables."""

from __future__ import annotations

from dashboard.core.numbers import format_number
from dashboard.core.periods import period_label
from dashboard.ingest.route import NEEDS_TEXT, Preview


def _n(count: int) -> str:
    return format_number(count)


def rows(count: int) -> str:
    """'1 rad', '72 rader'."""
    return f"{format_number(count)} {'rad' if count == 1 else 'rader'}"


def measure_counts(preview: Preview) -> list[tuple[str, int]]:
    """Rows per measure, in the file's order (a measure, then its longer-term columns, band by band)."""
    counts = preview.counts("measure")
    return [(m, counts[m]) for m in preview.parsed.measures if m in counts]


REGISTERS = {"kaa": "KAA", "jobbtorg": "Jobbtorg", "stockholmsjobb": "Stockholmsjobb"}
GROUPS = {"kaa": "Grupper", "jobbtorg": "Målgrupper", "stockholmsjobb": "Anställningsformer"}


def individual_lines(preview: Preview) -> list[str]:
    """The preview of a case system's extract: register, data set, people, years, stadsdelar, kön, changes."""
    p = preview.parsed
    register = p.register
    lines = [
        f"Fil: {p.file_name} (sha256 {preview.sha256[:12]}…)",
        f"Filtyp: {preview.format_label} [{preview.format}]",
        f"Data set: {preview.dataset} ("
        + ("finns redan, rader läggs till eller ersätts" if preview.dataset_exists else "nytt") + ")",
        *([f"Blad: {', '.join(p.sheets)}"] if p.sheets else []),
        f"{REGISTERS[register]}: {rows(len(preview.rows))}, {_n(len(p.extract.people))} personer "
        f"({_n(len(preview.records.get('people', [])))} nya)",
        "Id: ersätts med projektets pseudonymer; verksamhetssystemets id och själva filen sparas inte",
        "År:", *[f"  {y}: {rows(n)}" for y, n in sorted(preview.counts("period").items())],
        "Kön:", *[f"  {g}: {rows(n)}" for g, n in sorted(preview.counts("kön").items())],
        f"{GROUPS[register]}:", *[f"  {g}: {rows(n)}" for g, n in sorted(preview.counts("grupp").items())],
        "Stadsdelar:", *[f"  {a}: {rows(n)}" for a, n in sorted(preview.counts("område").items())
                          if a not in preview.unmatched],
    ]
    if p.extract.ignored:
        lines.append("Kolumner som inte läses: " + ", ".join(p.extract.ignored))
    lines.append(f"Rader: {_n(preview.new)} nya, {_n(preview.replaced)} ersätter befintliga, "
                 f"{_n(preview.unchanged)} oförändrade")
    if preview.unmatched:
        lines.append(f"Stadsdelar som inte finns i databasen: {rows(sum(preview.unmatched.values()))}")
        lines += [f"  {name}: {rows(n)}" for name, n in preview.unmatched.items()]
    if preview.refusal:
        lines.append(f"Kan inte importeras: {preview.refusal}")
    for earlier in preview.earlier_imports:
        lines.append(f"Samma fil importerades förut: import {earlier['import_id']} till {earlier['dataset']} "
                     f"({earlier['imported_at']:%Y-%m-%d %H:%M}, {earlier['imported_by']})")
    if not preview.changes and not preview.refusal:
        lines.append("Inget att ändra: alla rader finns redan.")
    return lines


def preview_lines(preview: Preview) -> list[str]:
    """Every line of the preview: format, data set, what was found, what would change, what matched nothing."""
    if preview.individual:
        return individual_lines(preview)
    p = preview.parsed
    periods = sorted(preview.counts("period"))
    lines = [
        f"Fil: {p.file_name} (sha256 {preview.sha256[:12]}…)",
        f"Filtyp: {preview.format_label} [{preview.format}]",
        f"Data set: {preview.dataset} ("
        + ("finns redan, värden läggs till eller ersätts" if preview.dataset_exists else "nytt") + ")",
        *([f"Blad: {', '.join(p.sheets)}"] if p.sheets else []),
        *preview.notes,
        f"Perioder: {_n(len(periods))}" + (f" ({period_label(periods[0])} – {period_label(periods[-1])})"
                                            if periods else ""),
        "Mått:",
        *[f"  {m}: {p.measures[m]['name']} – {rows(n)}" for m, n in measure_counts(preview)],
        "Områden:", *[f"  {a}: {rows(n)}" for a, n in sorted(preview.counts("område").items())],
        "Kön:", *[f"  {g}: {rows(n)}" for g, n in sorted(preview.counts("kön").items())],
        "Grupper:", *[f"  {g}: {rows(n)}" for g, n in sorted(preview.counts("grupp").items())],
    ]
    if preview.format in NEEDS_TEXT:  # texts the analyst gave: shown to be checked
        for m in p.measures.values():
            lines += [f"Definition: {m['definition']}", f"Enhet: {m['unit']}"]
    lines += [f"Obs: {note}." for note in p.notes]
    for status, n in sorted(preview.statuses().items()):
        lines.append(f"Utan tal ({status}): {rows(n)}, sparas som det de är")
    if p.blank_cells:
        lines.append(f"Tomma celler (ingen uppgift, inget sparas): {_n(p.blank_cells)}")
    if p.duplicates:
        lines.append(f"Samma värde på flera blad (läses en gång): {_n(p.duplicates)}")
    lines.append(f"Rader: {_n(preview.new)} nya, {_n(preview.replaced)} ersätter befintliga värden, "
                 f"{_n(preview.unchanged)} oförändrade")
    if preview.unmatched:
        lines.append(f"Områden som inte finns i databasen (läses inte in): {rows(sum(preview.unmatched.values()))}")
        lines += [f"  {name}: {rows(n)}" for name, n in preview.unmatched.items()]
    for earlier in preview.earlier_imports:
        lines.append(f"Samma fil importerades förut: import {earlier['import_id']} till {earlier['dataset']} "
                     f"({earlier['imported_at']:%Y-%m-%d %H:%M}, {earlier['imported_by']})")
    if not preview.changes:
        lines.append("Inget att ändra: alla värden finns redan.")
    return lines
