"""The manifest: what an index was built from, and how it is compared with today's
settings and articles (stale, damaged or of another format)."""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from importlib import metadata
from pathlib import Path

from ..config import Settings
from ..errors import IndexCorruptError, IndexMissingError, IndexStaleError
from ..lang import LEXICON
from ..types import Document

FORMAT_VERSION = 8  # the files' layout; language rules are checked by the lexicon's fingerprint
MANIFEST = "manifest.json"
MANIFEST_TMP = ".manifest-"


def fingerprint(docs: Sequence[Document]) -> dict[str, str]:
    """Article file name -> sha256 of its bytes."""
    return {d.doc_id: d.sha256 for d in docs}


def versions() -> dict[str, str]:
    out = {}
    for pkg in ("rag", "faiss-cpu", "bm25s", "sentence-transformers", "transformers", "torch"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = "unknown"
    return out


@dataclass(frozen=True)
class Manifest:
    """What an index was built from; compared against the current settings and articles."""

    format_version: int
    embedder: str
    dimension: int
    chunk_chars: int
    chunk_overlap_sentences: int
    documents: dict[str, str]  # doc_id -> sha256
    titles: dict[str, str]
    chunk_count: int
    versions: dict[str, str]
    built_at: float
    skipped: dict[str, str]
    #: :meth:`rag.lang.Lexicon.fingerprint` of the lexicon that stemmed the BM25 terms.
    lexicon: str = ""
    #: Articles with text addressed to the model ("ignore the question ..."), and why.
    flagged: dict[str, str] = field(default_factory=dict)
    #: Which store holds the passages ("faiss" or "milvus") and where (a Milvus URI and
    #: collection; the token is never written here).
    store: str = "faiss"
    location: str = ""
    #: The outlets of the indexed articles (questions name them: "the Reuters story").
    outlets: tuple[str, ...] = ()
    #: Fingerprint of the paragraphs left out as publisher furniture: they shape every
    #: article's passages, so when they change every article is cut again.
    furniture: str = ""
    #: Each index file (relative path) -> [size in bytes, sha256], as written: opening
    #: checks them, so damage is named instead of answered from (FAISS folders).
    files: dict[str, list] = field(default_factory=dict)

    def problems(self, settings: Settings, docs: Sequence[Document] | None) -> list[str]:
        """Why this index does not fit ``settings``/``docs`` (empty when it does)."""
        out = self.setup_problems(settings)
        if docs is not None:
            now = fingerprint(docs)
            added = sorted(set(now) - set(self.documents))
            removed = sorted(set(self.documents) - set(now))
            changed = sorted(k for k in set(now) & set(self.documents) if now[k] != self.documents[k])
            for label, names in (("new", added), ("removed", removed), ("changed", changed)):
                if names:
                    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
                    out.append(f"{len(names)} {label} article(s) since it was built: {shown}")
        return out

    def setup_problems(self, settings: Settings) -> list[str]:
        """Why the index cannot be updated in place for ``settings`` (a rebuild is needed)."""
        out = []
        if self.lexicon != LEXICON.fingerprint():
            out.append("it was built with other language rules (stemming, stopwords)")
        if self.embedder != settings.embedder:
            out.append(f"it was built with embedder {self.embedder!r}, not {settings.embedder!r}")
        if (self.chunk_chars, self.chunk_overlap_sentences) != (settings.chunk_chars, settings.chunk_overlap_sentences):
            out.append("it was built with other chunking settings")
        if self.store != settings.store:
            out.append(f"it is held in the {self.store} store, and the settings ask for {settings.store}")
        elif self.store == "milvus" and self.location != milvus_location(settings):
            out.append(f"it is held in Milvus at {self.location}, not {milvus_location(settings)}")
        return out


#: The names of the manifest's fields (a file with other names is not a manifest we wrote).
MANIFEST_FIELDS = frozenset(f.name for f in fields(Manifest))


def milvus_location(settings: Settings) -> str:
    """Where a Milvus-held index lives, as the manifest records it: URI and collection."""
    return f"{settings.resolved_milvus_uri()}#{settings.milvus_collection}"


#: How each kind of manifest field must look once read back from JSON.
_SHAPES = {
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "str": lambda v: isinstance(v, str),
    "dict[str, str]": lambda v: isinstance(v, dict) and all(isinstance(x, str) for x in v.values()),
    "dict[str, list]": lambda v: isinstance(v, dict) and all(isinstance(x, list) and len(x) == 2 for x in v.values()),
    "tuple[str, ...]": lambda v: isinstance(v, tuple) and all(isinstance(x, str) for x in v),
}


def misshapen(manifest: Manifest) -> list[str]:
    """The fields of ``manifest`` whose values are not of their declared kind (a
    hand-edited or damaged file: ``"documents": null``), by name."""
    return [f.name for f in fields(manifest) if not _SHAPES.get(str(f.type), lambda _: True)(getattr(manifest, f.name))]


def read_manifest(index_dir: Path) -> Manifest:
    """The manifest of the index in ``index_dir``; typed errors say how to fix a problem."""
    index_dir = Path(index_dir)
    if not (index_dir / MANIFEST).is_file():
        raise IndexMissingError(f"no index in {index_dir}; build it with `rag index` (or start ui.py, which builds it)")
    fix = "rebuild it with `rag index`"
    try:
        raw = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
        if isinstance(raw, dict) and isinstance(raw.get("outlets"), list):
            raw["outlets"] = tuple(raw["outlets"])
        if isinstance(raw, dict) and (odd := sorted(set(raw) - MANIFEST_FIELDS)):
            raise ValueError(f"fields this version does not write: {', '.join(odd)[:200]}")
        manifest = Manifest(**raw)
    except (OSError, ValueError, TypeError, RecursionError) as exc:
        raise IndexCorruptError(f"the index manifest in {index_dir} is unreadable ({exc}); {fix}") from exc
    if wrong := misshapen(manifest):
        raise IndexCorruptError(
            f"the index manifest in {index_dir} is damaged (wrong kind of value: {', '.join(wrong)}); {fix}"
        )
    if manifest.format_version != FORMAT_VERSION:
        raise IndexStaleError(
            f"the index in {index_dir} has format {manifest.format_version}, this version reads {FORMAT_VERSION}; {fix}"
        )
    return manifest


def is_manifest_tmp(name: str) -> bool:
    """Is ``name`` a manifest being written (``.manifest-<8 random characters>.json``, as
    :func:`tempfile.mkstemp` names it), not a user's file that starts alike?"""
    return bool(_MANIFEST_TMP_NAME.fullmatch(name))


_MANIFEST_TMP_NAME = re.compile(re.escape(MANIFEST_TMP) + r"[a-z0-9_]{8}\.json")


def write_manifest(index_dir: Path, manifest: Manifest) -> None:
    """Replace the manifest atomically (a reader sees the old one or the new one)."""
    for old in index_dir.iterdir():
        if is_manifest_tmp(old.name):  # left by a killed write
            old.unlink(missing_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=MANIFEST_TMP, suffix=".json", dir=index_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(json.dumps(asdict(manifest), indent=2))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, index_dir / MANIFEST)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def check_manifest(manifest: Manifest, settings: Settings, docs: Sequence[Document] | None) -> None:
    """Raise :class:`IndexStaleError` if ``manifest`` does not match settings/articles."""
    problems = manifest.problems(settings, docs)
    if problems:
        fix = "Rebuild it with `rag index`."
        if manifest.store != settings.store:
            # A rebuild would put it in the other store: using it where it is comes first.
            fix = (
                f"To use it, set store={manifest.store!r} (RAG_STORE={manifest.store}, `--store {manifest.store}`); "
                f"to build it again in the {settings.store} store, run `rag index`."
            )
        elif docs is not None and not docs:
            # A rebuild needs an article: "Rebuild it" alone sends the reader into an error.
            fix = (
                "The articles folder holds no usable article now: put the articles back, or point it at "
                "the folder the index was built from, then run `rag index`."
            )
        raise IndexStaleError("the index is out of date: " + "; ".join(problems) + ". " + fix)
