"""Citation parsing and checking: pure functions, no model.

The small model states facts well but sometimes cites the wrong passage or none, and
sometimes answers from memory. So every answer sentence is checked against the passage
it cites: its content words (and every number it states) must occur there. A wrong
citation is re-pointed to the passage that does support the sentence; a sentence that no
passage supports keeps no citation and is reported as unsupported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from .text import STOPWORDS, content_words, normalize_space, numbers, sentences, stem, words
from .types import Chunk

_MARKER = re.compile(r"\s*\[(\d+(?:\s*[,;–-]\s*\d+)*)\]")
_REFUSAL = re.compile(
    r"(\b(do|does|did)(n't| not) (say|mention|specify|state|contain|provide|include|give)"
    r"|\bnot (mentioned|specified|stated|provided|given|included|contained|available)"
    r"|\bno (information|mention|details?)\b|\bcannot (be )?(determined?|answered?|found)"
    r"|\bunable to (answer|determine|find)|\bthere is no\b.*\b(passage|article)s?\b)",
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
        body = normalize_space(_MARKER.sub("", raw))
        body = re.sub(r"\s+([.,;:!?])", r"\1", body)
        if re.search(r"\w", body):
            out.append(Sentence(body, _dedupe(cited)))
        elif cited and out:
            prev = out[-1]
            out[-1] = Sentence(prev.text, _dedupe(prev.cited + cited))
    return out


def _dedupe(nums: Sequence[int]) -> tuple[int, ...]:
    return tuple(dict.fromkeys(nums))


def _terms(text: str) -> list[str]:
    return [stem(w) for w in content_words(text) if w not in _FRAMING]


def _match(term: str, vocab: set[str]) -> bool:
    if term in vocab:
        return True
    if term.isdigit() or len(term) < 4:
        return False
    # Word forms a light stemmer misses: a shared 5-letter start (Niger/Nigerien,
    # Russia/Russian) or one word starting the other (lead/leader).
    return any(
        (len(term) >= 5 and len(v) >= 5 and v[:5] == term[:5])
        or (len(v) >= 4 and (v.startswith(term) or term.startswith(v)))
        for v in vocab
    )


def support(sentence: str, passage: str, question: str = "") -> float:
    """Share of the sentence's content words found in the passage; 0 if a number or a
    name in the sentence is missing from it.

    Numbers the question itself states are exempt from the number rule, so a sentence that
    corrects a false premise ("100, not 500") can still be supported.
    """
    terms = _terms(sentence)
    if not terms:
        return 0.0
    missing_numbers = numbers(sentence) - numbers(passage) - numbers(question)
    if missing_numbers:
        return 0.0
    vocab = set(_terms(passage))
    if not all(_match(n, vocab) for n in names(sentence)):
        return 0.0  # a person, place or group the passage never mentions
    return sum(_match(t, vocab) for t in terms) / len(terms)


def names(text: str) -> set[str]:
    """Stemmed capitalized words (people, places, groups), framing and stopwords aside."""
    out = set()
    for token in re.findall(r"\b[A-Z][\w'’-]*", text):
        for w in words(token):
            if w not in STOPWORDS and w not in _FRAMING and not w.isdigit() and len(w) > 1:
                out.add(stem(w))
    return out


def check(sentences_: Sequence[Sentence], passages: Sequence[Chunk], question: str = "", threshold: float = 0.6) -> list[CheckedSentence]:
    """Keep citations that support their sentence; re-point or drop the others.

    Out-of-range numbers are dropped. A sentence whose cited passages do not support it
    gets the single best supporting passage instead, if any reaches ``threshold``.
    """
    texts = [f"{p.title} {p.text}" for p in passages]
    out = []
    for s in sentences_:
        claimed = tuple(n for n in s.cited if 1 <= n <= len(passages))
        scores = {n: support(s.text, texts[n - 1], question) for n in range(1, len(passages) + 1)}
        kept = tuple(n for n in claimed if scores[n] >= threshold)
        if not kept and scores:
            best = max(scores, key=lambda n: (scores[n], -n))
            if scores[best] >= threshold:
                kept = (best,)
        best_support = max((scores[n] for n in kept), default=0.0)
        out.append(CheckedSentence(s.text, tuple(s.cited), kept, best_support))
    return out


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
            m = re.search(r"[.!?…]+[\"”’')]*$", body)
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
