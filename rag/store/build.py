"""Building and opening an index: incremental updates, reusing vectors, and the store a
manifest names."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..config import Settings
from ..errors import CorpusError, IndexCorruptError, IndexMissingError, IndexStaleError, ModelLoadError
from ..ingest import ARTICLE_SUFFIXES, Skipped, chunk_document, load_corpus, repeated_paragraphs
from ..lang import LEXICON, injection_reason
from ..models.embedder import Embedder
from ..types import Chunk, Document
from .base import Store, embedding_text
from .faiss_store import FaissStore
from .folder import check_index_target, check_writable, restore_set_aside
from .manifest import FORMAT_VERSION, Manifest, fingerprint, milvus_location, read_manifest, versions

log = logging.getLogger(__name__)


def open_store(settings: Settings, manifest: Manifest | None = None) -> Store:
    """The store holding the index in ``settings.index_dir`` (as its manifest says), loaded
    for searching. Raises typed errors (missing, damaged, other format) saying how to fix it."""
    if manifest is None:
        restore_set_aside(settings.index_dir)  # a write killed mid-swap left it aside
        manifest = read_manifest(settings.index_dir)
    if manifest.store == "milvus":
        from .milvus import MilvusStore

        return MilvusStore.open(settings, manifest)
    return FaissStore.load(settings.index_dir, ann_min_chunks=settings.ann_min_chunks, nprobe=settings.nprobe)


def open_current(settings: Settings, manifest: Manifest | None = None) -> Store:
    """:func:`open_store`, then checked against the articles folder and the settings:
    :class:`IndexStaleError` when it no longer matches them. Without the folder the index
    is used as built (logged)."""
    store = open_store(settings, manifest)
    if settings.seeds_dir.is_dir():
        # Indexing named the skipped files (`rag index --status` lists them).
        docs: list[Document] | None = load_corpus(settings.seeds_dir, warn=False)[0]
    else:
        docs = None
        log.warning(
            "the articles folder %s does not exist; answering from the index as built, without checking it is up to date",
            settings.seeds_dir,
        )
    store.check(settings, docs)
    return store


def new_store(settings: Settings, manifest: Manifest) -> Store:
    """An empty store of the kind ``settings.store`` names, for ``manifest``'s dimension."""
    if settings.store == "milvus":
        from .milvus import MilvusStore

        return MilvusStore.create(settings, manifest)
    return FaissStore.empty(
        manifest,
        manifest.dimension,
        ann_min_chunks=settings.ann_min_chunks,
        nprobe=settings.nprobe,
        index_dir=settings.index_dir,
    )


def _previous(settings: Settings, furniture: str) -> Store | None:
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
) -> tuple[Store, dict[str, int]]:
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
    check_writable(settings.index_dir)
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
            format_version=FORMAT_VERSION,
            embedder=settings.embedder,
            dimension=dimension,
            chunk_chars=settings.chunk_chars,
            chunk_overlap_sentences=settings.chunk_overlap_sentences,
            documents=dict(documents),
            titles={d.doc_id: d.title for d in held},
            chunk_count=0,
            versions=versions(),  # commit() records the store's own count
            built_at=time.time(),
            skipped={s.path: s.reason for s in skipped},
            lexicon=LEXICON.fingerprint(),
            flagged={k: v for k, v in flagged.items() if k in documents},
            store=settings.store,
            location=milvus_location(settings) if settings.store == "milvus" else "",
            outlets=tuple(sorted({d.source for d in held if d.source})),
            furniture=furniture_key,
        )

    committed = {d: sha for d, sha in before.items() if d not in gone}
    stats = {
        "documents": len(docs),
        "embedded": 0,
        "added": len(todo),
        "removed": len(set(before) - set(now)),
        "skipped": len(skipped),
    }
    if store is not None and gone:
        store.delete(gone)
        if store.durable:
            store.commit(manifest_for(committed, store.manifest.dimension))
    from tqdm.auto import tqdm

    bar = tqdm(total=len(todo), desc="indexing articles", unit="article", disable=not progress or not todo)

    def embedded(n: int) -> None:
        # One long article is one step of the bar: its passages show that work goes on.
        stats["embedded"] += n
        bar.set_postfix_str(f"{stats['embedded']:,} passages embedded")

    batch: list[Document] = []
    for i, doc in enumerate(todo):
        batch.append(doc)
        # Batches of a few articles: each is committed (Milvus) and acknowledged on its own.
        if len(batch) < 16 and sum(len(d.text) for d in batch) < 400_000 and i + 1 < len(todo):
            continue
        chunks = []
        for d in batch:
            # The headline, outlet and date reach the model and the reader too; a chat turn planted
            # in the text is gone from it (see ``Document.planted``), and flagged here.
            labelled = (
                injection_reason(d.title)
                or injection_reason(d.source)
                or injection_reason(d.published)
                or next(iter(d.planted), None)
            )
            for c in chunk_document(d, settings.chunk_chars, settings.chunk_overlap_sentences, furniture):
                chunks.append(c)
                reason = labelled or injection_reason(c.text)
                if reason and d.doc_id not in flagged:
                    flagged[d.doc_id] = (
                        f"text addressed to the model, not reported ({reason[:60]!r}): hidden from the model"
                    )
                    log.warning("%s: %s", d.doc_id, flagged[d.doc_id])
        matrix, _ = _embed(embedder, chunks, reusable, embedded)
        if store is None:
            store = new_store(settings, manifest_for({}, int(matrix.shape[1])))
        elif chunks and matrix.shape[1] != store.manifest.dimension:
            raise _other_size(embedder, f"{matrix.shape[1]} numbers, and the index holds {store.manifest.dimension}")
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


