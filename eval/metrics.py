"""Evaluation metrics: pure functions over cases and predictions (no model).

A *case* is one line of an evaluation file (see ``eval/README.md``); a *prediction* is
what the runner recorded for it (see :class:`Prediction`).
"""

from __future__ import annotations

import hashlib
import re
import statistics
import string
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

UNANSWERABLE = "unanswerable"
TUNE, HOLDOUT = "tune", "holdout"
SPLITS = (TUNE, HOLDOUT)


@dataclass(frozen=True)
class Prediction:
    """What the pipeline did for one case."""

    case_id: str
    kind: str
    answer: str
    refused: bool
    #: Per retrieved passage, best first: (article file, start, end).
    hits: tuple[tuple[str, int, int], ...] = ()
    #: Per answer sentence: the citation numbers it carries.
    sentence_citations: tuple[tuple[int, ...], ...] = ()
    #: Per (sentence, citation) pair: did the judge find the passage supports the sentence.
    citation_support: tuple[tuple[int, int, bool], ...] = ()
    n_citations: int = 0  # sources listed with the answer
    draft_markers: tuple[int, ...] = ()  # [n] numbers in the model's own draft
    n_passages: int = 0  # passages given to the model
    final_markers: tuple[int, ...] = ()  # [n] numbers in the final text
    total_s: float = 0.0
    first_token_s: float | None = None
    error: str | None = None
    extra: dict = field(default_factory=dict)


# -- tune / holdout split ---------------------------------------------------------------
def split_of(case_id: str) -> str:
    """The half of its evaluation set a case belongs to: ``"tune"`` or ``"holdout"``.

    Decided by the case id alone: the first byte of the SHA-256 of its UTF-8 bytes, even
    for tune, odd for holdout (not Python's ``hash()``, which changes between runs). About
    half of any set falls in each half, and a case keeps its half when cases are added,
    removed or reordered.

    Fixed forever: changing this function (or a case's id) moves cases between the halves
    and invalidates every tune and holdout figure reported so far.
    """
    return TUNE if hashlib.sha256(case_id.encode("utf-8")).digest()[0] % 2 == 0 else HOLDOUT


# -- text normalization -----------------------------------------------------------------
#: "November 14" and "14 November" are one date: both are read day first. "May" counts
#: only capitalised ("numbers may 10" is no date); a figure's unit after the number
#: ("March 3 million") keeps it a figure.
_MONTH_DAY = re.compile(
    r"\b((?i:january|february|march|april|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)|May)\.? (\d{1,2})(?:st|nd|rd|th)?\b"
    r"(?!\s*(?:%|percent|per cent|million|billion|thousand))"
)


