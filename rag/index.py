"""The on-disk index: a folder of plainly named files.

    manifest.json   what built it: embedder, dimension, chunking, a fingerprint per article, versions
    chunks.jsonl    one chunk per line: id, article, title, text, character span
    vectors.faiss   normalized embeddings in a flat inner-product FAISS index
    bm25/           the bm25s index over the same chunks

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
from typing import Callable, Sequence

import numpy as np

from .config import Settings
from .corpus import Skipped, chunk_document, load_corpus, repeated_paragraphs
from .embed import Embedder
from .errors import CorpusError, IndexCorruptError, IndexMissingError, IndexStaleError, IndexWriteError
from .text import LEXICON, injection_reason, terms
from .types import Chunk, Document

log = logging.getLogger(__name__)

FORMAT_VERSION = 7  # the files' layout; language rules are checked by the lexicon's fingerprint
MANIFEST = "manifest.json"
CHUNKS = "chunks.jsonl"
VECTORS = "vectors.faiss"
BM25_DIR = "bm25"
README = "README.md"
README_TEXT = """This folder is a built index (`rag index` writes it; `ui.py` builds it when missing or stale).

- manifest.json: what built it: embedder, dimension, chunking settings, sha256 of every article, library versions
- chunks.jsonl: one passage per line: id, article file, title, text, character span in the article
- vectors.faiss: the passages' normalized embeddings (flat inner-product FAISS index)
- bm25/: the bm25s index over the same passages

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

    def problems(self, settings: Settings, docs: Sequence[Document] | None) -> list[str]:
        """Why this index does not fit ``settings``/``docs`` (empty when it does)."""
        out = []
        if self.lexicon != LEXICON.fingerprint():
            out.append("it was built with other language rules (stemming, stopwords)")
        if self.embedder != settings.embedder:
            out.append(f"it was built with embedder {self.embedder!r}, not {settings.embedder!r}")
        if (self.chunk_chars, self.chunk_overlap_sentences) != (
            settings.chunk_chars, settings.chunk_overlap_sentences
        ):
            out.append("it was built with other chunking settings")
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


class Index:
    """Chunks with their FAISS and BM25 indexes, as loaded from (or about to be written to) disk."""

    def __init__(self, manifest: Manifest, chunks: list[Chunk], vectors, bm25) -> None:  # type: ignore[no-untyped-def]
        self.manifest = manifest
        self.chunks = chunks
        self.vectors = vectors  # faiss.Index
        self.bm25 = bm25  # bm25s.BM25
        self._leads: dict[str, Chunk] | None = None

    def __len__(self) -> int:
        return len(self.chunks)

    # -- reading ----------------------------------------------------------------------
    @classmethod
    def load(cls, index_dir: Path) -> "Index":
        """Load and cross-check an index; raises a typed error that says how to fix it."""
        index_dir = Path(index_dir)
        if not (index_dir / MANIFEST).is_file():
            raise IndexMissingError(
                f"no index in {index_dir}; build it with `rag index` (or start ui.py, which builds it)"
            )
        import faiss

        bm25s = _bm25s()
        fix = "rebuild it with `rag index`"
        try:
            raw = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
            manifest = Manifest(**raw)
        except (OSError, ValueError, TypeError) as exc:
            raise IndexCorruptError(f"the index manifest in {index_dir} is unreadable ({exc}); {fix}") from exc
        if manifest.format_version != FORMAT_VERSION:
            raise IndexStaleError(
                f"the index in {index_dir} has format {manifest.format_version}, this version reads "
                f"{FORMAT_VERSION}; {fix}"
            )
        try:
            chunks = []
            with open(index_dir / CHUNKS, encoding="utf-8") as f:
                for line in f:
                    if line.strip():
                        chunks.append(Chunk(**json.loads(line)))
            vectors = faiss.read_index(str(index_dir / VECTORS))
            bm25 = bm25s.BM25.load(str(index_dir / BM25_DIR))
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
        return cls(manifest, chunks, vectors, bm25)

    def check(self, settings: Settings, docs: Sequence[Document] | None) -> None:
        """Raise :class:`IndexStaleError` if the index does not match settings/articles."""
        problems = self.manifest.problems(settings, docs)
        if problems:
            raise IndexStaleError(
                "the index is out of date: " + "; ".join(problems) + ". Rebuild it with `rag index`."
            )

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
        return self.vectors.reconstruct_n(0, self.vectors.ntotal) if self.vectors.ntotal else np.zeros((0, self.vectors.d), np.float32)

    # -- writing ----------------------------------------------------------------------
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
            self.bm25.save(str(tmp / BM25_DIR), show_progress=False)
            (tmp / README).write_text(README_TEXT, encoding="utf-8")
            # The manifest goes last: a folder without one is never mistaken for an index.
            (tmp / MANIFEST).write_text(json.dumps(asdict(self.manifest), indent=2), encoding="utf-8")
            _swap_into_place(tmp, index_dir)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise


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
OUR_FILES = frozenset({MANIFEST, CHUNKS, VECTORS, BM25_DIR, README})


