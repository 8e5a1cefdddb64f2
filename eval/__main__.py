"""Run an evaluation set through ``rag`` and write a report.

    python -m eval                       # eval/cases.jsonl on the bundled articles
    python -m eval --limit 5             # a quick run
    python -m eval --set my.jsonl --out results/  # another set, e.g. with its own documents
    python -m eval --split tune          # only the tune half of the set (see eval/README.md)

Prints a Markdown summary; writes ``report.md``, ``report.json`` and ``report.png`` to
``--out`` (default ``eval/results``). Exit status is non-zero only when something failed
to run, never for low scores. A client of the library: all answering goes through
:meth:`rag.Pipeline.stream`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from rag import CALL_OPTIONS, Answer, InvalidOptionError, Pipeline, RagError, Settings
from rag.checks import split_answer
from rag.config import PROJECT_ROOT

from .metrics import (
    SPLITS,
    UNANSWERABLE,
    Prediction,
    contains,
    references,
    split_of,
    summarize_by_split,
)
from .replay import Replay, ReplayError, replayable

log = logging.getLogger("eval")

HERE = Path(__file__).resolve().parent
KINDS = {
    "single",
    "both",
    "conflict",
    "false_premise",
    "unanswerable",
    "multi_turn",
    # Questions that ask for a structured answer (see rag.plans).
    "overview",
    "timeline",
    "comparison",
    "collection",
}
JUDGE_SYSTEM = "You check whether a passage supports a statement. Answer only yes or no."
_MARKERS = r"\[(\d+)\]"


class CaseError(ValueError):
    pass


def load_cases(path: Path) -> list[dict]:
    """Read and check an evaluation file (JSONL, one case per line); :class:`CaseError`
    names the line and what is wrong with it."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CaseError(f"{path}: not UTF-8 text ({exc}); save it as UTF-8") from None
    cases, seen = [], set()
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            case = json.loads(line)
        except (ValueError, RecursionError) as exc:  # nested thousands deep: RecursionError
            raise CaseError(f"{path}:{n}: not JSON ({type(exc).__name__}: {str(exc)[:100]})") from None
        if not isinstance(case, dict):
            raise CaseError(f"{path}:{n}: not a JSON object ({type(case).__name__}); write one case per line")
        for key in ("id", "kind", "question"):
            if not isinstance(case.get(key), str) or not case[key].strip():
                raise CaseError(f"{path}:{n}: missing {key!r}")
        if case["kind"] not in KINDS:
            raise CaseError(f"{path}:{n}: kind {case['kind']!r} is not one of {sorted(KINDS)}")
        if case["id"] in seen:
            raise CaseError(f"{path}:{n}: duplicate id {case['id']!r}")
        try:
            case = _shaped(case)
        except ValueError as exc:
            raise CaseError(f"{path}:{n}: {exc}") from None
        if case.get("corpus") and not (path.resolve().parent / case["corpus"]).is_dir():
            # Said now, naming the case; it stopped the run at that case, unnamed.
            raise CaseError(f"{path}:{n}: corpus {case['corpus']!r} is no folder beside the set file")
        seen.add(case["id"])
        cases.append(case)
    return cases


#: Fields holding a list of strings; one string stands for a list of one (``"answers":
#: "Germany"``), which would otherwise be read letter by letter.
_STRING_LISTS = ("answers", "gold_docs", "gold_passages", "history")


def _strings(value: object) -> list[str] | None:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    return None


def _shaped(case: dict) -> dict:
    """``case`` with its optional fields in the shapes the runner reads; ValueError
    saying which field is not."""
    out = dict(case)
    for key in _STRING_LISTS:
        if case.get(key) is not None:
            if (value := _strings(case[key])) is None:
                raise ValueError(f"{key} must be a string or a list of strings")
            out[key] = value
    if case.get("require_all") is not None:
        # A list of groups, each satisfied by any of its strings; a string is a group of one.
        groups = case["require_all"]
        shaped = [_strings(g) for g in groups] if isinstance(groups, list) else [None]
        if any(g is None for g in shaped):
            raise ValueError("require_all must be a list of strings or of lists of strings")
        out["require_all"] = shaped
    if case.get("corpus") is not None and not isinstance(case["corpus"], str):
        raise ValueError("corpus must be a folder name (a string)")
    docs = case.get("documents")
    if docs is not None and not (
        isinstance(docs, list)
        and docs
        and all(isinstance(d, dict) and isinstance(d.get("text"), str) and d["text"].strip() for d in docs)
    ):
        # An empty list was answered from the project's own seeds/, an empty text was an
        # article of its title alone.
        raise ValueError('documents must be a non-empty list of {"id", "title", "text"} objects, each with a text')
    return out


