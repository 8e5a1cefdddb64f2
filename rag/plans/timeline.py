"""A timeline: the dated events of the articles, in date order, each cited."""

from __future__ import annotations

from collections.abc import Sequence

from ..lang.dates import EventDate, event_date, iso_date, relative_expression, undated_order
from .articles import Article
from .plan import Line, Plan
from .sentences import mentions_any, new_among, on_subject, quotes, shortened, telling

#: Entries in a timeline at most (the most on-subject are kept, then shown in date order).
MOST = 8


def timeline(articles: Sequence[Article], subject: Sequence[str]) -> Plan:
    """Every sentence that dates its event, with the date resolved against its article's
    publication day ("on Wednesday" -> the Wednesday before), most on-subject first up
    to :data:`MOST`, then in date order. A date that cannot be pinned down is shown as
    given and marked uncertain; entries without a year go last, in the order they most
    likely happened (see :func:`rag.lang.dates.undated_order`)."""
    articles = [a.neutral() for a in articles]
    told = telling(subject, articles)
    found: list[tuple[Line, tuple[int, ...], int, str]] = []
    for rank, article in enumerate(articles):
        # Among three or more articles, an article that never mentions the subject's
        # telling words (those not every article holds: "coalition talks", not
        # "Westmark") gives only sentences that hold half its words or more: a hospital
        # inquiry's dates are not in "the Westmark coalition talks", while a grounding
        # of "the Boeing 737 MAX crisis" in a report that never says "crisis" is. Of one
        # or two articles, retrieval's choice stands ("the takeover" may be "agreed to buy").
        aside = bool(subject) and len(articles) >= 3 and not mentions_any(article, told)
        for q in quotes(article):
            when = event_date(q.text, article.published) or _unpinned(q.text)
            if when is None:
                continue
            line = Line(shortened(q.shown), (q.passage,), when.shown, when.certain, article.outlet, when.key)
            score = on_subject(q, subject) if subject else 1
            if aside and 2 * score < len(subject):
                continue
            # On the subject first; among those, the story's own events before background
            # from over a year before it ("the stadium was expanded in 2023" in a match
            # report), which fills the slots the story's events are left out of otherwise.
            priority = (score <= 0, _background(when.key, article.published), -score)
            found.append((line, priority, rank * 1000 + q.position, q.text))
    if not found:
        return Plan("timeline", reason="no passage of the articles dates an event")
    chosen: list[tuple[Line, int, str]] = []
    for line, _, order, sentence in sorted(found, key=lambda f: (f[1], f[2])):
        if len(chosen) < MOST and new_among(line.text, (c.text for c, _, _ in chosen)):
            chosen.append((line, order, sentence))
    # Dates without a year or a publication day ("on Wednesday", "March 26", "last
    # month") go after the dated ones, in the order they most likely happened in; article
    # order would follow the news story's most-important-first order instead.
    days = iter(undated_order([sentence for line, _, sentence in chosen if not line.key]))
    placed = [(line, order, None if line.key else next(days)) for line, order, _ in chosen]
    placed.sort(key=lambda p: (p[0].key == "", p[0].key, p[2] is None, -(p[2] or 0), p[1]))
    heading = (
        ""
        if any(a.published for a in articles)
        else "The articles give no publication dates, so days like “on Wednesday” stay unresolved; "
        "they are listed in the order they most likely happened."
    )
    return Plan("timeline", tuple(line for line, _, _ in placed), heading=heading)


def _background(key: str, published: str) -> bool:
    """Is an event dated ``key`` (YYYY, YYYY-MM or YYYY-MM-DD) over a year before its
    article's publication day?"""
    day = iso_date(published) if published else ""
    if not key or not day:
        return False
    year_before = f"{int(day[:4]) - 1}{day[4:]}"
    return key < year_before[: len(key)] if len(key) > 4 else int(key) < int(day[:4]) - 1


def _unpinned(sentence: str) -> EventDate | None:
    """A weekday or "yesterday" in an article without a date: kept, shown as written."""
    said = relative_expression(sentence)
    return EventDate("", f"{said} (date not given)", certain=False) if said else None
