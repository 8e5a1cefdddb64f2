"""A comparison: what each outlet says on the subject, where their figures agree and
where they differ."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..checks import find_discrepancies, number_contexts, same_quantity
from ..lang import LEXICON, figure, is_year, sentence_texts, terms
from ..lang.patterns import COUNT_VERBS
from ..types import Chunk
from .articles import Article
from .plan import Line, Plan
from .sentences import new_among, on_subject, ranked, shortened

#: Sentences per outlet.
PER_SIDE = 2


def comparison(sides: Sequence[tuple[str, Sequence[Article]]], subject: Sequence[str]) -> Plan:
    """Side by side: for each outlet (``(name, its articles)``), its sentences most on
    the subject (its lead when the question gives none), each cited; then the figures of
    those sentences that another outlet gives too, next to the same words (they agree),
    and those another outlet states differently (they differ), each with both citations.
    Agreement is claimed only for a figure both state: never a bare "they agree"."""
    sides = [(name, [a.neutral() for a in arts]) for name, arts in sides if arts]
    if len(sides) < 2:
        return Plan("comparison", reason="the question needs two outlets or articles, and the index matches fewer")
    lines: list[Line] = []
    chosen: dict[str, list[tuple[str, Chunk]]] = {}
    # Each side's other candidate sentences: their figures are compared too (a strike's
    # "2,300 workers" against "2,500" is news however low it sits in the article).
    more: dict[str, list[tuple[str, Chunk]]] = {}
    for name, articles in sides:
        picks: list[tuple[str, Chunk]] = []
        candidates = sorted(
            (q for a in articles for q in ranked(a, subject)[: 3 * PER_SIDE]),
            key=lambda q: (-on_subject(q, subject) if subject else 0, q.position),
        )
        for q in candidates:
            if len(picks) < PER_SIDE and new_among(q.text, (t for t, _ in picks)):
                picks.append((q.shown, q.passage))
        chosen[name] = picks
        more[name] = [(q.text, q.passage) for q in candidates if q.shown not in {t for t, _ in picks}]
        lines += [Line(shortened(t), (p,), label=name) for t, p in picks]
    outlet_of = {a.doc_id: name for name, arts in sides for a in arts}
    passages = [c for _, arts in sides for a in arts for c in a.passages]
    lines += agreements(chosen, passages, outlet_of)
    lines += differences(chosen, passages, outlet_of, more)
    return Plan("comparison", tuple(lines))


def agreements(
    chosen: dict[str, list[tuple[str, Chunk]]], passages: Sequence[Chunk], outlet_of: dict[str, str]
) -> list[Line]:
    """Figures of the chosen sentences that another outlet's passage states too, for the
    same quantity (see :func:`rag.checks.same_quantity`); a score where a sentence about
    the same thing gives it (:func:`_same_score`)."""
    out: list[Line] = []
    seen: set[str] = set()
    # Each passage's figures, read once for all the chosen sentences.
    figures = [(p, outlet_of.get(p.doc_id, ""), number_contexts(p.text)) for p in passages]
    for name, picks in chosen.items():
        for text, own in picks:
            # A score is one figure ("3-1"), not two that agree with any 3 and any 1.
            for score in dict.fromkeys(_scores(text)):
                other = next(
                    (
                        p
                        for p in passages
                        if outlet_of.get(p.doc_id, "") not in ("", name) and _same_score(score, text, p.text)
                    ),
                    None,
                )
                if other is not None and score not in seen:
                    seen.add(score)
                    side = outlet_of[other.doc_id]
                    out.append(Line(f"{name} and {side} both give {score}.", (own, other), label="agree"))
            named = named_figures(text)
            for raw, n, near, q in number_contexts(text):
                if n in seen or not near or is_year(n) or q.unit == "score" or n in named:
                    continue
                for other, side, theirs in figures:
                    if (
                        side
                        and side != name
                        and any(m == n and same_quantity(near, q, near2, q2) for _, m, near2, q2 in theirs)
                    ):
                        seen.add(n)
                        out.append(
                            Line(f"{name} and {side} both give {with_unit(raw, text)}.", (own, other), label="agree")
                        )
                        break
    return out[:3]


def differences(
    chosen: dict[str, list[tuple[str, Chunk]]],
    passages: Sequence[Chunk],
    outlet_of: dict[str, str],
    more: dict[str, list[tuple[str, Chunk]]] | None = None,
) -> list[Line]:
    """Figures of the chosen sentences that another outlet's passage gives otherwise
    (the same quantity by its neighbouring words, unit and time), then those of each
    side's ``more`` sentences (not quoted, but on the subject). ``outlet_of`` maps an
    article to its side's name."""
    index = {id(c): n for n, c in enumerate(passages, 1)}
    out: list[Line] = []
    pairs: set[frozenset[str]] = set()
    # The quoted sentences first, every side's, so that their differences come first.
    for sentences in (chosen, more or {}):
        for name, group in sentences.items():
            claims = [(text, (index[id(c)],)) for text, c in group if id(c) in index]
            for d in find_discrepancies("", claims, passages, limit=3) if claims else ():
                other = passages[d.passage - 1]
                side = outlet_of.get(other.doc_id, "")
                if d.kind != "figure" or not side or side == name:
                    continue
                pair = frozenset({d.claimed.replace(",", ""), d.found.replace(",", "")})
                if pair in pairs:
                    continue  # the same difference seen from the other side
                if pair & (named_figures(d.evidence) | set().union(*(named_figures(t) for t, _ in group))):
                    continue  # a name's figure ("the CSX 40 index") is no quantity to differ on
                pairs.add(pair)
                said = next(((t, c) for t, c in group if d.claimed.replace(",", "") in t.replace(",", "")), group[0])
                mine, theirs = with_unit(d.claimed, said[0]), with_unit(d.found, d.evidence)
                out.append(Line(f"{name} gives {mine}; {side} gives {theirs}.", (said[1], other), label="differ"))
            for text, own in group:
                for score in dict.fromkeys(_scores(text)):
                    found = _other_score(score, text, name, passages, outlet_of)
                    if found and frozenset({score, found[0]}) not in pairs:
                        pairs.add(frozenset({score, found[0]}))
                        side = outlet_of[found[1].doc_id]
                        out.append(
                            Line(f"{name} gives {score}; {side} gives {found[0]}.", (own, found[1]), label="differ")
                        )
    return out


