"""Citation parsing and checking: pure functions, no model.

The small model states facts well but sometimes cites the wrong passage or none, and
sometimes answers from memory. So every answer sentence is checked against the passage
it cites: its content words, every number (next to the same words) and every name must
occur there. A wrong
citation is re-pointed to the passage that does support the sentence; a sentence that no
passage supports keeps no citation and is reported as unsupported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from .text import (
    STOPWORDS, content_words, neighbours, normalize_space, numbers, sentences, stem, term_matches, words,
)
from .types import Chunk

_MARKER = re.compile(r"\s*\[(\d+(?:\s*[,;–-]\s*\d+)*)\]")
_REFUSAL = re.compile(
    r"(\b(do|does|did)(n't| not) (say|mention|specify|state|contain|provide|include|give)"
    r"|\bnot (mentioned|specified|stated|provided|given|included|contained|available)"
    r"|\bno (information|mention|details?)\b|\bcannot (be )?(determined?|answered?|found)"
    r"|\bunable to (answer|determine|find)|\bthere is no\b.*\b(passage|article)s?\b)",
    re.IGNORECASE,
)
_CORRECTION = re.compile(
    r"\b(not|no|never|rather|instead|actually|only|but|however|incorrect|false|wrong|contrary)\b|n't\b",
    re.IGNORECASE,
)
# Words that frame an answer rather than state a fact ("According to the article, ...").
_FRAMING = frozenset(
    "according article articles passage passages report reports reported state states stated "
    "mention mentions mentioned text source sources provided given information answer".split()
)


@dataclass(frozen=True)
class Sentence:
    """One sentence of an answer: its text without markers and the passages it cites."""

    text: str
    cited: tuple[int, ...]  # 1-based passage numbers as written by the model


@dataclass(frozen=True)
class CheckedSentence:
    """A sentence after checking: ``cited`` holds only passages that support it."""

    text: str
    claimed: tuple[int, ...]
    cited: tuple[int, ...]
    support: float  # best support among the cited passages (0 when none)

    @property
    def supported(self) -> bool:
        return bool(self.cited)


def parse_numbers(marker: str) -> list[int]:
    """``"1, 3"`` -> [1, 3]; ``"2-4"`` -> [2, 3, 4] (ranges capped at 20 numbers)."""
    out: list[int] = []
    for part in re.split(r"\s*[,;]\s*", marker.strip()):
        m = re.fullmatch(r"(\d+)\s*[–-]\s*(\d+)", part)
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            if a <= b:
                out.extend(range(a, min(b, a + 19) + 1))
        elif part.isdigit():
            out.append(int(part))
    return out


def split_answer(text: str) -> list[Sentence]:
    """Split an answer into sentences with the ``[n]`` markers each carries.

    Markers placed after the full stop ("… Niamey. [2]") belong to the sentence before.
    """
    text = normalize_space(text)
    out: list[Sentence] = []
    for span in sentences(text):
        raw = text[span.start:span.end]
        lead = re.match(r"^(\s*\[\d+(?:\s*[,;–-]\s*\d+)*\])+", raw)
        if lead and out:
            moved = tuple(n for m in _MARKER.finditer(lead.group(0)) for n in parse_numbers(m.group(1)))
            prev = out[-1]
            out[-1] = Sentence(prev.text, _dedupe(prev.cited + moved))
            raw = raw[lead.end():]
        cited = tuple(n for m in _MARKER.finditer(raw) for n in parse_numbers(m.group(1)))
        body = strip_framing(_MARKER.sub("", raw))
        if len(content_words(body)) >= 2 or (body and not out):
            out.append(Sentence(body, _dedupe(cited)))
        elif out:
            # A fragment left by marker removal ("and [3]", "It is quoted in [1]."): its
            # citations belong to the sentence before; its words carry nothing.
            prev = out[-1]
            out[-1] = Sentence(prev.text, _dedupe(prev.cited + cited))
    return out


_FRAMING_STEMS = _FRAMING | {stem(w) for w in _FRAMING}

_FRAMING_PHRASES = [
    r"\baccording to\s*(?=,|$)\s*,?\s*",  # "According to [1], …" once the marker is gone
    r"^(the |this )?(passages?|articles?|sources?|text)( from)?( \d+)?\s+(also\s+)?(states?|says?|mentions?|reports?|notes?|shows?)( that)?\s*",
    # "According to the passage(s) [1]," / "as stated in [1] and [2]" / "(see passage 2)"
    r"\baccording to (the )?(passages?|articles?|sources?|text)( \d+)?\s*,?\s*",
    r",?\s*\(?\b(as )?(stated|mentioned|noted|reported|quoted|cited|described|found) (in|by) "
    r"(the )?(passages?|articles?|sources?)?[\s\d,;&]*(and\s*)?[\s\d,]*\)?(?=[.!?]?$)",
    r"\b(this|it) is (stated|mentioned|quoted|reported|found) in\b.*$",
]
# A sentence about the sources rather than the news ("This information is cited from
# passage.", "He cites passage for this information."): dropped when nothing supports it.
_META = re.compile(
    r"\b(passages?|sources?)\b|\b(this|the|that) information\b|\bboth and\b", re.IGNORECASE
)
_FRAMING_RE = [re.compile(p, re.IGNORECASE) for p in _FRAMING_PHRASES]


def strip_framing(sentence: str) -> str:
    """Remove citation framing the markers leave behind ("as stated in , and").

    Returns the sentence with tidy spacing and its first letter capitalized.
    """
    text = normalize_space(sentence)
    for r in _FRAMING_RE:
        text = r.sub("", text).strip()
    text = re.sub(r"\s+([.,;:!?])", r"\1", text)
    text = re.sub(r"([,;])\s*(?=[,;.!?]|$)", "", text)  # ",," / ", ." left behind
    text = re.sub(r"^[,;:\s]+", "", text).strip()
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    return text


def _passage_text(chunk: Chunk) -> str:
    """What a passage offers as support: its article's title and its text."""
    return f"{chunk.title} {chunk.text}"


