"""The final text: citation numbers in order of first use, placed before a sentence's
full stop, and the :class:`rag.Citation` records they point to."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..lang.patterns import PASSAGE_WORD
from ..types import Chunk, Citation
from .support import CheckedSentence


def render(checked: Sequence[CheckedSentence], numbering: dict[int, int]) -> str:
    """Answer text with markers renumbered by ``numbering`` (passage -> citation number)."""
    parts = []
    for s in checked:
        marks = "".join(f"[{numbering[n]}]" for n in s.cited)
        body = in_reader_words(s.text)
        if marks:
            # Before a final full stop ("… Niamey [1]."); after a closing quote (“…” [1]).
            m = re.search(r"[.!?…]+$", body)
            body = f"{body[: m.start()]} {marks}{body[m.start() :]}" if m else f"{body} {marks}"
        parts.append(body)
    return " ".join(parts)


def in_reader_words(text: str) -> str:
    """``text`` with the model's "the passage(s)" as "the article(s)", outside quotation
    marks (a quote is the article's own words). Only the shown text changes: the checks
    have read the sentence as the model wrote it."""
    parts = re.split(r"(“[^”]*”|\"[^\"]*\")", text)
    return "".join(p if i % 2 else PASSAGE_WORD.sub(r"\1 article\2", p) for i, p in enumerate(parts))


def numbering_for(checked: Sequence[CheckedSentence]) -> dict[int, int]:
    """Citation numbers 1..m in order of first use in the answer."""
    order: dict[int, int] = {}
    for s in checked:
        for n in s.cited:
            order.setdefault(n, len(order) + 1)
    return order


def citations(
    checked: Sequence[CheckedSentence], numbering: dict[int, int], chunks: Sequence[Chunk]
) -> tuple[Citation, ...]:
    """The cited passages as :class:`Citation` records, numbered by ``numbering``, each
    with the answer sentences it supports."""
    out = []
    for n, number in sorted(numbering.items(), key=lambda kv: kv[1]):
        c = chunks[n - 1]
        out.append(
            Citation(
                number=number,
                title=c.title,
                source=c.doc_id,
                text=c.text,
                start=c.start,
                end=c.end,
                supports=tuple(x.text for x in checked if n in x.cited),
            )
        )
    return tuple(out)