def _other_score(
    score: str, sentence: str, name: str, passages: Sequence[Chunk], outlet_of: dict[str, str]
) -> tuple[str, Chunk] | None:
    """Another outlet's different score or tally for what ``sentence`` reports (a sentence
    with two words in common, as :func:`_same_score` reads them): "voted 7-2 to hold"
    against "in a 6-3 vote". None when the other outlets give ``score`` too: an article
    that gives the same result has its other scores for other matches or votes, and a
    score this outlet gives too is no other account of this one."""
    theirs = [p for p in passages if outlet_of.get(p.doc_id, "") not in ("", name)]
    if any(score in _scores(p.text) for p in theirs):
        return None
    ours = {x for p in passages if outlet_of.get(p.doc_id, "") == name for x in _scores(p.text)}
    mine = _words_of(sentence)
    for p in theirs:
        for s in sentence_texts(p.text):
            other = next((x for x in _scores(s) if x not in ours), None)
            if other and _same_result(mine, s):
                return other, p
    return None


#: A result or tally written with a dash ("won 3-1", "voted 6–3"), not a compound
#: ("4-year") nor a range of a unit or of ages ("10-12 weeks", "2-3 million", "aged 5-11").
_SCORE = re.compile(
    r"(?<![\w.,])(?<!aged )(?<!ages )(?<!between )(\d{1,3})\s?[-–]\s?(\d{1,3})(?![\w%-]|[.,]\d)"
    r"(?!\s*(?:%|per ?cent|percent|thousand|million|billion|years?|months?|weeks?|days?|hours?|minutes?"
    r"|seconds?|metres?|meters?|miles?|km|kg|pounds?)\b)",
    re.IGNORECASE,
)
#: A figure that names something, after a capitalised word inside a sentence: an index or
#: model by its letters ("the CSX 40", "the S&P 500") or before a kind of name ("the
#: Boeing 737 jet", "the Stoxx 600 index"). "in Britain 40 people" is a count.
_NAMED_FIGURE = re.compile(
    r"(?<=[a-z,;]\s)([A-Z][\w&.-]*)\s+(\d[\d,.]*\d|\d)\b(?!\s?%|[.,]\d)"
    r"(\s+(?:index|series|model|jet|aircraft|class|edition|version|engine)\b)?"
)


def _scores(text: str) -> list[str]:
    """The scores and tallies of ``text``, written "3-1"."""
    return [f"{m.group(1)}-{m.group(2)}" for m in _SCORE.finditer(text)]


def _same_score(score: str, sentence: str, passage: str) -> bool:
    """Does ``passage`` give ``score`` in a sentence about what ``sentence`` is about (two
    words in common)? A 6-3 vote and a 6-3 ruling are not one result."""
    mine = _words_of(sentence)
    return any(score in _scores(s) and _same_result(mine, s) for s in sentence_texts(passage))


def _words_of(sentence: str) -> set[str]:
    """The sentence's terms without its figures: what a score stands among."""
    return {t for t in terms(sentence) if figure(t) is None}


def _same_result(words: set[str], sentence: str) -> bool:
    """Is ``sentence`` about what the sentence of ``words`` (:func:`_words_of`) is about:
    two words in common?"""
    return len(words & _words_of(sentence)) >= 2


def named_figures(text: str) -> set[str]:
    """The figures of ``text`` (as :func:`rag.checks.number_contexts` normalises them)
    that are part of a name: "40" of "the CSX 40 index"; not a date's ("on March 3")."""
    out = set()
    for m in _NAMED_FIGURE.finditer(text):
        word = m.group(1)
        lettered = (word.isupper() and len(word) > 1) or "&" in word or any(c.isupper() for c in word[1:])
        if (lettered or m.group(3)) and word.lower().rstrip(".") not in LEXICON.date_words:
            out.add(m.group(2).replace(",", ""))
    return out


def with_unit(figure: str, sentence: str) -> str:
    """The figure as the sentence writes it, with its currency and scale ("$2.3
    billion", "15.9%", "4,200 dockworkers")."""
    digits = r",?".join(re.escape(ch) for ch in figure.replace(",", ""))
    # A scale ("billion", "%") or what is counted (a plural noun, "cargo ships").
    # A verb is not what is counted ("42,000 was", "3 includes").
    counted = rf"(?!(?:{'|'.join(sorted(COUNT_VERBS))})\b)[a-z-]{{2,}}s\b"
    after = rf"(?:\s?%|\s(?:per ?cent|trillion|billion|million|thousand|bn)\b|\s(?:[A-Za-z-]+\s)?{counted})?"
    pattern = r"[$£€¥]?\s?(?<![\d.])" + digits + r"(?![\d])" + after
    m = re.search(pattern, sentence)
    return m.group(0).strip() if m else figure
