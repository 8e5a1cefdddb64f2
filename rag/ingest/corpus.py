"""Reading articles from the seeds folder and cutting them into chunks."""

from __future__ import annotations

import bisect
import fnmatch
import logging
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import CorpusError
from ..lang import mend_surrogates, normalize_space
from ..types import Chunk, Document
from .chunk import chunk_spans, paragraphs
from .clean import clean, paragraph_key
from .readers import READERS, SIDECAR_SUFFIX, article_file, read_jsonl

log = logging.getLogger(__name__)

ARTICLE_SUFFIXES = tuple(READERS)
#: Documents people keep news in that no reader reads: named when skipped, not passed over
#: in silence (a folder of .json or .pdf articles indexed as empty).
UNREAD_DOCUMENTS = frozenset({".json", ".pdf", ".doc", ".docx", ".rtf", ".odt", ".epub", ".xml", ".csv"})
UNREAD_HINT = ".txt, .md or .html (a news dump as .jsonl, one article per line)"


@dataclass(frozen=True)
class Skipped:
    """A file in the seeds folder that is not part of the corpus, and why."""

    path: str
    reason: str


def read_article(path: Path, doc_id: str) -> Document:
    """Read one single-article file (not a dump); raises :class:`CorpusError` for empty,
    binary or non-UTF-8 files."""
    docs = read_file(path, doc_id)
    if len(docs) != 1:
        raise CorpusError(f"{path.name} holds {len(docs)} articles, not one")
    return docs[0]


