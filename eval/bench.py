"""Speed and memory benchmark: ``python -m eval.bench``.

Measures, in one run on this machine: index build time, chunks/s and retrieval latency for
the bundled articles and for a synthetic corpus of about 10k chunks; and, in a fresh
process as the chat runs, cold start (import + model load), resident memory after each
loading step and at peak, ``answer()`` latency p50/p95 and time to first token for a fixed
question set (after warm-up), the same questions again from ``--at-once`` threads (prompt
tokens the model read, answers, memory), and the raw model's prefill and decode speed with
transformers' plain ``generate()`` on the same answer prompts. Prints Markdown tables.
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
import threading
import time
from pathlib import Path

from rag import Answer, Pipeline, Settings
from rag.config import PROJECT_ROOT
from rag.models import TransformersGenerator, load_embedder
from rag.retrieve import HybridRetriever
from rag.store import build_index

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
WARM_UP_QUESTION = "What weapons did Russia send to Niger?"

# Run in a fresh process, as the chat runs: cold start, memory at each loading step,
# answer latency after warm-up, and the raw model's speed on the same prompts.
SERVE = """
import json, resource, sys, time
t0 = time.perf_counter()
sys.path.insert(0, {root!r})
from eval.bench import serve
print(json.dumps(serve({index!r}, t0, {at_once!r})))
"""


def rss_mb() -> float:
    """This process's resident memory now, in MB (Linux)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def serve(index_dir: str, t0: float, at_once: int = 0) -> dict:
    """Load the pipeline on ``index_dir`` and answer :data:`QUESTIONS` (in this process),
    one after another; then, with ``at_once`` > 1, again from that many threads at once."""
    from rag.pipeline import neutralized
    from rag.prompt import answer_messages
    from rag.question import analyse

    memory = {"python and rag imported": rss_mb()}
    pipeline = Pipeline(Settings.from_env(index_dir=Path(index_dir)))
    pipeline.embedder.embed(["warm up"])
    memory["+ torch, sentence-transformers and the embedding model"] = rss_mb()
    pipeline.retriever.retrieve("warm up", 1)
    memory["+ index and retriever"] = rss_mb()
    pipeline.warm_up()
    memory["+ language model"] = rss_mb()
    cold = time.perf_counter() - t0

    # A warm-up question that is none of the timed ones: asking a timed one first would
    # leave its whole prompt in the prefix cache and time that question at nearly no prefill.
    pipeline.answer(WARM_UP_QUESTION)
    gen = pipeline.generator
    assert isinstance(gen, TransformersGenerator)  # the raw-model yardstick needs the real one
    read = (gen.prompt_tokens_read, gen.prompt_passes)
    totals, firsts, refused, answers = [], [], 0, []
    for q in QUESTIONS:
        t = time.perf_counter()
        first, answer = None, None
        for item in pipeline.stream(q):
            if isinstance(item, Answer):
                answer = item
            elif first is None:
                first = time.perf_counter() - t
        totals.append(time.perf_counter() - t)
        assert answer is not None  # stream() always ends with the Answer
        refused += answer.refused
        if first is not None:
            firsts.append(first)
        answers.append(answer)
    one_by_one = {
        "wall_s": sum(totals),
        "p50_s": percentile(totals, 50),
        "prompt_tokens_read": gen.prompt_tokens_read - read[0],
        "prompt_passes": gen.prompt_passes - read[1],
    }
    # Before the raw model's runs below, which are a yardstick, not part of answering.
    memory["peak while answering"] = peak_rss_mb()
    together = _at_once(pipeline, gen, at_once, [a.text for a in answers]) if at_once > 1 else None
    raw = []
    for q, answer, total in zip(QUESTIONS, answers, totals):
        if answer.draft:
            # The same answer prompt and length, through transformers' plain generate().
            chunks = [neutralized(h.chunk) for h in answer.hits]
            r = gen.plain_generate(answer_messages(analyse(q), chunks), max(2, gen.count_tokens(answer.draft)))
            r["pipeline_s"] = total
            raw.append(r)
    prefill = [r["prefill_s"] / r["prompt_tokens"] for r in raw]
    decode = [(r["new_tokens"] - 1) / (r["total_s"] - r["prefill_s"]) for r in raw]
    return {
        "cold_start_s": cold,
        "memory_mb": memory,
        "peak_rss_mb": memory["peak while answering"],
        "answer": {
            "questions": len(QUESTIONS),
            "refused": refused,
            "p50_s": percentile(totals, 50),
            "p95_s": percentile(totals, 95),
            "first_token_p50_s": percentile(firsts, 50),
            "first_token_p95_s": percentile(firsts, 95),
        },
        "one_by_one": one_by_one,
        "at_once": together,
        "raw": {
            "answers": len(raw),
            "prompt_tokens_p50": percentile([r["prompt_tokens"] for r in raw], 50),
            "new_tokens_p50": percentile([r["new_tokens"] for r in raw], 50),
            "prefill_ms_per_token_p50": 1000 * (percentile(prefill, 50) or 0.0),
            "decode_tokens_per_s_p50": percentile(decode, 50),
            "generate_p50_s": percentile([r["total_s"] for r in raw], 50),
            "pipeline_p50_s": percentile([r["pipeline_s"] for r in raw], 50),
            "overhead_p50_s": percentile([r["pipeline_s"] - r["total_s"] for r in raw], 50),
        },
    }