def normalize(text: str) -> str:
    """Lower case, no accents, no punctuation or citation markers, digits without commas,
    dates day first ("November 14, 2025" and "14 November 2025" read alike)."""
    text = re.sub(r"\[\d+(?:\s*[,;–-]\s*\d+)*\]", " ", text)
    text = _MONTH_DAY.sub(r"\2 \1", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.lower().replace("’", "'")
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    text = "".join(" " if ch in string.punctuation and ch not in "%$€" else ch for ch in text)
    return " ".join(text.split())


def contains(answer: str, alias: str) -> bool:
    """Does ``alias`` occur in ``answer`` as whole words, after normalization?"""
    a, b = normalize(answer), normalize(alias)
    return bool(b) and re.search(rf"(?<!\w){re.escape(b)}(?!\w)", a) is not None


def is_correct(case: dict, pred: Prediction) -> bool:
    """Answerable: not refused, contains an alias (if any are listed) and one alias of every
    ``require_all`` group. Unanswerable: refused."""
    if case["kind"] == UNANSWERABLE:
        return pred.refused
    if pred.refused or pred.error:
        return False
    answers = case.get("answers") or []
    if answers and not any(contains(pred.answer, a) for a in answers):
        return False
    return all(any(contains(pred.answer, a) for a in group) for group in case.get("require_all") or [])


def token_f1(prediction: str, references: Iterable[str]) -> float:
    """SQuAD-style token F1 against the best-matching reference."""
    pred = normalize(prediction).split()
    best = 0.0
    for ref in references:
        gold = normalize(ref).split()
        common = Counter(pred) & Counter(gold)
        same = sum(common.values())
        if not pred or not gold or same == 0:
            continue
        p, r = same / len(pred), same / len(gold)
        best = max(best, 2 * p * r / (p + r))
    return best


def references(case: dict) -> list[str]:
    refs = list(case.get("answers") or [])
    groups = case.get("require_all") or []
    if groups:
        refs.append(" ".join(g[0] for g in groups))
    return refs


# -- retrieval ------------------------------------------------------------------------------
def gold_spans(case: dict, articles: dict[str, str]) -> list[tuple[str, int, int]]:
    """Where each gold passage string occurs in the gold articles: (file, start, end)."""
    out = []
    for evidence in case.get("gold_passages") or []:
        for doc in case.get("gold_docs") or []:
            text = articles.get(doc, "")
            i = text.find(evidence)
            if i >= 0:
                out.append((doc, i, i + len(evidence)))
    return out


def first_relevant_rank(hits: Sequence[tuple[str, int, int]], relevant) -> int | None:
    for rank, hit in enumerate(hits, 1):
        if relevant(hit):
            return rank
    return None


def retrieval_scores(case: dict, pred: Prediction, articles: dict[str, str]) -> dict[str, float | None]:
    """Document recall (share of gold articles retrieved), passage hit (any retrieved passage
    overlaps a gold passage), and reciprocal ranks of the first gold article / passage."""
    docs = set(case.get("gold_docs") or [])
    spans = gold_spans(case, articles)
    if not docs:
        return {"doc_recall": None, "passage_hit": None, "doc_rr": None, "passage_rr": None}
    found = {h[0] for h in pred.hits} & docs
    doc_rank = first_relevant_rank(pred.hits, lambda h: h[0] in docs)

    def overlaps(h: tuple[str, int, int]) -> bool:
        return any(h[0] == d and h[1] < e and s < h[2] for d, s, e in spans)

    p_rank = first_relevant_rank(pred.hits, overlaps) if spans else None
    return {
        "doc_recall": len(found) / len(docs),
        "passage_hit": (1.0 if p_rank else 0.0) if spans else None,
        "doc_rr": 1.0 / doc_rank if doc_rank else 0.0,
        "passage_rr": (1.0 / p_rank if p_rank else 0.0) if spans else None,
    }


# -- aggregation ----------------------------------------------------------------------------
def mean(values: Iterable[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return sum(vals) / len(vals) if vals else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100)."""
    vals = sorted(values)
    if not vals:
        return None
    k = max(0, min(len(vals) - 1, round(q / 100 * len(vals) + 0.5) - 1))
    return vals[k]


def summarize(cases: Sequence[dict], preds: Sequence[Prediction], articles: dict[str, str]) -> dict:
    """All report figures. Rates are fractions in 0..1 (None where nothing to measure)."""
    by_id = {p.case_id: p for p in preds}
    rows = [(c, by_id[c["id"]]) for c in cases if c["id"] in by_id]
    answerable = [(c, p) for c, p in rows if c["kind"] != UNANSWERABLE]
    unanswerable = [(c, p) for c, p in rows if c["kind"] == UNANSWERABLE]

    per_kind: dict[str, dict] = {}
    for kind in sorted({c["kind"] for c, _ in rows}):
        group = [(c, p) for c, p in rows if c["kind"] == kind]
        per_kind[kind] = {
            "n": len(group),
            "accuracy": mean(1.0 if is_correct(c, p) else 0.0 for c, p in group),
            "token_f1": mean(token_f1(p.answer, references(c)) for c, p in group) if kind != UNANSWERABLE else None,
            "refused": mean(1.0 if p.refused else 0.0 for _, p in group),
        }

    retrieval = [retrieval_scores(c, p, articles) for c, p in answerable]
    pairs = [s for _, p in answerable for s in p.citation_support]
    # Recall needs the judge's verdicts: a prediction whose citations were not judged
    # (``--no-judge``) says nothing about it.
    judged = [p for _, p in answerable if p.citation_support or not any(p.sentence_citations)]
    sentences = [(p, i) for p in judged if not p.refused for i in range(len(p.sentence_citations))]

    def sentence_supported(p: Prediction, i: int) -> bool:
        return any(ok for j, _, ok in p.citation_support if j == i)

    markers_draft = [(n, p.n_passages) for _, p in rows for n in p.draft_markers]
    markers_final = [(n, p.n_citations) for _, p in rows for n in p.final_markers]
    answered_ttft = [p.first_token_s for _, p in rows if p.first_token_s is not None]
    totals = [p.total_s for _, p in rows if not p.error]
    return {
        "cases": len(rows),
        "errors": sum(1 for _, p in rows if p.error),
        "answerable_accuracy": mean(1.0 if is_correct(c, p) else 0.0 for c, p in answerable),
        "answerable_token_f1": mean(token_f1(p.answer, references(c)) for c, p in answerable),
        "unanswerable_refusal_rate": mean(1.0 if p.refused else 0.0 for _, p in unanswerable),
        "false_refusal_rate": mean(1.0 if p.refused else 0.0 for _, p in answerable),
        "overall_accuracy": mean(1.0 if is_correct(c, p) else 0.0 for c, p in rows),
        "per_kind": per_kind,
        "retrieval": {
            # Passages given to the model: top k, one more when those all share an article.
            "k": max((len(p.hits) for _, p in rows), default=0),
            "k_min": min((len(p.hits) for _, p in rows if p.hits), default=0),
            "doc_recall_at_k": mean(r["doc_recall"] for r in retrieval),
            "passage_recall_at_k": mean(r["passage_hit"] for r in retrieval),
            "doc_mrr": mean(r["doc_rr"] for r in retrieval),
            "passage_mrr": mean(r["passage_rr"] for r in retrieval),
            "answer_in_passages": mean(
                1.0 if p.extra.get("answer_in_passages") else 0.0
                for _, p in answerable
                if p.extra.get("answer_in_passages") is not None
            ),
        },
        # The pipeline's own reasons (figures and quotes taken out, so that alike ones add up).
        "refusal_reasons": dict(
            Counter(
                re.sub(
                    r"\d+(\.\d+)?|:.*$", "#", re.sub(r"\s\(.*\)", "", p.extra["reasons"][0].replace("p(yes)", "p-yes"))
                ).strip()
                for _, p in answerable
                if p.refused and p.extra.get("reasons")
            ).most_common()
        ),
        "citations": {
            "final_in_range": mean(1.0 if 1 <= n <= m else 0.0 for n, m in markers_final),
            "draft_in_range": mean(1.0 if 1 <= n <= m else 0.0 for n, m in markers_draft),
            "precision": mean(1.0 if ok else 0.0 for _, _, ok in pairs),
            "recall": mean(1.0 if sentence_supported(p, i) else 0.0 for p, i in sentences),
            "judged_pairs": len(pairs),
        },
        "latency": {
            "total_p50_s": percentile(totals, 50),
            "total_p95_s": percentile(totals, 95),
            "first_token_p50_s": percentile(answered_ttft, 50),
            "first_token_p95_s": percentile(answered_ttft, 95),
            "mean_s": statistics.fmean(totals) if totals else None,
            # What the model read: the answer prompt's tokens, for answers that reached it.
            "prompt_tokens_p50": percentile(
                [float(p.extra["usage"]["prompt_tokens"]) for p in preds if p.extra.get("usage")], 50
            ),
        },
    }


def summarize_by_split(cases: Sequence[dict], preds: Sequence[Prediction], articles: dict[str, str]) -> dict:
    """:func:`summarize` over all the cases, plus ``"splits"``: the same figures computed
    on the tune half and on the holdout half alone (see :func:`split_of`)."""
    summary = summarize(cases, preds, articles)
    summary["splits"] = {
        half: summarize([c for c in cases if split_of(c["id"]) == half], preds, articles) for half in SPLITS
    }
    return summary
