"""Numbers the Swedish way: "7 154", "54,5 %", "−3,2 procentenheter"."""

from __future__ import annotations

import math
import re

NBSP = "\u00a0"
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f]+")

UNIT_SUFFIX = {
    "procent": " %",
    "procentenheter": " procentenheter",
    "antal": "",
    "platser": " platser",
    "kr": " kr",
    "tkr": " tkr",
    "mnkr": " mnkr",
    "ton": " ton",
    "index": "",
    "poäng": " poäng",
}

MISSING = "uppgift saknas"


def parse_swedish_number(text: str) -> float:
    """'7 154' → 7154.0, '54,5' → 54.5, '−0,3' → -0.3. Raises ValueError on anything else."""
    cleaned = _SPACES.sub("", text.strip()).replace("\u2212", "-").replace("\u2013", "-").replace(",", ".")
    if not re.fullmatch(r"[-+]?\d+(\.\d+)?", cleaned):
        raise ValueError(f"'{text}' är inte ett tal")
    return float(cleaned)


def format_number(value: float | None, decimals: int | None = None) -> str:
    """Swedish digits: thin groups of three with a no-break space, decimal comma, real minus sign."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    trim = decimals is None  # as many decimals as the value has, at most two: 52,94 stays 52,94
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 2
    text = f"{abs(value):,.{decimals}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    text = text.replace(",", NBSP).replace(".", ",")
    return ("\u2212" if value < 0 and text.strip("0,\u00a0") else "") + text


def format_value(value: float | None, unit: str, decimals: int | None = None) -> str:
    """A value with its unit: '54,5 %', '7 154', '3,1 procentenheter'; a gap is 'uppgift saknas'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    return format_number(value, decimals) + UNIT_SUFFIX.get(unit, f" {unit}")
