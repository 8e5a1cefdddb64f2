"""The Milvus store: the same passages, vectors and BM25 terms in a Milvus collection.

One code path serves an embedded Milvus Lite file (``RAG_MILVUS_URI=./index/milvus.db``,
the default with ``RAG_STORE=milvus``) and a server or cluster (``http://host:19530``,
with ``RAG_MILVUS_TOKEN``). BM25 is computed inside Milvus over the same stemmed terms
the FAISS store indexes (a whitespace analyzer on pre-stemmed text, k1 and b as bm25s),
and filters (outlet, article, publication day) go into the same query. The index folder
keeps the manifest, written after each committed batch of articles.

Needs the optional extra: ``pip install -e '.[milvus]'``.
"""

from __future__ import annotations

import hashlib
import logging
import signal
import threading
import warnings
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from ..config import Settings
from ..errors import IndexCorruptError, IndexMissingError, IndexWriteError, MilvusUnavailableError
from ..ingest import article_file
from ..types import Chunk, Document
from .base import Candidates, Filter, Scored, chunk_terms
from .folder import check_index_target
from .manifest import Manifest, check_manifest, write_manifest

log = logging.getLogger(__name__)

#: bm25s's defaults, so both stores score BM25 alike.
BM25_K1, BM25_B = 1.5, 0.75
_FIELDS = ["chunk_id", "doc_id", "title", "text", "start", "end", "source", "published", "date"]
# Milvus counts VARCHAR lengths in bytes; text is cut to fit (a passage is ~420 characters).
_LIMITS = {
    "pk": 2048,
    "doc_id": 1024,
    "title": 1024,
    "text": 8192,
    "source": 512,
    "published": 512,
    "date": 16,
    "terms": 16384,
}


def _client(settings: Settings) -> Any:
    # milvus-lite 2.5 imports pkg_resources, which warns on every import.
    warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)
    try:
        from pymilvus import MilvusClient
    except ImportError as exc:
        raise MilvusUnavailableError("RAG_STORE=milvus needs the Milvus extra: pip install -e '.[milvus]'") from exc
    uri = settings.resolved_milvus_uri()
    if "://" not in uri:
        Path(uri).parent.mkdir(parents=True, exist_ok=True)
    try:
        return MilvusClient(uri=uri, token=settings.milvus_token or "")
    except Exception as exc:
        hint = (
            "another process may hold this Milvus Lite file (only one may open it): run "
            "`rag milvus-server` and point RAG_MILVUS_URI at it"
            if "://" not in uri
            else "check that the server runs and the token is right"
        )
        raise MilvusUnavailableError(f"cannot open Milvus at {uri} ({type(exc).__name__}: {exc}); {hint}") from exc


def pk(chunk: Chunk) -> str:
    """A passage's primary key: its article and span (stable across runs)."""
    return f"{chunk.doc_id}|{chunk.start}|{chunk.end}"