def _at_once(pipeline: Pipeline, gen: TransformersGenerator, threads: int, texts: list[str]) -> dict:
    """:data:`QUESTIONS` again, from ``threads`` threads at once (each takes the next
    question left): wall time, each answer's time from its own call, the prompt tokens the
    model read, and how many answers differ from ``texts`` (the one-by-one round's)."""
    pipeline.answer(WARM_UP_QUESTION)  # the cache no longer holds a timed question's prompt
    read = (gen.prompt_tokens_read, gen.prompt_passes)
    left = list(enumerate(QUESTIONS))
    taking = threading.Lock()
    totals: list[float] = []
    got: dict[int, str] = {}

    def ask() -> None:
        while True:
            with taking:
                if not left:
                    return
                i, q = left.pop(0)
            t = time.perf_counter()
            try:
                got[i] = pipeline.answer(q).text
            except Exception as exc:  # counted as a differing answer, the run goes on
                got[i] = f"{type(exc).__name__}: {exc}"
            totals.append(time.perf_counter() - t)

    t0 = time.perf_counter()
    workers = [threading.Thread(target=ask) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return {
        "threads": threads,
        "wall_s": time.perf_counter() - t0,
        "p50_s": percentile(totals, 50),
        "prompt_tokens_read": gen.prompt_tokens_read - read[0],
        "prompt_passes": gen.prompt_passes - read[1],
        "answers_differing": sum(got[i] != text for i, text in enumerate(texts)),
        "peak_rss_mb": peak_rss_mb(),
    }


def synthetic_corpus(folder: Path, target_chunks: int, chunk_chars: int, seed: int = 0) -> None:
    """Articles of news-like sentences assembled from the seed articles' words."""
    from rag.lang import words

    vocab = sorted(
        {w for f in (PROJECT_ROOT / "seeds").glob("*.txt") for w in words(f.read_text(encoding="utf-8")) if w.isalpha()}
    )
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
        paragraphs = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
        (folder / f"synthetic-{a:05d}.txt").write_text(
            f"Synthetic report {a}\n\n" + "\n\n".join(paragraphs), encoding="utf-8"
        )


def time_retrieval(retriever: HybridRetriever, questions: list[str], k: int, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        for q in questions:
            t = time.perf_counter()
            retriever.retrieve(q, k)
            times.append(time.perf_counter() - t)
    return statistics.median(times)


def bench_index(name: str, seeds: Path, index: Path, embedder, k: int) -> dict:
    settings = Settings.from_env(seeds_dir=seeds, index_dir=index)
    t = time.perf_counter()
    built, stats = build_index(settings, embedder, progress=True)
    build_s = time.perf_counter() - t
    retriever = HybridRetriever(built, embedder, settings.candidates, settings.rrf_k)
    retriever.retrieve("warm up", k)
    return {
        "corpus": name,
        "documents": stats["documents"],
        "chunks": stats["chunks"],
        "build_s": build_s,
        "chunks_per_s": stats["chunks"] / build_s,
        "retrieval_p50_ms": 1000 * time_retrieval(retriever, QUESTIONS, k, repeat=10),
    }


def _sizes(text: str) -> list[int]:
    """Parse --sizes ("10000,100000"): whole numbers of passages, each at least 1."""
    try:
        sizes = [int(x) for x in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a comma-separated list of whole numbers") from None
    if any(n < 1 for n in sizes):
        raise argparse.ArgumentTypeError(f"{text!r}: every size must be at least 1")
    return sizes


SCALE_STORES = ("faiss-flat", "faiss-ivf", "milvus-lite")


def _stores(text: str) -> list[str]:
    """Parse --stores ("faiss-flat,milvus-lite"): names of the stores eval/scale.py knows."""
    stores = text.split(",")
    unknown = [s for s in stores if s not in SCALE_STORES]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown store {', '.join(unknown)}; choose from {', '.join(SCALE_STORES)}")
    return stores


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--synthetic-chunks", type=int, default=10_000)
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument(
        "--at-once",
        type=int,
        default=4,
        metavar="N",
        help="then ask the questions again from N threads at once, as N users would (0 or 1: skip)",
    )
    ap.add_argument(
        "--scale", action="store_true", help="instead: the stores side by side on synthetic corpora (see eval/scale.py)"
    )
    ap.add_argument("--sizes", type=_sizes, default="10000,100000,1000000", help="passages per corpus, for --scale")
    ap.add_argument("--stores", type=_stores, default=",".join(SCALE_STORES), help="stores compared, for --scale")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if args.scale:
        from . import scale

        return scale.main(args.sizes, args.stores, args.json)
    out: dict = {}

    with tempfile.TemporaryDirectory(prefix="rag-bench-") as tmp:
        tmp_path = Path(tmp)
        embedder = load_embedder(Settings.from_env().embedder)
        embedder.embed(["warm up"])  # model load is cold start, not index build
        k = Settings().top_k
        out["seeds"] = bench_index(
            "seeds (bundled articles)", PROJECT_ROOT / "seeds", tmp_path / "seeds-index", embedder, k
        )

        # Serving (cold start, memory, answers, raw model) in a fresh process, as the chat
        # runs, against the index that now exists; indexing's own memory stays out of it.
        proc = subprocess.run(
            [
                sys.executable,
                "-c",
                SERVE.format(root=str(PROJECT_ROOT), index=str(tmp_path / "seeds-index"), at_once=args.at_once),
            ],
            capture_output=True,
            text=True,
            cwd=PROJECT_ROOT,
            check=True,
        )
        out["serve"] = json.loads(proc.stdout.strip().splitlines()[-1])

        synthetic = tmp_path / "synthetic"
        synthetic_corpus(synthetic, args.synthetic_chunks, Settings().chunk_chars)
        out["synthetic"] = bench_index("synthetic", synthetic, tmp_path / "synthetic-index", embedder, k)

    out["index_peak_rss_mb"] = peak_rss_mb()

    s, y, v = out["seeds"], out["synthetic"], out["serve"]
    a, r = v["answer"], v["raw"]
    print("| measure | bundled articles | synthetic |")
    print("|---|---|---|")
    print(f"| chunks | {s['chunks']} | {y['chunks']} |")
    print(
        f"| index build | {s['build_s']:.1f} s ({s['chunks_per_s']:.0f} chunks/s) | {y['build_s']:.1f} s ({y['chunks_per_s']:.0f} chunks/s) |"
    )
    print(
        f"| retrieval p50 (embed + FAISS + BM25 + fusion) | {s['retrieval_p50_ms']:.1f} ms | {y['retrieval_p50_ms']:.1f} ms |"
    )
    print(
        f"| answer() p50 / p95 ({a['questions']} questions, {a['refused']} refused) | {a['p50_s']:.2f} s / {a['p95_s']:.2f} s | |"
    )
    print(f"| time to first token p50 / p95 | {a['first_token_p50_s']:.2f} s / {a['first_token_p95_s']:.2f} s | |")
    print(f"| cold start (import + load both models) | {v['cold_start_s']:.1f} s | |")
    print(f"| peak RSS, answering (fresh process) | {v['peak_rss_mb']:.0f} MB | |")
    print(f"| peak RSS, indexing (this process) | {out['index_peak_rss_mb']:.0f} MB | |")
    print()
    print(
        f"Raw model, transformers' plain generate() on the same {r['answers']} answer prompts "
        f"(p50 {r['prompt_tokens_p50']:.0f} prompt tokens, {r['new_tokens_p50']:.0f} new):"
    )
    print()
    print("| measure | value |")
    print("|---|---|")
    print(f"| prefill | {r['prefill_ms_per_token_p50']:.2f} ms/token |")
    print(f"| decode | {r['decode_tokens_per_s_p50']:.1f} tokens/s |")
    print(f"| plain generate() p50 | {r['generate_p50_s']:.2f} s |")
    print(f"| answer() p50, same questions | {r['pipeline_p50_s']:.2f} s |")
    print(
        f"| answer() minus generate() p50 (retrieval, check, verification; minus cache and speculation gains) | {r['overhead_p50_s']:+.2f} s |"
    )
    if v.get("at_once"):
        o, t = v["one_by_one"], v["at_once"]
        print()
        print(f"The same {a['questions']} questions one by one, and from {t['threads']} threads at once:")
        print()
        print("| measure | one by one | at once |")
        print("|---|---|---|")
        print(f"| wall time, all questions | {o['wall_s']:.1f} s | {t['wall_s']:.1f} s |")
        print(f"| answer() p50 (from its own call, waiting included) | {o['p50_s']:.2f} s | {t['p50_s']:.2f} s |")
        print(f"| prompt tokens the model read | {o['prompt_tokens_read']} | {t['prompt_tokens_read']} |")
        print(f"| prompt passes | {o['prompt_passes']} | {t['prompt_passes']} |")
        print(f"| answers differing from one by one | | {t['answers_differing']} |")
        print(f"| peak RSS of the process, since it started | {v['peak_rss_mb']:.0f} MB | {t['peak_rss_mb']:.0f} MB |")
    print()
    print("Memory of the answering process (resident, MB):")
    print()
    print("| after | RSS | added |")
    print("|---|---|---|")
    prev = 0.0
    for stage, mb in v["memory_mb"].items():
        print(f"| {stage} | {mb:.0f} | {mb - prev:+.0f} |")
        prev = mb
    if args.json:
        args.json.write_text(json.dumps(out, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
