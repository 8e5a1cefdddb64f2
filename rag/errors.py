"""Typed errors. Each message says what went wrong and how to fix it."""

from __future__ import annotations


class RagError(Exception):
    """Base class for every error this library raises on purpose."""


class InvalidQuestionError(RagError, ValueError):
    """The question is empty, too long, or otherwise unusable."""


class InvalidOptionError(RagError, ValueError):
    """An option is out of its range (``top_k=0``) or a filter cannot be met."""


class IndexMissingError(RagError):
    """No index exists where one was expected."""


class IndexStaleError(RagError):
    """The index no longer matches the articles or the settings."""


class IndexCorruptError(RagError):
    """Index files are unreadable or inconsistent with each other."""


class IndexWriteError(RagError):
    """The index cannot be written where asked without touching files that are not ours."""


class ModelLoadError(RagError):
    """A model could not be located, verified, converted or loaded."""


class PromptTooLongError(RagError):
    """A prompt would not fit the model's budget (a guard behind the passage budget)."""


class TimeLimitError(RagError):
    """A question's time limit passed while it waited for the model (another question had it)."""


class MilvusUnavailableError(RagError):
    """The Milvus store was asked for, and pymilvus / milvus-lite is not installed or the
    server cannot be reached."""


class CorpusError(RagError):
    """The articles folder is missing or holds no usable article."""