def _fit(text: str, limit: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", errors="ignore")


def literal(text: str) -> str:
    """``text`` as a Milvus string literal (Milvus Lite 2.5 has no filter parameters)."""
    # Kept as they are, never blanked: a name with a tab or a no-break space must match
    # exactly. Line breaks would end the expression (names with them are never indexed).
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def literal_list(items: Iterable[str]) -> str:
    return "[" + ", ".join(literal(i) for i in items) + "]"


def milvus_filter(where: Filter | None) -> str:
    """A Milvus boolean expression for ``where`` ("" when none)."""
    if not where:
        return ""
    parts = []
    if where.sources:
        names = literal_list(sorted(where.wanted))
        parts.append(f"(source_key in {names} or doc_key in {names} or article_key in {names})")
    if where.since:
        parts.append(f'(date != "" and date >= {literal(where.since)})')
    if where.until:
        parts.append(f'(date != "" and date <= {literal(where.until)})')
    return " and ".join(parts)


class MilvusStore:
    """A :class:`rag.store.Store` on a Milvus collection."""

    #: Each :meth:`commit` is durable: whole acknowledged batches survive a crash.
    durable = True

    def __init__(self, settings: Settings, manifest: Manifest, client: Any) -> None:
        self.settings = settings
        self.manifest = manifest
        self.client = client
        self.collection = settings.milvus_collection
        #: Recently read articles' passages (bounded: a collection can hold millions).
        self._articles: OrderedDict[str, tuple[Chunk, ...]] = OrderedDict()
        self._articles_lock = threading.Lock()  # questions and the watcher share the store

    # -- opening ----------------------------------------------------------------------
    @classmethod
    def open(cls, settings: Settings, manifest: Manifest) -> MilvusStore:
        client = _client(settings)
        if not client.has_collection(settings.milvus_collection):
            raise IndexMissingError(
                f"the Milvus collection {settings.milvus_collection!r} at {settings.resolved_milvus_uri()} "
                "is gone; rebuild it with `rag index`"
            )
        client.load_collection(settings.milvus_collection)  # else searches fail: "state released"
        store = cls(settings, manifest, client)
        n = store.count()
        if n != manifest.chunk_count:
            raise IndexCorruptError(
                f"the Milvus collection holds {n} passages, the manifest {manifest.chunk_count}; "
                "update it with `rag index`"
            )
        return store

    @classmethod
    def create(cls, settings: Settings, manifest: Manifest) -> MilvusStore:
        """A new, empty collection (an existing one of that name is dropped)."""
        from pymilvus import DataType, Function, FunctionType

        client = _client(settings)
        name = settings.milvus_collection
        if client.has_collection(name):
            log.info("dropping the Milvus collection %s to rebuild it", name)
            client.drop_collection(name)
        schema = client.create_schema(auto_id=False, enable_dynamic_field=False)
        schema.add_field("pk", DataType.VARCHAR, is_primary=True, max_length=_LIMITS["pk"])
        schema.add_field("chunk_id", DataType.INT64)
        # Lower-cased copies for filters (Milvus compares strings exactly).
        for f in ("source_key", "doc_key", "article_key"):
            schema.add_field(f, DataType.VARCHAR, max_length=_LIMITS["doc_id"])
        for f in ("doc_id", "title", "text", "source", "published", "date"):
            schema.add_field(f, DataType.VARCHAR, max_length=_LIMITS[f])
        schema.add_field("start", DataType.INT64)
        schema.add_field("end", DataType.INT64)
        schema.add_field(
            "terms",
            DataType.VARCHAR,
            max_length=_LIMITS["terms"],
            enable_analyzer=True,
            analyzer_params={"tokenizer": "whitespace"},
        )
        schema.add_field("dense", DataType.FLOAT_VECTOR, dim=manifest.dimension)
        schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
        schema.add_function(
            Function(
                name="bm25", function_type=FunctionType.BM25, input_field_names=["terms"], output_field_names=["sparse"]
            )
        )
        index = client.prepare_index_params()
        dense_params = {"nlist": settings.milvus_nlist} if settings.milvus_index == "IVF_FLAT" else {}
        index.add_index("dense", index_type=settings.milvus_index, metric_type="IP", params=dense_params)
        index.add_index(
            "sparse",
            index_type="SPARSE_INVERTED_INDEX",
            metric_type="BM25",
            params={"bm25_k1": BM25_K1, "bm25_b": BM25_B},
        )
        try:
            client.create_collection(name, schema=schema, index_params=index)
        except Exception as exc:
            raise IndexWriteError(f"cannot create the Milvus collection {name!r} ({exc})") from exc
        client.load_collection(name)
        return cls(settings, manifest, client)

    # -- the Store protocol -----------------------------------------------------------
    def count(self) -> int:
        rows = self.client.query(self.collection, filter="", output_fields=["count(*)"])
        return int(rows[0]["count(*)"]) if rows else 0

    def upsert(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        rows = []
        for c, v in zip(chunks, np.asarray(vectors, dtype=np.float32)):
            key = pk(c)
            rows.append(
                {
                    "pk": _fit(key, _LIMITS["pk"]),
                    # A stable number for the passage (Hit and Citation carry it).
                    "chunk_id": int.from_bytes(hashlib.sha1(key.encode()).digest()[:7], "big"),
                    "source_key": _fit(c.source.lower(), _LIMITS["doc_id"]),
                    "doc_key": _fit(c.doc_id.lower(), _LIMITS["doc_id"]),
                    "article_key": _fit(article_file(c.doc_id).lower(), _LIMITS["doc_id"]),
                    "doc_id": _fit(c.doc_id, _LIMITS["doc_id"]),
                    "title": _fit(c.title, _LIMITS["title"]),
                    "text": _fit(c.text, _LIMITS["text"]),
                    "source": _fit(c.source, _LIMITS["source"]),
                    "published": _fit(c.published, _LIMITS["published"]),
                    "date": _fit(c.date, _LIMITS["date"]),
                    "start": c.start,
                    "end": c.end,
                    # Our stemmed terms, so Milvus's BM25 sees what bm25s sees; never empty.
                    "terms": _fit(" ".join(chunk_terms(c)), _LIMITS["terms"]),
                    "dense": v.tolist(),
                }
            )
        for s in range(0, len(rows), 512):
            self.client.upsert(self.collection, rows[s : s + 512])
        with self._articles_lock:
            self._articles.clear()

    def delete(self, doc_ids: Iterable[str]) -> int:
        ids = sorted(set(doc_ids))
        removed = 0
        for s in range(0, len(ids), 256):
            res = self.client.delete(self.collection, filter=f"doc_id in {literal_list(ids[s : s + 256])}")
            removed += int(res.get("delete_count", 0) if isinstance(res, dict) else len(res or []))
        with self._articles_lock:
            self._articles.clear()
        return removed

    def search(self, vector: np.ndarray, terms: Sequence[str], n: int, where: Filter | None = None) -> Candidates:
        if n <= 0:
            return Candidates([], [])
        common = {"limit": n, "output_fields": _FIELDS, "filter": milvus_filter(where)}
        dense = self.client.search(
            self.collection,
            data=[np.asarray(vector, dtype=np.float32).ravel().tolist()],
            anns_field="dense",
            search_params={"metric_type": "IP", "params": {"nprobe": self.settings.nprobe}},
            **common,
        )
        sparse: list = [[]]
        if terms:
            sparse = self.client.search(
                self.collection,
                data=[" ".join(terms)],
                anns_field="sparse",
                search_params={"metric_type": "BM25"},
                **common,
            )
        return Candidates(self._scored(dense[0]), self._scored(sparse[0], positive=True))

    def passages(self, doc_id: str) -> tuple[Chunk, ...]:
        with self._articles_lock:
            if doc_id in self._articles:
                self._articles.move_to_end(doc_id)
                return self._articles[doc_id]
        rows = self.client.query(
            self.collection, filter=f"doc_id == {literal(doc_id)}", output_fields=_FIELDS, limit=10_000
        )
        found = tuple(sorted((self._chunk(r) for r in rows), key=lambda c: c.start))
        with self._articles_lock:
            self._articles[doc_id] = found
            if len(self._articles) > 256:
                self._articles.popitem(last=False)
        return found

    def check(self, settings: Settings, docs: Sequence[Document] | None) -> None:
        check_manifest(self.manifest, settings, docs)

    def commit(self, manifest: Manifest) -> None:
        """Make the upserts so far durable, then record them in the manifest."""
        self.client.flush(self.collection)
        self.manifest = replace(manifest, chunk_count=self.count())
        check_index_target(self.settings.index_dir)
        self.settings.index_dir.mkdir(parents=True, exist_ok=True)
        write_manifest(self.settings.index_dir, self.manifest)

    def close(self) -> None:
        self.client.close()

    # -- helpers ----------------------------------------------------------------------
    @staticmethod
    def _chunk(row: dict) -> Chunk:
        entity = row.get("entity", row)
        return Chunk(**{f: entity[f] for f in _FIELDS})

    def _scored(self, results: Any, positive: bool = False) -> Scored:
        out = []
        for r in results:
            score = float(r["distance"])
            if positive and score <= 0:
                continue
            out.append((self._chunk(r), score))
        return out


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve(db: Path, host: str = "127.0.0.1", port: int = 19530) -> int:
    """Serve a Milvus Lite file over gRPC until interrupted, so that several processes (the
    chat, ``rag add``, ``rag watch``) share one collection: a Lite file opens in one process
    only. Binds to ``host`` (loopback by default; another address exposes it to the network)."""
    import time

    warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)
    try:
        from milvus_lite.server import Server
    except ImportError as exc:
        raise MilvusUnavailableError("the Milvus server needs the Milvus extra: pip install -e '.[milvus]'") from exc
    db = Path(db).expanduser().resolve()
    db.parent.mkdir(parents=True, exist_ok=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        log.warning("serving Milvus on %s: reachable from other machines, without authentication", host)
    server = Server(str(db), address=f"{host}:{port}")
    if not server.init() or not server.start():
        raise MilvusUnavailableError(
            f"could not start Milvus Lite on {host}:{port} for {db} "
            "(is the file open in another process, or the port taken?)"
        )
    print(
        f"Milvus serving {db} at http://{host}:{port}; set RAG_MILVUS_URI=http://{host}:{port}. Ctrl-C stops.",
        flush=True,
    )
    # `kill` and service managers stop with SIGTERM: stop the Milvus process too, which
    # would otherwise outlive this one, holding the file and the port.
    previous = (
        signal.signal(signal.SIGTERM, _interrupt) if threading.current_thread() is threading.main_thread() else None
    )
    try:
        while server._p is not None and server._p.poll() is None:
            time.sleep(1)
        return 1  # the server process ended on its own
    except KeyboardInterrupt:
        return 0
    finally:
        server.stop()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
