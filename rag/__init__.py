"""Local, offline question answering over news articles, with checked citations.

    >>> import rag
    >>> a = rag.answer("How many instructors came with the Russian equipment?")
    >>> a.text, [c.title for c in a.citations], a.refused

``answer()`` never raises for an ordinary bad question (empty, huge, control characters):
it returns an :class:`Answer` with ``refused=True`` and ``error`` set. Setup problems
(no index, stale index, a model that fails to load) raise a :class:`RagError` subclass
whose message says how to fix it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from typing import Any

from .config import Settings
from .errors import (
    CorpusError,
    IndexCorruptError,
    IndexMissingError,
    IndexStaleError,
    InvalidOptionError,
    InvalidQuestionError,
    ModelLoadError,
    RagError,
)
from .pipeline import CALL_OPTIONS, Pipeline
from .types import Answer, Chunk, Citation, Document, Hit, Item

__all__ = [
    "Answer",
    "Chunk",
    "Citation",
    "Document",
    "Hit",
    "Item",
    "Pipeline",
    "Settings",
    "RagError",
    "CorpusError",
    "IndexCorruptError",
    "IndexMissingError",
    "IndexStaleError",
    "InvalidOptionError",
    "InvalidQuestionError",
    "ModelLoadError",
    "answer",
    "stream_answer",
    "get_pipeline",
    "CALL_OPTIONS",
]

_pipelines: dict[Settings, Pipeline] = {}
_lock = threading.Lock()


def get_pipeline(**settings: Any) -> Pipeline:
    """The shared pipeline for these settings (models load once per process)."""
    key = Settings.from_env(**settings)
    with _lock:
        if key not in _pipelines:
            _pipelines[key] = Pipeline(key)
        return _pipelines[key]


def _split(options: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    per_call = {k: v for k, v in options.items() if k in CALL_OPTIONS}
    setup = {k: v for k, v in options.items() if k not in CALL_OPTIONS}
    return setup, per_call


def answer(question: str, history: Sequence[dict[str, str]] | None = None, **options: Any) -> Answer:
    """Answer ``question`` from the indexed articles, citing passages as ``[n]``.

    ``history`` is the earlier turns as ``[{"role": "user"|"assistant", "content": str}]``.
    ``options`` override :class:`Settings` fields, e.g. ``top_k=3`` or ``index_dir="..."``.
    """
    setup, per_call = _split(options)
    try:
        pipeline = get_pipeline(**setup)
    except InvalidOptionError as exc:
        return Answer.unusable(question, str(exc))
    return pipeline.answer(question, history, **per_call)


def stream_answer(
    question: str, history: Sequence[dict[str, str]] | None = None, **options: Any
) -> Iterator[str | Answer]:
    """Like :func:`answer`, but yields text pieces as generated, then the final :class:`Answer`."""
    setup, per_call = _split(options)
    try:
        pipeline = get_pipeline(**setup)
    except InvalidOptionError as exc:
        yield Answer.unusable(question, str(exc))
        return
    yield from pipeline.stream(question, history, **per_call)
