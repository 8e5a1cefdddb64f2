"""Reading a draft answer: its sentences, the ``[n]`` markers each carries, and the
citation framing the model wraps around its facts ("According to passage [2], ...")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..lang import LEXICON, MARKER, STOPWORDS, content_words, normalize_space, sentences
from ..lang.patterns import (
    CLAIM_JOIN,
    CLAUSE_BREAK,
    FRAMING,
    MARKER_SAYS,
    MARKERS_AS_OBJECT,
    MARKERS_JOINED,
    SUBJECT_MARKERS,
    SUBORDINATE_BREAK,
)


@dataclass(frozen=True)
class Sentence:
    """One sentence of an answer: its text without markers and the passages it cites."""

    text: str
    cited: tuple[int, ...]  # 1-based passage numbers as written by the model
    #: The stretches between markers inside the sentence, each with the markers after it
    #: ("A says X [1], while B says Y [2]"): checked one by one when the whole is not.
    parts: tuple[Sentence, ...] = ()


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


def markers_only(draft: str) -> tuple[int, ...]:
    """The passages a draft cites when it is nothing but markers ("[1]", "[1] and [2]."),
    else ()."""
    if _without_markers(draft).strip(" .,;&"):
        return ()
    return _dedupe([n for m in MARKER.finditer(draft) for n in parse_numbers(m.group(1))])


def _without_markers(raw: str) -> str:
    """The text with ``[n]`` markers removed, and a stretch the model repeated once per
    citation ("[1] 5,000 participants [2] 5,000 participants") kept once."""
    # "according to [1] and [2]": the word joining two markers goes with them.
    raw = MARKERS_JOINED.sub(r"\1", raw)
    pieces = [normalize_space(p) for p in MARKER.split(raw)[::2]]  # split keeps groups: text at even places
    kept: list[str] = []
    for p in pieces:
        if p and kept and p.rstrip(" .").casefold() == kept[-1].rstrip(" .").casefold():
            kept[-1] = p  # the later copy carries the sentence's end
            continue
        if p:
            kept.append(p)
    return re.sub(r"\s+([.,;:!?])", r"\1", normalize_space(" ".join(kept)))


def _parts(raw: str) -> tuple[Sentence, ...]:
    """The stretches of a sentence that end in markers, when there are several; else its
    claims joined by "while", "whereas", ";" or ", and the", each with the sentence's
    markers (else ())."""
    out: list[Sentence] = []
    pos = 0
    for m in re.finditer(r"((?:\s*\[\d+(?:\s*[,;–-]\s*\d+)*\])+)", raw):
        body = strip_framing(raw[pos : m.start()])
        body = re.sub(r"^(and|while|whereas|but|as|and that|with)\s+", "", body.lstrip(" ,;:"), flags=re.IGNORECASE)
        cited = tuple(n for mm in MARKER.finditer(m.group(1)) for n in parse_numbers(mm.group(1)))
        if len(content_words(body)) >= 3:
            out.append(Sentence(body[0].upper() + body[1:].rstrip(" ,;:") + ".", _dedupe(cited)))
        pos = m.end()
    if len(out) > 1:
        return tuple(out)
    cited = tuple(n for mm in MARKER.finditer(raw) for n in parse_numbers(mm.group(1)))
    body = strip_framing(_without_markers(raw)).rstrip(" .")
    claims = [c.strip(" ,;") for c in CLAIM_JOIN.split(body)]
    claims = [c for c in claims if len(content_words(c)) >= 3]
    if len(claims) < 2:
        return ()
    return tuple(Sentence(c[0].upper() + c[1:] + ".", _dedupe(cited)) for c in claims)


def split_answer(text: str) -> list[Sentence]:
    """Split an answer into sentences with the ``[n]`` markers each carries.

    Markers placed after the full stop ("… Niamey. [2]") belong to the sentence before.
    A last sentence without its full stop ("… and work stopped for seven months in 2020
    while") is where the model ran out of tokens: when a sentence precedes it, it is cut
    back to its longest leading clause that ends before a new clause opens
    (:func:`leading_clauses`), or left out if it has none. A double quotation mark whose
    partner is in another sentence ("… the Year of the Snake. \"") is left out too.
    """
    text = normalize_space(text)
    out: list[Sentence] = []
    spans = sentences(text)
    for i, span in enumerate(spans):
        raw = _quotes_balanced(text[span.start : span.end])
        cut = i == len(spans) - 1 and bool(out) and _unfinished(raw)
        said = MARKER_SAYS.match(raw)
        if said:
            # "[2] also states that X.": the marker is the subject; the claim is X, citing 2.
            rest = raw[said.end() :]
            raw = rest[:1].upper() + rest[1:].rstrip() + " " + " ".join(re.findall(r"\[[^\]]*\]", said.group(1)))
        if SUBJECT_MARKERS.match(raw):
            # "[2] does not mention X", "[1] and [3] voted against it": the markers are the
            # subject, the sentence is about the passages; without them it is debris.
            continue
        lead = re.match(r"^(\s*\[\d+(?:\s*[,;–-]\s*\d+)*\])+", raw)
        if lead and out:
            moved = tuple(n for m in MARKER.finditer(lead.group(0)) for n in parse_numbers(m.group(1)))
            prev = out[-1]
            out[-1] = Sentence(prev.text, _dedupe(prev.cited + moved))
            raw = raw[lead.end() :]
        cited = tuple(n for m in MARKER.finditer(raw) for n in parse_numbers(m.group(1)))
        body = strip_framing(_without_markers(raw))
        if body and MARKERS_AS_OBJECT.search(raw):
            # "…, as quoted in [1].": the words that point at the marker leave with it.
            # Not before the framing has had its say: "This is supported by [1]." is dropped whole.
            raw = MARKERS_AS_OBJECT.sub(" ", raw)
            body = strip_framing(_without_markers(raw))
        if cut and len(content_words(body)) >= 2:
            # The model ran out of tokens mid-sentence: what stands is its longest
            # leading clause that ends before a new one opens ("... had led a review of
            # emergency planning [after a chemical fire]"), else nothing. Not at a comma:
            # "the display of rays, spirals and flick" would leave "the display of rays".
            clauses = leading_clauses(body, commas=False)
            if clauses:
                out.append(Sentence(clauses[0], _dedupe(cited)))
            break
        if len(content_words(body)) >= 2 or (body and not out):
            out.append(Sentence(body, _dedupe(cited), _parts(raw)))
        elif out:
            # A fragment left by marker removal ("and [3]", "It is quoted in [1]."): its
            # citations belong to the sentence before; its words carry nothing.
            prev = out[-1]
            out[-1] = Sentence(prev.text, _dedupe(prev.cited + cited))
    return out


def _unfinished(raw: str) -> bool:
    """Does the sentence stop before its end: no full stop, question or exclamation mark
    after its last word (markers, closing quotes and brackets aside)?"""
    body = MARKER.sub("", raw).rstrip(" \"”’')]")
    return bool(body) and body[-1] not in ".!?…"


def _quotes_balanced(raw: str) -> str:
    """The sentence without a double quotation mark left open at its start or closed at
    its end with no partner inside it (the other half is in a neighbouring sentence)."""
    raw = raw.strip()
    if raw.count('"') % 2:
        raw = raw[1:].lstrip() if raw.startswith('"') else _without_closing(raw, '"')
    if raw.count("“") > raw.count("”") and raw.startswith("“"):
        raw = raw[1:].lstrip()
    if raw.count("”") > raw.count("“"):
        raw = _without_closing(raw, "”")
    return raw


def _without_closing(raw: str, quote: str) -> str:
    """``raw`` without ``quote`` at its end (before any markers after it)."""
    return re.sub(rf"\s*{quote}((?:\s*\[[^\]]*\])*)\s*$", r"\1", raw)


def strip_framing(sentence: str) -> str:
    """Remove citation framing the markers leave behind ("as stated in , and").

    Returns the sentence with tidy spacing and its first letter capitalized.
    """
    text = normalize_space(sentence)
    for r in FRAMING:
        text = r.sub("", text).strip()
    text = re.sub(r"\s+([.,;:!?])", r"\1", text)
    text = re.sub(r"([,;])\s*(?=[,;.!?]|$)", "", text)  # ",," / ", ." left behind
    text = re.sub(r"^[,;:\s]+", "", text).strip()
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    return text


def _dedupe(nums: Sequence[int]) -> tuple[int, ...]:
    return tuple(dict.fromkeys(nums))


def leading_clauses(sentence: str, min_words: int = 3, commas: bool = True) -> list[str]:
    """Shorter versions of a sentence cut at clause boundaries, longest first, each ended
    with a full stop; only those with at least ``min_words`` content words. Without
    ``commas``, only before a word that opens a clause ("that", "while", "after" ...)."""
    body = sentence.rstrip(" .!?")
    out = []
    for m in reversed(list((CLAUSE_BREAK if commas else SUBORDINATE_BREAK).finditer(body))):
        prefix = body[: m.start()].rstrip(" ,;:")
        last = prefix.split()[-1].lower().replace("’", "'") if prefix.split() else ""
        # "The article suggests." says nothing: a reporting verb needs what was reported.
        dangling = (
            last in STOPWORDS
            or last.endswith("'s")
            or last.endswith("'")
            or last.strip(",;:") in LEXICON.reporting_verbs
        )
        if (
            len(content_words(prefix)) >= min_words
            and not dangling
            and prefix.count('"') % 2 == 0
            and prefix.count("“") == prefix.count("”")
        ):
            out.append(prefix + ".")
    return out


def is_refusal(text: str) -> bool:
    """True when the model says the passages do not hold the answer."""
    return bool(LEXICON.refusal_re.search(text))
