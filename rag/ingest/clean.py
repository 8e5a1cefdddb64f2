"""Cleaning: which paragraphs of an article are worth indexing, and the header lines that
give its outlet and date.

Cleaning never rewrites the article: it picks which paragraphs to keep, so every chunk
maps back to an exact character span of the original file (for citations).
"""

from __future__ import annotations

from ..lang import LEXICON
from ..lang.patterns import HEADER_FIELD, HEADER_LINE, HEADER_MAX_WORDS
from ..lang.text import Span, normalize_space
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
    """Header lines right after the headline ("Source: The Verge", "Published: 2023-12-19",
    "Author: ...") as fields (``source``, ``published``), and their spans. They describe
    the article rather than report, so :func:`clean` leaves them out of the passages and
    the index gives them to every passage instead."""
    _, paras = split_title(text)
    fields: dict[str, str] = {}
    spans: list[Span] = []
    for span in paras[:6]:
        m = HEADER_LINE.match(normalize_space(text[span.start : span.end]))
        prose = m and HEADER_FIELD.get(m.group(1).lower()) == "source" and len(m.group(2).split()) > HEADER_MAX_WORDS
        if not m or prose:
            break
        key = HEADER_FIELD.get(m.group(1).lower())
        if key and key not in fields:
            fields[key] = m.group(2).strip()
        spans.append(span)
    return fields, spans


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
