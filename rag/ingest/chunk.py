"""Paragraphs and passages: sentences packed into bounded chunks that are exact character
spans of the article (for citations)."""

from __future__ import annotations

import re

from ..lang.text import Span, sentences

_TERMINAL = '.!?…:;"”’»)'


def paragraphs(text: str) -> list[Span]:
    """Split into paragraphs: non-empty lines, re-joining hard-wrapped lines.

    A line continues the previous one when the previous line does not end a sentence and
    this line starts in lower case (a wrapped sentence, not a new paragraph or caption).
    """
    spans: list[Span] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        stripped = body.strip()
        if stripped:
            start = pos + (len(body) - len(body.lstrip()))
            end = pos + len(body.rstrip())
            if spans and _continues(stripped, text, spans[-1].end, start):
                spans[-1] = Span(spans[-1].start, end)
            else:
                spans.append(Span(start, end))
        pos += len(line)
    return spans


def _continues(line: str, text: str, prev_end: int, start: int) -> bool:
    # The previous paragraph's last character only: slicing all of it for each line made
    # a long run of wrapped lines quadratic.
    blank_between = text[prev_end:start].count("\n") > 1
    return not blank_between and text[prev_end - 1 : prev_end] not in _TERMINAL and line[:1].islower()


_CLAUSE_END = re.compile(r"[,;:–—)]\s+|\s+(?=[–—(])")


def bounded(text: str, span: Span, max_chars: int) -> list[Span]:
    """``span`` cut into pieces of at most ``max_chars``: at the last clause break (comma,
    semicolon, dash) in the second half of the window, else the last space, else hard.

    A sentence is normally a chunk's smallest unit, but a file can hold 100 kB without a
    full stop; one such "sentence" would become a prompt past the model's context.
    """
    out: list[Span] = []
    start = span.start
    while span.end - start > max_chars:
        window = text[start : start + max_chars]
        cut = 0
        for m in _CLAUSE_END.finditer(window, max_chars // 2):
            cut = m.end()
        if not cut:
            space = window.rfind(" ", max_chars // 4)
            cut = space + 1 if space > 0 else max_chars
        piece_end = start + cut
        stripped_end = start + len(text[start:piece_end].rstrip())
        out.append(Span(start, max(stripped_end, start + 1)))
        start = piece_end
        while start < span.end and text[start].isspace():
            start += 1
    if start < span.end:
        out.append(Span(start, span.end))
    return out


def chunk_spans(text: str, keep: list[Span], max_chars: int, overlap: int = 1) -> list[Span]:
    """Pack sentences of the kept paragraphs into chunks of at most ``max_chars``.

    A chunk never spans a dropped paragraph (so its text is exactly a span of the article),
    splits a sentence only when it alone is longer than ``max_chars`` (see :func:`bounded`),
    and repeats the last ``overlap`` sentences of the previous chunk when they are short
    enough, so a fact on a boundary is whole in one chunk.
    """
    # Runs of paragraphs with nothing dropped between them.
    runs: list[list[Span]] = []
    for span in keep:
        if runs and _adjacent(text, runs[-1][-1], span):
            runs[-1].append(span)
        else:
            runs.append([span])
    chunks: list[Span] = []
    for run in runs:
        sents = [b for p in run for s in sentences(text, p) for b in bounded(text, s, max_chars)]
        i = 0
        while i < len(sents):
            j = i
            size = 0
            while j < len(sents) and (j == i or size + (sents[j].end - sents[j].start) <= max_chars):
                size += sents[j].end - sents[j].start + 1
                j += 1
            chunks.append(Span(sents[i].start, sents[j - 1].end))
            if j >= len(sents):
                break
            # Repeat trailing sentences only while the next chunk still gains a new one.
            nxt = sents[j].end - sents[j].start
            back = 0
            while back < overlap and j - back - 1 > i:
                carried = sum(sents[k].end - sents[k].start for k in range(j - back - 1, j))
                if carried > max_chars // 2 or carried + nxt > max_chars:
                    break
                back += 1
            i = j - back
    return chunks


def _adjacent(text: str, a: Span, b: Span) -> bool:
    return not text[a.end : b.start].strip()
