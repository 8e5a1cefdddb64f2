"""The on-disk index: a folder of plainly named files.

    manifest.json   what built it: embedder, dimension, chunking, a fingerprint per article, versions
    chunks.jsonl    one chunk per line: id, article, title, text, character span
    vectors.faiss   normalized embeddings: a flat inner-product FAISS index, or an IVF one
                    once the corpus passes ``Settings.ann_min_chunks`` passages
    bm25/           the bm25s index over the same chunks
    terms.txt       each chunk's BM25 terms, a line each: adding an article re-indexes
                    BM25 (its statistics are global) without stemming every passage again

With ``RAG_STORE=milvus`` the folder holds only the manifest (and ``milvus.db`` for Milvus
Lite); the passages live in the Milvus collection (:mod:`rag.milvus_store`).

Writes are atomic: a new index is built in a sibling folder and renamed into place, so a
crash mid-build leaves the previous index usable. Only a folder that is an index of ours
(its manifest says so) or an empty one is ever replaced; anything else at the index path
is refused before any work is done, and nothing outside our own files is deleted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass, field, replace
from importlib import metadata
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np

from .config import Settings
from .corpus import ARTICLE_SUFFIXES, Skipped, chunk_document, load_corpus, repeated_paragraphs
from .embed import Embedder
from .store import Candidates, Filter, Scored
from .errors import CorpusError, IndexCorruptError, IndexMissingError, IndexStaleError, IndexWriteError
from .text import LEXICON, injection_reason, terms
from .types import Chunk, Document

log = logging.getLogger(__name__)

FORMAT_VERSION = 8  # the files' layout; language rules are checked by the lexicon's fingerprint
MANIFEST = "manifest.json"
MANIFEST_TMP = ".manifest-"
CHUNKS = "chunks.jsonl"
VECTORS = "vectors.faiss"
BM25_DIR = "bm25"
TERMS = "terms.txt"
MILVUS_DB = "milvus.db"
MILVUS_LOCK = ".milvus.db.lock"  # Milvus Lite's, while a process has the file open
README = "README.md"
README_TEXT = """This folder is a built index (`rag index` writes it; `ui.py` builds it when missing or stale).

- manifest.json: what built it: embedder, dimension, chunking settings, sha256 of every article, library versions
- chunks.jsonl: one passage per line: id, article file, title, text, character span in the article
- vectors.faiss: the passages' normalized embeddings (flat inner-product FAISS index; IVF when large)
- bm25/: the bm25s index over the same passages
- terms.txt: each passage's stemmed BM25 terms, one line a passage (an update re-indexes BM25 from them)
- milvus.db: instead of the two above, with RAG_STORE=milvus and a local Milvus Lite file

