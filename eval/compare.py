"""Compare two runs of one set: what a change did, half by half.

``python -m eval.compare BEFORE AFTER`` (each a ``report.json`` of ``python -m eval``, or
the folder holding it; a replay's report will do) prints, for the tune and the holdout
half, the counts the README table is made of (answerable right, answerable refused,
unanswerable refused) before and after, then each case whose answer changed, with its
outcome before and after ("right", "wrong", "refused"). A tune case's question and both
answers are shown with ``--show``; a holdout case only by its id and outcomes, since
holdout failures are read in aggregate (docs/evaluation.md, "The tune / holdout split").
Cases only one of the runs holds are left out and counted.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from .metrics import HOLDOUT, SPLITS, TUNE, UNANSWERABLE, Prediction, is_correct, split_of


class CompareError(ValueError):
    """A report cannot be read (missing, unreadable, or not a report of ``python -m eval``)."""


@dataclass(frozen=True)
class Row:
    """One case of a report: the case as run, what the pipeline did, and its outcome."""

    case: dict
    prediction: Prediction

    @property
    def answerable(self) -> bool:
        return self.case.get("kind") != UNANSWERABLE

    @property
    def outcome(self) -> str:
        """ "refused", or "right" / "wrong" (an unanswerable question answered is wrong)."""
        if self.prediction.refused:
            return "refused"
        return "right" if self.answerable and is_correct(self.case, self.prediction) else "wrong"


def _tuples(value: Any) -> Any:
    """JSON lists back to the tuples a :class:`Prediction` holds."""
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


def load(path: Path) -> dict[str, Row]:
    """The cases of a ``report.json`` (or its folder), by id."""
    path = path / "report.json" if path.is_dir() else path
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))["cases"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CompareError(f"cannot read {path}: {exc}; give a report.json of `python -m eval`") from exc
    names = {f.name for f in fields(Prediction)}
    out = {}
    for row in rows:
        pred = Prediction(**{k: _tuples(v) if k != "extra" else v for k, v in row["prediction"].items() if k in names})
        out[row["case"]["id"]] = Row(row["case"], pred)
    return out


def counts(rows: list[Row]) -> dict[str, int]:
    """The table's counts over some cases."""
    answerable = [r for r in rows if r.answerable]
    unanswerable = [r for r in rows if not r.answerable]
    return {
        "answerable": len(answerable),
        "right": sum(r.outcome == "right" for r in answerable),
        "wrongly refused": sum(r.outcome == "refused" for r in answerable),
        "unanswerable": len(unanswerable),
        "unanswerable refused": sum(r.outcome == "refused" for r in unanswerable),
    }


def report(before: dict[str, Row], after: dict[str, Row], show: bool = False) -> list[str]:
    """The comparison as lines of text."""
    common = [k for k in before if k in after]
    lines = []
    left_out = len(set(before) ^ set(after))
    if left_out:
        lines.append(f"{left_out} cases are in one run only and left out")
    for half in SPLITS:
        ids = [k for k in common if split_of(k) == half]
        a, b = counts([before[k] for k in ids]), counts([after[k] for k in ids])
        lines.append(
            f"{half}: right {a['right']} -> {b['right']} of {a['answerable']}, "
            f"wrongly refused {a['wrongly refused']} -> {b['wrongly refused']}, "
            f"unanswerable refused {a['unanswerable refused']} -> {b['unanswerable refused']} of {a['unanswerable']}"
        )
    changed = [k for k in common if before[k].prediction.answer != after[k].prediction.answer]
    lines.append(f"{len(changed)} of {len(common)} answers differ")
    for k in sorted(changed, key=lambda k: (split_of(k) == HOLDOUT, k)):
        was, now = before[k], after[k]
        kind = "answerable" if was.answerable else "unanswerable"
        lines.append(f"  {split_of(k)} {k} ({kind}): {was.outcome} -> {now.outcome}")
        if show and split_of(k) == TUNE:
            lines.append(f"    Q: {was.case.get('question', '')}")
            lines.append(f"    before: {was.prediction.answer}")
            lines.append(f"    after:  {now.prediction.answer}")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.compare", description=__doc__.split("\n\n")[0])
    ap.add_argument("before", type=Path, help="report.json (or its folder) of the run before the change")
    ap.add_argument("after", type=Path, help="report.json (or its folder) of the run after it")
    ap.add_argument("--show", action="store_true", help="print the question and both answers of changed tune cases")
    args = ap.parse_args(argv)
    try:
        before, after = load(args.before), load(args.after)
    except CompareError as exc:
        print(f"eval.compare: {exc}", file=sys.stderr)
        return 2
    print("\n".join(report(before, after, args.show)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
