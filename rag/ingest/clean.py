"""Cleaning: which paragraphs of an article are worth indexing, and the header lines that
give its outlet and date.

Cleaning never rewrites the article: it picks which paragraphs to keep, so every chunk
maps back to an exact character span of the original file (for citations).
"""

from __future__ import annotations

import re

from ..lang import LEXICON, STOPWORDS, date_stamp
from ..lang.patterns import (
    BYLINE,
    BYLINE_ROLE,
    HEADER_FIELD,
    HEADER_LINE,
    HEADER_MAX_WORDS,
    HEADER_PARTS,
    NAME_JOINERS,
    OUTLET_NAME_WORDS,
    READ_TIME,
    SECTION_WORDS,
    VALUE_BREAK,
    WIRE_AGENCIES,
    WIRE_DATELINE,
)
from ..lang.text import Span, normalize_space, wire_agency
from .chunk import paragraphs


def is_boilerplate(paragraph: str) -> bool:
    """True for publisher furniture: newsletter prompts, photo credits, copyright lines,
    disclaimers, sign-offs (recognised by what they are, see :mod:`rag.lang`)."""
    p = normalize_space(paragraph)
    return any(r.search(p) for r in LEXICON.boilerplate_re)


def paragraph_key(paragraph: str) -> str:
    """What makes two paragraphs "the same line" (case and spacing aside)."""
    return normalize_space(paragraph).casefold()


def split_title(text: str) -> tuple[str | None, list[Span]]:
    """Return ``(headline, body paragraphs)``; the first line is a headline if it is short
    and not a sentence (news files start with their headline)."""
    paras = paragraphs(text)
    if len(paras) > 1:
        first = text[paras[0].start : paras[0].end].strip()
        # A first line that ends a sentence with the next line right under it is the
        # story's first sentence ("The Fed held rates on Wednesday.\nIt was ..."); a
        # headline stands apart, or does not end with a full stop.
        run_on = first.endswith(".") and text[paras[0].end : paras[1].start].count("\n") < 2
        if not run_on and (len(first) <= 200 and not first.endswith((".", "?", "!")) or len(first) <= 120):
            return normalize_space(first), paras[1:]
    return None, paras


def front_matter(text: str) -> tuple[dict[str, str], list[Span]]:
    """Header lines right after the headline as fields (``source``, ``published``), and
    their spans. They describe the article rather than report, so :func:`clean` leaves
    them out of the passages and the index gives them to every passage instead.

    A header line is a labelled field ("Source: The Verge", "Published: 2023-12-19"), a
    publication stamp ("Updated July 19, 2022, 5:05 p.m. ET"), a byline ("By Jane Doe"), or
    parts of these between bars ("By Jane Doe | Reuters | March 3, 2024"). A wire story's
    dateline ("WASHINGTON, March 3, 2024 (Reuters) - ...") gives the outlet and date the
    header did not; its paragraph is the story's and stays."""
    _, paras = split_title(text)
    fields: dict[str, str] = {}
    spans: list[Span] = []
    bare = ""  # the outlet's name alone on a line among the header lines
    head = [normalize_space(text[s.start : s.end]) for s in paras[:7]]
    for i, span in enumerate(paras[:6]):
        found = header_fields(head[i])
        if found is None:
            # "The Westmark Herald" above "Published: March 7, 2025": a name alone on its
            # line is header only above another header line, so a one-line lead stays.
            if not _name_line(head[i]) or i + 1 >= len(head) or header_fields(head[i + 1]) is None:
                break
            if not bare and bare_outlet(head[i]):
                bare = head[i]
            found = {}  # else a writer's name without "By", or a section ("World News")
        for key, value in found.items():
            fields.setdefault(key, value)
        spans.append(span)
    if bare:
        fields.setdefault("source", bare)  # a labelled "Source:" says it better
    body = next((s for s in paras if s not in spans), None)
    if body is not None:
        m = WIRE_DATELINE.match(text[body.start : body.end])
        agency = m.group(2).strip() if m else ""
        if agency and wire_agency(agency):
            fields.setdefault("source", agency)
            if m and m.group(1) and date_stamp(m.group(1)):
                fields.setdefault("published", m.group(1))
    return fields, spans


def header_fields(line: str) -> dict[str, str] | None:
    """The fields of one header line (see :func:`front_matter`), ``{}`` for a line that
    is header but gives none (an author), or None when the line is not header."""
    m = HEADER_LINE.match(line)
    if m:
        key, value = HEADER_FIELD.get(m.group(1).lower()), m.group(2).strip()
        if key == "source":
            if len(value.split()) > HEADER_MAX_WORDS:
                return None  # "Source: two officials said ...": the story's first sentence
            name, stamp = _name_and_stamp(value)
            return {"source": name, "published": stamp} if stamp else {"source": value}
        if m.group(1).lower() in ("by", "author", "authors") and HEADER_PARTS.search(value):
            return _parts(f"By {value}") or {}  # "By: Jane Doe | Reuters | March 3, 2024"
        return {key: value} if key else {}
    if stamp := date_stamp(line):
        return {"published": stamp}
    if is_byline(line):
        return {}
    return _parts(line) or _named_stamp(line)


