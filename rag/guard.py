"""Article text is data, never instructions: passages without the sentences that address
the model or the reader, before any answer (written or quoted) reads them."""

from __future__ import annotations

import logging
from dataclasses import replace

from .lang import without_instructions
from .types import Chunk

log = logging.getLogger(__name__)


def neutralized(chunk: Chunk) -> Chunk:
    """``chunk`` without sentences that address the reader or the model (see
    :func:`rag.lang.without_instructions`); the same chunk when it has none."""
    text, removed = without_instructions(chunk.text)
    if not removed:
        return chunk
    log.warning(
        "ignoring text addressed to the model in %s (chars %d-%d): %r",
        chunk.doc_id,
        chunk.start,
        chunk.end,
        removed[0][:80],
    )
    return replace(chunk, text=text)