def _dedupe(nums: Sequence[int]) -> tuple[int, ...]:
    return tuple(dict.fromkeys(nums))


def _terms(text: str) -> list[str]:
    return [stem(w) for w in content_words(text) if w not in _FRAMING]


def support(sentence: str, passage: str, question: str = "") -> float:
    """Share of the sentence's content words found in the passage; 0 if a number or a
    name in the sentence is missing from it, or a number appears there about something
    else ("100 days" against "100 instructors").

    Numbers the question itself states are exempt from the number rule in a sentence that
    corrects it ("100, not 500"), so correcting a false premise can still be supported;
    a sentence that repeats the premise as fact cannot.
    """
    terms = _terms(sentence)
    if not terms:
        return 0.0
    exempt = numbers(question) if _CORRECTION.search(sentence) else set()
    if numbers(sentence) - numbers(passage) - exempt:
        return 0.0
    passage_terms = _terms(passage)
    vocab = set(passage_terms)
    if not all(mentions(phrase, vocab) for phrase in name_phrases(sentence)):
        return 0.0  # a person, place or group the passage never mentions
    for n in numbers(sentence) - exempt:
        # The sentence's words within 2 of the number must meet the passage's within 4.
        near = neighbours(terms, n, 2)
        if near and not any(term_matches(x, neighbours(passage_terms, n, 4)) for x in near):
            return 0.0
    return sum(term_matches(t, vocab) for t in terms) / len(terms)


def mentions(phrase: tuple[str, ...], vocab: set[str]) -> bool:
    """Does a name phrase (from :func:`name_phrases`) occur among stemmed terms? A full
    name is matched by its last word ("Mamadou Adje" by "Adje"), as articles shorten names."""
    return term_matches(phrase[-1], vocab) or all(term_matches(w, vocab) for w in phrase)


_EXCLUDED_NAME = re.compile(
    r"\b(besides|except(?: for)?|excluding|other than|apart from|aside from|instead of|rather than"
    r"|unlike|not)\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*"
)


def about_the_question(question: str, cited: Sequence[int], passages: Sequence[Chunk]) -> bool:
    """Do the ``cited`` passages (1-based) mention every name of the question that any of
    the ``passages`` mentions? A passage about another place or person answers another
    question: "100 instructors arrived in Niger" (from the Niger passage) does not answer
    "How many soldiers arrived in Burkina Faso?", however well it supports itself."""
    # The first word is capitalized by position unless a capitalized word follows it.
    _, _, rest = question.strip().partition(" ")
    if not rest[:1].isupper():
        question = rest
    question = _EXCLUDED_NAME.sub(" ", question)  # "besides the US": not what is asked about
    texts = [_passage_text(p) for p in passages]
    known = {t for text in texts for t in _terms(text)}
    here = {t for n in cited if 1 <= n <= len(texts) for t in _terms(texts[n - 1])}
    return all(mentions(ph, here) for ph in name_phrases(question) if mentions(ph, known))


def name_phrases(text: str) -> list[tuple[str, ...]]:
    """Runs of capitalized words as stemmed tuples ("Mamadou Adje" -> ("mamadou", "adje")),
    stopwords and framing words left out."""
    out = []
    for run in re.findall(r"\b[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*", text):
        phrase = tuple(
            stem(w) for token in run.split() for w in words(token)
            if w not in STOPWORDS and not w.isdigit() and len(w) > 1 and stem(w) not in _FRAMING_STEMS
        )
        if phrase:
            out.append(phrase)
    return out


