"""From a question to a plan: which articles it is about, read from the index."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..lang import LEXICON, iso_date, spelled_date, stem, terms, words
from ..lang.patterns import LATEST
from ..question import Question, analyse, mentions, passage_text
from ..retrieve import Retriever
from ..store import Filter, Store
from .articles import Article, by_article, named_articles, names_it_alone
from .collection import collection
from .comparison import comparison
from .overview import overview
from .plan import Plan
from .timeline import timeline

#: Articles an overview, timeline or comparison reads at most.
MOST_ARTICLES = 6
#: Outlets a comparison sets side by side at most, when the question names none.
MOST_SIDES = 3
#: Passages retrieved to find the articles on a subject.
SEARCH_DEPTH = 30
#: Articles a collection question reads (the rest are counted, not read).
MOST_LISTED = 2000


def plan_for(
    question: Question,
    query: str,
    index: Store | None,
    retriever: Retriever,
    where: Filter | None = None,
) -> Plan:
    """The plan for a structured question. ``query`` is the text to find its subject by
    (the question, joined to the previous one for a follow-up); ``index`` is where whole
    articles are read (without one, the retrieved passages stand for their articles)."""
    asked = analyse(query) if query != question.text else question
    if question.intent == "collection":
        if index is None:
            return Plan("collection", reason="questions about the collection need an index of ours")
        indexed = _indexed(index, where)
        if where is not None and not indexed:
            return Plan("collection", reason="no article matches the filter", matched=False)
        # Its names are its subject ("How many articles mention Lumora?").
        subject_words = _subject_words(asked, [])
        total = len(index.manifest.documents) if where is None else len(indexed)
        return collection(question, indexed, subject_words, total, filtered=where is not None)
    subject_words = _subject_words(asked, _outlets(index))
    subject = [t for w in subject_words for t in terms(w)]
    if subject:
        # The articles of the best passages on the subject (those of the outlets the
        # question names, when it names some).
        query_ = " ".join(subject_words)
        hits = retriever.retrieve(query_, SEARCH_DEPTH, where) if where else retriever.retrieve(query_, SEARCH_DEPTH)
        found = _whole(index, by_article([h.chunk for h in hits]))
        named = named_articles(question, found)
        if not named:
            # Retrieval always finds something: a subject named and never mentioned ("Catch
            # me up on the Super Bowl" over articles on Niger) has no overview here.
            found = [a for a in found if _names_the_subject(a, asked, subject)]
            if not found:
                return Plan(question.intent, reason=f"no article mentions {' '.join(subject_words)}")
        found = named or found
    else:
        indexed = _indexed(index, where)
        named = named_articles(question, indexed)
        found = named or sorted(indexed, key=lambda a: a.passages[0].date if a.passages else "", reverse=True)
    if not found:
        return Plan(question.intent, reason="no article matches the question", matched=False)
    if question.intent == "comparison":
        return comparison(_sides(named, found), subject)
    found, rest = found[:MOST_ARTICLES], found[MOST_ARTICLES:]
    if question.intent == "timeline":
        plan = timeline(found, subject)
    elif LATEST.search(question.text):
        plan = _latest(found, subject)
    else:
        plan = overview(found, subject)
    return _saying_what_is_left_out(plan, rest)


#: Articles left out of an overview or timeline named at most in its footer.
MOST_LEFT_NAMED = 5


def _saying_what_is_left_out(plan: Plan, rest: Sequence[Article]) -> Plan:
    """The plan, its footer naming the articles it did not read (past
    :data:`MOST_ARTICLES`), so a story is never dropped without a word."""
    if not rest or not plan.lines:
        return plan
    named = "; ".join(a.describe() for a in rest[:MOST_LEFT_NAMED])
    more = f"; and {len(rest) - MOST_LEFT_NAMED:,} more" if len(rest) > MOST_LEFT_NAMED else ""
    left = f"Not covered above ({len(rest):,} more {'article' if len(rest) == 1 else 'articles'}): {named}{more}."
    return replace(plan, footer=f"{plan.footer}\n\n{left}" if plan.footer else left)


def _names_the_subject(article: Article, question: Question, subject: Sequence[str]) -> bool:
    """Does the article mention a name the question's subject holds ("Super Bowl", "Fed")?
    True when the subject names nothing: its words alone decide nothing."""
    names = [ph for ph in question.names if any(t in subject for t in ph)]
    if not names:
        return True
    vocab = {t for p in article.passages for t in terms(passage_text(p))}
    return any(mentions(ph, vocab) for ph in names)


def _latest(found: Sequence[Article], subject: Sequence[str]) -> Plan:
    """An overview of the newest articles first, saying as of when."""
    newest = sorted(found, key=lambda a: a.published and iso_date(a.published), reverse=True)
    plan = overview(newest, subject)
    day = next((iso_date(a.published) for a in newest if a.published and iso_date(a.published)), "")
    return replace(plan, heading=f"As of {spelled_date(day)}:") if day and plan.lines else plan


def _indexed(index: Store | None, where: Filter | None) -> list[Article]:
    """The index's articles (up to :data:`MOST_LISTED`) within ``where``."""
    if index is None:
        return []
    out = []
    for doc_id in list(index.manifest.documents)[:MOST_LISTED]:
        passages = index.passages(doc_id)
        if passages and (where is None or where.matches(passages[0])):
            out.append(Article(doc_id, passages))
    return out


def _outlets(index: Store | None) -> list[Article]:
    """Stand-ins for the index's outlets and file names, to tell a question's words that
    name an article from its subject (without reading every article)."""
    if index is None:
        return []
    if index.manifest.outlets:
        return [Article("", (), known_source=o) for o in index.manifest.outlets]
    # Articles without outlets are told apart by their file names ("cnn-….txt").
    return [Article(d, ()) for d in list(index.manifest.documents)[:MOST_LISTED]]


def _whole(index: Store | None, found: Sequence[Article]) -> list[Article]:
    """Retrieved articles with all their passages, when the index can give them."""
    if index is None:
        return list(found)
    return [Article(a.doc_id, index.passages(a.doc_id) or a.passages) for a in found]


def _subject_words(question: Question, articles: Sequence[Article]) -> list[str]:
    """What the question is about, as written: its subject words without the words that
    ask for a form of answer ("compare", "timeline") or name an article ("the CNN report")."""
    out = []
    # The words of the question's names that name an outlet ("Harbour Herald"), not a
    # part that may be a place the news is about ("Westmark" of "The Westmark Herald").
    naming = {t for ph in question.names if any(names_it_alone(ph, a) for a in articles) for t in ph}
    for w in question.subject_words():
        ws = words(w)
        # Capitalised within the question, such a word is part of a name ("New York").
        if not ws or (stem(ws[0]) in LEXICON.plan_stems or ws[0] in LEXICON.plan_words) and not w[:1].isupper():
            continue
        if w[:1].isupper() and (stem(ws[0]) in naming or any(names_it_alone((stem(ws[0]),), a) for a in articles)):
            continue
        out.append(w)
    return out


def _sides(named: Sequence[Article], found: Sequence[Article]) -> list[tuple[str, list[Article]]]:
    """The outlets to set side by side: those the question names, else the first
    :data:`MOST_SIDES` outlets among the articles found, each with its articles."""
    pool = named if len({a.outlet for a in named}) >= 2 else found
    sides: dict[str, list[Article]] = {}
    for a in pool:
        if a.outlet in sides or len(sides) < MOST_SIDES:
            sides.setdefault(a.outlet, []).append(a)
    return list(sides.items())
