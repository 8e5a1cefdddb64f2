"""Questions about the collection itself, answered from the index's records, not by the model."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..ingest import article_file
from ..lang import spelled_date, terms
from ..lang.patterns import COLLECTION_COUNT, COLLECTION_PUBLISHED, OUTLETS, OUTLETS_ASKED
from ..question import Question
from .articles import Article, named_articles
from .plan import Line, Plan

#: Articles listed at most; the rest are counted.
MOST = 20


def collection(
    question: Question, articles: Sequence[Article], subject: Sequence[str], total: int, filtered: bool = False
) -> Plan:
    """ "When was the DW article published?" (the named articles' dates), "How many
    articles mention X?" (those whose passages have every subject term), or "Which
    articles do you have?" (the list, those on the subject when it names one).
    ``articles`` are the indexed articles read (``total`` in the index, or within the
    question's filter when ``filtered``)."""
    if COLLECTION_PUBLISHED.search(question.text):
        named = named_articles(question, articles)
        if not named and question.names:
            # "When was the Reuters article published?" with no Reuters article: not every date.
            return Plan("collection", reason="no article here is from or about what the question names")
        return Plan("collection", tuple(_published(a) for a in (named or articles)[:MOST]))
    matching = [a for a in articles if _mentions_all(a, subject)] if subject else list(articles)
    # "Which outlets do you have?", "Which outlets covered X?"; not "How many articles
    # mention the Panama Papers?", whose subject holds an outlet word.
    if OUTLETS.search(question.text) and not subject or subject and OUTLETS_ASKED.search(question.text):
        return _outlets(matching, total, subject)
    partial = total > len(articles)
    if COLLECTION_COUNT.search(question.text) and subject:
        n = len(matching)
        of = f"of the {len(articles):,} read" if partial else f"of the {total:,}"
        heading = f"{n:,} {_articles(n)} {of} {'mentions' if n == 1 else 'mention'} {' and '.join(subject)}."
    elif subject:
        n = len(matching)
        heading = f"{n:,} {_articles(n)} of the {total:,} indexed {'mentions' if n == 1 else 'mention'} {' and '.join(subject)}:"
    elif filtered:
        heading = f"{total:,} {_articles(total)} {'matches' if total == 1 else 'match'} the filter:"
    else:
        heading = f"The index holds {total:,} {_articles(total)}" + (":" if total else ".")
    lines = tuple(Line(a.describe(), label=article_file(a.doc_id)) for a in matching[:MOST])
    more = len(matching) - len(lines)
    footer = f"… and {more:,} more." if more > 0 else ""
    if partial and not subject:
        footer = f"… and {total - len(lines):,} more."
    return Plan("collection", lines, heading=heading, footer=footer)


def _articles(n: int) -> str:
    return "article" if n == 1 else "articles"


def _published(a: Article) -> Line:
    if a.published:
        text = f"{a.title} ({a.outlet}) was published on {spelled_date(a.published)}."
    else:
        text = f"{a.title} ({a.outlet}) does not give its publication date."
    return Line(text, label=article_file(a.doc_id))


def _mentions_all(article: Article, subject: Sequence[str]) -> bool:
    """Does the article mention every subject word: a name by its terms ("Russian" is
    Russia's), a common noun as written, plural aside ("elected" is no mention of "the
    election", though both stem to "elect")?"""
    text = "\n".join(f"{p.title}\n{p.text}" for p in article.passages)
    have = set(terms(text))
    for word in subject:
        if word[:1].isupper() or not word.isalpha():
            if not all(t in have for t in terms(word)):
                return False
        elif not re.search(rf"\b{_forms(word.lower())}\b", text, re.IGNORECASE):
            return False
    return True


def _forms(word: str) -> str:
    """A pattern for ``word`` and its plural or singular ("election", "elections")."""
    forms = [word + "es", word + "s", word]
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        forms.append(word[:-1] + "ies")  # "company", "companies"
    if word.endswith("ies") and len(word) > 4:
        forms.append(word[:-3] + "y")
    elif word.endswith("s") and not word.endswith("ss") and len(word) > 4:
        forms.append(word[:-1])
    return "(?:" + "|".join(re.escape(w) for w in sorted(forms, key=len, reverse=True)) + ")"


def _outlets(articles: Sequence[Article], total: int, subject: Sequence[str] = ()) -> Plan:
    """The outlets of the articles (those that mention ``subject``, when given), each with
    how many of its articles the index holds."""
    counts: dict[str, int] = {}
    for a in articles:
        counts[a.outlet] = counts.get(a.outlet, 0) + 1
    lines = tuple(
        Line(f"{name}: {n} {_articles(n)}", label=name)
        for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    n = len(counts)
    if subject:
        on = " and ".join(subject)
        heading = f"{n:,} {'outlet' if n == 1 else 'outlets'} {'has' if n == 1 else 'have'} articles that mention {on}:"
        if not n:
            # Said of the words, which is what was sought: a match report may say "game".
            said = " and ".join(f"“{w}”" for w in subject)
            heading = (
                f"No article uses the word {said}."
                if len(subject) == 1
                else f"No article uses the words {said} together."
            ) + " Another word for it may find its articles."
    else:
        of = f" (of the first {len(articles):,} of {total:,} articles)" if total > len(articles) else ""
        heading = f"The articles come from {n:,} {'outlet' if n == 1 else 'outlets'}{of}:"
    return Plan(
        "collection",
        lines[:MOST],
        heading=heading,
        footer=f"… and {len(lines) - MOST:,} more." if len(lines) > MOST else "",
    )