def _best_support(text: str, texts: Sequence[str], claimed: Sequence[int], question: str, threshold: float) -> tuple[tuple[int, ...], float]:
    """The passages (1-based) that support ``text``: the claimed ones that do, else the
    best single passage. (Joining two passages was tried and measured: it let false
    compositions through, "100 instructors arrived in Mali" from two passages.)"""
    scores = {n: support(text, texts[n - 1], question) for n in range(1, len(texts) + 1)}
    kept = tuple(n for n in claimed if scores[n] >= threshold)
    if kept:
        return kept, max(scores[n] for n in kept)
    best = max(scores, key=lambda n: (scores[n], -n), default=None)
    if best is not None and scores[best] >= threshold:
        return (best,), scores[best]
    return (), 0.0


def check(sentences_: Sequence[Sentence], passages: Sequence[Chunk], question: str = "", threshold: float = 0.6) -> list[CheckedSentence]:
    """Keep citations that support their sentence; re-point or drop the others.

    Out-of-range numbers are dropped. A sentence whose cited passages do not support it
    gets the best supporting passage instead, if any reaches ``threshold``; otherwise no
    citation, and an unsupported sentence about the sources themselves is dropped.
    """
    texts = [_passage_text(p) for p in passages]
    out = []
    for s in sentences_:
        claimed = tuple(n for n in s.cited if 1 <= n <= len(passages))
        text = s.text
        kept, score = _best_support(text, texts, claimed, question, threshold)
        if not kept:
            # "Wagner is a private Russian military group, operating in Mali since 2018":
            # keep the longest leading clause a passage supports, drop the unsupported tail.
            for prefix in leading_clauses(text):
                kept, score = _best_support(prefix, texts, claimed, question, threshold)
                if kept:
                    text = prefix
                    break
        if kept or not _META.search(text):
            out.append(CheckedSentence(text, tuple(s.cited), kept, score))
    return out


_CLAUSE_BREAK = re.compile(r",\s+|\s+(?=(?:that|which|who|while|whereas|but|and|as|because|after|since)\s)")


def leading_clauses(sentence: str, min_words: int = 3) -> list[str]:
    """Shorter versions of a sentence cut at clause boundaries, longest first, each ended
    with a full stop; only those with at least ``min_words`` content words."""
    body = sentence.rstrip(" .!?")
    out = []
    for m in reversed(list(_CLAUSE_BREAK.finditer(body))):
        prefix = body[: m.start()].rstrip(" ,;:")
        if len(content_words(prefix)) >= min_words and prefix.count('"') % 2 == 0 and prefix.count("“") == prefix.count("”"):
            out.append(prefix + ".")
    return out


_QUANTITY = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
    r"fifty|hundreds?|thousands?|millions?|billions?|dozens?|several|few|many|no|none|half)\b",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"\d|\b(january|february|march|april|may|june|july|august|september|october|november|"
    r"december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|year|month|week|"
    r"today|yesterday|ago|last|earlier|later|since|before|after|recently)\b",
    re.IGNORECASE,
)


def answers_the_type(question: str, answer: str) -> bool:
    """Does the answer have the kind of content the question asks for? A "how many"
    needs a quantity, a "when" a time, a "what is the name" a name the question does not
    already give. (The small model otherwise answers with a nearby fact: "A group of
    soldiers arrived" for "How many soldiers arrived?".) Other questions pass."""
    q = question.lower()
    if re.search(r"\bhow (many|much)\b", q):
        return bool(_QUANTITY.search(answer))
    if re.match(r"\s*(when|(in|on)? ?(what|which) (year|date|month|day))\b", q):
        return bool(_DATE.search(answer))
    if re.match(r"\s*(what|which)\b.*\bnamed?s?\b", q) or re.search(r"\bwhat is .* called\b", q):
        asked = {w.lower() for w in re.findall(r"\b[A-Z][\w'’-]*", question)}
        return any(w.lower() not in asked and w.lower() not in STOPWORDS for w in re.findall(r"\b[A-Z][\w'’-]*", answer))
    return True


def is_refusal(text: str) -> bool:
    """True when the model says the passages do not hold the answer."""
    return bool(_REFUSAL.search(text))


def render(checked: Sequence[CheckedSentence], numbering: dict[int, int]) -> str:
    """Answer text with markers renumbered by ``numbering`` (passage -> citation number)."""
    parts = []
    for s in checked:
        marks = "".join(f"[{numbering[n]}]" for n in s.cited)
        body = s.text
        if marks:
            # Before a final full stop ("… Niamey [1]."); after a closing quote (“…” [1]).
            m = re.search(r"[.!?…]+$", body)
            body = f"{body[:m.start()]} {marks}{body[m.start():]}" if m else f"{body} {marks}"
        parts.append(body)
    return " ".join(parts)


def numbering_for(checked: Sequence[CheckedSentence]) -> dict[int, int]:
    """Citation numbers 1..m in order of first use in the answer."""
    order: dict[int, int] = {}
    for s in checked:
        for n in s.cited:
            order.setdefault(n, len(order) + 1)
    return order
