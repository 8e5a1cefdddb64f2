"""Re-check a past run's drafts with today's checks, without generating.

A change to the checks (what the verdict accepts, the gate's bar) is measured on every
set in a minute or two instead of half an hour: :class:`Replay` stands in for the model
and gives, for each case, the gate's p(yes) and the draft that a past run recorded
(``report.json``). Retrieval, the gate's bar and every check run as today.

What it cannot measure: a change to retrieval, the prompt or the model (the drafts would
differ), and a question that the past run refused at the gate and today's gate lets
through (no draft was recorded: it counts as a refusal, "the model wrote nothing").
Follow-up cases (with ``history``) are left out: the earlier turns' drafts are not stored.
Latency in a replay measures the checks, not the model.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from rag.types import Message


class ReplayError(ValueError):
    """The report cannot be replayed (missing, unreadable, or without drafts)."""


@dataclass(frozen=True)
class Recorded:
    """What a past run's model said for one case."""

    answerable: float | None  # the gate's p(yes); None when no passage was found
    draft: str


class Replay:
    """A :class:`rag.models.Generator` that answers as a past run did. Set :attr:`case`
    to the id of the case about to be asked."""

    def __init__(self, recorded: dict[str, Recorded]) -> None:
        self.recorded = recorded
        self.case: str | None = None

    @classmethod
    def from_report(cls, path: Path) -> Replay:
        """Read ``report.json`` (or the folder holding it) of a past ``python -m eval`` run."""
        path = path / "report.json" if path.is_dir() else path
        try:
            rows = json.loads(path.read_text(encoding="utf-8"))["cases"]
            recorded = {
                row["case"]["id"]: Recorded(
                    row["prediction"]["extra"].get("answerable"), row["prediction"]["extra"].get("draft") or ""
                )
                for row in rows
            }
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ReplayError(f"cannot replay {path}: {exc}; give the report.json of a `python -m eval` run") from exc
        return cls(recorded)

    def _now(self) -> Recorded:
        if self.case is None:  # warm-up: nothing is being asked
            return Recorded(0.0, "")
        return self.recorded[self.case]

    def probability_yes(self, messages: Sequence[Message]) -> float:
        return self._now().answerable or 0.0

    def stream(self, messages: Sequence[Message], max_new_tokens: int) -> Iterator[str]:
        yield self._now().draft


def replayable(cases: list[dict], replay: Replay) -> tuple[list[dict], int]:
    """The cases a replay can answer (recorded, no history), and how many are left out."""
    kept = [c for c in cases if c["id"] in replay.recorded and not c.get("history")]
    return kept, len(cases) - len(kept)
