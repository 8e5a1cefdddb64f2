"""Choosing the sentences a structured answer quotes: pure functions over passages.

A structured answer (overview, timeline, comparison) is made of sentences quoted from the
articles, each cited to its passage: it cannot state what no article says, and it needs
no model to write it, so it is immediate. News writes its most important sentence first
(the lead), so reading order matters; beyond that, a sentence is central when its words
are the article's frequent words (SumBasic), and on-subject when it has the question's.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..lang import LEXICON, normalize_space, sentence_texts, term_matches, terms, without_dateline, words
from ..lang.patterns import ANAPHORA, CONTROL_TOKENS, WEB_ADDRESS
from ..types import Chunk
from .articles import Article

#: Sentences shorter than this (in words) are datelines, captions or fragments.
MIN_WORDS = 6
#: Fewer words than this besides figures, dates and clock times: a timestamp
#: ("Updated Jan. 14, 2026, 8:48 p.m. ET"), not news.
MIN_SUBSTANCE = 3
_STAMP = LEXICON.date_words | LEXICON.dateline_words
#: Longer sentences are cut at a word boundary, with an ellipsis.
MAX_CHARS = 320
#: Two sentences sharing this share of their terms say the same thing (two outlets
#: quoting one wire story); the second is left out.
SAME_SHARE = 0.6


@dataclass(frozen=True)
class Quote:
    """A sentence of an article and the passage that holds it."""

    text: str
    passage: Chunk
    position: int  # the sentence's place in its article (0: the lead)
    #: The sentence before it in its paragraph, when this one opens with a pronoun ("It
    #: reopened on May 20, 2024"): what "it" is. Shown with it, never read for its date.
    before: str = ""

    @property
    def shown(self) -> str:
        """The sentence as a structured answer shows it: with the sentence before, when
        that says what its pronoun stands for and both fit in :data:`MAX_CHARS`."""
        joined = f"{self.before} {self.text}"
        return joined if self.before and len(joined) <= MAX_CHARS else self.text


def quotes(article: Article) -> list[Quote]:
    """The article's sentences in reading order, each once (passages overlap by a
    sentence), with the first passage that holds it. The plans pass neutral articles
    (:meth:`Article.neutral`): sentences addressed to the model or the reader are not
    news, neither quoted nor shown in the cited passage."""
    out: list[Quote] = []
    seen: set[str] = set()
    for chunk in article.passages:
        for paragraph in chunk.text.split("\n"):
            previous = ""
            for sentence in sentence_texts(paragraph):
                text = quotable(normalize_space(sentence))
                if text is None or text in seen or len(text.split()) < MIN_WORDS or not says_something(text):
                    previous = text or ""
                    continue
                seen.add(text)
                before = previous if text.split()[0].lower() in ANAPHORA else ""
                out.append(Quote(text, chunk, len(out), before))
                previous = text
    return out


def quotable(sentence: str) -> str | None:
    """The sentence as a structured answer may quote it: without the article's own
    citation markers ("approved on Monday [2][5]": beside ours they would point at other
    passages), or None when it carries a web address or a chat-template token. Those are
    what an injected article wants an answer to carry, and no news sentence needs them
    quoted; the cited passage still shows them, as text. A lead is quoted without its
    dateline ("LAKEMONT - "), which the article's title line gives."""
    if WEB_ADDRESS.search(sentence) or CONTROL_TOKENS.search(sentence):
        return None
    return normalize_space(without_dateline(_OWN_MARKER.sub("", sentence)))


#: An article's own citation marker: "[2]", "[2, 5]"; not a year in brackets ("in [2021]").
_OWN_MARKER = re.compile(r"\s*\[(?!\d{4}\])\d{1,3}(?:\s*[,;–-]\s*\d{1,3})*\]")


def says_something(sentence: str) -> bool:
    """Has the sentence :data:`MIN_SUBSTANCE` words besides figures, date words and a
    timestamp's words? A dateline ("Nov. 13, 2025 Updated Nov. 14, 2025, 7:59 a.m.") has none."""
    return sum(not w.replace(".", "").isdigit() and w not in _STAMP for w in words(sentence)) >= MIN_SUBSTANCE


def shortened(text: str, limit: int = MAX_CHARS) -> str:
    """``text`` cut to ``limit`` characters at a word boundary, with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[: text.rfind(" ", 0, limit)].rstrip(",;:") + " …"


def on_subject(quote: Quote, subject: Sequence[str]) -> int:
    """How many of the question's subject terms the sentence has."""
    have = set(terms(quote.text))
    return sum(term_matches(t, have) for t in subject)


def centrality(article_quotes: Sequence[Quote]) -> dict[int, float]:
    """Each sentence's mean term frequency in its article, discounted by position (the
    inverted pyramid): what the article is mostly about, early first."""
    counts = Counter(t for q in article_quotes for t in set(terms(q.text)))
    out = {}
    for q in article_quotes:
        ts = set(terms(q.text))
        mean = sum(counts[t] for t in ts) / len(ts) if ts else 0.0
        out[q.position] = mean / (1 + 0.15 * q.position)
    return out


def ranked(article: Article, subject: Sequence[str]) -> list[Quote]:
    """The article's sentences, most worth quoting first: on the question's subject
    (when it has one), then the lead, then by centrality."""
    qs = quotes(article)
    score = centrality(qs)
    return sorted(qs, key=lambda q: (-on_subject(q, subject) if subject else 0, q.position != 0, -score[q.position]))


def telling(subject: Sequence[str], articles: Sequence[Article]) -> list[str]:
    """The subject's terms that tell its sentences apart: without those every one of
    three or more articles holds ("Westmark" in "the Westmark coalition talks" over news
    from Westmark), unless that leaves none."""
    if len(articles) < 3:
        return list(subject)
    kept = [t for t in subject if not all(term_matches(t, a.vocabulary) for a in articles)]
    return kept or list(subject)


def mentions_any(article: Article, subject: Sequence[str]) -> bool:
    """Does the article hold a term of the subject anywhere, as it is ("strike", not
    "strikingly": a long feature holds nearly every word's neighbours)?"""
    return any(t in article.vocabulary for t in subject)


def same_thing(a: str, b: str) -> bool:
    """Do two sentences say the same thing (share :data:`SAME_SHARE` of their terms)?"""
    ta, tb = set(terms(a)), set(terms(b))
    if not ta or not tb:
        return False
    return len(ta & tb) / math.sqrt(len(ta) * len(tb)) >= SAME_SHARE


def new_among(text: str, chosen: Iterable[str]) -> bool:
    return not any(same_thing(text, c) for c in chosen)