def is_our_index(folder: Path) -> bool:
    """True if ``folder`` holds an index this library wrote (its manifest says so), or only
    our README (the folder as checked out of git), or nothing."""
    if not folder.is_dir() or folder.is_symlink():
        return False
    names = {p.name for p in folder.iterdir()}
    if not names:
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


def _make_bm25(chunks: Sequence[Chunk]):  # type: ignore[no-untyped-def]
    bm25 = _bm25s().BM25()
    # bm25s needs a non-empty token list per document; a chunk of only stopwords gets a marker.
    bm25.index([bm25_tokens(chunk_terms_text(c)) or ["\u2205"] for c in chunks], show_progress=False)
    return bm25


def build_index(
    settings: Settings,
    embedder: Embedder,
    *,
    docs: Sequence[Document] | None = None,
    skipped: Sequence[Skipped] = (),
    progress: bool = False,
) -> tuple[Index, dict[str, int]]:
    """Build (or update) the index for the articles in ``settings.seeds_dir`` and save it.

    Chunks whose text is unchanged since the previous index (same embedder) reuse their
    stored vectors, so adding one article embeds only that article. Returns the index and
    counts: ``{"documents", "chunks", "embedded", "reused", "skipped"}``.
    """
    import faiss

    check_index_target(settings.index_dir, settings.seeds_dir)
    if docs is None:
        docs, skipped = load_corpus(settings.seeds_dir)
    if not docs:
        raise CorpusError(
            f"no usable articles in {settings.seeds_dir}; add .txt or .md files"
            + (f" (skipped: {', '.join(s.path + ': ' + s.reason for s in skipped)})" if skipped else "")
        )
    chunks: list[Chunk] = []
    furniture = repeated_paragraphs(docs)
    for doc in docs:
        for c in chunk_document(doc, settings.chunk_chars, settings.chunk_overlap_sentences, furniture):
            chunks.append(replace(c, chunk_id=len(chunks)))
    texts = [embedding_text(c) for c in chunks]
    flagged = {}
    for c in chunks:
        reason = injection_reason(c.text)
        if reason and c.doc_id not in flagged:
            flagged[c.doc_id] = f"text addressed to the model, not reported ({reason[:60]!r}): hidden from the model"
            log.warning("%s: %s", c.doc_id, flagged[c.doc_id])

    reusable = _reusable_vectors(settings)
    keys = [hashlib.sha256(t.encode()).hexdigest() for t in texts]
    todo = [i for i, k in enumerate(keys) if k not in reusable]
    vectors: list[np.ndarray | None] = [reusable.get(k) for k in keys]
    if todo:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(todo), desc="embedding chunks", unit="chunk", disable=not progress)
        batch = 64
        for s in range(0, len(todo), batch):
            ids = todo[s:s + batch]
            for i, v in zip(ids, embedder.embed([texts[i] for i in ids])):
                vectors[i] = v
            bar.update(len(ids))
        bar.close()
    matrix = np.vstack(vectors).astype(np.float32)
    flat = faiss.IndexFlatIP(matrix.shape[1])
    flat.add(matrix)

    manifest = Manifest(
        format_version=FORMAT_VERSION,
        embedder=settings.embedder,
        dimension=int(matrix.shape[1]),
        chunk_chars=settings.chunk_chars,
        chunk_overlap_sentences=settings.chunk_overlap_sentences,
        documents=fingerprint(docs),
        titles={d.doc_id: d.title for d in docs},
        chunk_count=len(chunks),
        versions=_versions(),
        built_at=time.time(),
        skipped={s.path: s.reason for s in skipped},
        lexicon=LEXICON.fingerprint(),
        flagged=flagged,
    )
    index = Index(manifest, chunks, flat, _make_bm25(chunks))
    index.save(settings.index_dir)
    stats = {
        "documents": len(docs), "chunks": len(chunks), "embedded": len(todo),
        "reused": len(chunks) - len(todo), "skipped": len(skipped),
    }
    log.info("index built in %s: %s", settings.index_dir, stats)
    return index, stats


def _reusable_vectors(settings: Settings) -> dict[str, np.ndarray]:
    """Vectors of the previous index keyed by the hash of their text (same embedder only)."""
    try:
        old = Index.load(settings.index_dir)
    except (IndexMissingError, IndexCorruptError, IndexStaleError):
        return {}
    if old.manifest.embedder != settings.embedder:
        return {}
    stored = old.stored_vectors()
    return {
        hashlib.sha256(embedding_text(c).encode()).hexdigest(): stored[c.chunk_id]
        for c in old.chunks
    }


def ensure_index(settings: Settings, embedder: Embedder, *, progress: bool = False) -> Index:
    """Load the index, building or rebuilding it when missing, stale or damaged."""
    docs, skipped = load_corpus(settings.seeds_dir)
    try:
        index = Index.load(settings.index_dir)
        index.check(settings, docs)
        return index
    except (IndexMissingError, IndexStaleError, IndexCorruptError) as exc:
        log.warning("building the index: %s", exc)
    index, _ = build_index(settings, embedder, docs=docs, skipped=skipped, progress=progress)
    return index