It is rebuilt from the articles folder in seconds; only this README is kept in git.
"""

ProgressFactory = Callable[[int, str], object]


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


def fingerprint(docs: Sequence[Document]) -> dict[str, str]:
    """Article file name -> sha256 of its bytes."""
    return {d.doc_id: d.sha256 for d in docs}


def _versions() -> dict[str, str]:
    out = {}
    for pkg in ("rag", "faiss-cpu", "bm25s", "sentence-transformers", "transformers", "torch"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = "unknown"
    return out


@dataclass(frozen=True)
class Manifest:
    """What an index was built from; compared against the current settings and articles."""

    format_version: int
    embedder: str
    dimension: int
    chunk_chars: int
    chunk_overlap_sentences: int
    documents: dict[str, str]  # doc_id -> sha256
    titles: dict[str, str]
    chunk_count: int
    versions: dict[str, str]
    built_at: float
    skipped: dict[str, str]
    #: :meth:`rag.lang.Lexicon.fingerprint` of the lexicon that stemmed the BM25 terms.
    lexicon: str = ""
    #: Articles with text addressed to the model ("ignore the question ..."), and why.
    flagged: dict[str, str] = field(default_factory=dict)
    #: Which store holds the passages ("faiss" or "milvus") and where (a Milvus URI and
    #: collection; the token is never written here).
    store: str = "faiss"
    location: str = ""
    #: The outlets of the indexed articles (questions name them: "the Reuters story").
    outlets: tuple[str, ...] = ()
    #: Fingerprint of the paragraphs left out as publisher furniture: they shape every
    #: article's passages, so when they change every article is cut again.
    furniture: str = ""

    def problems(self, settings: Settings, docs: Sequence[Document] | None) -> list[str]:
        """Why this index does not fit ``settings``/``docs`` (empty when it does)."""
        out = self.setup_problems(settings)
        if docs is not None:
            now = fingerprint(docs)
            added = sorted(set(now) - set(self.documents))
            removed = sorted(set(self.documents) - set(now))
            changed = sorted(k for k in set(now) & set(self.documents) if now[k] != self.documents[k])
            for label, names in (("new", added), ("removed", removed), ("changed", changed)):
                if names:
                    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
                    out.append(f"{len(names)} {label} article(s) since it was built: {shown}")
        return out

    def setup_problems(self, settings: Settings) -> list[str]:
        """Why the index cannot be updated in place for ``settings`` (a rebuild is needed)."""
        out = []
        if self.lexicon != LEXICON.fingerprint():
            out.append("it was built with other language rules (stemming, stopwords)")
        if self.embedder != settings.embedder:
            out.append(f"it was built with embedder {self.embedder!r}, not {settings.embedder!r}")
        if (self.chunk_chars, self.chunk_overlap_sentences) != (
            settings.chunk_chars, settings.chunk_overlap_sentences
        ):
            out.append("it was built with other chunking settings")
        if self.store != settings.store:
            out.append(f"it is held in the {self.store} store, and the settings ask for {settings.store}")
        elif self.store == "milvus" and self.location != milvus_location(settings):
            out.append(f"it is held in Milvus at {self.location}, not {milvus_location(settings)}")
        return out


def milvus_location(settings: Settings) -> str:
    """Where a Milvus-held index lives, as the manifest records it: URI and collection."""
    return f"{settings.resolved_milvus_uri()}#{settings.milvus_collection}"


def read_manifest(index_dir: Path) -> Manifest:
    """The manifest of the index in ``index_dir``; typed errors say how to fix a problem."""
    index_dir = Path(index_dir)
    if not (index_dir / MANIFEST).is_file():
        raise IndexMissingError(
            f"no index in {index_dir}; build it with `rag index` (or start ui.py, which builds it)"
        )
    fix = "rebuild it with `rag index`"
    try:
        raw = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
        if isinstance(raw, dict) and isinstance(raw.get("outlets"), list):
            raw["outlets"] = tuple(raw["outlets"])
        manifest = Manifest(**raw)
    except (OSError, ValueError, TypeError) as exc:
        raise IndexCorruptError(f"the index manifest in {index_dir} is unreadable ({exc}); {fix}") from exc
    if manifest.format_version != FORMAT_VERSION:
        raise IndexStaleError(
            f"the index in {index_dir} has format {manifest.format_version}, this version reads "
            f"{FORMAT_VERSION}; {fix}"
        )
    return manifest


def write_manifest(index_dir: Path, manifest: Manifest) -> None:
    """Replace the manifest atomically (a reader sees the old one or the new one)."""
    for old in index_dir.glob(f"{MANIFEST_TMP}*"):  # left by a killed write
        old.unlink(missing_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=MANIFEST_TMP, suffix=".json", dir=index_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(json.dumps(asdict(manifest), indent=2))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, index_dir / MANIFEST)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Index:
    """The default store: chunks with their FAISS and BM25 indexes, as loaded from (or about
    to be written to) a folder. Implements :class:`rag.store.Store`; changes stay in memory
    until :meth:`save` swaps the whole folder in atomically.

    Passage ids are positions. FAISS searches a flat index up to ``ann_min_chunks``
    passages and an IVF one past it (``nprobe`` lists probed a query).
    """

    #: Changes reach disk only at :meth:`commit`, all at once.
    durable = False

    def __init__(self, manifest: Manifest, chunks: list[Chunk], vectors, bm25,  # type: ignore[no-untyped-def]
                 *, ann_min_chunks: int = 200_000, nprobe: int = 32, index_dir: Path | None = None) -> None:
        self.manifest = manifest
        self.index_dir = index_dir
        self.chunks = chunks
        self.vectors = vectors  # faiss.Index
        self.bm25 = bm25  # bm25s.BM25, or None until rebuilt after a change
        self.terms: list[list[str]] | None = None  # per chunk, when known (read or computed)
        self.ann_min_chunks = ann_min_chunks
        self.nprobe = nprobe
        self._leads: dict[str, Chunk] | None = None
        self._doc_rows: tuple[np.ndarray, list[Chunk]] | None = None
        self._set_nprobe()

    @classmethod
    def empty(cls, manifest: Manifest, dimension: int, **kwargs) -> "Index":  # type: ignore[no-untyped-def]
        import faiss

        return cls(manifest, [], faiss.IndexFlatIP(dimension), None, **kwargs)

    def __len__(self) -> int:
        return len(self.chunks)

    def count(self) -> int:
        return len(self.chunks)

    # -- reading ----------------------------------------------------------------------
    @classmethod
    def load(cls, index_dir: Path, **kwargs) -> "Index":  # type: ignore[no-untyped-def]
        """Load and cross-check an index; raises a typed error that says how to fix it."""
        index_dir = Path(index_dir)
        manifest = read_manifest(index_dir)
        fix = "rebuild it with `rag index`"
        if manifest.store != "faiss":
            raise IndexStaleError(f"the index in {index_dir} is held in {manifest.store}, not in this folder; "
                                  f"set RAG_STORE={manifest.store} or {fix}")
        import faiss

        bm25s = _bm25s()
        try:
            chunks = []
            with open(index_dir / CHUNKS, encoding="utf-8") as f:
                for line in f:
                    if line.strip():
                        chunks.append(Chunk(**json.loads(line)))
            vectors = faiss.read_index(str(index_dir / VECTORS))
            bm25 = bm25s.BM25.load(str(index_dir / BM25_DIR))
            terms = None
            if (index_dir / TERMS).is_file():
                terms = (index_dir / TERMS).read_text(encoding="utf-8").split("\n")[:-1]
        except Exception as exc:  # noqa: BLE001 - faiss raises RuntimeError, json ValueError, ...
            raise IndexCorruptError(f"the index in {index_dir} is damaged ({type(exc).__name__}: {exc}); {fix}") from exc
        n_bm25 = int(bm25.scores.get("num_docs", -1))
        if not (len(chunks) == vectors.ntotal == n_bm25 == manifest.chunk_count):
            raise IndexCorruptError(
                f"the index files in {index_dir} disagree (chunks {len(chunks)}, vectors "
                f"{vectors.ntotal}, bm25 {n_bm25}, manifest {manifest.chunk_count}); {fix}"
            )
        if vectors.d != manifest.dimension:
            raise IndexCorruptError(f"the vectors in {index_dir} have dimension {vectors.d}, not {manifest.dimension}; {fix}")
        if any(c.chunk_id != i for i, c in enumerate(chunks)):
            raise IndexCorruptError(f"the chunk ids in {index_dir} are out of order; {fix}")
        index = cls(manifest, chunks, vectors, bm25, index_dir=index_dir, **kwargs)
        if terms is not None and len(terms) == len(chunks):
            index.terms = [line.split(" ") for line in terms]
        return index

    def check(self, settings: Settings, docs: Sequence[Document] | None) -> None:
        """Raise :class:`IndexStaleError` if the index does not match settings/articles."""
        check_manifest(self.manifest, settings, docs)

    def lead(self, doc_id: str) -> Chunk | None:
        """The first passage of an article (with its headline, its lead: who and what the
        article is about), or ``None`` for an article the index does not hold."""
        if self._leads is None:
            leads: dict[str, Chunk] = {}
            for c in self.chunks:
                if c.doc_id not in leads or c.start < leads[c.doc_id].start:
                    leads[c.doc_id] = c
            self._leads = leads
        return self._leads.get(doc_id)

    def stored_vectors(self) -> np.ndarray:
        if not self.vectors.ntotal:
            return np.zeros((0, self.vectors.d), np.float32)
        ivf = self._ivf()
        if ivf is not None:
            ivf.make_direct_map()  # IVF lists are not in order; the map finds each row
        return self.vectors.reconstruct_n(0, self.vectors.ntotal)

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
            params = (faiss.SearchParametersIVF(sel=selector, nprobe=self.nprobe) if self._ivf() is not None
                      else faiss.SearchParameters(sel=selector))
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

    def _bm25(self):  # type: ignore[no-untyped-def]
        if self.bm25 is None:
            self.bm25 = _make_bm25(self._terms())
        return self.bm25

    def _terms(self) -> list[list[str]]:
        if self.terms is None or len(self.terms) != len(self.chunks):
            self.terms = [chunk_terms(c) for c in self.chunks]
        return self.terms

    def _ivf(self):  # type: ignore[no-untyped-def]
        import faiss

        try:
            return faiss.extract_index_ivf(self.vectors)
        except (RuntimeError, TypeError):
            return None

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

    def _empty_like(self, index):  # type: ignore[no-untyped-def]
        import faiss

        if self._ivf() is None:
            return faiss.IndexFlatIP(index.d)
        fresh = faiss.clone_index(index)  # keeps the trained coarse quantizer
        fresh.reset()
        return fresh

    def _changed(self) -> None:
        self.bm25 = None
        self._leads = None
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
        """Write all files aside, then swap the folder into place."""
        import faiss

        index_dir = Path(index_dir)
        check_index_target(index_dir)
        index_dir.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(index_dir)
        tmp = Path(tempfile.mkdtemp(prefix=f"{_leftover_prefix(index_dir, 'new')}{os.getpid()}-", dir=index_dir.parent))
        try:
            os.chmod(tmp, 0o755)  # mkdtemp makes it private; an index is ordinary data
            with open(tmp / CHUNKS, "w", encoding="utf-8") as f:
                for c in self.chunks:
                    f.write(json.dumps(asdict(c), ensure_ascii=False) + "\n")
            faiss.write_index(self.vectors, str(tmp / VECTORS))
            self._bm25().save(str(tmp / BM25_DIR), show_progress=False)
            with open(tmp / TERMS, "w", encoding="utf-8") as f:
                for t in self._terms():
                    f.write(" ".join(t) + "\n")
            (tmp / README).write_text(README_TEXT, encoding="utf-8")
            # The manifest goes last: a folder without one is never mistaken for an index.
            (tmp / MANIFEST).write_text(json.dumps(asdict(self.manifest), indent=2), encoding="utf-8")
            _swap_into_place(tmp, index_dir)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise


def build_ivf(matrix: np.ndarray, nlist: int | None = None):  # type: ignore[no-untyped-def]
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


def check_manifest(manifest: Manifest, settings: Settings, docs: Sequence[Document] | None) -> None:
    """Raise :class:`IndexStaleError` if ``manifest`` does not match settings/articles."""
    problems = manifest.problems(settings, docs)
    if problems:
        raise IndexStaleError(
            "the index is out of date: " + "; ".join(problems) + ". Rebuild it with `rag index`."
        )


def _swap_into_place(new: Path, target: Path) -> None:
    check_index_target(target)  # again: the folder may have changed during the build
    old = None
    if target.exists():
        old = target.with_name(f"{_leftover_prefix(target, 'old')}{os.getpid()}-{time.time_ns()}")
        os.replace(target, old)
    os.replace(new, target)
    if old is not None:
        _remove_our_files(old)


# -- what may be written where ---------------------------------------------------------
#: Every name an index folder of ours holds; nothing else is ever deleted.
OUR_FILES = frozenset({MANIFEST, CHUNKS, VECTORS, BM25_DIR, TERMS, README, MILVUS_DB, MILVUS_LOCK})


def is_our_index(folder: Path) -> bool:
    """True if ``folder`` holds an index this library wrote (its manifest says so), or only
    our README (the folder as checked out of git), or nothing."""
    if not folder.is_dir() or folder.is_symlink():
        return False
    # A manifest being replaced (or left by a killed write) is ours too.
    names = {p.name for p in folder.iterdir() if not p.name.startswith(MANIFEST_TMP) and p.name != MILVUS_LOCK}
    if not names or names == {MILVUS_DB}:  # a Milvus Lite file before its first manifest
        return True
    if names == {README}:
        return (folder / README).read_text(encoding="utf-8", errors="replace").startswith(README_TEXT[:40])
    if not names <= OUR_FILES or MANIFEST not in names:
        return False
    try:
        raw = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(raw, dict) and {"format_version", "embedder", "documents"} <= set(raw)


def check_index_target(index_dir: Path, seeds_dir: Path | None = None) -> None:
    """Raise :class:`IndexWriteError` unless writing an index at ``index_dir`` is safe: the
    path is free, an empty folder, or an index of ours, and it neither is nor holds the
    articles folder."""
    index_dir = Path(index_dir)
    if seeds_dir is not None:
        a, b = index_dir.resolve(), Path(seeds_dir).resolve()
        if a == b or a.is_relative_to(b) or b.is_relative_to(a):
            raise IndexWriteError(
                f"the index folder {index_dir} and the articles folder {seeds_dir} overlap; "
                "give the index a folder of its own (e.g. --index index/)"
            )
    if index_dir.is_symlink() or (index_dir.exists() and not index_dir.is_dir()):
        raise IndexWriteError(
            f"{index_dir} exists and is not a folder; refusing to replace it. Choose another --index path."
        )
    if index_dir.is_dir() and not is_our_index(index_dir):
        raise IndexWriteError(
            f"{index_dir} holds files that are not an index of ours; refusing to touch them. "
            "Choose an empty or new folder for --index."
        )


def _leftover_prefix(index_dir: Path, kind: str) -> str:
    return f".{index_dir.name}-{kind}-"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. no permission: it exists
        return True
    return True


def remove_leftovers(index_dir: Path) -> list[Path]:
    """Remove half-written or set-aside folders that an interrupted save of ours left
    beside ``index_dir`` (``.<name>-new-<pid>-…``, ``.<name>-old-<pid>-…``) once their process
    is gone. Returns what was removed."""
    index_dir = Path(index_dir)
    removed = []
    if not index_dir.parent.is_dir():
        return removed
    for kind in ("new", "old"):
        prefix = _leftover_prefix(index_dir, kind)
        for p in index_dir.parent.glob(f"{prefix}*"):
            if not p.is_dir() or p.is_symlink():
                continue
            pid = p.name[len(prefix):].split("-", 1)[0]
            # Names without a process id come from older versions: gone when an hour old.
            alive = _pid_alive(int(pid)) if pid.isdigit() else time.time() - p.stat().st_mtime < 3600
            if alive:
                continue
            if {c.name for c in p.iterdir()} <= OUR_FILES:
                _remove_our_files(p)
                removed.append(p)
                log.info("removed a leftover of an interrupted index write: %s", p)
    return removed


def _remove_our_files(folder: Path) -> None:
    """Delete our index files in ``folder``, then the folder if that leaves it empty."""
    for tmp in folder.glob(f"{MANIFEST_TMP}*"):
        tmp.unlink(missing_ok=True)
    for name in OUR_FILES:
        p = folder / name
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        elif p.exists() or p.is_symlink():
            p.unlink(missing_ok=True)
    try:
        folder.rmdir()
    except OSError:
        log.warning("left %s in place: it holds files that are not ours", folder)


def _bm25s():  # type: ignore[no-untyped-def]
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it sets DEBUG on import
    return bm25s


def chunk_terms(chunk: Chunk) -> list[str]:
    """A chunk's BM25 terms. bm25s needs a non-empty list per document; a chunk of only
    stopwords gets a marker."""
    return bm25_tokens(chunk_terms_text(chunk)) or ["\u2205"]


def _make_bm25(terms: Sequence[list[str]]):  # type: ignore[no-untyped-def]
    bm25 = _bm25s().BM25()
    bm25.index(list(terms), show_progress=False)
    return bm25


def open_store(settings: Settings, manifest: Manifest | None = None):  # type: ignore[no-untyped-def]
    """The store holding the index in ``settings.index_dir`` (as its manifest says), loaded
    for searching. Raises typed errors (missing, damaged, other format) saying how to fix it."""
    manifest = manifest or read_manifest(settings.index_dir)
    if manifest.store == "milvus":
        from .milvus_store import MilvusStore

        return MilvusStore.open(settings, manifest)
    return Index.load(settings.index_dir, ann_min_chunks=settings.ann_min_chunks, nprobe=settings.nprobe)


def new_store(settings: Settings, manifest: Manifest):  # type: ignore[no-untyped-def]
    """An empty store of the kind ``settings.store`` names, for ``manifest``'s dimension."""
    if settings.store == "milvus":
        from .milvus_store import MilvusStore

        return MilvusStore.create(settings, manifest)
    return Index.empty(manifest, manifest.dimension, ann_min_chunks=settings.ann_min_chunks,
                       nprobe=settings.nprobe, index_dir=settings.index_dir)


