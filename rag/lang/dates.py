"""Calendar dates as news text writes them."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .terms import date_line_year

_MONTHS = ("January February March April May June July August September October November December").split()


def spelled_date(published: str) -> str:
    """ "2023-10-07T13:00:00+00:00" -> "October 7, 2023" (questions write dates so); other
    text unchanged."""
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", published.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        return published.strip()
    return f"{_MONTHS[int(m.group(2)) - 1]} {int(m.group(3))}, {m.group(1)}"


#: A year named by its distance from the article's own: "last year", "this year's",
#: "earlier this year", "next year". Not after a determiner ("over the last year": the
#: twelve months before; "this would be my last year": the final one), nor one already
#: followed by its year in digits.
_RELATIVE_YEAR = re.compile(
    r"(?<![\w’'])((?:\w+[’']?s? )?)\b(last|this|next|earlier this|later this) year(?:'s|’s)?\b(?! \(?\d{4})",
    re.IGNORECASE,
)
_DETERMINERS = frozenset("the a an my your his her its our their one's every whose".split())
_YEAR_OFFSET = {"last": -1, "this": 0, "next": 1, "earlier this": 0, "later this": 0}


def year_glosses(text: str, published: str) -> str:
    """``text`` with the year in digits after each year it names by its distance from the
    publication date: "profit rose to €612 million last year" (published 2025-02-27) ->
    "... last year (2024)". Questions name years in digits; a small model told only the
    date line gives last year's figure for this year's. The date may be written any way a
    date line writes it ("2025-02-27", "Feb. 27, 2025"); unchanged when it gives no year."""
    said = date_line_year(published)
    if not said:
        return text
    year = int(said)

    def gloss(r: re.Match[str]) -> str:
        before = r.group(1).strip().lower()
        if before in _DETERMINERS or before.endswith(("’s", "'s")):
            return r.group(0)  # "the last year", "the club's last year"
        return f"{r.group(0)} ({year + _YEAR_OFFSET[r.group(2).lower()]})"

    return _RELATIVE_YEAR.sub(gloss, text)


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


#: What may stand beside a date that is given alone: a time of day, a zone, a weekday
#: ("2024-03-01T09:30:00Z", "Friday 1 March 2024", "5:05PM ET", "12:00pm CEST", "+01:00").
_DATE_FURNITURE = (
    r"T?\d{1,2}(?:[:.]\d{2}(?::\d{2}(?:\.\d+)?)?)?\s?[ap]\.?m\b\.?|T?\d{1,2}[:.]\d{2}(?::\d{2}(?:\.\d+)?)?"
    r"|Z\b|[+-]\d{2}:?\d{2}\b"
    r"|\b(?:utc|gmt|[ecmp][sd]?t|bst|cest|cet|ist|aest|jst)\b"
    r"|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thu|thurs?|fri|sat|sun)\b\.?"
)
_ALONE = re.compile(_DATE_FURNITURE + r"|[\s,.]", re.IGNORECASE)
#: A publication stamp may also say what it is ("Updated July 19, 2022, 5:05 p.m. ET",
#: "Published Sat 7 Oct 2023 | 13:00 BST", "July 18, 2019 Updated July 26, 2019").
_STAMP = re.compile(
    _DATE_FURNITURE
    + r"|\b(?:first|last)?\s*(?:published|updated|posted|modified|edited)\b|\b(?:on|at)\b|[\s,.|·•:;()\[\]/–—-]",
    re.IGNORECASE,
)


def _dates_in(text: str) -> list[re.Match[str]]:
    return [
        m
        for pattern in (_ISO_DAY, _MONTH_DAY_YEAR, _DAY_MONTH_YEAR)
        for m in pattern.finditer(text)
        if iso_date(m.group(0))
    ]


def _nothing_but(text: str, furniture: re.Pattern[str]) -> list[re.Match[str]]:
    """The dates in ``text``, first first, when the rest of it is only ``furniture``;
    else none."""
    found = sorted(_dates_in(text), key=lambda m: m.start())
    covered = set().union(*(range(m.start(), m.end()) for m in found))
    rest = "".join(" " if i in covered else ch for i, ch in enumerate(text))
    return [] if furniture.sub("", rest) else found


def whole_date(text: str) -> str:
    """The calendar day ``text`` gives as YYYY-MM-DD when it is nothing but a date
    ("2024-03-01", "2024-03-01T09:30:00Z", "March 1, 2024", "Friday 1 March 2024"), else
    "": a filter's "since" must not be read out of running text ("not 2024-03-01",
    "2024-03-01 to 2024-03-31")."""
    found = _nothing_but(text, _ALONE)
    return iso_date(found[0].group(0)) if len(found) == 1 else ""


def date_stamp(line: str) -> str:
    """The first date of ``line`` as written ("July 19, 2022") when the line is nothing
    but a publication stamp (dates that name their year, times, zones, weekdays and the
    words "published", "updated", "posted"), else "". Running text is never a stamp:
    "The vote is on March 3, 2024" leaves words over."""
    found = _nothing_but(line, _STAMP)
    return found[0].group(0) if found else ""


# -- When an event happened, as a news sentence says it ------------------------------

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Capitalised, as news writes months: "may" is a verb.
_MONTH_WORD = (
    r"(?-i:(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?))"
)
# The expressions read, most precise first; each is tried on the whole sentence and the
# first (leftmost) match of the most precise kind wins.
_EXPRESSIONS = (
    ("iso", re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")),
    ("mdy", re.compile(rf"\b{_MONTH_WORD}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.IGNORECASE)),
    ("dmy", re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH_WORD}\.?,?\s+(\d{{4}})\b", re.IGNORECASE)),
    ("md", re.compile(rf"\b{_MONTH_WORD}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s*\d{{4}})", re.IGNORECASE)),
    ("dm", re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH_WORD}\b(?!\.?,?\s*\d{{4}})", re.IGNORECASE)),
    (
        "my",
        re.compile(
            rf"\b(?:in|since|by|until|from|of|during|early|late|mid-?)\s+{_MONTH_WORD}\.?,?\s+(\d{{4}})\b",
            re.IGNORECASE,
        ),
    ),
    (
        "weekday",
        re.compile(
            r"\b(?:on|last|this|since|until|till|through|by|late|early)?\s*(" + "|".join(_WEEKDAYS) + r")\b",
            re.IGNORECASE,
        ),
    ),
    (
        "relative",
        re.compile(
            # "up 12% from last year" compares with last year; it does not date the event.
            r"(?<!from )(?<!than )(?<!over )(?<!versus )(?<!vs\. )"
            r"\b(yesterday|today|tonight|this morning|this afternoon|this evening|last night"
            r"|last week|last month|last year|earlier this (?:week|month|year)|this (?:week|month|year)"
            r"|next (?:week|month|year))\b",
            re.IGNORECASE,
        ),
    ),
    # A quarter names its year: "third-quarter 2025 revenue rose 12% from last year".
    (
        "quarter",
        re.compile(
            r"\b(?:Q[1-4]|(?:first|second|third|fourth)[- ]quarter(?: of)?)\s+((?:19|20)\d{2})\b", re.IGNORECASE
        ),
    ),
    (
        "month",
        re.compile(
            rf"\b(?:in|since|by|until|from|during|early|late|mid-?|last|this)\s+{_MONTH_WORD}\b(?!\.?\s*\d)",
            re.IGNORECASE,
        ),
    ),
    (
        "year",
        re.compile(
            r"\b(?:in|since|until|during|of|early|late|mid-?|before|after)\s+((?:19|20)\d{2})\b(?![\d%]|[,.]\d)",
            re.IGNORECASE,
        ),
    ),
)

_BY_KIND = dict(_EXPRESSIONS)

# A sentence about what is to come: its weekday is the next one, not the last.
_AHEAD = re.compile(
    r"\b(will|shall|(is|are) (due|set|scheduled|expected|to)|plans? to|is planning to|next|must(?! have))\b",
    re.IGNORECASE,
)
# "The ban runs until Friday", "the road remains closed until March": a state that lasts
# up to the date, said in the present, ends ahead ("was in place until Friday" ended).
_UNTIL = re.compile(r"(until|till|through)\b", re.IGNORECASE)
#: A past verb of saying: a date right after it is when it was said ("officials said on Monday").
_SAID = re.compile(r"\b(said|told|announced|reported|added|confirmed|stated|wrote|warned|noted)\b", re.IGNORECASE)
_LASTING = re.compile(r"\b(is|are|remains?|stays?|runs?|lasts?|continues?|holds?)\b", re.IGNORECASE)


def _ahead(m: re.Match[str]) -> bool:
    """Does the clause before the date speak of what is to come ("will be played on
    Wednesday", "is expected to decide by September", "will be available to customers in
    the United States and Europe in December")? The clause runs back to the last comma,
    semicolon or colon: in "X said on Monday that the vote will be held in December" only
    December is ahead."""
    before = m.string[: m.start()]
    clause = re.split(r"[,;:]", before)[-1]
    # The last 8 words reach past an aside ("The next match, against Castlebury Town, is
    # on Saturday"); the clause reaches a "will" far back ("will be available to buyers
    # in the United States and Europe in December").
    near = " ".join(before.split()[-8:])
    # "until" opens the date's own words ("until Friday") or is the word before it ("until May 3").
    until = _UNTIL.match(m.group(0).strip()) or _UNTIL.fullmatch((before.split() or [""])[-1])
    if until and _LASTING.search(" ".join(clause.split()[-4:])):
        return True
    said = list(_SAID.finditer(clause))
    if said and not any(a.start() > said[-1].start() for a in _AHEAD.finditer(clause)):
        # "The bridge will reopen in May, the mayor said on Monday": the day is the saying's.
        return False
    return bool(_AHEAD.search(near) or _AHEAD.search(" ".join(clause.split()[-20:])))


#: A plan as it stood before ("was due to", "had been scheduled for"): its day may have
#: passed or not when the article was written.
_WAS_AHEAD = re.compile(r"\b(was|were|had been) (due|set|scheduled|expected|planned|slated|supposed)\b", re.IGNORECASE)


def _was_ahead(m: re.Match[str]) -> bool:
    clause = re.split(r"[,;:]", m.string[: m.start()])[-1]
    return bool(_WAS_AHEAD.search(" ".join(clause.split()[-12:])))


@dataclass(frozen=True)
class EventDate:
    """When a sentence says its event happened. ``key`` sorts (YYYY, YYYY-MM or
    YYYY-MM-DD; "" when the year is unknown); ``shown`` is how a reader sees it, saying
    "approximately" or "year not given" where that applies; ``certain`` is False for a
    date worked out from an approximate expression ("last week", "earlier this year") or
    a month and day without the year."""

    key: str
    shown: str
    certain: bool = True


def _month(word: str) -> int:
    return _MONTH_NUMBER.get(word.lower()[:3], 0)


def _day(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _spelled(d: datetime.date, weekday: bool = False) -> str:
    text = f"{_MONTHS[d.month - 1]} {d.day}, {d.year}"
    return f"{d.strftime('%A')}, {text}" if weekday else text


def event_date(sentence: str, published: str = "") -> EventDate | None:
    """The date of the event a news sentence reports, resolved against the article's
    publication day ``published`` (YYYY-MM-DD or any form :func:`iso_date` reads):
    "on Wednesday" is the last Wednesday on or before it, "yesterday" the day before,
    "last month" the month before, "July 26" that day of its year (or the year before,
    when July 26 would come after it). ``None`` when the sentence gives no date, or only
    a relative one and the publication day is unknown."""
    pub = iso_date(published) if published else ""
    base = datetime.date.fromisoformat(pub) if pub else None
    # A date in a clause about something else ("extending a strike that began on April
    # 22") is the sentence's event date only when no other date is given.
    for aside_too in (False, True):
        for kind, pattern in _EXPRESSIONS:
            m = next((m for m in pattern.finditer(sentence) if not _compared(m) and (aside_too or not _aside(m))), None)
            if not m:
                continue
            found = _resolve(kind, m, base)
            if found:
                return found
    return None


#: A relative clause's verb right before the date: "a strike that began on April 22",
#: "the deal, which was signed in 2019,", "a project that has run since 2018". "said that
#: on Monday" (no verb between) and "that the vote on Monday" (no verb) are not asides.
_ASIDE = re.compile(
    r"\b(?:that|which)\s+(?:(?:had|has|have|was|were)\s+)?[a-z]+(?:ed|un|an|gan|ook|ent|ew|ote|old)\s+"
    r"(?:on|in|since|from|at|back in)?\s*$",
    re.IGNORECASE,
)


def _aside(m: re.Match[str]) -> bool:
    """Is the date a relative clause's, about a thing the sentence mentions ("extending
    a strike that began on April 22") rather than the sentence's own event?"""
    return bool(_ASIDE.search(m.string[max(0, m.start() - 40) : m.start()]))


#: A figure compared with another time's, right before that time: "turnout was 67.5%, up
#: from 61% in 2022", "higher than in 2019". ("More than 200 people died on Monday" is
#: no comparison of days.)
_COMPARED = re.compile(
    r"(\b(compared (with|to)|(up|down|rose|fell|rising|falling|increased|decreased|climbed|dropped) from"
    r"|versus|vs\.?)\s+[^\s,;]+|\b(higher|lower|more|less|fewer|bigger|smaller|better|worse) than)\s*$",
    re.IGNORECASE,
)


def _compared(m: re.Match[str]) -> bool:
    """Is the date another time's, that the sentence compares its event with? (The
    clause before it says "up from", "compared with", "than".)"""
    return bool(_COMPARED.search(m.string[max(0, m.start() - 60) : m.start()]))


def _resolve(kind: str, m: re.Match[str], base: datetime.date | None) -> EventDate | None:
    g = m.groups()
    if kind == "iso":
        d = _day(int(g[0]), int(g[1]), int(g[2]))
        return EventDate(d.isoformat(), _spelled(d)) if d else None
    if kind in ("mdy", "dmy"):
        month, day, year = (
            (_month(g[0]), int(g[1]), int(g[2])) if kind == "mdy" else (_month(g[1]), int(g[0]), int(g[2]))
        )
        d = _day(year, month, day) if month else None
        return EventDate(d.isoformat(), _spelled(d)) if d else None
    if kind in ("md", "dm"):
        month, day = (_month(g[0]), int(g[1])) if kind == "md" else (_month(g[1]), int(g[0]))
        if not month or not 1 <= day <= 31:
            return None
        if base is None:
            return EventDate("", f"{_MONTHS[month - 1]} {day} (year not given)", certain=False)
        d = _day(base.year, month, day)
        if d and _was_ahead(m):
            # "The glasses had been due to ship on May 12": a plan's day, on either side
            # of the article, so the nearest such day.
            days = [x for x in (_day(base.year + k, month, day) for k in (-1, 0, 1)) if x]
            d = min(days, key=lambda x: (abs((x - base).days), x < base))  # a tie: ahead, as plans are
        elif d and _ahead(m):
            if d < base:
                d = _day(base.year + 1, month, day)  # "will open on January 5", written in December
        elif d and d > base + datetime.timedelta(days=31):
            d = _day(base.year - 1, month, day)  # "on December 30" in a January article
        return EventDate(d.isoformat(), _spelled(d)) if d else None
    if kind == "my":
        month, year = _month(g[0]), int(g[1])
        return EventDate(f"{year}-{month:02d}", f"{_MONTHS[month - 1]} {year}") if month else None
    if kind in ("year", "quarter"):
        return EventDate(g[0], g[0])
    if base is None:
        return None
    if kind == "weekday":
        if _ahead(m):
            # "The final will be played on Wednesday": the next one.
            d = base + datetime.timedelta(days=(_WEEKDAYS.index(g[0].lower()) - base.weekday()) % 7 or 7)
        else:
            d = base - datetime.timedelta(days=(base.weekday() - _WEEKDAYS.index(g[0].lower())) % 7)
        return EventDate(d.isoformat(), _spelled(d, weekday=True))
    if kind == "month":
        month = _month(g[0])
        if not month:
            return None
        if _was_ahead(m):
            # "Shipments had been due to start in September": the nearest September.
            year = min(
                (base.year - 1, base.year, base.year + 1),
                key=lambda y: (abs(12 * (y - base.year) + month - base.month), y < base.year),
            )
        elif _ahead(m):
            # "A decision is expected by September": this year's, written in June; next
            # year's, written in October.
            year = base.year if month >= base.month else base.year + 1
        else:
            year = base.year if month <= base.month else base.year - 1
        return EventDate(f"{year}-{month:02d}", f"{_MONTHS[month - 1]} {year}")
    return _relative(g[0].lower(), base)


def _relative(expression: str, base: datetime.date) -> EventDate | None:
    if expression in ("today", "tonight", "this morning", "this afternoon", "this evening"):
        return EventDate(base.isoformat(), _spelled(base))
    if expression in ("yesterday", "last night"):
        d = base - datetime.timedelta(days=1)
        return EventDate(d.isoformat(), _spelled(d))
    if expression in ("last week", "earlier this week", "this week"):
        d = base - datetime.timedelta(days=7 if expression == "last week" else 0)
        monday = d - datetime.timedelta(days=d.weekday())
        return EventDate(monday.isoformat(), f"the week of {_spelled(monday)}, approximately", certain=False)
    if expression in ("last month", "earlier this month", "this month"):
        year, month = (base.year, base.month)
        if expression == "last month":
            year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        return EventDate(f"{year}-{month:02d}", f"{_MONTHS[month - 1]} {year}, approximately", certain=False)
    if expression in ("last year", "earlier this year", "this year"):
        year = base.year + _YEAR_OFFSET[expression.removesuffix(" year")]
        return EventDate(str(year), f"{year}, approximately", certain=False)
    return None  # "next week": not an event that happened


def relative_expression(sentence: str) -> str:
    """The weekday or relative day a sentence dates its event by ("Wednesday",
    "yesterday", "last month"); "" when it has none. (Without the article's
    date it cannot be resolved, but it still orders what the article reports.)"""
    for kind in ("weekday", "relative"):
        m = _BY_KIND[kind].search(sentence)
        if m and not m.group(1).lower().startswith("next"):
            said = m.group(1).lower()
            return said.capitalize() if kind == "weekday" else said
    return ""


# -- Ordering what an undated story reports -------------------------------------------

#: About how many days before the publication day a relative expression puts its event.
#: Only the order matters; nothing here is shown.
_DAYS_BEFORE = {
    "today": 0,
    "tonight": 0,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
    "yesterday": 1,
    "last night": 1,
    "this week": 3,
    "earlier this week": 3,
    "last week": 10,
    "this month": 10,
    "earlier this month": 10,
    "last month": 30,
    "this year": 90,
    "earlier this year": 90,
    "last year": 365,
}
#: News names a day within a week of the story by its weekday and a day further away by
#: month and day (the wire style books' rule), so a month and day lies at least this far
#: back, and a weekday within it.
_WEEK = 7


def _positions(values: set[int], period: int) -> dict[int, int]:
    """Each value's place on a cycle (weekdays, days of the year) counted from the
    earliest: the values a story gives span less than the cycle, so the widest gap
    between two of them is where the cycle breaks (Sunday, then Monday, in a Tuesday
    story; December 30, then January 4)."""
    ordered = sorted(values)
    gaps = [(ordered[(i + 1) % len(ordered)] - v) % period or period for i, v in enumerate(ordered)]
    first = ordered[(gaps.index(max(gaps)) + 1) % len(ordered)]
    return {v: (v - first) % period for v in ordered}


def _undated_expression(sentence: str) -> tuple[str, int, bool] | None:
    """A sentence's date that needs the publication day: ("weekday", 0-6, to come),
    ("day", day of the year, to come) or ("relative", days before, False)."""
    for kind in ("md", "dm", "weekday", "relative"):
        m = _BY_KIND[kind].search(sentence)
        if not m:
            continue
        g = m.groups()
        if kind == "weekday":
            return "weekday", _WEEKDAYS.index(g[0].lower()), _ahead(m)
        if kind == "relative":
            days = _DAYS_BEFORE.get(g[0].lower())
            if days is not None:
                return "relative", days, False
            continue
        month, day = (_month(g[0]), int(g[1])) if kind == "md" else (_month(g[1]), int(g[0]))
        d = _day(2001, month, day) if month else None
        if d:
            return "day", d.timetuple().tm_yday, _ahead(m)
    return None


def undated_order(sentences: Sequence[str]) -> list[int | None]:
    """For the sentences of a story whose publication day is unknown, about how many
    days before that day each dates its event ("on Wednesday", "last month", "March 26";
    negative for what is to come, "will vote on Thursday"), so that they can be put in
    order though they cannot be dated. ``None`` for a sentence with no such expression.

    A weekday lies within the week before the story, a month and day further back; the
    weekdays (and the months and days) of the story are ordered on their cycle from its
    widest gap, so "Sunday ... Monday" in a Tuesday story stays in that order."""
    found = [_undated_expression(s) for s in sentences]
    places: dict[tuple[str, bool], dict[int, int]] = {}
    for kind, period in (("weekday", 7), ("day", 365)):
        for ahead in (False, True):
            values = {f[1] for f in found if f and f[0] == kind and f[2] == ahead}
            if values:
                places[(kind, ahead)] = _positions(values, period)
    out: list[int | None] = []
    for f in found:
        if f is None or f[0] == "relative":
            out.append(f[1] if f else None)
            continue
        kind, value, ahead = f
        cycle = places[(kind, ahead)]
        nearest = 1 if kind == "weekday" else _WEEK + 1
        if ahead:
            out.append(-(nearest + cycle[value]))  # the soonest to come first
        else:
            out.append(nearest + max(cycle.values()) - cycle[value])  # the latest nearest
    return out
