"""Changing a live collection: add and remove articles, and watch the articles folder.

The articles folder stays the record of what the index holds: ``add`` copies files into
it, ``remove`` takes them out, and both then update the index incrementally
(:func:`rag.store.build_index` embeds only new or changed articles).
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from ..config import Settings
from ..errors import CorpusError, InvalidOptionError, RagError
from ..ingest import ARTICLE_SUFFIXES, ignore_patterns, left_out, load_corpus, read_file, sidecar
from ..models.embedder import Embedder
from .base import Store
from .build import build_index

log = logging.getLogger(__name__)


def add_files(
    settings: Settings,
    embedder: Embedder,
    files: Sequence[Path],
    *,
    progress: bool = False,
    on_commit: Callable[[list[str]], None] | None = None,
):
    """Copy article files into the articles folder (with their ``.meta.json`` sidecars)
    and index them. A file already inside the folder is indexed where it is. Every file
    is read first, so a bad one stops the command before anything is copied. An existing
    article (or ``.meta.json``) of the same name with other content is refused, never
    overwritten. When the index update fails, the files copied for it are taken out again."""
    seeds = settings.seeds_dir
    seeds.mkdir(parents=True, exist_ok=True)
    plan: dict[Path, Path] = {}  # target -> source
    for f in files:
        f = Path(f)
        problem = why_not_addable(f, seeds)
        if problem:
            raise CorpusError(problem)
        target = f if f.resolve().is_relative_to(seeds.resolve()) else seeds / f.name
        other = plan.setdefault(target, f)
        if other.resolve() != f.resolve():  # two files of one name: one would overwrite the other
            raise CorpusError(f"{other} and {f} would both be {target.name}; rename one and add them again")
    created: dict[str, list[Path]] = {}  # article id -> the files this call put in the folder
    acknowledged: set[str] = set()

    def committed(ids: list[str]) -> None:
        acknowledged.update(ids)
        if on_commit:
            on_commit(ids)

    try:
        for target, f in plan.items():
            if f.resolve() == target.resolve():
                continue
            made = created.setdefault(target.relative_to(seeds).as_posix(), [])
            for src, dst in ((f, target), (sidecar(f), sidecar(target))):
                if src.is_file():
                    if not dst.exists():
                        made.append(dst)
                    _copy_atomic(src, dst)
        return build_index(settings, embedder, progress=progress, on_commit=committed)
    except BaseException:
        # The index was not updated for them: the copies would leave it out of date
        # (every question refused until `rag index`). What was committed stays.
        for doc_id, paths in created.items():
            if doc_id not in acknowledged:
                for p in paths:
                    with contextlib.suppress(OSError):  # a failure here would hide the first
                        p.unlink(missing_ok=True)
        raise


def why_not_addable(f: Path, seeds_dir: Path) -> str | None:
    """Why the file ``f`` cannot be added to the articles folder ``seeds_dir`` (the
    message names the file), or ``None``: not a file, not an article type, unreadable
    as an article (empty, binary, undecodable), or a name an article (or its
    ``.meta.json``) with other content already has there."""
    if not f.is_file():
        return f"{f} is not a file"
    if f.suffix.lower() not in ARTICLE_SUFFIXES:
        return f"{f.name}: unsupported file type; supported: {', '.join(ARTICLE_SUFFIXES)}"
    real, folder = f.resolve(), seeds_dir.resolve()
    inside = real.is_relative_to(folder)
    rel = real.relative_to(folder).as_posix() if inside else f.name
    reason = left_out(rel, ignore_patterns(seeds_dir))
    if reason:
        return f"{f.name}: {reason}"
    try:
        read_file(f, f.name)
    except CorpusError as exc:
        return f"{f.name}: {exc}"
    target = seeds_dir / f.name
    if inside:
        return None
    for src, dst in ((f, target), (sidecar(f), sidecar(target))):
        if src.is_file() and dst.exists() and dst.read_bytes() != src.read_bytes():
            return f"{f.name}: {dst} already exists with other content; rename {f.name} or remove the old one first"
    return None


def _copy_atomic(src: Path, dst: Path) -> None:
    """Copy so that a reader never sees half a file (a watcher may be looking)."""
    tmp = dst.with_name(f".{dst.name}.adding-{os.getpid()}")
    try:
        shutil.copyfile(src, tmp)
        os.replace(tmp, dst)
    except BaseException:
        tmp.unlink(missing_ok=True)  # a full disk left a stray ".x.adding-N" in the folder
        raise


def remove_articles(settings: Settings, embedder: Embedder, names: Iterable[str], *, progress: bool = False):
    """Delete article files (and their sidecars) from the articles folder and their
    passages from the index. ``names`` are paths relative to the folder, as the index
    names articles, or paths to them from the working folder. One article of a jsonl dump
    cannot be removed alone: edit the dump."""
    seeds = settings.seeds_dir.resolve()
    paths = []
    for name in names:
        # The folder is resolved, not the file: a link is removed, never what it points at.
        lexical = Path(os.path.normpath(seeds / name))
        here = Path(os.path.normpath(Path.cwd() / name))
        if not (lexical.exists() or lexical.is_symlink()) and (here.exists() or here.is_symlink()):
            lexical = here  # a path from where the command runs ("seeds/story.txt")
        path = lexical.parent.resolve() / lexical.name
        if not path.parent.is_relative_to(seeds) or path == seeds or lexical.name in ("", ".", ".."):
            raise CorpusError(f"{name} is not inside the articles folder {settings.seeds_dir}")
        if not (path.is_file() or path.is_symlink()):
            hint = (
                " (one article of a .jsonl dump: remove its line from the file, then run `rag index`)"
                if "#" in name
                else ""
            )
            raise CorpusError(f"no article file {name} in {settings.seeds_dir}{hint}")
        if path.suffix.lower() not in ARTICLE_SUFFIXES:
            raise CorpusError(f"{name} is not an article file")
        paths.append(path)
    # Set aside (hidden names the loader skips), not deleted, until the index without
    # them is written: when that fails (the last article removed, a bad remaining file,
    # a full disk) the files come back and the index is as it was.
    aside = [
        (p, p.with_name(f".{p.name}.removing-{os.getpid()}"))
        for path in dict.fromkeys(paths)  # a name given twice is one file
        for p in (path, sidecar(path))
        if p.is_file() or p.is_symlink()
    ]
    moved: list[tuple[Path, Path]] = []
    try:
        for p, hidden in aside:
            os.replace(p, hidden)
            moved.append((p, hidden))
        out = build_index(settings, embedder, progress=progress)
    except BaseException as exc:
        for p, hidden in moved:
            os.replace(hidden, p)
        if isinstance(exc, CorpusError):
            raise CorpusError(f"nothing was removed, as the index would fail: {exc}") from exc
        raise
    for _, hidden in aside:
        hidden.unlink(missing_ok=True)
    return out


def folder_state(seeds_dir: Path) -> tuple:
    """A cheap signature of the articles folder (names, sizes, modification times):
    when it changes, the index may need an update."""
    out = []
    for root, dirs, files in os.walk(seeds_dir, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in sorted(files):
            if f.startswith("."):
                continue
            try:
                st = os.stat(os.path.join(root, f))
            except OSError:
                continue
            out.append((root, f, st.st_size, st.st_mtime_ns))
    return tuple(out)


#: The longest wait before retrying an update that failed (the folder unchanged).
MAX_BACKOFF_S = 300.0


class Watcher:
    """Polls the articles folder and updates the index when files appear, change or go.

    ``on_update(store, stats)`` hears each update (the chat swaps in the new index).
    Polling rather than OS events: it works the same on every file system, and a check
    costs one ``stat`` per file.
    """

    def __init__(
        self, settings: Settings, embedder: Embedder, on_update: Callable[[Store, dict], None], interval_s: float = 2.0
    ) -> None:
        if not 0 < interval_s < math.inf:  # 0 or NaN would poll in a busy loop
            raise InvalidOptionError(f"the check interval must be a positive number of seconds, not {interval_s!r}")
        self.settings = settings
        self.embedder = embedder
        self.on_update = on_update
        self.interval_s = interval_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._state = self._folder()
        #: Seconds on a monotonic clock (replaceable in tests of the retry timing).
        self.clock: Callable[[], float] = time.monotonic

    def check_once(self) -> dict | None:
        """Update the index if the folder changed since the last check; the counts, or ``None``."""
        state = self._folder()
        if state == self._state:
            return None
        docs, skipped = load_corpus(self.settings.seeds_dir)
        if not docs:
            log.warning("the articles folder has no usable article; the index is left as it was")
            self._state = state
            return None
        store, stats = build_index(self.settings, self.embedder, docs=docs, skipped=skipped)
        self._state = state
        if stats["added"] or stats["removed"]:
            log.info(
                "index updated: %d new or changed, %d removed, %d passages",
                stats["added"],
                stats["removed"],
                stats["chunks"],
            )
        self.on_update(store, stats)
        return stats

    def run(self) -> None:
        """Check every ``interval_s`` until :meth:`stop`. After a failed update the next
        try waits twice as long each time (up to :data:`MAX_BACKOFF_S`), or until the
        folder changes again: a failure that persists (a full disk) is not retried,
        re-embedding every article, every two seconds."""
        failures, failed_state, next_try = 0, None, 0.0
        while not self._stop.wait(self.interval_s):
            if failures and self.clock() < next_try and self._folder() == failed_state:
                continue
            try:
                self.check_once()
                failures = 0
            except Exception as exc:
                failures += 1
                failed_state = self._folder()
                delay = min(self.interval_s * 2**failures, MAX_BACKOFF_S)
                next_try = self.clock() + delay
                # A problem we name (a stray file in the index folder, a full disk) is one
                # line that says how to fix it; anything else is a bug, with its traceback.
                known = isinstance(exc, (RagError, OSError))
                log.log(
                    logging.ERROR,
                    "updating the index from %s failed%s; will try again in %.0f s, or when the folder changes",
                    self.settings.seeds_dir,
                    f": {exc}" if known else "",
                    delay,
                    exc_info=not known,
                )

    def _folder(self) -> tuple:
        return folder_state(self.settings.seeds_dir) if self.settings.seeds_dir.is_dir() else ()

    def start(self) -> Watcher:
        self._thread = threading.Thread(target=self.run, name="watch-articles", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