def _previous(settings: Settings, furniture: str):  # type: ignore[no-untyped-def]
    """The existing index when it can be updated in place, else ``None``."""
    try:
        manifest = read_manifest(settings.index_dir)
    except (IndexMissingError, IndexCorruptError, IndexStaleError):
        return None
    why = manifest.setup_problems(settings)
    if manifest.furniture != furniture:
        why.append("the paragraphs repeated across articles (publisher furniture) changed")
    if why:
        log.info("rebuilding the index: %s", "; ".join(why))
        return None
    try:
        return open_store(settings, manifest)
    except (IndexMissingError, IndexCorruptError, IndexStaleError) as exc:
        log.warning("rebuilding the index: %s", exc)
        return None


def build_index(
    settings: Settings,
    embedder: Embedder,
    *,
    docs: Sequence[Document] | None = None,
    skipped: Sequence[Skipped] = (),
    progress: bool = False,
    on_commit: Callable[[list[str]], None] | None = None,
):  # type: ignore[no-untyped-def]
    """Bring the index up to date with the articles in ``settings.seeds_dir``.

    Incremental: articles whose bytes are unchanged keep their passages and vectors;
    new and changed ones are chunked and embedded; removed ones are deleted. A settings
    change (embedder, chunking, language rules, store) rebuilds, reusing the vectors of
    unchanged passage text. The FAISS folder is swapped in once, atomically; a Milvus
    collection is committed article batch by article batch, each recorded in the manifest
    (``on_commit`` hears the ids), so an interrupted run keeps what it finished.
    Returns the store and counts ``{"documents", "chunks", "embedded", "reused", "added",
    "removed", "skipped"}``.
    """
    check_index_target(settings.index_dir, settings.seeds_dir)
    if docs is None:
        docs, skipped = load_corpus(settings.seeds_dir)
    if not docs:
        raise CorpusError(
            f"no usable articles in {settings.seeds_dir}; add article files ({', '.join(ARTICLE_SUFFIXES)})"
            + (f" (skipped: {', '.join(s.path + ': ' + s.reason for s in skipped)})" if skipped else "")
        )
    furniture = repeated_paragraphs(docs)
    furniture_key = hashlib.sha256("\n".join(sorted(furniture)).encode()).hexdigest()[:16]
    store = _previous(settings, furniture_key)
    before: dict[str, str] = dict(store.manifest.documents) if store is not None else {}
    flagged = dict(store.manifest.flagged) if store is not None else {}
    now = fingerprint(docs)
    gone = sorted(d for d in before if now.get(d) != before[d])  # removed or changed
    todo = [d for d in docs if before.get(d.doc_id) != d.sha256]
    reusable = _reusable_vectors(settings) if store is None else _vectors_of(store, gone)

    def manifest_for(documents: dict[str, str], dimension: int) -> Manifest:
        held = [d for d in docs if d.doc_id in documents]
        return Manifest(
            format_version=FORMAT_VERSION, embedder=settings.embedder, dimension=dimension,
            chunk_chars=settings.chunk_chars, chunk_overlap_sentences=settings.chunk_overlap_sentences,
            documents=dict(documents), titles={d.doc_id: d.title for d in held},
            chunk_count=0, versions=_versions(),  # commit() records the store's own count
            built_at=time.time(), skipped={s.path: s.reason for s in skipped},
            lexicon=LEXICON.fingerprint(), flagged={k: v for k, v in flagged.items() if k in documents},
            store=settings.store, location=milvus_location(settings) if settings.store == "milvus" else "",
            outlets=tuple(sorted({d.source for d in held if d.source})), furniture=furniture_key,
        )

    committed = {d: sha for d, sha in before.items() if d not in gone}
    stats = {"documents": len(docs), "embedded": 0, "added": len(todo),
             "removed": len(set(before) - set(now)), "skipped": len(skipped)}
    if store is not None and gone:
        store.delete(gone)
        if store.durable:
            store.commit(manifest_for(committed, store.manifest.dimension))
    from tqdm.auto import tqdm

    bar = tqdm(total=len(todo), desc="indexing articles", unit="article", disable=not progress or not todo)
    batch: list[Document] = []
    for i, doc in enumerate(todo):
        batch.append(doc)
        # Batches of a few articles: each is committed (Milvus) and acknowledged on its own.
        if len(batch) < 16 and sum(len(d.text) for d in batch) < 400_000 and i + 1 < len(todo):
            continue
        chunks = []
        for d in batch:
            for c in chunk_document(d, settings.chunk_chars, settings.chunk_overlap_sentences, furniture):
                chunks.append(c)
                reason = injection_reason(c.text)
                if reason and d.doc_id not in flagged:
                    flagged[d.doc_id] = f"text addressed to the model, not reported ({reason[:60]!r}): hidden from the model"
                    log.warning("%s: %s", d.doc_id, flagged[d.doc_id])
        matrix, embedded = _embed(embedder, chunks, reusable)
        stats["embedded"] += embedded
        if store is None:
            store = new_store(settings, manifest_for({}, int(matrix.shape[1])))
        store.delete(d.doc_id for d in batch)  # a half-written earlier run may have left some
        store.upsert(chunks, matrix)
        committed.update({d.doc_id: d.sha256 for d in batch})
        if store.durable:
            store.commit(manifest_for(committed, int(matrix.shape[1])))
            if on_commit:
                on_commit([d.doc_id for d in batch])
        bar.update(len(batch))
        batch = []
    bar.close()
    assert store is not None  # there is at least one article
    manifest = manifest_for(committed, store.manifest.dimension)
    store.commit(manifest)
    if on_commit and not store.durable:
        on_commit([d.doc_id for d in todo])
    stats["chunks"] = store.count()
    stats["reused"] = stats["chunks"] - stats["embedded"]  # kept, or re-embedded for free
    log.info("index updated in %s: %s", settings.index_dir, stats)
    return store, stats


