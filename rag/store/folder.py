"""The index folder: which files are ours, writing a folder atomically, and cleaning up
after an interrupted write.

Writes are atomic: a new index is written in a sibling folder and renamed into place, so
a crash mid-write leaves the previous index usable. Only a folder that is an index of
ours (its manifest says so) or an empty one is ever replaced; anything else at the index
path is refused before any work is done, and nothing outside our own files is deleted.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from ..errors import IndexWriteError
from .manifest import MANIFEST, MANIFEST_FIELDS, is_manifest_tmp

log = logging.getLogger(__name__)

CHUNKS = "chunks.jsonl"
VECTORS = "vectors.faiss"
TERMS = "terms.txt"
MILVUS_DB = "milvus.db"
MILVUS_LOCK = ".milvus.db.lock"  # Milvus Lite's, while a process has the file open
README = "README.md"
README_TEXT = """This folder is a built index (`rag index` writes it; `ui.py` builds it when missing or stale).

- manifest.json: what built it: embedder, dimension, chunking settings, sha256 of every article, library versions
- chunks.jsonl: one passage per line: id, article file, title, text, character span in the article
- vectors.faiss: the passages' normalized embeddings (flat inner-product FAISS index; IVF when large)
- bm25/: the bm25s index over the same passages
- terms.txt: each passage's stemmed BM25 terms, one line a passage (an update re-indexes BM25 from them)
- milvus.db: instead of the two above, with RAG_STORE=milvus and a local Milvus Lite file

