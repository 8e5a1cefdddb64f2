"""Speed and memory benchmark: ``python -m eval.bench``.

Measures, in one run on this machine: cold start (import + model load, in a fresh
process), index build time and chunks/s and retrieval latency for the bundled articles and
for a synthetic corpus of about 10k chunks, ``answer()`` latency p50/p95 and time to first
token for a fixed question set (after warm-up), and peak RSS. Prints a Markdown table.
Timings are this machine's, from this run; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rag import Answer, Pipeline, Settings
from rag.config import PROJECT_ROOT
from rag.embed import load_embedder
from rag.index import build_index
from rag.retrieve import HybridRetriever

from .metrics import percentile

QUESTIONS = [
    "How many instructors came with the Russian equipment?",
    "Which country besides the US has had a military airbase in Niger's capital?",
    "Who is Niger's junta leader?",
    "What did Mamadou Thior say Russia is trying to show?",
    "How much did the US drone base in Niger cost?",
    "When did France withdraw its troops from Niger?",
    "What alliance did Niger, Mali and Burkina Faso form?",
    "What is the boiling point of water at sea level?",
]

COLD_START = """
import json, resource, time
t0 = time.perf_counter()
from rag import Pipeline, Settings
p = Pipeline(Settings.from_env(index_dir={index!r}))
p.warm_up()
print(json.dumps({{"cold_start_s": time.perf_counter() - t0,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def synthetic_corpus(folder: Path, target_chunks: int, chunk_chars: int, seed: int = 0) -> None:
    """Articles of news-like sentences assembled from the seed articles' words."""
    from rag.text import words

    vocab = sorted({w for f in (PROJECT_ROOT / "seeds").glob("*.txt") for w in words(f.read_text(encoding="utf-8")) if w.isalpha()})
    rng = random.Random(seed)
    # With one sentence of overlap, ~25 chunks' worth of text cuts into ~40 chunks (measured).
    per_article = 40
    chars_per_article = 25 * chunk_chars
    folder.mkdir(parents=True, exist_ok=True)
    for a in range(max(1, target_chunks // per_article)):
        sentences, size = [], 0
        while size < chars_per_article:
            s = " ".join(rng.choice(vocab) for _ in range(rng.randint(8, 22))).capitalize() + "."
            sentences.append(s)
            size += len(s) + 1
        paragraphs = [" ".join(sentences[i:i + 3]) for i in range(0, len(sentences), 3)]
        (folder / f"synthetic-{a:05d}.txt").write_text(f"Synthetic report {a}\n\n" + "\n\n".join(paragraphs), encoding="utf-8")


def time_retrieval(retriever: HybridRetriever, questions: list[str], k: int, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        for q in questions:
            t = time.perf_counter()
            retriever.retrieve(q, k)
            times.append(time.perf_counter() - t)
    return statistics.median(times)


def bench_index(name: str, seeds: Path, index: Path, embedder, k: int) -> dict:  # type: ignore[no-untyped-def]
    settings = Settings.from_env(seeds_dir=seeds, index_dir=index)
    t = time.perf_counter()
    built, stats = build_index(settings, embedder, progress=True)
    build_s = time.perf_counter() - t
    retriever = HybridRetriever(built, embedder, settings.candidates, settings.rrf_k)
    retriever.retrieve("warm up", k)
    return {
        "corpus": name, "documents": stats["documents"], "chunks": stats["chunks"],
        "build_s": build_s, "chunks_per_s": stats["chunks"] / build_s,
        "retrieval_p50_ms": 1000 * time_retrieval(retriever, QUESTIONS, k, repeat=10),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--synthetic-chunks", type=int, default=10_000)
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("--scale", action="store_true",
                    help="instead: the stores side by side on synthetic corpora (see eval/scale.py)")
    ap.add_argument("--sizes", default="10000,100000,1000000", help="passages per corpus, for --scale")
    ap.add_argument("--stores", default="faiss-flat,faiss-ivf,milvus-lite", help="stores compared, for --scale")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if args.scale:
        from . import scale

        return scale.main([int(x) for x in args.sizes.split(",")], args.stores.split(","), args.json)
    out: dict = {}

    with tempfile.TemporaryDirectory(prefix="rag-bench-") as tmp:
        tmp_path = Path(tmp)
        embedder = load_embedder(Settings.from_env().embedder)
        embedder.embed(["warm up"])  # model load is cold start, not index build
        k = Settings().top_k
        out["seeds"] = bench_index("seeds (bundled articles)", PROJECT_ROOT / "seeds", tmp_path / "seeds-index", embedder, k)

        # Cold start in a fresh process, against an index that already exists.
        proc = subprocess.run(
            [sys.executable, "-c", COLD_START.format(index=str(tmp_path / "seeds-index"))],
            capture_output=True, text=True, cwd=PROJECT_ROOT, check=True,
        )
        out["cold"] = json.loads(proc.stdout.strip().splitlines()[-1])

        synthetic = tmp_path / "synthetic"
        synthetic_corpus(synthetic, args.synthetic_chunks, Settings().chunk_chars)
        out["synthetic"] = bench_index("synthetic", synthetic, tmp_path / "synthetic-index", embedder, k)

        pipeline = Pipeline(Settings.from_env(index_dir=tmp_path / "seeds-index"), embedder=embedder)
        pipeline.warm_up()
        pipeline.answer(QUESTIONS[0])  # warm-up question, not timed
        totals, firsts, refused = [], [], 0
        for q in QUESTIONS:
            t0 = time.perf_counter()
            first = None
            for item in pipeline.stream(q):
                if isinstance(item, Answer):
                    refused += item.refused
                elif first is None:
                    first = time.perf_counter() - t0
            totals.append(time.perf_counter() - t0)
            if first is not None:
                firsts.append(first)
        out["answer"] = {
            "questions": len(QUESTIONS), "refused": refused,
            "p50_s": percentile(totals, 50), "p95_s": percentile(totals, 95),
            "first_token_p50_s": percentile(firsts, 50), "first_token_p95_s": percentile(firsts, 95),
        }
    out["peak_rss_mb"] = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, out["cold"]["peak_rss_mb"]
    )

    s, y, a, c = out["seeds"], out["synthetic"], out["answer"], out["cold"]
    print("| measure | bundled articles | synthetic |")
    print("|---|---|---|")
    print(f"| chunks | {s['chunks']} | {y['chunks']} |")
    print(f"| index build | {s['build_s']:.1f} s ({s['chunks_per_s']:.0f} chunks/s) | {y['build_s']:.1f} s ({y['chunks_per_s']:.0f} chunks/s) |")
    print(f"| retrieval p50 (embed + FAISS + BM25 + fusion) | {s['retrieval_p50_ms']:.1f} ms | {y['retrieval_p50_ms']:.1f} ms |")
    print(f"| answer() p50 / p95 ({a['questions']} questions, {a['refused']} refused) | {a['p50_s']:.2f} s / {a['p95_s']:.2f} s | |")
    print(f"| time to first token p50 / p95 | {a['first_token_p50_s']:.2f} s / {a['first_token_p95_s']:.2f} s | |")
    print(f"| cold start (import + load both models) | {c['cold_start_s']:.1f} s | |")
    print(f"| peak RSS | {out['peak_rss_mb']:.0f} MB | |")
    if args.json:
        args.json.write_text(json.dumps(out, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