def read_file(path: Path, doc_id: str, *, warn: bool = True) -> list[Document]:
    """The articles in one file, read by the reader for its suffix (see :mod:`rag.ingest.readers`).
    ``warn=False`` keeps a dump's skipped lines out of the warnings (said once, when indexing)."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise CorpusError(f"unsupported file type {path.suffix!r}; supported: {', '.join(ARTICLE_SUFFIXES)}")
    if reader is read_jsonl:
        return read_jsonl(path, doc_id, warn=warn)
    return reader(path, doc_id)


def article_text(seeds_dir: Path, doc_id: str) -> str | None:
    """The text an article's passage offsets refer to (as its reader produced it), or
    ``None`` when the file is gone or unreadable."""
    seeds_dir = Path(seeds_dir)
    name = Path(article_file(doc_id))
    # An id names a file under the folder ("../x" or "/etc/x" do not, whatever the index
    # says); a file there that links elsewhere was indexed, and is read like the others.
    if name.is_absolute() or ".." in name.parts:
        return None
    path = seeds_dir / name
    try:
        return next(
            (d.text for d in read_file(path, path.relative_to(seeds_dir).as_posix(), warn=False) if d.doc_id == doc_id),
            None,
        )
    except (CorpusError, OSError, ValueError):
        return None


#: Files beside the articles that describe the folder, whatever their suffix.
NOT_ARTICLES = frozenset({"README", "LICENSE", "LICENCE", "CHANGELOG", "COPYING", "NOTICE", "CONTRIBUTING"})
#: A file in the articles folder listing what to leave out, one pattern a line.
IGNORE_FILE = ".ragignore"


def ignore_patterns(seeds_dir: Path) -> list[str]:
    """The patterns of ``seeds_dir/.ragignore`` (``#`` starts a comment; blank lines
    are skipped); none when there is no such file."""
    path = Path(seeds_dir) / IGNORE_FILE
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def ignored(rel: str, patterns: Sequence[str]) -> bool:
    """Does a file (its path relative to the articles folder, with ``/``) match one of
    the patterns, as in ``.gitignore``: ``drafts/`` a folder, ``*.md`` a name anywhere,
    ``wire/*.jsonl`` a path?"""
    name = rel.rsplit("/", 1)[-1]
    for p in patterns:
        if p.endswith("/"):
            if rel.startswith(p.lstrip("/")) or f"/{p}" in f"/{rel}":
                return True
        elif fnmatch.fnmatch(rel, p.lstrip("/")) or ("/" not in p and fnmatch.fnmatch(name, p)):
            return True
    return False


#: Why a file that :data:`IGNORE_FILE` lists is left out (:func:`left_out`).
LISTED_IN_IGNORE_FILE = f"its name is listed in {IGNORE_FILE}, so it is never indexed"


def left_out(rel: str, patterns: Sequence[str]) -> str | None:
    """Why :func:`load_corpus` leaves out a file at ``rel`` (its path inside the articles
    folder, with ``/``) whatever its content, or ``None``: a hidden name, a name that is
    not UTF-8 or holds a line break, a name ``patterns`` (the folder's :func:`ignore_patterns`) match
    (:data:`LISTED_IN_IGNORE_FILE`), or a README-like file. Adding such a file would add
    nothing."""
    if any(part.startswith(".") for part in rel.split("/")):
        return "a hidden name (starting with '.'), which is never indexed; rename it"
    if rel != mend_surrogates(rel):  # bytes that are not UTF-8 in its name
        return "its name is not valid UTF-8; rename it"
    if any(ch in rel for ch in "\n\r\x00"):  # no store's filter can name it
        return "its name holds a line break; rename it"
    if ignored(rel, patterns):
        return LISTED_IN_IGNORE_FILE
    if Path(rel).stem.upper() in NOT_ARTICLES:
        return f"not an article ({', '.join(sorted(NOT_ARTICLES))} files are left out); rename it"
    return None


def load_corpus(seeds_dir: Path, warn: bool = True) -> tuple[list[Document], list[Skipped]]:
    """The articles of every supported file under ``seeds_dir`` (hidden files, those
    :data:`IGNORE_FILE` lists and README-like files excluded), sorted by id. Sidecar metadata files (``*.meta.json``) are read with their article.

    Unusable files are skipped, never an exception: with a warning naming the file, or,
    with ``warn=False`` (reading the folder again to check an index is up to date, when
    indexing has said so once), only in the returned list and the debug log.
    """
    seeds_dir = Path(seeds_dir)
    if seeds_dir.exists() and not seeds_dir.is_dir():
        raise CorpusError(f"the articles folder {seeds_dir} is a file, not a folder; give a folder of articles")
    if not seeds_dir.is_dir():
        raise CorpusError(
            f"the articles folder {seeds_dir} does not exist; create it and add article files (.txt, .md, .html, .jsonl)"
        )
    docs: list[Document] = []
    skipped: list[Skipped] = []
    ignore = ignore_patterns(seeds_dir)

    def skip(path: Path, reason: str) -> None:
        rel = mend_surrogates(path.relative_to(seeds_dir).as_posix())
        log.log(logging.WARNING if warn else logging.DEBUG, "skipping %s: %s", rel, reason)
        skipped.append(Skipped(rel, reason))

    # os.walk without following links: a link to a folder ("sub -> ..") or a link loop
    # cannot send the walk round in circles; each is named in a warning instead.
    for root, dirs, files in os.walk(seeds_dir, followlinks=False):
        here = Path(root)
        for d in sorted(dirs):
            p = here / d
            if d.startswith("."):
                continue
            if p.is_symlink():
                skip(p, "a link to a folder (links to folders are not followed)")
            elif p.suffix.lower() in ARTICLE_SUFFIXES:
                skip(p, "a folder, not an article file")
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (here / d).is_symlink())
        for f in sorted(files):
            path = here / f
            if f.startswith(".") or f.lower().endswith(SIDECAR_SUFFIX):
                continue
            rel = path.relative_to(seeds_dir).as_posix()
            if path.suffix.lower() not in ARTICLE_SUFFIXES:
                if path.suffix.lower() in UNREAD_DOCUMENTS and not left_out(rel, ignore):  # one may expect it read
                    skip(path, f"{path.suffix.lower()} files are not read; save the article as {UNREAD_HINT}")
                continue
            if reason := left_out(rel, ignore):
                if reason == LISTED_IN_IGNORE_FILE:  # the reader's own choice: no warning
                    log.debug("ignoring %s (%s)", rel, IGNORE_FILE)
                else:
                    skip(path, reason)
                continue
            if not path.is_file():
                skip(path, "not a readable file (a broken link or a link loop)")
                continue
            try:
                docs.extend(read_file(path, rel, warn=warn))
            except (CorpusError, OSError) as exc:
                skip(path, str(exc))
    docs.sort(key=lambda d: d.doc_id)
    return docs, skipped


def repeated_paragraphs(docs: Sequence[Document], min_docs: int = 3, max_chars: int = 300) -> frozenset[str]:
    """Short paragraphs that recur in ``min_docs`` or more articles: a publisher's footer,
    a standing disclaimer or a share prompt, whoever the publisher is. Long shared
    paragraphs (a wire story's background) are real reporting and stay.

    Furniture sits beside other text in each article; an article whose opening recurs
    and most of whose paragraphs recur is a copy of a story (a wire brief that three
    outlets carried, in paragraphs of one sentence each) and is not counted, or every
    copy lost its text. Briefs of one outlet with its footers are no copies: their
    openings differ."""
    keys: list[set[str]] = []
    openings: list[set[str]] = []  # the first paragraphs after the headline, of news length
    every: list[int] = []  # each article's number of paragraphs, short or long
    for d in docs:
        paras = paragraphs(d.text)
        keys.append({paragraph_key(d.text[p.start : p.end]) for p in paras if p.end - p.start <= max_chars})
        openings.append({paragraph_key(d.text[p.start : p.end]) for p in paras[1:4] if p.end - p.start >= 60})
        every.append(len(paras))
    counts: Counter[str] = Counter(k for short in keys for k in short)
    recurring = {k for k, n in counts.items() if n >= min_docs}
    copies: Counter[str] = Counter()
    for short, opening, total in zip(keys, openings, every, strict=True):
        if opening & recurring and 2 * len(short & recurring) > total:
            copies.update(short & recurring)
    return frozenset(k for k in recurring if counts[k] - copies[k] >= min_docs)


def chunk_document(doc: Document, max_chars: int, overlap: int, furniture: frozenset[str] = frozenset()) -> list[Chunk]:
    """Cut a document into chunks (``chunk_id`` is assigned by the index; -1 here)."""
    keep = clean(doc.text, furniture)
    spans = chunk_spans(doc.text, keep, max_chars, overlap)
    starts = [p.start for p in keep]
    out = []
    for s in spans:
        # The kept paragraphs that overlap the chunk (found by bisection: an article can
        # have tens of thousands of paragraphs).
        first = max(bisect.bisect_right(starts, s.start) - 1, 0)
        lines = []
        for p in keep[first:]:
            if p.start >= s.end:
                break
            if p.end > s.start:
                lines.append(normalize_space(doc.text[max(p.start, s.start) : min(p.end, s.end)]))
        # One line per paragraph: a heading or a line without a full stop stays apart
        # from the sentence after it.
        out.append(
            Chunk(
                chunk_id=-1,
                doc_id=doc.doc_id,
                title=doc.title,
                text="\n".join(lines),
                start=s.start,
                end=s.end,
                source=doc.source,
                published=doc.published,
                date=doc.date,
            )
        )
    return out