It is rebuilt from the articles folder in seconds; only this README is kept in git.
"""


BM25_DIR = "bm25"


# -- what may be written where ---------------------------------------------------------
#: Every name an index folder of ours holds; nothing else is ever deleted.
OUR_FILES = frozenset({MANIFEST, CHUNKS, VECTORS, BM25_DIR, TERMS, README, MILVUS_DB, MILVUS_LOCK})


def is_our_index(folder: Path) -> bool:
    """True if ``folder`` holds an index this library wrote (only our file names, with our
    manifest, readable or not, or with our README), or nothing. Files that merely share
    our names (a user's ``chunks.jsonl``) with neither are not ours, nor is a ``bm25/``
    holding anything bm25s did not write."""
    if not folder.is_dir() or folder.is_symlink():
        return False
    # A manifest being replaced (or left by a killed write) is ours too.
    names = {p.name for p in folder.iterdir() if not is_manifest_tmp(p.name) and p.name != MILVUS_LOCK}
    if not names or names == {MILVUS_DB}:  # a Milvus Lite file before its first manifest
        return True
    if not names <= OUR_FILES or not _bm25_is_ours(folder / BM25_DIR):
        return False
    # Our names around our manifest: ours, even when the manifest is damaged. Without
    # it, our README says so (the folder as checked out of git, or a manifest deleted by
    # hand, which a rebuild then repairs).
    if MANIFEST in names:
        return _manifest_is_ours(folder / MANIFEST)
    return README in names and (folder / README).read_text(encoding="utf-8", errors="replace").startswith(
        README_TEXT[:40]
    )


def _manifest_is_ours(path: Path) -> bool:
    """Is ``path`` a manifest we wrote: one with several of our fields (a field renamed
    by damage aside), or one too damaged to read (a write cut short)? A rebuild repairs
    either. A user's own ``manifest.json`` (a web app's, ``{"name": "My PWA"}``) is
    readable and not ours."""
    try:
        data = json.loads(path.read_bytes())
    except (ValueError, UnicodeDecodeError, RecursionError):
        return True
    except OSError:
        return False
    return isinstance(data, dict) and len(MANIFEST_FIELDS.intersection(data)) >= 3


def _bm25_is_ours(folder: Path) -> bool:
    """Does ``folder`` (an index's ``bm25/``) hold only what bm25s writes: plain files
    named ``*.index.*``? A rebuild deletes the whole folder."""
    if not folder.exists():
        return True
    if folder.is_symlink() or not folder.is_dir():
        return False
    return all(p.is_file() and not p.is_symlink() and ".index." in p.name for p in folder.iterdir())


def check_index_target(index_dir: Path, seeds_dir: Path | None = None) -> None:
    """Raise :class:`IndexWriteError` unless writing an index at ``index_dir`` is safe: the
    path is free, an empty folder, or an index of ours, and it neither is nor holds the
    articles folder."""
    index_dir = Path(index_dir)
    if seeds_dir is not None:
        a, b = index_dir.resolve(), Path(seeds_dir).resolve()
        if a == b or a.is_relative_to(b) or b.is_relative_to(a):
            raise IndexWriteError(
                f"the index folder {index_dir} and the articles folder {seeds_dir} overlap; "
                "give the index a folder of its own (e.g. --index index/)"
            )
    if index_dir.is_symlink():
        # A new index is written beside the path and renamed onto it: that would replace
        # the link, not the folder it points at.
        raise IndexWriteError(
            f"{index_dir} is a link; refusing to replace it. Give the folder it points at "
            f"as --index ({index_dir.resolve()})."
        )
    if index_dir.exists() and not index_dir.is_dir():
        raise IndexWriteError(
            f"{index_dir} exists and is not a folder; refusing to replace it. Choose another index folder (`--index`, `index_dir=`)."
        )
    if index_dir.is_dir() and not is_our_index(index_dir):
        raise IndexWriteError(
            f"{index_dir} holds files that are not an index of ours ({', '.join(_strangers(index_dir))}); "
            "refusing to touch them. Move them out, or choose an empty or new folder for --index."
        )


def _strangers(folder: Path, most: int = 5) -> list[str]:
    """The names in ``folder`` that keep it from being an index of ours (for the message)."""
    names = sorted(p.name for p in folder.iterdir() if not is_manifest_tmp(p.name))
    out = [n for n in names if n not in OUR_FILES]
    if BM25_DIR in names and not _bm25_is_ours(folder / BM25_DIR):
        out.append(f"{BM25_DIR}/")
    if MANIFEST in names and not _manifest_is_ours(folder / MANIFEST):
        out.append(f"{MANIFEST} (not our manifest)")
    if not out:  # our names, with neither our manifest nor our README
        out = [n for n in names if n != MILVUS_LOCK]
    return out[:most] + ([f"{len(out) - most} more"] if len(out) > most else [])


def check_writable(index_dir: Path) -> None:
    """Raise :class:`IndexWriteError` when the index cannot be written and swapped into
    place: a new index is written beside it and renamed, so its parent folder (and the
    folder itself, whose manifest an update rewrites) must take new files. Checked by
    trying, once, before any article is embedded."""
    parent = index_dir.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent  # created on the way; the first existing one must take it
    for folder in (parent, index_dir) if index_dir.is_dir() else (parent,):
        try:
            os.rmdir(tempfile.mkdtemp(prefix=".rag-write-check-", dir=folder))
        except OSError as exc:
            raise IndexWriteError(
                f"cannot write the index at {index_dir}: {folder} does not take new files "
                f"({exc.strerror or exc}). Make it writable, or choose another --index path."
            ) from None


def _leftover_prefix(index_dir: Path, kind: str) -> str:
    return f".{index_dir.name}-{kind}-"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. no permission: it exists
        return True
    return True


def remove_leftovers(index_dir: Path) -> list[Path]:
    """Remove half-written or set-aside folders that an interrupted save of ours left
    beside ``index_dir`` (``.<name>-new-<pid>-…``, ``.<name>-old-<pid>-…``) once their process
    is gone. Returns what was removed."""
    index_dir = Path(index_dir)
    removed: list[Path] = []
    if not index_dir.parent.is_dir():
        return removed
    restore_set_aside(index_dir)
    for kind in ("new", "old"):
        prefix = _leftover_prefix(index_dir, kind)
        for p in index_dir.parent.glob(f"{prefix}*"):
            if not p.is_dir() or p.is_symlink():
                continue
            pid = p.name[len(prefix) :].split("-", 1)[0]
            # Names without a process id come from older versions: gone when an hour old.
            alive = _pid_alive(int(pid)) if pid.isdigit() else time.time() - p.stat().st_mtime < 3600
            if alive:
                continue
            if {c.name for c in p.iterdir()} <= OUR_FILES and _remove_our_files(p):
                removed.append(p)
                log.info("removed a leftover of an interrupted index write: %s", p)
    return removed


def restore_set_aside(index_dir: Path) -> bool:
    """Put back the index an interrupted swap set aside: a write killed between its two
    renames leaves no ``index_dir``, the previous index as ``.<name>-old-<pid>-…`` and the
    new one half-moved. The newest set-aside index of a process that is gone, with its
    manifest, is renamed back into place. True when one was."""
    index_dir = Path(index_dir)
    if index_dir.exists() or index_dir.is_symlink() or not index_dir.parent.is_dir():
        return False
    prefix = _leftover_prefix(index_dir, "old")
    found = []
    for p in index_dir.parent.glob(f"{prefix}*"):
        pid = p.name[len(prefix) :].split("-", 1)[0]
        if (
            p.is_dir()
            and not p.is_symlink()
            and pid.isdigit()
            and not _pid_alive(int(pid))
            and (p / MANIFEST).is_file()
        ):
            found.append(p)
    if not found:
        return False
    latest = max(found, key=lambda p: p.stat().st_mtime)
    try:
        os.replace(latest, index_dir)
    except OSError as exc:
        log.warning("could not put back the previous index %s (%s)", latest, exc.strerror or exc)
        return False
    log.warning("put back the previous index, which an interrupted write had set aside as %s", latest.name)
    return True


def _remove_our_files(folder: Path) -> bool:
    """Delete our index files in ``folder``, then the folder if that leaves it empty.
    True when it is gone. Cleaning up never fails the write it follows: what cannot be
    deleted (a read-only folder) is named in a warning and left."""
    try:
        for tmp in folder.iterdir():
            if is_manifest_tmp(tmp.name):
                tmp.unlink(missing_ok=True)
        for name in OUR_FILES:
            p = folder / name
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p)
            elif p.exists() or p.is_symlink():
                p.unlink(missing_ok=True)
        folder.rmdir()
    except OSError as exc:
        log.warning("left %s in place (%s); delete it by hand if it is no longer needed", folder, exc.strerror or exc)
        return False
    return True


def write_atomically(index_dir: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(folder)`` on a fresh sibling folder, then swap it into place at
    ``index_dir``. ``write`` must write the manifest last: a folder without one is never
    mistaken for an index. On any failure the sibling is removed and ``index_dir`` is
    unchanged."""
    index_dir = Path(index_dir)
    check_index_target(index_dir)
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(index_dir)
    tmp = Path(tempfile.mkdtemp(prefix=f"{_leftover_prefix(index_dir, 'new')}{os.getpid()}-", dir=index_dir.parent))
    try:
        os.chmod(tmp, 0o755)  # mkdtemp makes it private; an index is ordinary data
        write(tmp)
        _swap_into_place(tmp, index_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _swap_into_place(new: Path, target: Path) -> None:
    check_index_target(target)  # again: the folder may have changed during the build
    old = None
    if target.exists():
        old = target.with_name(f"{_leftover_prefix(target, 'old')}{os.getpid()}-{time.time_ns()}")
        os.replace(target, old)
    try:
        os.replace(new, target)
    except BaseException:
        if old is not None and not target.exists():
            os.replace(old, target)  # the previous index, back where it was
        raise
    if old is not None:
        _remove_our_files(old)


def file_record(folder: Path) -> dict[str, list]:
    """Every file under ``folder`` but the manifest and README -> [size, sha256]."""
    out: dict[str, list] = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if p.is_file() and rel not in (MANIFEST, README) and not is_manifest_tmp(p.name):
            out[rel] = [p.stat().st_size, _sha256(p)]
    return out


def damaged_file(folder: Path, record: dict[str, list], checksums: bool = True) -> str | None:
    """The first file of ``record`` that is missing, has another size or (with
    ``checksums``) another sha256 than when it was written, and how; ``None`` when all hold."""
    for rel, (size, digest) in sorted(record.items()):
        p = folder / rel
        if not p.is_file():
            return f"{rel} is missing"
        if p.stat().st_size != size:
            return f"{rel} has {p.stat().st_size:,} bytes, not the {size:,} written"
        if checksums and _sha256(p) != digest:
            return f"{rel} does not hold what was written (checksum differs)"
    return None


def _sha256(path: Path) -> str:
    import hashlib

    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()
