"""A JSON file as an API returned it: UTF-8 (a BOM allowed) and valid JSON, or a Swedish message saying where not."""

from __future__ import annotations

import json

from dashboard.ingest.errors import IngestError


def load(data: bytes, file_name: str) -> object:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise IngestError(file_name, f"filen är inte sparad som UTF-8 (byte 0x{data[error.start]:02x} på plats "
                          f"{error.start}); spara svaret från API:t som det kom") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise IngestError(file_name, f"filen är inte giltig JSON: fel vid tecken {error.pos + 1} (filen är trasig "
                          "eller inte hel)", row=error.lineno, column=str(error.colno)) from None


def is_object(data: bytes) -> bool:
    """Whether the file starts as a JSON object (its errors are the reader's to tell)."""
    return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"
