"""The scale benchmark: ``python -m eval.bench --scale``.

For synthetic corpora of 10k, 100k and 1M passages it measures, side by side, the FAISS
store with a flat (exact) index, the FAISS store with its IVF index, and Milvus Lite:
build rate, memory, retrieval p50/p95 (store search plus fusion, as the pipeline runs it),
the IVF recall against exact search, and the time to add one article to the built index.

**Synthetic data, at every size.** Passages are news-like word salad on 2,000 topics;
their vectors are the topic's centre plus noise (384 dimensions, like the bundled
embedder), not model embeddings: embedding 1M passages with the real model would take
about 1.5 hours here (~200 passages/s, ``python -m eval.bench``). A query is a stored
passage's vector with noise and four of its words. Each store and size runs in its own
process, so its peak memory is its own.
"""

from __future__ import annotations

import json
import logging
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

DIM = 384
TOPICS = 2000
QUERIES = 60


def corpus(n: int, seed: int = 0):
    """``n`` synthetic passages (40 a synthetic article), their vectors and the queries."""
    from rag.config import PROJECT_ROOT
    from rag.lang import words
    from rag.types import Chunk

    vocab = sorted(
        {
            w
            for f in (PROJECT_ROOT / "seeds").glob("*.txt")
            for w in words(f.read_text(encoding="utf-8"))
            if w.isalpha() and len(w) > 2
        }
    )
    rng = random.Random(seed)
    topic_words = [rng.sample(vocab, 30) for _ in range(TOPICS)]
    nprng = np.random.default_rng(seed)
    centres = nprng.standard_normal((TOPICS, DIM)).astype(np.float32)
    topics = nprng.integers(0, TOPICS, size=n)
    vectors = centres[topics] + 0.8 * nprng.standard_normal((n, DIM)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    outlets = ["Northern Echo", "Market Wire", "Tech Daily", "Civic Times", "Coast Post"]
    chunks = []
    for i in range(n):
        t = int(topics[i])
        text = " ".join(rng.choice(topic_words[t]) if rng.random() < 0.5 else rng.choice(vocab) for _ in range(60))
        doc = i // 40
        chunks.append(
            Chunk(
                chunk_id=i,
                doc_id=f"synthetic-{doc:06d}.txt",
                title=f"Synthetic report {doc}",
                text=text.capitalize() + ".",
                start=(i % 40) * 400,
                end=(i % 40) * 400 + 380,
                source=outlets[doc % len(outlets)],
                date=f"2024-{1 + doc % 12:02d}-{1 + doc % 28:02d}",
            )
        )
    picks = nprng.choice(n, size=QUERIES, replace=False)
    queries = []
    for j, p in enumerate(picks):
        qv = vectors[p] + 0.3 * nprng.standard_normal(DIM).astype(np.float32) / np.sqrt(DIM)
        qv /= np.linalg.norm(qv)
        queries.append((f"q{j} " + " ".join(rng.sample(chunks[p].text.rstrip(".").split(), 4)), qv))
    return chunks, vectors, queries


class LookupEmbedder:
    """The query vectors, by query text (the data is synthetic; no model runs)."""

    dimension = DIM
    name = "lookup"

    def __init__(self, queries) -> None:
        self.table = {q: v for q, v in queries}

    def embed(self, texts):
        return np.vstack([self.table.get(t, np.zeros(DIM, np.float32)) for t in texts])


def milvus_rss_mb() -> float:
    """Peak RSS of this process's Milvus Lite engine (a child process), if any."""
    import psutil

    peak = 0.0
    for child in psutil.Process().children(recursive=True):
        try:
            with open(f"/proc/{child.pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        peak = max(peak, int(line.split()[1]) / 1024)
        except OSError:
            continue
    return peak


def run_one(store: str, n: int, workdir: Path) -> dict:
    """Build one store over ``n`` passages and measure it (runs in its own process)."""
    from dataclasses import replace

    from rag.config import Settings
    from rag.retrieve import HybridRetriever
    from rag.store import FORMAT_VERSION, Filter, Manifest, new_store

    chunks, vectors, queries = corpus(n)
    kind = {"faiss-flat": "faiss", "faiss-ivf": "faiss", "milvus-lite": "milvus"}[store]
    settings = Settings(
        index_dir=workdir / "index",
        seeds_dir=workdir / "seeds",
        embedder="synthetic",
        store=kind,
        ann_min_chunks=0 if store == "faiss-ivf" else 10**12,
        milvus_index="IVF_FLAT" if n >= 200_000 else "FLAT",
        milvus_nlist=max(16, int(4 * np.sqrt(n))),
    )
    manifest = Manifest(
        format_version=FORMAT_VERSION,
        embedder="synthetic",
        dimension=DIM,
        chunk_chars=420,
        chunk_overlap_sentences=1,
        documents={},
        titles={},
        chunk_count=0,
        versions={},
        built_at=time.time(),
        skipped={},
        store=kind,
        outlets=tuple(sorted({c.source for c in chunks})),
    )
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = time.perf_counter()
    s = new_store(settings, manifest)
    step = 20_000
    for i in range(0, n, step):
        s.upsert(chunks[i : i + step], vectors[i : i + step])
    s.commit(replace(manifest, documents={c.doc_id: "x" for c in chunks[::40]}))
    build_s = time.perf_counter() - t
    index_bytes = sum(p.stat().st_size for p in settings.index_dir.rglob("*") if p.is_file())
    retriever = HybridRetriever(s, LookupEmbedder(queries), settings.candidates, settings.rrf_k)
    for q, _ in queries[:5]:
        retriever.retrieve(q, 3)  # warm caches
    times = []
    for q, _ in queries:
        t = time.perf_counter()
        retriever.retrieve(q, 3)
        times.append(time.perf_counter() - t)
    where = Filter.of(sources=["Market Wire"], since="2024-03-01", until="2024-06-30")
    ftimes = []
    for q, _ in queries:
        t = time.perf_counter()
        retriever.retrieve(q, 3, where)
        ftimes.append(time.perf_counter() - t)
    # Exact dense neighbours for the recall of an approximate index.
    recall = None
    if store != "faiss-flat":
        hits = total = 0
        for _, qv in queries:
            exact = set(np.argsort(-(vectors @ qv))[:20].tolist())
            keys = {(c.doc_id, c.start) for c, _ in s.search(qv, [], 20).dense}
            hits += sum((chunks[i].doc_id, chunks[i].start) in keys for i in exact)
            total += len(exact)
        recall = hits / total
    # Adding one article (40 passages) to the built index, committed.
    new = [replace(c, doc_id="added-article.txt", chunk_id=-1) for c in chunks[:40]]
    t = time.perf_counter()
    s.delete(["added-article.txt"])
    s.upsert(new, vectors[:40])
    s.commit(replace(s.manifest, documents={**s.manifest.documents, "added-article.txt": "y"}))
    add_s = time.perf_counter() - t
    out = {
        "store": store,
        "passages": n,
        "build_s": build_s,
        "build_rate": n / build_s,
        "retrieval_p50_ms": 1000 * statistics.median(times),
        "retrieval_p95_ms": 1000 * float(np.percentile(times, 95)),
        "filtered_p50_ms": 1000 * statistics.median(ftimes),
        "recall_at_20": recall,
        "add_one_article_s": add_s,
        "index_mb_on_disk": index_bytes / 2**20,
        "process_peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "data_rss_mb": rss0,
        "engine_peak_rss_mb": milvus_rss_mb(),
    }
    if kind == "faiss":
        # Opening the folder again, as every start does: the size and checksum of every
        # file are checked before it is read (rag.store.folder.damaged_file).
        from rag.store import FaissStore, damaged_file, read_manifest

        t = time.perf_counter()
        damaged_file(settings.index_dir, read_manifest(settings.index_dir).files)
        out["checksums_s"] = time.perf_counter() - t
        t = time.perf_counter()
        FaissStore.load(settings.index_dir)
        out["open_s"] = time.perf_counter() - t
    if hasattr(s, "close"):
        s.close()
    return out


def main(sizes: list[int], stores: list[str], json_out: Path | None = None) -> int:
    """Run every (store, size) in its own process; print one Markdown table."""
    rows = []
    for n in sizes:
        for store in stores:
            with tempfile.TemporaryDirectory(prefix="rag-scale-") as tmp:
                proc = subprocess.run(
                    [sys.executable, "-m", "eval.scale", store, str(n), tmp],
                    capture_output=True,
                    text=True,
                    cwd=Path(__file__).resolve().parent.parent,
                )
            if proc.returncode != 0:
                print(f"{store} at {n:,}: failed\n{proc.stderr[-2000:]}", file=sys.stderr)
                continue
            rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
            r = rows[-1]
            print(
                f"# {store} {n:,}: retrieval p50 {r['retrieval_p50_ms']:.1f} ms, build {r['build_s']:.0f} s",
                file=sys.stderr,
                flush=True,
            )
    print(
        "| store | passages | build (passages/s) | retrieval p50 / p95 | filtered p50 | dense recall@20 | "
        "add one article | index on disk | peak RSS (process + engine) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        recall = f"{100 * r['recall_at_20']:.0f}%" if r["recall_at_20"] is not None else "exact"
        engine = f" + {r['engine_peak_rss_mb']:,.0f}" if r["engine_peak_rss_mb"] else ""
        print(
            f"| {r['store']} | {r['passages']:,} | {r['build_s']:.1f} s ({r['build_rate']:,.0f}/s) | "
            f"{r['retrieval_p50_ms']:.1f} / {r['retrieval_p95_ms']:.1f} ms | {r['filtered_p50_ms']:.1f} ms | "
            f"{recall} | {r['add_one_article_s']:.2f} s | {r['index_mb_on_disk']:,.0f} MB | "
            f"{r['process_peak_rss_mb']:,.0f}{engine} MB |"
        )
    # How retrieval time grows with the corpus, per store.
    for store in stores:
        mine = sorted((r for r in rows if r["store"] == store), key=lambda r: r["passages"])
        if len(mine) > 1:
            a, b = mine[0], mine[-1]
            ratio = b["retrieval_p50_ms"] / a["retrieval_p50_ms"]
            print(f"\n{store}: {b['passages'] // a['passages']}x the passages, {ratio:.1f}x the retrieval p50", end="")
    print()
    if json_out:
        json_out.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    os.environ.setdefault("TQDM_DISABLE", "1")
    print(json.dumps(run_one(sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]))))