def _embed(
    embedder: Embedder,
    chunks: Sequence[Chunk],
    reusable: dict[str, np.ndarray],
    embedded: Callable[[int], None] = lambda n: None,
) -> tuple[np.ndarray, int]:
    """Vectors for ``chunks`` (reusing those of identical text); and how many were computed
    (told to ``embedded`` as each batch is done)."""
    texts = [embedding_text(c) for c in chunks]
    keys = [hashlib.sha256(t.encode()).hexdigest() for t in texts]
    vectors: list[np.ndarray | None] = [reusable.get(k) for k in keys]
    todo = [i for i, v in enumerate(vectors) if v is None]
    for s in range(0, len(todo), 64):
        ids = todo[s : s + 64]
        for i, v in zip(ids, _checked(embedder, embedder.embed([texts[i] for i in ids]), len(ids)), strict=True):
            vectors[i] = v
        embedded(len(ids))
    if not vectors:
        dim = getattr(embedder, "dimension", 0)
        return np.zeros((0, int(dim)), np.float32), 0
    if len({len(v) for v in vectors if v is not None}) > 1:
        raise _other_size(embedder, "another size than those of the index it would update")
    return np.vstack([v for v in vectors if v is not None]).astype(np.float32), len(todo)


def _other_size(embedder: Embedder, sizes: str) -> ModelLoadError:
    """The error for vectors that cannot join the index's: one message for both ways it shows."""
    return ModelLoadError(
        f"the embedder {embedder.name!r} makes vectors of {sizes}: the index was built with another model "
        "of that name; delete the index folder and run `rag index`"
    )


def _checked(embedder: Embedder, vectors: Any, n: int) -> np.ndarray:
    """The embedder's output for ``n`` texts as float32 rows, or :class:`ModelLoadError`
    saying what is wrong with it (a custom embedder's mistake would otherwise build an
    index that fails, or quietly ranks by nothing, at every question)."""
    out = np.asarray(vectors, dtype=np.float32)
    if out.ndim != 2 or out.shape[0] != n or out.shape[1] == 0:
        raise ModelLoadError(
            f"the embedder {embedder.name!r} returned an array of shape {out.shape} for {n} texts; "
            f"it must be ({n}, dimension)"
        )
    if not np.isfinite(out).all():
        raise ModelLoadError(
            f"the embedder {embedder.name!r} returned vectors that are not finite numbers (NaN or inf)"
        )
    return out


def _vectors_of(store: Store, doc_ids: Sequence[str]) -> dict[str, np.ndarray]:
    """The stored vectors of these articles' passages, by the hash of their text (a changed
    article keeps the vectors of its unchanged passages). FAISS store only."""
    if not doc_ids or not isinstance(store, FaissStore):
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
        old = FaissStore.load(settings.index_dir)
    except IndexCorruptError:
        # Damaged elsewhere (the BM25 files, the terms): intact vectors are still reused.
        salvaged = FaissStore.salvage(settings.index_dir)
        if salvaged is None or salvaged[0].embedder != settings.embedder:
            return {}
        _, chunks, matrix = salvaged
        log.info("reusing the %d intact vectors of the damaged index", len(chunks))
        return {hashlib.sha256(embedding_text(c).encode()).hexdigest(): matrix[i] for i, c in enumerate(chunks)}
    except (IndexMissingError, IndexStaleError):
        return {}
    if old.manifest.embedder != settings.embedder:
        return {}
    return _vectors_of(old, list(old.manifest.documents))


def ensure_index(settings: Settings, embedder: Embedder, *, progress: bool = False) -> Store:
    """Load the index, updating or rebuilding it when missing, stale or damaged."""
    docs, skipped = load_corpus(settings.seeds_dir)
    try:
        store = open_store(settings)
        store.check(settings, docs)
        return store
    except IndexMissingError:
        # Not a problem to fix by hand: it is being built now ("build it with `rag index`"
        # would say otherwise).
        log.info("no index in %s yet; building it", settings.index_dir)
    except (IndexStaleError, IndexCorruptError) as exc:
        log.warning("updating the index: %s", exc)
    store, _ = build_index(settings, embedder, docs=docs, skipped=skipped, progress=progress)
    return store
