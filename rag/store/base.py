"""The store seam: where passages, their vectors and their BM25 terms live.

Two stores implement :class:`Store`: :class:`rag.store.FaissStore` (FAISS + bm25s in a
folder, the default) and :class:`rag.store.MilvusStore` (Milvus Lite or a Milvus cluster).
The retriever fuses what a store returns, so the same question ranks passages the same
way on either.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

from ..errors import InvalidQuestionError
from ..ingest import article_file
from ..lang import outlet_name, terms, whole_date
from ..types import Chunk, Document

if TYPE_CHECKING:
    from ..config import Settings
    from .manifest import Manifest

Scored = list[tuple[Chunk, float]]


@dataclass(frozen=True)
class Filter:
    """Which articles a question may draw on: outlets or article files (``sources``,
    either matches, case aside) and a publication-day range (``since``/``until``,
    YYYY-MM-DD, inclusive). An empty filter lets everything through."""

    sources: tuple[str, ...] = ()
    since: str = ""
    until: str = ""

    @classmethod
    def of(
        cls, sources: Iterable[str] | str | None = None, since: object = None, until: object = None
    ) -> Filter | None:
        """A filter from user input, or ``None`` when nothing restricts; a date that cannot
        be read raises :class:`InvalidQuestionError` naming it."""
        if isinstance(sources, str):
            sources = [sources]
        if sources is not None and not (
            isinstance(sources, (list, tuple, set, frozenset)) and all(isinstance(s, str) for s in sources)
        ):
            raise InvalidQuestionError(
                f"sources must be an outlet or article file name, or a list of them, not {sources!r:.80}"
            )
        # Only the ends are trimmed: a file name may hold two spaces in a row.
        names = tuple(sorted({s.strip() for s in sources or () if s.strip()}))
        days = []
        for label, value in (("since", since), ("until", until)):
            text = "" if value is None else str(value).strip()
            day = whole_date(text) if text else ""
            if text and not day:
                raise InvalidQuestionError(f"{label}={text!r} is not a date; write it as YYYY-MM-DD")
            days.append(day)
        if days[0] and days[1] and days[0] > days[1]:
            raise InvalidQuestionError(f"since={days[0]} is after until={days[1]}; no article can match both")
        f = cls(names, days[0], days[1])
        return f if f else None

    def __bool__(self) -> bool:
        return bool(self.sources or self.since or self.until)

    @cached_property
    def wanted(self) -> frozenset[str]:
        """The names a passage's outlet or article file is matched against, lower-cased:
        ``sources`` and the names their outlets are filed under ("associated press" for
        "AP", as articles are read)."""
        return frozenset(n.lower() for s in self.sources for n in {s, outlet_name(s)})

    def matches(self, chunk: Chunk) -> bool:
        if self.sources:
            wanted = self.wanted
            if (
                chunk.source.lower() not in wanted
                and chunk.doc_id.lower() not in wanted
                and article_file(chunk.doc_id).lower() not in wanted
            ):
                return False
        if self.since and not (chunk.date and chunk.date >= self.since):
            return False
        return not (self.until and not (chunk.date and chunk.date <= self.until))

    def describe(self) -> str:
        bits = []
        if self.sources:
            # A filter of thousands of names is said in short: it is echoed in errors.
            shown = ", ".join(self.sources[:12]) + (
                f" and {len(self.sources) - 12} more" if len(self.sources) > 12 else ""
            )
            bits.append("from " + shown)
        if self.since:
            bits.append(f"since {self.since}")
        if self.until:
            bits.append(f"until {self.until}")
        return " ".join(bits)


@dataclass(frozen=True)
class Candidates:
    """What a store finds for a query: the best passages by vector similarity and by
    BM25, each best first with its score."""

    dense: Scored
    sparse: Scored


@runtime_checkable
class Store(Protocol):
    """Holds passages with their vectors; finds candidates for a query.

    Everything the builder, the retriever and the pipeline use of a store is here.
    """

    #: What the store was built from (embedder, articles, settings).
    manifest: Manifest
    #: True when each :meth:`commit` is on disk at once (Milvus); False when changes stay
    #: in memory until one final :meth:`commit` (the FAISS folder).
    durable: bool

    def upsert(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        """Add passages (replacing any with the same article and span)."""
        ...

    def delete(self, doc_ids: Iterable[str]) -> int:
        """Remove every passage of these articles; returns how many were removed."""
        ...

    def search(self, vector: np.ndarray, terms: Sequence[str], n: int, where: Filter | None = None) -> Candidates:
        """The ``n`` best passages for a query vector and its BM25 terms, within ``where``."""
        ...

    def count(self) -> int:
        """How many passages the store holds."""
        ...

    def passages(self, doc_id: str) -> tuple[Chunk, ...]:
        """An article's passages in reading order (the first is its lead: headline, who and
        what); empty for an article the store does not hold."""
        ...

    def check(self, settings: Settings, docs: Sequence[Document] | None) -> None:
        """Raise :class:`rag.IndexStaleError` if the store does not fit ``settings`` and
        ``docs`` (the articles as they are now; ``None`` skips that comparison)."""
        ...

    def commit(self, manifest: Manifest) -> None:
        """Make the changes so far durable, recorded with ``manifest``."""
        ...


def bm25_tokens(text: str) -> list[str]:
    """The terms BM25 indexes and queries with: stemmed content words."""
    return terms(text)


def chunk_terms_text(chunk: Chunk) -> str:
    """What BM25 indexes for a chunk: its text and its article's outlet (questions name
    outlets: "the TechCrunch article")."""
    return f"{chunk.source}\n{chunk.text}" if chunk.source else chunk.text


def embedding_text(chunk: Chunk) -> str:
    """What the embedder sees for a chunk: the headline (and outlet) give each passage its context."""
    head = f"{chunk.title} ({chunk.source})" if chunk.source else chunk.title
    return f"{head}\n{chunk.text}"


def chunk_terms(chunk: Chunk) -> list[str]:
    """A chunk's BM25 terms. bm25s needs a non-empty list per document; a chunk of only
    stopwords gets a marker."""
    return bm25_tokens(chunk_terms_text(chunk)) or ["\u2205"]
