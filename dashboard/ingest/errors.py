"""The import's error: file, sheet, row, column and reason, in Swedish."""

from __future__ import annotations

from dashboard.ingest.load import LoadError


class IngestError(LoadError):
    """A file that cannot be imported; nothing has been written. `sheet` is '' for files without sheets,
    `row` 0 for the whole file or sheet, `column` '' when no one column is at fault."""

    def __init__(self, file: str, reason: str, *, sheet: str = "", row: int = 0, column: str = "") -> None:
        super().__init__(file, row, column, reason)
        self.sheet = sheet
        where = [file]
        if sheet:
            where.append(f"blad '{sheet}'")
        if row:
            where.append(f"rad {row}")
        if column:
            where.append(f"kolumn {column}")
        self.args = (f"Fel i {', '.join(where)}: {reason}",)

    def __str__(self) -> str:
        return self.args[0]
