"""The retrieval seam: a one-method protocol and the hybrid dense + BM25 retriever."""

from __future__ import annotations

import re
from collections.abc import Hashable
from functools import cached_property
from typing import Protocol, TypeVar, runtime_checkable

from .errors import IndexStaleError
from .lang import outlet_names
from .models.embedder import Embedder
from .store.base import Filter, Store, bm25_tokens
from .types import Chunk, Hit

K = TypeVar("K", bound=Hashable)


@runtime_checkable
class Retriever(Protocol):
    """Finds the passages most relevant to a query, best first."""

    def retrieve(self, query: str, k: int, where: Filter | None = None) -> list[Hit]:
        """The ``k`` best passages (a few more when diversity or named outlets ask for
        it), within ``where`` when given."""
        ...


def reciprocal_rank_fusion(rankings: list[list[K]], k: int = 60) -> dict[K, float]:
    """Fuse ranked id lists: ``score(id) = sum(1 / (k + rank))`` with ranks from 1."""
    fused: dict[K, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + 1.0 / (k + rank)
    return fused


def diversify(ranked: list[K], docs: list[str], k: int, window: int = 2) -> list[K]:
    """The top ``k`` of ``ranked``; when they all come from one article, followed by the
    best passage of another article within the top ``window * k``.

    Reports of one event differ (figures, spellings): a passage from a second article
    lets the answer see that. It is added rather than put in the last place: fused
    scores are close together, and the passage it would push out held the answer in
    two of the evaluation set's three retrieval misses. ``docs[i]`` is the article of
    ``ranked[i]``.
    """
    top = ranked[:k]
    if k < 2 or len(set(docs[:k])) > 1:
        return top
    for i in range(k, min(len(ranked), window * k)):
        if docs[i] != docs[0]:
            return top + [ranked[i]]
    return top


def named_sources(query: str, sources: list[str]) -> list[str]:
    """The outlets of ``sources`` that ``query`` names ("the article from The Verge"),
    matched as whole phrases, case aside, with or without a leading "The", by any of
    their usual names ("AP" for "Associated Press")."""
    out = []
    for src in sources:
        for name in outlet_names(src):
            name = re.sub(r"^the\s+", "", name.strip(), flags=re.IGNORECASE)
            # An abbreviation only in capitals: "ft" is feet and "ap" a school course.
            flags = 0 if name.isupper() and name != src else re.IGNORECASE
            if len(name) >= 2 and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", query, flags):
                out.append(src)
                break
    return out


def cover_sources(order: list[K], ranked: list[K], source_of: list[str], named: list[str], limit: int = 3) -> list[K]:
    """``order`` plus, for each named outlet it lacks, that outlet's best passage in
    ``ranked`` (at most ``limit`` added). ``source_of[i]`` is the outlet of ``ranked[i]``."""
    have = {source_of[ranked.index(i)] for i in order}
    out = list(order)
    for src in named:
        if src in have or len(out) - len(order) >= limit:
            continue
        best = next((i for i, s in zip(ranked, source_of) if s == src), None)
        if best is not None:
            out.append(best)
            have.add(src)
    return out


class HybridRetriever:
    """Dense (cosine) and BM25 candidates from a store, fused by reciprocal rank.

    Dense retrieval finds paraphrases; BM25 finds rare names and numbers that a small
    embedder blurs (measured on the seeds: "Who is Niger's junta leader?" ranked 7th
    dense, 1st BM25). Each hit keeps both scores and ranks.
    A question that names outlets ("Does the TechCrunch article ..., while The Verge
    ...?") gets a passage of each. The store (:class:`rag.store.Store`) may be the FAISS
    folder or Milvus: the fusion here is the same for both.
    """

    def __init__(self, index: Store, embedder: Embedder, candidates: int = 20, rrf_k: int = 60) -> None:
        self.index = index
        self.embedder = embedder
        self.candidates = candidates
        self.rrf_k = rrf_k

    @cached_property
    def sources(self) -> list[str]:
        """The outlets of the indexed articles."""
        return list(self.index.manifest.outlets)

    def retrieve(self, query: str, k: int, where: Filter | None = None) -> list[Hit]:
        if not query.strip():
            return []
        vec = self.embedder.embed([query])[0]
        if len(vec) != self.index.manifest.dimension:
            raise IndexStaleError(
                f"the index holds vectors of {self.index.manifest.dimension} numbers, and the embedder "
                f"{self.embedder.name!r} makes {len(vec)}: it was built with another model of that name; "
                "delete the index folder and run `rag index`"
            )
        found = self.index.search(vec, bm25_tokens(query), self.candidates, where)
        dense, sparse = found.dense, found.sparse
        key = _key
        fused_by_key = reciprocal_rank_fusion([[key(c) for c, _ in dense], [key(c) for c, _ in sparse]], self.rrf_k)
        chunk = {key(c): c for c, _ in dense + sparse}
        d_score = {key(c): s for c, s in dense}
        b_score = {key(c): s for c, s in sparse}
        d_rank = {key(c): r for r, (c, _) in enumerate(dense, 1)}
        b_rank = {key(c): r for r, (c, _) in enumerate(sparse, 1)}
        # Ties go to the earlier passage of the earlier article, whatever the store's ids.
        ranked = sorted(fused_by_key, key=lambda i: (-fused_by_key[i], i))
        order = diversify(ranked, [chunk[i].doc_id for i in ranked], k)
        named = named_sources(query, self.sources)
        if named:
            order = cover_sources(order, ranked, [chunk[i].source for i in ranked], named)
        return [
            Hit(
                chunk=chunk[i],
                score=fused_by_key[i],
                dense_score=d_score.get(i),
                bm25_score=b_score.get(i),
                dense_rank=d_rank.get(i),
                bm25_rank=b_rank.get(i),
            )
            for i in order
        ]


def _key(chunk: Chunk) -> tuple[str, int, int]:
    return (chunk.doc_id, chunk.start, chunk.end)