def select_cases(cases: list[dict], split: str = "all", limit: int | None = None) -> list[dict]:
    """The cases to run: those of one half (``"tune"`` / ``"holdout"``, by :func:`split_of`
    of their id) or ``"all"``, then the first ``limit`` of them."""
    if split != "all":
        cases = [c for c in cases if split_of(c["id"]) == split]
    return cases[:limit] if limit else cases


def judge(pipeline: Pipeline, passage: str, statement: str) -> bool:
    """Does the passage support the statement? The model's yes/no, independent of the
    pipeline's own lexical citation check."""
    p = pipeline.generator.probability_yes(
        [
            {"role": "system", "content": JUDGE_SYSTEM},
            {
                "role": "user",
                "content": f"Passage: {passage}\n\nStatement: {statement}\n\n"
                "Does the passage support the statement? Reply yes or no.",
            },
        ]
    )
    return p >= 0.5


def run_case(pipeline: Pipeline, case: dict, use_judge: bool, options: dict[str, Any]) -> Prediction:
    history: list[dict[str, str]] = []
    for q in case.get("history") or []:
        earlier = pipeline.answer(q, history, **options)
        history += [{"role": "user", "content": q}, {"role": "assistant", "content": earlier.text}]
    t0 = time.perf_counter()
    first = None
    final: Answer | None = None
    for item in pipeline.stream(case["question"], history, **options):
        if isinstance(item, Answer):
            final = item
        elif first is None:
            first = time.perf_counter() - t0
    assert final is not None
    total = time.perf_counter() - t0
    sentences = split_answer(final.text) if not final.refused else []
    support: list[tuple[int, int, bool]] = []
    if use_judge:
        by_number = {c.number: c for c in final.citations}
        for i, s in enumerate(sentences):
            for n in s.cited:
                c = by_number.get(n)
                support.append((i, n, c is not None and judge(pipeline, f"({c.title}) {c.text}", s.text)))
    return Prediction(
        case_id=case["id"],
        kind=case["kind"],
        answer=final.text,
        refused=final.refused,
        hits=tuple((h.chunk.doc_id, h.chunk.start, h.chunk.end) for h in final.hits),
        sentence_citations=tuple(s.cited for s in sentences),
        citation_support=tuple(support),
        n_citations=len(final.citations),
        draft_markers=tuple(int(m) for m in re.findall(_MARKERS, final.draft)),
        n_passages=len(final.hits),
        final_markers=tuple(int(m) for m in re.findall(_MARKERS, final.text)) if not final.refused else (),
        total_s=total,
        first_token_s=first,
        error=final.error,
        extra={
            "answerable": final.answerable,
            "draft": final.draft,
            "timings": final.timings,
            "reasons": list(final.reasons),
            "usage": dict(final.usage),
            # Is an accepted answer string in the passages the model was given at all?
            "answer_in_passages": any(
                contains(f"{h.chunk.title} {h.chunk.text}", a) for h in final.hits for a in references(case)
            )
            if references(case)
            else None,
        },
    )


def corpus_key(case: dict) -> str:
    docs = case.get("documents") or case.get("corpus")
    return hashlib.sha256(json.dumps(docs, sort_keys=True).encode()).hexdigest()[:12] if docs else ""


