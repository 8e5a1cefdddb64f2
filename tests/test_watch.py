"""The folder watcher (``rag watch``, ``ui.py --watch``): updates the index when articles
come and go, and does not hammer a failing update."""

from __future__ import annotations

import logging

from rag.store import Store, build_index
from rag.store.watch import MAX_BACKOFF_S, Watcher

from .conftest import FakeEmbedder

STORY = "Harbour reopens\n\nThe harbour of Port Elan reopened on Monday after a six-week strike by dock workers.\n"


def test_the_watcher_adds_and_removes_articles_as_the_folder_changes(fake_settings):  # type: ignore[no-untyped-def]
    build_index(fake_settings, FakeEmbedder())
    updates: list[tuple[Store, dict]] = []
    watcher = Watcher(fake_settings, FakeEmbedder(), lambda store, stats: updates.append((store, stats)))
    assert watcher.check_once() is None and not updates  # nothing changed
    (fake_settings.seeds_dir / "harbour.txt").write_text(STORY, encoding="utf-8")
    stats = watcher.check_once()
    assert stats and stats["added"] == 1 and "harbour.txt" in updates[-1][0].manifest.documents
    assert watcher.check_once() is None
    (fake_settings.seeds_dir / "harbour.txt").unlink()
    stats = watcher.check_once()
    assert stats and stats["removed"] == 1 and "harbour.txt" not in updates[-1][0].manifest.documents


class _Ticks:
    """Stands in for the watcher's stop event: each wait moves a fake clock on by the
    interval and runs ``then(now)``; the watcher stops after ``n`` waits."""

    def __init__(self, n: int, then=lambda now: None) -> None:  # type: ignore[no-untyped-def]
        self.left, self.now, self.then = n, 0.0, then

    def wait(self, seconds: float) -> bool:
        self.now += seconds
        self.left -= 1
        self.then(self.now)
        return self.left < 0


def test_a_failing_update_is_retried_ever_more_rarely_or_when_the_folder_changes(fake_settings, caplog):  # type: ignore[no-untyped-def]
    """An update that keeps failing (a full disk, a store that is down) is not retried,
    re-embedding every article, at every 2 s tick: the waits double up to
    MAX_BACKOFF_S; a change to the folder is tried at the next tick."""
    build_index(fake_settings, FakeEmbedder())
    watcher = Watcher(fake_settings, FakeEmbedder(), lambda store, stats: None, interval_s=2.0)
    tries: list[float] = []
    changed: list[float] = []

    def failing() -> dict | None:
        tries.append(ticks.now)
        raise OSError("No space left on device")

    def change_once_backed_off(now: float) -> None:
        if len(tries) == 6 and not changed:  # the wait is 128 s by now
            (fake_settings.seeds_dir / "harbour.txt").write_text(STORY, encoding="utf-8")
            changed.append(now)

    watcher.check_once = failing  # type: ignore[method-assign]
    ticks = _Ticks(1800, change_once_backed_off)  # an hour of 2 s ticks
    watcher._stop = ticks  # type: ignore[assignment]
    watcher.clock = lambda: ticks.now
    with caplog.at_level(logging.ERROR, logger="rag.store.watch"):
        watcher.run()
    # A problem it names is one line each time, not a traceback (a stray file in the
    # index folder printed four tracebacks for one cause).
    assert caplog.records and not any(r.exc_info for r in caplog.records)
    assert "failed: No space left on device; will try again" in caplog.records[0].getMessage()
    assert 2 <= len(tries) <= 30, len(tries)
    assert changed and changed[0] in tries  # tried at the tick the folder changed
    after = [t for t in tries if t > changed[0]]
    gaps = [b - a for a, b in zip(after, after[1:], strict=False)]
    assert gaps == sorted(gaps) and max(gaps) <= MAX_BACKOFF_S + 2.0
    assert tries[1] - tries[0] > 2.0


def test_a_check_interval_that_would_poll_in_a_busy_loop_is_refused(fake_settings):  # type: ignore[no-untyped-def]
    import pytest

    from rag.errors import InvalidOptionError

    for bad in (0.0, -1.0, float("nan"), float("inf")):
        with pytest.raises(InvalidOptionError, match="positive number of seconds"):
            Watcher(fake_settings, FakeEmbedder(), lambda store, stats: None, interval_s=bad)
