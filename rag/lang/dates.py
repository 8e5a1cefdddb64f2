"""Calendar dates as news text writes them."""

from __future__ import annotations

import datetime
import re

_MONTHS = ("January February March April May June July August September October November December").split()


def spelled_date(published: str) -> str:
    """ "2023-10-07T13:00:00+00:00" -> "October 7, 2023" (questions write dates so); other
    text unchanged."""
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", published.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        return published.strip()
    return f"{_MONTHS[int(m.group(2)) - 1]} {int(m.group(3))}, {m.group(1)}"


_MONTH_NUMBER = {m.lower()[:3]: i for i, m in enumerate(_MONTHS, 1)}
_ISO_DAY = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_MONTH_DAY_YEAR = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
_DAY_MONTH_YEAR = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b")


def iso_date(text: str) -> str:
    """The first calendar day written in ``text`` as YYYY-MM-DD ("2023-10-07T13:00Z",
    "Oct. 7, 2023", "Saturday 7 October 2023"), or "" when it gives none. All-number
    day/month orders other than year-first are ambiguous and not read."""
    candidates = []
    for m in _ISO_DAY.finditer(text):
        candidates.append((m.start(), int(m.group(1)), int(m.group(2)), int(m.group(3))))
    for m in _MONTH_DAY_YEAR.finditer(text):
        month = _MONTH_NUMBER.get(m.group(1).lower()[:3])
        if month and _MONTHS[month - 1].lower().startswith(m.group(1).lower()):
            candidates.append((m.start(), int(m.group(3)), month, int(m.group(2))))
    for m in _DAY_MONTH_YEAR.finditer(text):
        month = _MONTH_NUMBER.get(m.group(2).lower()[:3])
        if month and _MONTHS[month - 1].lower().startswith(m.group(2).lower()):
            candidates.append((m.start(), int(m.group(3)), month, int(m.group(1))))
    for _, year, month, day in sorted(candidates):
        try:
            return datetime.date(year, month, day).isoformat()
        except ValueError:
            continue
    return ""
