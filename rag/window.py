"""What the model reads around each retrieved passage.

Retrieval matches on small passages (420 characters): a small passage matches a question
precisely. In a long article, though, one passage is a keyhole: the sentence that names
who or what the question asks about is often the one before or after the matching one.
So a hit in a long article is read with its neighbouring passages, joined into one
passage (one ``[n]``), while a hit in a short article stays as it is: there the lead and
the hit already carry the story. Pure functions; the pipeline hands in each article's
passages (:meth:`rag.store.Store.passages`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from .types import Chunk, Hit

#: Characters between two passages beyond which they are not read as one: a paragraph
#: left out of the index (publisher furniture) lies between them.
MAX_GAP = 2


def joined(passages: Sequence[Chunk], anchor: Chunk) -> Chunk:
    """Consecutive passages of one article as one passage: ``anchor``'s identity, their
    text with the sentence neighbouring passages share written once, and the span from
    the first's start to the last's end."""
    text = passages[0].text
    for prev, nxt in zip(passages, passages[1:]):
        text += _after_overlap(text, nxt.text, gap=nxt.start - prev.end)
    return replace(anchor, text=text, start=passages[0].start, end=passages[-1].end)


def _after_overlap(left: str, right: str, gap: int) -> str:
    """``right`` without the part that ``left`` ends with (passages overlap by whole
    sentences), or after a line break when they do not overlap: a passage ends at a
    sentence or paragraph end, and a line break never glues a heading to a sentence."""
    if gap < 0:
        for k in range(min(len(left), len(right)), 0, -1):
            if left.endswith(right[:k]):
                return right[k:]
    return "\n" + right


def contiguous(a: Chunk, b: Chunk) -> bool:
    """Are ``a`` and ``b`` (in reading order) next to each other in their article?"""
    return a.doc_id == b.doc_id and b.start - a.end <= MAX_GAP


def widen(
    hits: Sequence[Hit],
    passages_of: Callable[[str], Sequence[Chunk]],
    neighbours: int,
    long_article: int,
    max_chars: int = 2000,
) -> list[Hit]:
    """Each hit in an article of at least ``long_article`` passages, read with up to
    ``neighbours`` contiguous passages on each side, as long as the window stays within
    ``max_chars``; other hits unchanged. A hit already inside an earlier hit's window is
    dropped (its text is there), and windows never share a passage, so nothing is given
    to the model twice. Order is kept."""
    out: list[Hit] = []
    taken: dict[str, set[int]] = {}
    for h in hits:
        article = list(passages_of(h.chunk.doc_id)) if neighbours > 0 else []
        at = next((i for i, c in enumerate(article) if (c.start, c.end) == (h.chunk.start, h.chunk.end)), None)
        if len(article) < long_article or at is None:
            out.append(h)
            continue
        used = taken.setdefault(h.chunk.doc_id, set())
        if at in used:
            continue
        lo = hi = at
        size = len(article[at].text)
        for step in range(1, neighbours + 1):  # one passage each side a step, nearest first
            if lo == at - step + 1 and lo > 0 and lo - 1 not in used and contiguous(article[lo - 1], article[lo]):
                if size + len(article[lo - 1].text) > max_chars:
                    break
                lo -= 1
                size += len(article[lo].text)
            if (
                hi == at + step - 1
                and hi < len(article) - 1
                and hi + 1 not in used
                and contiguous(article[hi], article[hi + 1])
            ):
                if size + len(article[hi + 1].text) > max_chars:
                    break
                hi += 1
                size += len(article[hi].text)
        used.update(range(lo, hi + 1))
        out.append(replace(h, chunk=joined(article[lo : hi + 1], h.chunk)))
    return out