def _embed(embedder: Embedder, chunks: Sequence[Chunk], reusable: dict[str, np.ndarray]) -> tuple[np.ndarray, int]:
    """Vectors for ``chunks`` (reusing those of identical text); and how many were computed."""
    texts = [embedding_text(c) for c in chunks]
    keys = [hashlib.sha256(t.encode()).hexdigest() for t in texts]
    vectors: list[np.ndarray | None] = [reusable.get(k) for k in keys]
    todo = [i for i, v in enumerate(vectors) if v is None]
    for s in range(0, len(todo), 64):
        ids = todo[s:s + 64]
        for i, v in zip(ids, embedder.embed([texts[i] for i in ids])):
            vectors[i] = v
    if not vectors:
        dim = getattr(embedder, "dimension", 0)
        return np.zeros((0, int(dim)), np.float32), 0
    return np.vstack(vectors).astype(np.float32), len(todo)


def _vectors_of(store, doc_ids: Sequence[str]) -> dict[str, np.ndarray]:  # type: ignore[no-untyped-def]
    """The stored vectors of these articles' passages, by the hash of their text (a changed
    article keeps the vectors of its unchanged passages). FAISS store only."""
    if not doc_ids or not isinstance(store, Index):
        return {}
    wanted = set(doc_ids)
    rows = [c for c in store.chunks if c.doc_id in wanted]
    if not rows:
        return {}
    stored = store.stored_vectors()
    return {hashlib.sha256(embedding_text(c).encode()).hexdigest(): stored[c.chunk_id] for c in rows}


def _reusable_vectors(settings: Settings) -> dict[str, np.ndarray]:
    """Vectors of a previous FAISS index that cannot be updated in place, keyed by the hash
    of their text (same embedder only)."""
    try:
        old = Index.load(settings.index_dir)
    except (IndexMissingError, IndexCorruptError, IndexStaleError):
        return {}
    if old.manifest.embedder != settings.embedder:
        return {}
    return _vectors_of(old, list(old.manifest.documents))


def ensure_index(settings: Settings, embedder: Embedder, *, progress: bool = False):  # type: ignore[no-untyped-def]
    """Load the index, updating or rebuilding it when missing, stale or damaged."""
    docs, skipped = load_corpus(settings.seeds_dir)
    try:
        store = open_store(settings)
        store.check(settings, docs)
        return store
    except (IndexMissingError, IndexStaleError, IndexCorruptError) as exc:
        log.warning("updating the index: %s", exc)
    store, _ = build_index(settings, embedder, docs=docs, skipped=skipped, progress=progress)
    return store
