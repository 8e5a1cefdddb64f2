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
    IndexWriteError,
    InvalidOptionError,
    InvalidQuestionError,
    MilvusUnavailableError,
    ModelLoadError,
    PromptTooLongError,
    RagError,
    TimeLimitError,
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
    "IndexWriteError",
    "InvalidOptionError",
    "InvalidQuestionError",
    "MilvusUnavailableError",
    "ModelLoadError",
    "PromptTooLongError",
    "TimeLimitError",
    "answer",
    "stream_answer",
    "get_pipeline",
    "CALL_OPTIONS",
]

_pipelines: dict[Settings, Pipeline] = {}  # oldest used first
_lock = threading.Lock()
#: Pipelines kept for other settings at most: each holds its own copy of the index.
MAX_PIPELINES = 4


def get_pipeline(**settings: Any) -> Pipeline:
    """The shared pipeline for these settings. Models load once per process: a pipeline
    for other settings (``candidates=30``) shares the models of one that names the same
    model, instead of loading another ~3 GB copy."""
    key = Settings.from_env(**settings)
    with _lock:
        pipeline = _pipelines.pop(key, None)
        if pipeline is None:
            pipeline = Pipeline(key, **_shared_models(key))
        _pipelines[key] = pipeline  # now the most recently used
        while len(_pipelines) > MAX_PIPELINES:
            del _pipelines[next(iter(_pipelines))]
        return pipeline


def _shared_models(key: Settings) -> dict[str, Any]:
    """The embedder and generator of a kept pipeline whose settings load the same ones."""
    out: dict[str, Any] = {}
    for other in _pipelines.values():
        o = other.settings
        if "embedder" not in out and (o.embedder, o.threads) == (key.embedder, key.threads):
            out["embedder"] = other.embedder
        same_generator = (o.generator, o.cache_dir, o.threads, o.prompt_lookup_tokens, o.dtype)
        if "generator" not in out and same_generator == (
            key.generator,
            key.cache_dir,
            key.threads,
            key.prompt_lookup_tokens,
            key.dtype,
        ):
            out["generator"] = other.generator
    return out


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