def _named_stamp(line: str) -> dict[str, str] | None:
    """The fields of a wire item's header line: names, then the publication stamp
    ("Markets Wire, Oslo, February 12, 2025", "Reuters, London, 3 March 2024"). The first
    name is the outlet when it reads as one (:func:`bare_outlet`); a place alone before the
    stamp ("Oslo, February 12, 2025") gives the date only. None when a part before the
    stamp is no name (a sentence)."""
    name, stamp = _name_and_stamp(line)
    names = [part.strip() for part in name.split(",")] if stamp else []
    if not 1 <= len(names) <= 3 or not all(_name_line(part) for part in names):
        return None
    return {"source": names[0], "published": stamp} if bare_outlet(names[0]) else {"published": stamp}


def _parts(line: str) -> dict[str, str] | None:
    """The fields of a line of parts between bars ("By Jane Doe | Reuters | March 3,
    2024"), or None when a part is no header's (a sentence, a menu of sections)."""
    parts = HEADER_PARTS.split(line)
    if len(parts) < 2:
        return None
    fields: dict[str, str] = {}
    kinds = set()
    for part in parts:
        if stamp := date_stamp(part):
            fields.setdefault("published", stamp)
            kinds.add("stamp")
        elif is_byline(part):
            kinds.add("byline")
        elif _outlet_like(part):
            # After a byline a name is the outlet ("By Jane Doe | Reuters"), unless it is
            # the writer's role ("Staff Writer"); otherwise it may as well be the section
            # ("Politics | March 3, 2024").
            if "byline" in kinds and not BYLINE_ROLE.search(part):
                fields.setdefault("source", part)
        elif not READ_TIME.match(part):
            return None
    # Bars between names alone are a menu or section path ("World | Europe"), not a header.
    return fields if kinds else None


def is_byline(line: str) -> bool:
    """ "By Jane Doe", "BY JANE DOE, ASSOCIATED PRESS", "By Łukasz Nowak and Ana de la
    Cruz": "By", then names (capitalised words and joining words). Not the story's "By
    Friday, the storm had passed" (lower-case words) nor "BY THE TIME IT WAS OVER" (words
    that are no name's)."""
    if not BYLINE.match(line) or line.rstrip()[-1:] in ".!?":
        return False
    for word in line.split()[1:]:
        w = word.strip(",:")
        if w.lower() in NAME_JOINERS:
            continue
        if not w[:1].isupper() or (w.isupper() and len(w) > 1 and w.lower() in STOPWORDS):
            return False
    return True


def _outlet_like(part: str) -> bool:
    """Could a header part be an outlet's name: one to five words, the first capitalised
    (or a figure, "9to5Mac"), none ending a sentence?"""
    words = part.split()
    return 0 < len(words) <= 5 and (words[0][:1].isupper() or words[0][:1].isdigit()) and part[-1:] not in ".!?"


def bare_outlet(line: str) -> bool:
    """Could a line alone under the headline be the outlet's name: "The Westmark Herald",
    "Business Daily Wire", "TechPulse", "Reuters"? Not a writer's name without "By" ("Jane
    Doe": two or more words need one of :data:`OUTLET_NAME_WORDS`), nor a section or label
    ("World News", "Analysis", "Special Report")."""
    if not _name_line(line) or any(re.fullmatch(r"[A-Z]\.", w) for w in line.split()):
        return False  # "Lena H. Sun": an initial is a person's
    given = [w.strip(",:") for w in line.split() if w.lower() not in NAME_JOINERS]
    named = [w.lower() for w in given]
    if not named or all(w in SECTION_WORDS for w in named):
        return False
    if len(given) == 1:
        # One word is an outlet when it is a wire agency or a brand's inner capital
        # ("TechPulse"), not a word that heads a section ("Football", "LONDON") or a
        # topic's kicker above a byline ("Coronavirus", "Brexit": measured in review).
        word = given[0]
        return named[0] in WIRE_AGENCIES or (
            (word[:1].isupper() or word[:1].isdigit()) and any(c.isupper() for c in word[1:]) and not word.isupper()
        )
    return named[0] in WIRE_AGENCIES or any(w in OUTLET_NAME_WORDS for w in named)


def _name_line(line: str) -> bool:
    """A name and nothing else: one to five words, each capitalised (or a figure, or a
    joining word: "The Westmark Herald", "Jane Doe", "World News")."""
    return _outlet_like(line) and all(
        w[:1].isupper() or (w[:1].isdigit() and any(c.isalpha() for c in w)) or w.lower() in NAME_JOINERS
        for w in line.split()
    )  # "9to5Mac" is a name; "Arsenal 2 Chelsea 1" is a score, the story's


def _name_and_stamp(value: str) -> tuple[str, str]:
    """ "Reuters, March 3, 2024" -> ("Reuters", "March 3, 2024"); ("", "") when the value
    does not end with a publication stamp after its name."""
    for m in VALUE_BREAK.finditer(value):
        name, rest = value[: m.start()].strip(), value[m.end() :]
        if name and (stamp := date_stamp(rest)):
            return name, stamp
    return "", ""


def clean(text: str, furniture: frozenset[str] | set[str] = frozenset()) -> list[Span]:
    """The body paragraphs worth indexing: no repeats (a caption printed twice), no
    boilerplate, none of ``furniture`` (paragraph keys repeated across many articles, see
    :func:`repeated_paragraphs`). Returned spans index the original text unchanged."""
    _, paras = split_title(text)
    header = set(front_matter(text)[1])
    seen: set[str] = set()
    kept: list[Span] = []
    for span in paras:
        para = text[span.start : span.end]
        key = paragraph_key(para)
        if span in header or key in seen or key in furniture or is_boilerplate(para):
            continue
        seen.add(key)
        kept.append(span)
    return kept