def write_documents(docs: list[dict], folder: Path) -> None:
    """A case's own documents as article files: ``{"id", "title"?, "text"}`` each."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, d in enumerate(docs):
        name = str(d.get("id") or f"doc{i}")
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)[:80]
        title = d.get("title")
        body = f"{title}\n\n{d['text']}" if title else d["text"]
        (folder / f"{safe}.txt").write_text(body, encoding="utf-8")


def git_commit() -> str:
    """The commit of the code being evaluated, "+changes" when the tree differs from it."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", "rag", "eval"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return head + ("+changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.0f}%"


def secs(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.2f} s"


def markdown(summary: dict, meta: dict) -> str:
    r, c, lat = summary["retrieval"], summary["citations"], summary["latency"]
    k_min = r.get("k_min", r["k"])
    k = r["k"] if k_min == r["k"] else f"{k_min}-{r['k']}"
    split = meta.get("split", "all")
    only = "" if split == "all" else f" ({split} half only)"
    lines = [
        f"# Evaluation: {meta['set']}",
        "",
        (
            f"{summary['cases']} cases{only}, commit {meta['commit']}, {meta['machine']}, {meta['date']}; "
            f"errors: {summary['errors']}."
        ),
        "",
        *(
            [f"Replayed: the drafts of {meta['replay']}, re-checked without the model; latency is not the model's.", ""]
            if meta.get("replay")
            else []
        ),
        "| metric | value |",
        "|---|---|",
        f"| answerable accuracy | {pct(summary['answerable_accuracy'])} |",
        f"| answerable token F1 | {pct(summary['answerable_token_f1'])} |",
        f"| unanswerable correctly refused | {pct(summary['unanswerable_refusal_rate'])} |",
        f"| answerable wrongly refused | {pct(summary['false_refusal_rate'])} |",
        f"| retrieval recall@{k} (article / gold passage) | {pct(r['doc_recall_at_k'])} / {pct(r['passage_recall_at_k'])} |",
        f"| retrieval MRR (article / gold passage) | {r['doc_mrr'] or 0:.2f} / {r['passage_mrr'] or 0:.2f} |",
        f"| an accepted answer string in the passages given | {pct(r.get('answer_in_passages'))} |",
        f"| citations in range (final / model draft) | {pct(c['final_in_range'])} / {pct(c['draft_in_range'])} |",
        f"| citation precision / recall (judged, {c['judged_pairs']} pairs) | {pct(c['precision'])} / {pct(c['recall'])} |",
        f"| latency p50 / p95 | {secs(lat['total_p50_s'])} / {secs(lat['total_p95_s'])} |",
        f"| time to first token p50 / p95 | {secs(lat['first_token_p50_s'])} / {secs(lat['first_token_p95_s'])} |",
        f"| answer prompt tokens p50 | {lat['prompt_tokens_p50'] or 'n/a'} |",
        "",
    ]
    if split == "all" and summary.get("splits"):
        lines += halves_table(summary, k) + [""]
    lines += [
        "| kind | n | accuracy | token F1 | refused |",
        "|---|---|---|---|---|",
    ]
    for kind, k in summary["per_kind"].items():
        lines.append(f"| {kind} | {k['n']} | {pct(k['accuracy'])} | {pct(k['token_f1'])} | {pct(k['refused'])} |")
    if summary.get("refusal_reasons"):
        lines += ["", "| why answerable cases were refused | n |", "|---|---|"]
        lines += [f"| {why} | {n} |" for why, n in summary["refusal_reasons"].items()]
    return "\n".join(lines) + "\n"


def halves_table(summary: dict, k: int | str) -> list[str]:
    """The headline figures for all cases and for the tune and holdout halves apart."""
    columns = [summary] + [summary["splits"][half] for half in SPLITS]

    def row(label: str, figure: Callable[[dict], str]) -> str:
        return f"| {label} | " + " | ".join(figure(s) for s in columns) + " |"

    def counts(s: dict) -> str:
        unanswerable = s["per_kind"].get(UNANSWERABLE, {}).get("n", 0)
        return f"{s['cases']} ({s['cases'] - unanswerable} / {unanswerable})"

    return [
        "| metric, by half | all | " + " | ".join(SPLITS) + " |",
        "|---|---|---|---|",
        row("cases (answerable / unanswerable)", counts),
        row("answerable accuracy", lambda s: pct(s["answerable_accuracy"])),
        row("answerable token F1", lambda s: pct(s["answerable_token_f1"])),
        row("unanswerable correctly refused", lambda s: pct(s["unanswerable_refusal_rate"])),
        row("answerable wrongly refused", lambda s: pct(s["false_refusal_rate"])),
        row("overall accuracy", lambda s: pct(s["overall_accuracy"])),
        row(
            f"retrieval recall@{k} (article / gold passage)",
            lambda s: f"{pct(s['retrieval']['doc_recall_at_k'])} / {pct(s['retrieval']['passage_recall_at_k'])}",
        ),
        row(
            "citation precision / recall",
            lambda s: f"{pct(s['citations']['precision'])} / {pct(s['citations']['recall'])}",
        ),
    ]


def chart(summary: dict, preds: list[Prediction], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4))
    kinds = list(summary["per_kind"])
    a.bar(kinds, [100 * (summary["per_kind"][k]["accuracy"] or 0) for k in kinds], color="#4472c4")
    a.set_ylim(0, 100)
    a.set_ylabel("accuracy %")
    a.set_title("Accuracy by kind")
    a.tick_params(axis="x", rotation=30)
    totals = [p.total_s for p in preds if not p.error]
    b.hist(totals, bins=20, color="#ed7d31")
    b.set_xlabel("seconds per answer")
    b.set_title("Latency")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def parse_options(items: list[str]) -> dict[str, Any]:
    """``["top_k=5", "window_passages=0"]`` -> ``{"top_k": 5, "window_passages": 0}``, each
    value of its setting's type; a name that is not a per-call setting raises ValueError."""
    defaults = Settings()
    out: dict[str, Any] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        name = name.strip()
        if not sep or name not in CALL_OPTIONS or name in ("sources", "since", "until"):
            names = sorted(CALL_OPTIONS - {"sources", "since", "until"})
            raise ValueError(f"--option {item!r}: expected NAME=VALUE with NAME one of {names}")
        kind = type(getattr(defaults, name))
        if kind is bool:
            if raw.strip().lower() not in ("true", "false", "1", "0", "yes", "no"):
                raise ValueError(f"--option {item!r}: {name} is true or false")
            out[name] = raw.strip().lower() in ("true", "1", "yes")
        else:
            try:
                out[name] = kind(raw.strip())
            except ValueError:
                raise ValueError(f"--option {item!r}: {name} takes a {kind.__name__}") from None
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval", description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", type=Path, default=HERE / "cases.jsonl", help="evaluation file (JSONL)")
    ap.add_argument("--out", type=Path, default=HERE / "results", help="report folder")
    ap.add_argument(
        "--split",
        choices=("all", *SPLITS),
        default="all",
        help="run only the tune or the holdout half of the set (default all; see eval/README.md)",
    )
    ap.add_argument("--limit", type=int, help="run only the first N cases (of the --split half)")
    ap.add_argument("--no-judge", action="store_true", help="skip the citation support judge (faster)")
    ap.add_argument(
        "--top-k",
        type=int,
        help="passages given to the model (default 3, plus one of another article when those all share one)",
    )
    ap.add_argument(
        "--replay",
        type=Path,
        metavar="REPORT",
        help="re-check the drafts a past run of this set recorded (its report.json) with today's checks, "
        "without the model (see eval/replay.py)",
    )
    ap.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a per-call setting for every case, e.g. window_passages=0 (repeatable; see rag.CALL_OPTIONS)",
    )
    args = ap.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        ap.error("--limit must be 1 or more")
    try:
        options = parse_options(args.option)
    except ValueError as exc:
        ap.error(str(exc))
    if args.top_k is not None:
        options["top_k"] = args.top_k
    try:  # out of range (top_k=0, a threshold of nan): said now, not as every case refused
        Settings().with_overrides(**options)
    except (InvalidOptionError, TypeError, ValueError) as exc:
        ap.error(str(exc))
    try:  # the report's folder takes files: known now, not after the run
        args.out.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=args.out).close()
    except OSError as exc:
        print(
            f"eval: cannot write the report in {args.out} ({exc.strerror or exc}); choose another --out",
            file=sys.stderr,
        )
        return 2
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    from tqdm.auto import tqdm

    try:
        cases = load_cases(args.set)
    except (OSError, CaseError) as exc:
        print(f"eval: {exc}", file=sys.stderr)
        return 2
    cases = select_cases(cases, args.split, args.limit)
    if not cases:
        print(f"eval: {args.set} has no case to run (split {args.split})", file=sys.stderr)
        return 2
    replay = None
    if args.replay:
        if options.get("model_support") or not args.no_judge:
            ap.error("--replay has no model to judge with: add --no-judge and leave model_support off")
        try:
            replay = Replay.from_report(args.replay)
        except ReplayError as exc:
            print(f"eval: {exc}", file=sys.stderr)
            return 2
        cases, left_out = replayable(cases, replay)
        if not cases:
            print(f"eval: {args.replay} recorded none of these cases; replay a report of this set", file=sys.stderr)
            return 2
        if left_out:
            print(f"eval: replaying {len(cases)} cases; {left_out} left out (not in the report, or follow-ups)")

    commit = git_commit()  # now: the code is imported; a commit made during the run is not it
    base = Pipeline(Settings.from_env(), auto_index=True, progress=True, generator=replay)
    base.warm_up()  # load models first: the first case's latency should not include it
    preds: list[Prediction] = []
    articles: dict[str, str] = {}
    failures = 0
    with tempfile.TemporaryDirectory(prefix="rag-eval-") as tmp:
        pipelines: dict[str, Pipeline] = {}

        def pipeline_for(case: dict) -> Pipeline:
            key = corpus_key(case)
            if not key:
                return base
            if key not in pipelines:
                folder = Path(tmp) / key
                if case.get("corpus"):  # a folder of articles beside the set file
                    seeds = (args.set.resolve().parent / case["corpus"]).resolve()
                else:
                    seeds = folder / "seeds"
                    write_documents(case["documents"], seeds)
                settings = base.settings.with_overrides(seeds_dir=seeds, index_dir=folder / "index")
                # Same models, own index: each document group is answered from its own articles.
                pipelines[key] = Pipeline(settings, embedder=base.embedder, generator=base.generator, auto_index=True)
                _ = pipelines[key].retriever  # build the index now: indexing is not answer latency
            return pipelines[key]

        for case in tqdm(cases, desc="evaluating", unit="case"):
            try:
                if replay:
                    replay.case = case["id"]
                p = pipeline_for(case)
                pred = run_case(p, case, use_judge=not args.no_judge, options=options)
                for doc in case.get("gold_docs") or []:
                    path = p.settings.seeds_dir / doc
                    if doc not in articles and path.is_file():
                        articles[doc] = path.read_text(encoding="utf-8-sig")
            except RagError as exc:
                print(f"eval: {exc}", file=sys.stderr)
                return 1
            except Exception as exc:  # record and go on; reported at the end
                log.exception("case %s failed", case["id"])
                failures += 1
                pred = Prediction(case["id"], case["kind"], "", False, error=f"{type(exc).__name__}: {exc}")
            preds.append(pred)

    summary = summarize_by_split(cases, preds, articles)
    meta = {
        "set": str(
            args.set.resolve().relative_to(PROJECT_ROOT)
            if args.set.resolve().is_relative_to(PROJECT_ROOT)
            else args.set
        ),
        "commit": commit,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "judge": not args.no_judge,
        "split": args.split,
        "replay": str(args.replay) if args.replay else None,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    report = markdown(summary, meta)
    (args.out / "report.md").write_text(report, encoding="utf-8")
    rows = [{"case": c, "split": split_of(c["id"]), "prediction": asdict(p)} for c, p in zip(cases, preds)]
    (args.out / "report.json").write_text(
        json.dumps({"meta": meta, "summary": summary, "cases": rows}, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    chart(summary, preds, args.out / "report.png")
    print(report)
    print(f"Written: {args.out / 'report.md'}, report.json, report.png")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
