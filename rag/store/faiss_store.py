"""The default store: FAISS (dense) and bm25s (sparse) over passages held in a folder.

chunks.jsonl    one chunk per line: id, article, title, text, character span
vectors.faiss   normalized embeddings: a flat inner-product FAISS index, or an IVF one
                once the corpus passes ``Settings.ann_min_chunks`` passages
bm25/           the bm25s index over the same chunks
terms.txt       each chunk's BM25 terms, a line each: adding an article re-indexes
                BM25 (its statistics are global) without stemming every passage again
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np

from ..config import Settings
from ..errors import IndexCorruptError, IndexMissingError, IndexStaleError, IndexWriteError
from ..types import Chunk, Document
from .base import Candidates, Filter, Scored, chunk_terms
from .folder import BM25_DIR, CHUNKS, README, README_TEXT, TERMS, VECTORS, damaged_file, file_record, write_atomically
from .manifest import MANIFEST, Manifest, check_manifest, read_manifest


class FaissStore:
    """The default store: chunks with their FAISS and BM25 indexes, as loaded from (or about
    to be written to) a folder. Implements :class:`rag.store.Store`; changes stay in memory
    until :meth:`save` swaps the whole folder in atomically.

    Passage ids are positions. FAISS searches a flat index up to ``ann_min_chunks``
    passages and an IVF one past it (``nprobe`` lists probed a query).
    """

    #: Changes reach disk only at :meth:`commit`, all at once.
    durable = False

    def __init__(
        self,
        manifest: Manifest,
        chunks: list[Chunk],
        vectors,
        bm25,
        *,
        ann_min_chunks: int = 200_000,
        nprobe: int = 32,
        index_dir: Path | None = None,
    ) -> None:
        self.manifest = manifest
        self.index_dir = index_dir
        self.chunks = chunks
        self.vectors = vectors  # faiss.Index
        self.bm25 = bm25  # bm25s.BM25, or None until rebuilt after a change
        self.terms: list[list[str]] | None = None  # per chunk, when known (read or computed)
        self.ann_min_chunks = ann_min_chunks
        self.nprobe = nprobe
        self._articles: dict[str, tuple[Chunk, ...]] | None = None
        self._doc_rows: tuple[np.ndarray, list[Chunk]] | None = None
        self._set_nprobe()

    @classmethod
    def empty(cls, manifest: Manifest, dimension: int, **kwargs) -> FaissStore:
        import faiss

        return cls(manifest, [], faiss.IndexFlatIP(dimension), None, **kwargs)

    def __len__(self) -> int:
        return len(self.chunks)

    def count(self) -> int:
        return len(self.chunks)

    # -- reading ----------------------------------------------------------------------
    @classmethod
    def load(cls, index_dir: Path, **kwargs) -> FaissStore:
        """Load and cross-check an index; raises a typed error that says how to fix it."""
        index_dir = Path(index_dir)
        manifest = read_manifest(index_dir)
        fix = "rebuild it with `rag index`"
        if manifest.store != "faiss":
            raise IndexStaleError(
                f"the index in {index_dir} is held in {manifest.store}, not in this folder; "
                f"set RAG_STORE={manifest.store} or {fix}"
            )
        # Every write records these two: a record without them was edited by hand, and
        # the checks below would pass over the files it no longer names.
        unrecorded = [name for name in (CHUNKS, VECTORS) if name not in manifest.files]
        damage = damaged_file(index_dir, manifest.files) or (
            f"its manifest no longer records {' or '.join(unrecorded)}" if unrecorded else None
        )
        if damage:
            raise IndexCorruptError(f"the index in {index_dir} is damaged: {damage}; {fix}")
        import faiss

        bm25s = _bm25s()
        try:
            chunks = _read_chunks(index_dir)
            vectors = faiss.read_index(str(index_dir / VECTORS))
            bm25 = bm25s.BM25.load(str(index_dir / BM25_DIR))
            terms = None
            if (index_dir / TERMS).is_file():
                terms = (index_dir / TERMS).read_text(encoding="utf-8").split("\n")[:-1]
        except Exception as exc:
            raise IndexCorruptError(
                f"the index in {index_dir} is damaged ({type(exc).__name__}: {exc}); {fix}"
            ) from exc
        n_bm25 = int(bm25.scores.get("num_docs", -1))
        if not (len(chunks) == vectors.ntotal == n_bm25 == manifest.chunk_count):
            raise IndexCorruptError(
                f"the index files in {index_dir} disagree (chunks {len(chunks)}, vectors "
                f"{vectors.ntotal}, bm25 {n_bm25}, manifest {manifest.chunk_count}); {fix}"
            )
        if vectors.d != manifest.dimension:
            raise IndexCorruptError(
                f"the vectors in {index_dir} have dimension {vectors.d}, not {manifest.dimension}; {fix}"
            )
        if any(c.chunk_id != i for i, c in enumerate(chunks)):
            raise IndexCorruptError(f"the chunk ids in {index_dir} are out of order; {fix}")
        index = cls(manifest, chunks, vectors, bm25, index_dir=index_dir, **kwargs)
        if terms is not None and len(terms) == len(chunks):
            index.terms = [line.split(" ") for line in terms]
        return index

    @staticmethod
    def salvage(index_dir: Path) -> tuple[Manifest, list[Chunk], np.ndarray] | None:
        """The manifest, passages and vectors of a damaged index whose passages and vectors
        are intact (their sizes and checksums hold), so a rebuild need not embed them
        again; ``None`` when they are not (or there is no readable manifest)."""
        try:
            manifest = read_manifest(index_dir)
        except (IndexMissingError, IndexCorruptError, IndexStaleError):
            return None
        kept = {k: v for k, v in manifest.files.items() if k in (CHUNKS, VECTORS)}
        if len(kept) < 2 or damaged_file(index_dir, kept):
            return None
        import faiss

        try:
            chunks = _read_chunks(index_dir)
            matrix = _all_vectors(faiss.read_index(str(index_dir / VECTORS)))
        except Exception:
            return None
        return (manifest, chunks, matrix) if len(chunks) == len(matrix) else None

    def check(self, settings: Settings, docs: Sequence[Document] | None) -> None:
        """Raise :class:`IndexStaleError` if the index does not match settings/articles."""
        check_manifest(self.manifest, settings, docs)

    def passages(self, doc_id: str) -> tuple[Chunk, ...]:
        """See :meth:`rag.store.Store.passages`."""
        if self._articles is None:
            articles: dict[str, list[Chunk]] = {}
            for c in self.chunks:
                articles.setdefault(c.doc_id, []).append(c)
            self._articles = {d: tuple(sorted(cs, key=lambda c: c.start)) for d, cs in articles.items()}
        return self._articles.get(doc_id, ())

    def stored_vectors(self) -> np.ndarray:
        return _all_vectors(self.vectors)

    # -- searching --------------------------------------------------------------------
    def search(self, vector: np.ndarray, terms: Sequence[str], n: int, where: Filter | None = None) -> Candidates:
        """Dense and BM25 candidates (see :class:`rag.store.Store`)."""
        if not self.chunks or n <= 0:
            return Candidates([], [])
        mask = self._mask(where) if where else None
        if mask is not None and not mask.any():
            return Candidates([], [])
        return Candidates(self._dense(vector, n, mask), self._sparse(terms, n, mask))

    def _mask(self, where: Filter) -> np.ndarray:
        """Which passages ``where`` lets through, decided once per article."""
        if self._doc_rows is None:
            first: dict[str, int] = {}
            row_doc = np.empty(len(self.chunks), dtype=np.int64)
            reps: list[Chunk] = []
            for i, c in enumerate(self.chunks):
                j = first.get(c.doc_id)
                if j is None:
                    j = first[c.doc_id] = len(reps)
                    reps.append(c)
                row_doc[i] = j
            self._doc_rows = (row_doc, reps)
        row_doc, reps = self._doc_rows
        ok = np.fromiter((where.matches(c) for c in reps), dtype=bool, count=len(reps))
        return ok[row_doc]

    def _dense(self, vector: np.ndarray, n: int, mask: np.ndarray | None) -> Scored:
        import faiss

        query = np.ascontiguousarray(np.asarray(vector, dtype=np.float32).reshape(1, -1))
        n = min(n, len(self.chunks))
        params = None
        if mask is not None:
            selector = faiss.IDSelectorBatch(np.flatnonzero(mask).astype(np.int64))
            # faiss's SWIG stubs do not list these keyword arguments; faiss accepts them.
            params = (
                faiss.SearchParametersIVF(sel=selector, nprobe=self.nprobe)  # type: ignore[call-arg]
                if self._ivf() is not None
                else faiss.SearchParameters(sel=selector)  # type: ignore[call-arg]
            )
        scores, ids = self.vectors.search(query, n, params=params) if params else self.vectors.search(query, n)
        return [(self.chunks[int(i)], float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]

    def _sparse(self, terms: Sequence[str], n: int, mask: np.ndarray | None) -> Scored:
        bm25 = self._bm25()
        tokens = [t for t in terms if t in bm25.vocab_dict]
        if not tokens:
            return []
        scores = bm25.get_scores(tokens)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        n = min(n, len(scores))
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self.chunks[int(i)], float(scores[i])) for i in top if scores[i] > 0]

    def _bm25(self):
        if self.bm25 is None:
            self.bm25 = _make_bm25(self._terms())
        return self.bm25

    def _terms(self) -> list[list[str]]:
        if self.terms is None or len(self.terms) != len(self.chunks):
            self.terms = [chunk_terms(c) for c in self.chunks]
        return self.terms

    def _ivf(self):
        return _ivf_of(self.vectors)

    def _set_nprobe(self) -> None:
        ivf = self._ivf() if self.vectors is not None else None
        if ivf is not None:
            ivf.nprobe = self.nprobe

    # -- changing ---------------------------------------------------------------------
    def upsert(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        """Append passages (an article's old passages are removed first by :meth:`delete`)."""
        if not len(chunks):
            return
        keys = {(c.doc_id, c.start, c.end) for c in chunks}
        if any((c.doc_id, c.start, c.end) in keys for c in self.chunks):
            self.delete({c.doc_id for c in chunks})
        base = len(self.chunks)
        if self.terms is not None and len(self.terms) == base:
            self.terms.extend(chunk_terms(c) for c in chunks)
        self.chunks.extend(replace(c, chunk_id=base + i) for i, c in enumerate(chunks))
        self.vectors.add(np.ascontiguousarray(vectors, dtype=np.float32))
        self._changed()

    def delete(self, doc_ids: Iterable[str]) -> int:
        gone = set(doc_ids)
        keep = [i for i, c in enumerate(self.chunks) if c.doc_id not in gone]
        removed = len(self.chunks) - len(keep)
        if removed:
            matrix = self.stored_vectors()[keep]
            if self.terms is not None and len(self.terms) == len(self.chunks):
                self.terms = [self.terms[i] for i in keep]
            self.chunks = [replace(self.chunks[i], chunk_id=j) for j, i in enumerate(keep)]
            self.vectors = self._empty_like(self.vectors)
            if len(matrix):
                self.vectors.add(matrix)
            self._changed()
        return removed

    def _empty_like(self, index):
        import faiss

        if self._ivf() is None:
            return faiss.IndexFlatIP(index.d)
        fresh = faiss.clone_index(index)  # keeps the trained coarse quantizer
        fresh.reset()
        return fresh

    def _changed(self) -> None:
        self.bm25 = None
        self._articles = None
        self._doc_rows = None

    def compact(self) -> None:
        """Choose the vector index for the corpus size: flat (exact) below
        ``ann_min_chunks`` passages, IVF past it (trained on the passages themselves)."""
        import faiss

        n, is_ivf = len(self.chunks), self._ivf() is not None
        if n >= self.ann_min_chunks and not is_ivf:
            matrix = self.stored_vectors()
            self.vectors = build_ivf(matrix)
            self._set_nprobe()
        elif n < self.ann_min_chunks // 2 and is_ivf:  # hysteresis: no flip-flopping at the edge
            matrix = self.stored_vectors()
            self.vectors = faiss.IndexFlatIP(matrix.shape[1])
            self.vectors.add(matrix)

    # -- writing ----------------------------------------------------------------------
    def commit(self, manifest: Manifest) -> None:
        """Record ``manifest`` and write the index to its folder (see :meth:`save`)."""
        if self.index_dir is None:
            raise IndexWriteError("this index has no folder to be written to; call save(folder)")
        self.manifest = replace(manifest, chunk_count=len(self.chunks))
        self.compact()
        self.save(self.index_dir)

    def save(self, index_dir: Path) -> None:
        """Write all files aside, then swap the folder into place (see :mod:`rag.store.folder`)."""
        import faiss

        def write(folder: Path) -> None:
            with open(folder / CHUNKS, "w", encoding="utf-8") as f:
                for c in self.chunks:
                    f.write(json.dumps(asdict(c), ensure_ascii=False) + "\n")
            faiss.write_index(self.vectors, str(folder / VECTORS))
            self._bm25().save(str(folder / BM25_DIR), show_progress=False)
            with open(folder / TERMS, "w", encoding="utf-8") as f:
                for t in self._terms():
                    f.write(" ".join(t) + "\n")
            (folder / README).write_text(README_TEXT, encoding="utf-8")
            # The manifest goes last (a folder without one is never mistaken for an
            # index), with the size and checksum of every file above.
            self.manifest = replace(self.manifest, files=file_record(folder))
            (folder / MANIFEST).write_text(json.dumps(asdict(self.manifest), indent=2), encoding="utf-8")

        write_atomically(index_dir, write)


def _read_chunks(index_dir: Path) -> list[Chunk]:
    """The passages of ``chunks.jsonl``, in order."""
    with open(index_dir / CHUNKS, encoding="utf-8") as f:
        return [Chunk(**json.loads(line)) for line in f if line.strip()]


def _ivf_of(index):
    """The IVF part of a FAISS index, or ``None`` for a flat one."""
    import faiss

    try:
        return faiss.extract_index_ivf(index)
    except (RuntimeError, TypeError):
        return None


def _all_vectors(index) -> np.ndarray:
    """Every vector of a FAISS index, in insertion order."""
    if not index.ntotal:
        return np.zeros((0, index.d), np.float32)
    ivf = _ivf_of(index)
    if ivf is not None:
        ivf.make_direct_map()  # IVF lists are not in order; the map finds each row
    return index.reconstruct_n(0, index.ntotal)


def build_ivf(matrix: np.ndarray, nlist: int | None = None):
    """An IVF inner-product index over ``matrix`` (about 4·√n lists, trained on up to
    64 vectors a list)."""
    import faiss

    n, d = matrix.shape
    nlist = nlist or max(16, int(4 * np.sqrt(n)))
    quantizer = faiss.IndexFlatIP(d)
    ivf = faiss.IndexIVFFlat(quantizer, d, nlist, faiss.METRIC_INNER_PRODUCT)
    rng = np.random.default_rng(0)
    sample = matrix[rng.choice(n, size=min(n, 64 * nlist), replace=False)] if n > 64 * nlist else matrix
    ivf.train(np.ascontiguousarray(sample))
    ivf.add(np.ascontiguousarray(matrix))
    return ivf


def _bm25s():
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it sets DEBUG on import
    return bm25s


def _make_bm25(terms: Sequence[list[str]]):
    bm25 = _bm25s().BM25()
    bm25.index(list(terms), show_progress=False)
    return bm25
