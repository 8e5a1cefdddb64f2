"""The articles a structured answer draws on, and how a reader sees them named."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from ..guard import neutralized, safe_field, safe_title
from ..ingest import article_file
from ..lang import outlet_names, spelled_date, stem, term_matches, terms, words
from ..lang.patterns import ARTICLE_NAMED
from ..question import Question, mentions, name_phrases
from ..types import Chunk


@dataclass(frozen=True)
class Article:
    """An article as the plans read it: its passages in reading order (the first is its lead)."""

    doc_id: str
    passages: tuple[Chunk, ...]
    #: The outlet when no passage is at hand to say it.
    known_source: str = ""

    # Headline, outlet and date are checked here, not only in :meth:`neutral`: a collection
    # lists thousands of articles by name without reading their passages.
    @property
    def title(self) -> str:
        return safe_title(self.passages[0].title, self.doc_id) if self.passages else self.doc_id

    @property
    def source(self) -> str:
        return safe_field(self.passages[0].source if self.passages else self.known_source)

    @property
    def published(self) -> str:
        return safe_field(self.passages[0].published) if self.passages else ""

    @property
    def outlet(self) -> str:
        """The outlet, else the article's file name (a reader still tells two apart)."""
        return self.source or article_file(self.doc_id)

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """The terms of its passages' text, read once (plans ask several times)."""
        return frozenset(t for p in self.passages for t in terms(p.text))

    def neutral(self) -> Article:
        """The article without sentences addressed to the model or the reader (see
        :func:`rag.guard.neutralized`): what a plan may quote, cite or compare."""
        return Article(self.doc_id, tuple(map(neutralized, self.passages)), self.known_source)

    def describe(self) -> str:
        """ "Title (Outlet, July 31, 2023)"; the parts known."""
        bits = [b for b in (self.source, spelled_date(self.published)) if b]
        return f"{self.title} ({', '.join(bits)})" if bits else f"{self.title} ({article_file(self.doc_id)})"


def names_the_article(phrase: tuple[str, ...], article: Article) -> bool:
    """Does a name of the question (stemmed words) name this article: its outlet ("the
    Reuters report", "the Gazette" for "Northbridge Gazette"), or, for an article without
    one, a word of its file name ("the CNN report" for "cnn-russian-….txt")?"""
    # The file name stands for the outlet only when the article names none ("cnn-….txt");
    # otherwise its words are the subject's ("lumora-phone.txt"), as are the headline's.
    if article.source:
        return any(_outlet_words(phrase, name) for name in outlet_names(article.source))
    return mentions(phrase, {stem(w) for w in words(article_file(article.doc_id).replace("-", " "))})


def _outlet_words(phrase: tuple[str, ...], name: str) -> bool:
    # Every word of the phrase is the outlet's: an outlet's last word is often its kind
    # ("Daily", "Times", "News"), so "Coastline Sports Daily" must not name the "Arnholt
    # Daily Record" by it, as a person's last name alone names them.
    outlet = set(terms(name))
    return bool(outlet) and all(term_matches(w, outlet) for w in phrase)


def names_it_alone(phrase: tuple[str, ...], article: Article) -> bool:
    """Does the phrase name the article's outlet whatever else the question is about: all
    of its name, its last word ("the Herald", "the Times") or an abbreviation ("the BBC"
    of "BBC News")? Another part may be a place the news is about as well ("Westmark" of
    "The Westmark Herald"); see :func:`named_articles`."""
    if not article.source:
        return names_the_article(phrase, article)
    said = set(phrase)
    for name in outlet_names(article.source):
        outlet = terms(name)
        shorts = {stem(w.lower()) for w in re.findall(r"\b[A-Z]{2,}\b", name)}
        if _outlet_words(phrase, name) and (
            set(outlet) <= said or term_matches(outlet[-1], said) or bool(shorts & said)
        ):
            return True
    return False


def named_articles(question: Question, articles: Sequence[Article]) -> list[Article]:
    """The articles the question names by outlet, file or headline, in the given order;
    empty when it names none of them. Part of an outlet's name that other outlets'
    articles mention in their text is the news's, not the outlet's: "the Westmark
    coalition talks" are not The Westmark Herald's alone, while "Bloomberg" names
    Bloomberg News."""
    phrases = list(question.names) or name_phrases(question.text)
    reported_by: dict[tuple[str, ...], set[str]] = {}  # phrase -> the outlets whose text has it

    def names(ph: tuple[str, ...], a: Article) -> bool:
        if not names_the_article(ph, a):
            return False
        if names_it_alone(ph, a):
            return True
        if ph not in reported_by:  # read every article's text once a phrase, not once an article
            reported_by[ph] = {b.outlet for b in articles if mentions(ph, b.vocabulary)}
        return not reported_by[ph] - {a.outlet}

    found = [a for a in articles if any(names(ph, a) for ph in phrases)]
    if found:
        return found
    # "the election article": lower-case words before "article" name it too.
    described = [tuple(terms(m.group(1))) for m in ARTICLE_NAMED.finditer(question.text)]
    return [a for a in articles if any(ph and _described_by(ph, a) for ph in described)]


def _described_by(words_: tuple[str, ...], article: Article) -> bool:
    own = set(terms(f"{article.outlet} {article.title} {article_file(article.doc_id).replace('-', ' ')}"))
    return all(w in own for w in words_)


def by_article(chunks: Sequence[Chunk]) -> list[Article]:
    """Passages grouped by article, articles in order of their first passage."""
    order: dict[str, list[Chunk]] = {}
    for c in chunks:
        order.setdefault(c.doc_id, []).append(c)
    return [Article(doc, tuple(cs)) for doc, cs in order.items()]
