"""Periods as the reports write them: 2022, 2022-12, 2021-T1, 2021-09/2022-08, 2022-12-31."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

_YEAR = re.compile(r"(\d{4})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_TERTIAL = re.compile(r"(\d{4})-T([123])")

MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
          "oktober", "november", "december"]


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def period_bounds(period: str) -> tuple[date, date]:
    """First and last day of a period. Raises ValueError for a period not written in a known way."""
    if "/" in period:
        first, last = period.split("/", 1)
        start, _ = period_bounds(first)
        _, end = period_bounds(last)
        if end < start:
            raise ValueError(f"perioden '{period}' slutar före den börjar")
        return start, end
    if m := _YEAR.fullmatch(period):
        year = int(m[1])
        return date(year, 1, 1), date(year, 12, 31)
    if m := _TERTIAL.fullmatch(period):
        year, tertial = int(m[1]), int(m[2])
        return date(year, 4 * tertial - 3, 1), _month_end(year, 4 * tertial)
    if m := _MONTH.fullmatch(period):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise ValueError(f"månad {month} finns inte")
        return date(year, month, 1), _month_end(year, month)
    if m := _DAY.fullmatch(period):
        day = date(int(m[1]), int(m[2]), int(m[3]))
        return day, day
    raise ValueError(
        f"perioden '{period}' är inte skriven som ÅÅÅÅ, ÅÅÅÅ-MM, ÅÅÅÅ-Tn, ÅÅÅÅ-MM-DD eller ÅÅÅÅ-MM/ÅÅÅÅ-MM"
    )


def period_label(period: str) -> str:
    """'2022-12' → 'december 2022', '2021-T1' → 'tertial 1 2021'."""
    if "/" in period:
        first, last = period.split("/", 1)
        return f"{period_label(first)} – {period_label(last)}"
    if m := _TERTIAL.fullmatch(period):
        return f"tertial {m[2]} {m[1]}"
    if m := _MONTH.fullmatch(period):
        return f"{MONTHS[int(m[2]) - 1]} {m[1]}"
    if m := _DAY.fullmatch(period):
        return f"{int(m[3])} {MONTHS[int(m[2]) - 1]} {m[1]}"
    return period


def period_midpoint(period: str) -> date:
    """The middle day of a period: where a point for it sits on a time axis."""
    start, end = period_bounds(period)
    return start + (end - start) / 2


def time_axis(periods: list[str], max_ticks: int = 10) -> dict:
    """A Plotly date axis in Swedish: one tick per period (at most `max_ticks`) at its middle, labelled
    as the reports write it, and a range from the first period's start to the last one's end.

    Plotly's own date labels are English ("Jul 2014") and it has no Swedish locale offline.
    """
    ordered = sorted(dict.fromkeys(periods), key=period_bounds)
    if not ordered:
        return {}
    step = -(-len(ordered) // max_ticks)  # ceiling division: every n-th period when there are many
    shown = ordered[::step]
    first, _ = period_bounds(ordered[0])
    _, last = period_bounds(ordered[-1])
    pad = max((last - first) / 40, timedelta(days=15))
    return {"type": "date", "tickmode": "array", "tickvals": [period_midpoint(p).isoformat() for p in shown],
            "ticktext": [period_label(p) for p in shown],
            "range": [(first - pad).isoformat(), (last + pad).isoformat()]}
