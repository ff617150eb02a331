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
# What a status in observations.status is shown as (the same keys as dashboard.db.schema.STATUSES).
STATUS_TEXT = {"under_5": "färre än 5", "prickad": "uppgift saknas (prickad)"}


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


def format_value(value: float | None, unit: str, decimals: int | None = None, qualifier: object = None) -> str:
    """A value with its unit and the qualifier it was printed with: '54,5 %', 'drygt 57,5 %', '7 154',
    '1 procentenhet'; a gap is 'uppgift saknas'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    number = format_number(value, decimals)
    suffix = UNIT_SUFFIX.get(unit, f" {unit}")
    if unit == "procentenheter" and number.lstrip("\u2212") == "1":
        suffix = " procentenhet"  # "1 procentenhet", "1,5 procentenheter"
    word = qualifier_of(qualifier)
    return (f"{word} " if word else "") + number + suffix


# Words a document prints before a number that make it approximate or a bound ("drygt 57,5 procent").
QUALIFIERS = ("strax under", "strax över", "drygt", "närmare", "omkring", "cirka", "ca", "knappt", "över",
              "under", "runt", "ungefär", "nästan", "minst", "högst", "uppemot", "mer än", "mindre än")
APPROX = "\u2248"  # ≈, before a change or gap computed from an approximate value


def whole(value: float) -> float:
    """Rounded to whole units, halves away from zero (2,5 → 3, not Python's 2): an approximate change."""
    return math.copysign(math.floor(abs(value) + 0.5), value) + 0.0


def qualifier_of(value: object) -> str:
    """The qualifier as text: '' for none (None, NaN, empty)."""
    return value.strip() if isinstance(value, str) else ""


def printed_value(row: object, decimals: int | None = None) -> str:
    """An observation's value as printed, with its qualifier: 'drygt 57,5 %'. `row` is a mapping or a
    namedtuple with value, unit and (optionally) qualifier."""
    get = row.get if hasattr(row, "get") else lambda key, default=None: getattr(row, key, default)
    status = get("status")
    if isinstance(status, str) and status in STATUS_TEXT:  # a cell printed without a number ("<5", "..")
        return STATUS_TEXT[status]
    return format_value(get("value"), get("unit"), decimals, get("qualifier"))


def printed_values(frame: object, decimals: int | None = None) -> list[str]:
    """printed_value for every row of a DataFrame (the qualifier column may be missing)."""
    return [printed_value(row, decimals) for row in frame.to_dict("records")]


def format_gap(value: float | None, unit: str, decimals: int | None = None, approximate: bool = False) -> str:
    """A computed difference without sign marks: '5,5 procentenheter'; from an approximate value
    '≈ −6 procentenheter' (whole units)."""
    if approximate and not (value is None or (isinstance(value, float) and math.isnan(value))):
        return format_value(whole(value), unit, 0, APPROX)
    return format_value(value, unit, decimals)


def format_change(value: float | None, unit: str, approximate: bool = False) -> str:
    """A signed change or gap: '+0,7 procentenheter', '−3', '±0 procentenheter'. Computed from an approximate
    value it is approximate too and no finer than whole units: '≈ +1 procentenhet'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if approximate:
        value = whole(value)
    text = format_value(value, unit)
    sign = "+" if value > 0 else ("" if value < 0 else "\u00b1")
    return (f"{APPROX} " if approximate else "") + sign + text
