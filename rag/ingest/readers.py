"""Readers by file type: each turns one file into articles (:class:`Document`).

    .txt          the text as it is
    .md           Markdown with its markup blanked out, so offsets are the file's own
    .html / .htm  the article text extracted by trafilatura (offsets refer to that text)
    .jsonl        a news dump: one article per line ({"title", "text", "date", "source"})

Each article's outlet, headline and publication date come from the text's header lines,
the format's own metadata, or a sidecar ``<file>.meta.json`` (``{"title", "source",
"published"}``), which overrides both. When nothing gives a date, the file's modification
day stands in for filtering (:attr:`Document.date`) but is never shown as the article's date.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import CorpusError
from ..lang import iso_date, mend_surrogates, outlet_name, readable, without_planted_turns
from ..types import Document
from .clean import front_matter, split_title

log = logging.getLogger(__name__)

MAX_ARTICLE_BYTES = 20 * 1024 * 1024
#: A jsonl dump holds many articles; each line is still at most one article's size.
MAX_DUMP_BYTES = 2 * 1024 * 1024 * 1024
SIDECAR_SUFFIX = ".meta.json"

Reader = Callable[[Path, str], list[Document]]
DUMP_SUFFIX = ".jsonl"


def article_file(doc_id: str) -> str:
    """The file (relative to the articles folder) that holds article ``doc_id``: the id
    itself, or for one article of a dump (``news.jsonl#<id>``) the dump. Split after the
    dump's suffix, not at any "#": file names and ids (URLs) may hold one too."""
    at = doc_id.find(DUMP_SUFFIX + "#")
    return doc_id[: at + len(DUMP_SUFFIX)] if at >= 0 else doc_id


def sidecar(path: Path) -> Path:
    """Where the metadata overrides of ``path`` live: ``story.txt`` -> ``story.txt.meta.json``."""
    return path.with_name(path.name + SIDECAR_SUFFIX)


def _read_bytes(path: Path, limit: int = MAX_ARTICLE_BYTES) -> bytes:
    size = path.stat().st_size
    if size == 0:
        raise CorpusError("empty file")
    if size > limit:
        raise CorpusError(f"too large ({size:,} bytes; the limit is {limit:,})")
    return path.read_bytes()


def decode(data: bytes, name: str = "") -> str:
    """The text of an article file: UTF-8 (or UTF-16 or UTF-32 with its byte-order mark),
    else the legacy encoding it is in when that can be told (logged, naming ``name``);
    :class:`CorpusError` for binary files, documents of another format saved under a text
    file's name, and encodings that cannot be told."""
    kind = other_format(data)
    if kind is not None:
        raise CorpusError(f"{kind}, not plain text; export or copy its text into a .txt file")
    # UTF-32's little-endian mark begins with UTF-16's: test it first.
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        text = _decoded(data, "utf-32")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _decoded(data, "utf-16")
    elif b"\x00" in data:
        unmarked = _utf16_unmarked(data)
        if unmarked is None:
            raise CorpusError("binary file (contains NUL bytes)")
        text = unmarked
        log.info("%s is UTF-16 without a byte-order mark; read it as such", name or "an article")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            encoding = legacy_encoding(data)
            if encoding is None:
                raise CorpusError(
                    f"not UTF-8 (byte {exc.start}) and its encoding cannot be told; re-save it as UTF-8"
                ) from exc
            text = data.decode(encoding)
            log.info("%s is not UTF-8; read it as %s", name or "an article", encoding)
    if not text.strip():
        raise CorpusError("no text (only whitespace)")
    return text


#: Signatures that open files of other formats. A PDF without compressed streams and an
#: RTF document are plain ASCII, so they decode as text: indexed, they would fill the
#: passages with markup ("/Type /Page", "\par").
_SIGNATURES = (
    (b"%PDF-", "a PDF document"),
    (b"{\\rtf", "an RTF document"),
    (b"PK\x03\x04", "a zip archive (.docx, .odt and .epub are zip archives)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a Word 97-2003 (.doc) document"),
)


def other_format(data: bytes) -> str | None:
    """What ``data`` is when its first bytes are another format's signature (a PDF, an
    RTF or Word document, a zip archive), else ``None``. A UTF-8 byte-order mark and
    leading whitespace are skipped, as some tools write them before an RTF's brace."""
    head = data[:64].removeprefix(b"\xef\xbb\xbf").lstrip()
    return next((kind for signature, kind in _SIGNATURES if head.startswith(signature)), None)


def _utf16_unmarked(data: bytes) -> str | None:
    """Text in UTF-16 saved without its byte-order mark (as some Windows tools and
    exports do), else ``None``. Nearly every character of Latin-script news is below
    U+0100, so one byte of each pair, always the same one, is NUL; a binary file's NULs
    fall on both sides."""
    if len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    for zeros, other, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if 4 * zeros >= len(data) and 100 * other <= zeros:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                return None
            return None if _CONTROL.search(text) else text
    return None


def _decoded(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise CorpusError(f"not valid {encoding} (byte {exc.start}); re-save it as UTF-8") from exc


#: C0 controls other than tab, line feed and carriage return: never in an article's text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


#: A Latin-1 sign (¶ ± ³ ¿ ¼ ...) between two letters: Central European text (Latin-2,
#: Windows-1250) read as Windows-1252 ("Wiadomo¶ci", "Rz±d"); no Western word holds one.
_SIGN_INSIDE_A_WORD = re.compile(r"(?<=[^\W\d_])[\u00a1-\u00bf](?=[^\W\d_])")


def legacy_encoding(data: bytes) -> str | None:
    """The encoding of text that is not UTF-8, or ``None`` when it cannot be told.

    Windows-1252 first: it is what news exports from Windows and older CMSs use, it
    reads Latin-1 text the same, and its strict decoder rejects the bytes it leaves
    undefined. (charset-normalizer guesses a DOS or Baltic code page for a short
    Western text with curly quotes; measured.) Otherwise charset-normalizer's best
    guess, when it reads the bytes with almost no chaos."""
    try:
        text = data.decode("cp1252")
        letters = [ch for ch in text if ch.isalpha()]
        # Western text is mostly ASCII letters; Cyrillic or Greek bytes read as
        # Windows-1252 are mostly accented ones ("Íîâîñòè").
        if (
            not _CONTROL.search(text)
            and not _SIGN_INSIDE_A_WORD.search(text)
            and 5 * sum(not ch.isascii() for ch in letters) <= len(letters)
        ):
            return "cp1252"
    except UnicodeDecodeError:
        pass
    for encoding in ("cp1250", "iso8859_2"):  # Central European: their signs are its letters
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if (
            not _CONTROL.search(text)
            and not _SIGN_INSIDE_A_WORD.search(text)
            and _SIGN_INSIDE_A_WORD.search(data.decode("latin-1"))
        ):
            return encoding
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.chaos > 0.05:
        return None
    return str(best.encoding)


def _overrides(path: Path) -> tuple[dict[str, str], bytes]:
    """The sidecar's fields (title, source, published) and its bytes (part of the fingerprint)."""
    p = sidecar(path)
    if not p.is_file():
        return {}, b""
    data = p.read_bytes()
    try:
        # Decoded as an article is (UTF-16 with its mark from Windows tools, legacy encodings).
        raw = json.loads(decode(data, p.name))
    except CorpusError as exc:
        raise CorpusError(f"its metadata file {p.name} cannot be read ({exc})") from exc
    except (ValueError, RecursionError) as exc:
        raise CorpusError(f"its metadata file {p.name} is not valid JSON ({exc})") from exc
    if not isinstance(raw, dict):
        raise CorpusError(f"its metadata file {p.name} must hold a JSON object")
    return _meta_fields(raw), data


#: The usual names of a record's title, outlet and date, as :func:`_key` writes them
#: ("publishedAt", "published_at" and "Published-At" are one name).
_META_NAMES = {
    "title": ("title", "headline"),
    "source": ("source", "outlet", "publisher", "sitename", "sourcename"),
    "published": ("published", "date", "publicationdate", "publishedat", "pubdate", "datepublished"),
}


def _key(name: object) -> str:
    return re.sub(r"[^a-z]", "", name.lower()) if isinstance(name, str) else ""


def _meta_fields(raw: dict) -> dict[str, str]:
    """title / source / published from a record, under their usual names in any case or
    spelling; an outlet given as an object (``{"name": "AP"}``, as news APIs write it) by
    its name, and a date given as a Unix time as its day."""
    record = {_key(k): v for k, v in raw.items()}
    out = {}
    for field, keys in _META_NAMES.items():
        for k in keys:
            v = record.get(k)
            if isinstance(v, dict):
                v = v.get("name")
            # true/false, NaN and Infinity (which Python's JSON reader accepts) are no title or date.
            if isinstance(v, bool) or (isinstance(v, float) and not math.isfinite(v)):
                continue
            if field == "published" and isinstance(v, (int, float)):
                v = _unix_day(v)
            if isinstance(v, (str, int, float)) and str(v).strip():
                out[field] = mend_surrogates(" ".join(str(v).split())[:300])
                break
    return out


def _unix_day(value: float) -> str:
    """The day of a Unix time in seconds or milliseconds (2001-2286), else "": a bare
    number is no date a reader or a filter can use."""
    seconds = value / 1000 if value >= 1e12 else value
    if not 1e9 <= seconds < 1e10:
        return ""
    return datetime.fromtimestamp(seconds, tz=UTC).strftime("%Y-%m-%d")


def _file_day(path: Path) -> str:
    return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC).strftime("%Y-%m-%d")


_NAMES_A_YEAR = re.compile(r"(?<!\d)(?:1[89]|2\d)\d\d(?!\d)")


def make_document(
    doc_id: str, text: str, sha256: str, meta: dict[str, str], fallback_title: str, fallback_day: str
) -> Document:
    """A :class:`Document` from text and what is known about it. ``meta`` (format metadata
    or sidecar) overrides the text's own header lines. The text is :func:`readable`, without
    the chat turns planted in it (passage offsets refer to it); an index read by code
    before that is rebuilt, as for every change to how articles read
    (:data:`rag.lang.lexicon.READING_RULES`)."""
    # A planted chat turn goes before the text is cut into passages, whole.
    text, planted = without_planted_turns(readable(text))
    meta = {k: readable(v) for k, v in meta.items()}
    title, _ = split_title(text)
    header, _ = front_matter(text)
    title = meta.get("title") or title or fallback_title
    title = re.sub(r"^(title|headline)\s*:\s*", "", title, flags=re.IGNORECASE) or title
    source = outlet_name(meta.get("source") or header.get("source", ""))
    published = meta.get("published") or header.get("published", "")
    if not _NAMES_A_YEAR.search(published):
        # "Updated: 2 hours ago", "Date: yesterday": said at some unknown moment, so no
        # date for the reader or the model (a file's day stands in for the filters).
        published = ""
    return Document(
        doc_id=doc_id,
        title=title,
        text=text,
        sha256=sha256,
        source=source,
        published=published,
        date=iso_date(published) or fallback_day,
        planted=tuple(planted),
    )


def _stem_title(path: Path) -> str:
    return path.stem.replace("_", " ").replace("-", " ").strip().capitalize()


def _single(path: Path, doc_id: str, convert: Callable[[str], tuple[str, dict[str, str]]]) -> list[Document]:
    """One article from one file: ``convert`` turns the decoded file into the article text
    and the format's metadata; a sidecar overrides both and is part of the fingerprint."""
    data = _read_bytes(path)
    meta, extra = _overrides(path)
    text, format_meta = convert(decode(data, doc_id))
    return [
        make_document(
            doc_id,
            text,
            hashlib.sha256(data + extra).hexdigest(),
            {**format_meta, **meta},
            _stem_title(path),
            _file_day(path),
        )
    ]


def read_text(path: Path, doc_id: str) -> list[Document]:
    return _single(path, doc_id, lambda text: (text, {}))


# -- Markdown ------------------------------------------------------------------------------
# Line ends may be CRLF (a file saved on Windows): the block is the same.
_MD_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_MD_RULES = [
    re.compile(r"^[ \t]*```.*$|^[ \t]*~~~.*$", re.MULTILINE),  # code fences
    re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*\S+.*$", re.MULTILINE),  # link definitions
    re.compile(r"^[ \t]{0,3}(?:[-*_][ \t]*){3,}$", re.MULTILINE),  # horizontal rules
    re.compile(r"^[ \t]{0,3}=+[ \t]*$", re.MULTILINE),  # a heading's "=====" underline
    re.compile(r"^[ \t]*\|?(?:[ \t]*:?-{3,}:?[ \t]*\|)+(?:[ \t]*:?-{3,}:?[ \t]*)?$", re.MULTILINE),  # |---|---|
    re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)"),  # images
    re.compile(r"<[^<>\n]{1,200}>"),  # inline HTML
]
_MD_PREFIX = re.compile(r"^([ \t]*(?:>[ \t]?)*[ \t]*(?:#{1,6}[ \t]+|[-*+][ \t]+|\d{1,3}[.)][ \t]+)?)", re.MULTILINE)
# Spans are bounded: unbounded, each opener without a closer ("*a *a *a ...", "[x[x[x")
# rescans the rest of its line: a 48 kB line took 15 s (a 5 MB upload, hours); now 0.15 s.
_MD_LINK = re.compile(r"\[([^\]\n]{0,200})\](\([^)\n]{0,2000}\)|\[[^\]\n]{0,200}\])")
# An underscore marks emphasis only at a word's edge (CommonMark): "snake_case",
# "@jane_doe_99" and "https://x.com/a_b_c" keep theirs.
_MD_EMPHASIS = re.compile(
    r"(\*\*\*|\*\*|\*|~~|`)(?=\S)(.{1,200}?)(?<=\S)\1|(?<!\w)(__|_)(?=\S)(.{1,200}?)(?<=\S)\3(?!\w)"
)


def _blank(m: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", m.group(0))


def _unemphasised(m: re.Match[str]) -> str:
    mark, inner = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    return " " * len(mark) + inner + " " * len(mark)


def markdown_to_text(md: str) -> str:
    """Markdown as plain text of the same length: markup characters become spaces, so
    every offset into the result is an offset into the file (citations point at it)."""
    text = _MD_FRONT.sub(_blank, md, count=1)
    for rule in _MD_RULES:
        text = rule.sub(_blank, text)
    text = _MD_PREFIX.sub(lambda m: " " * len(m.group(1)), text)
    text = _MD_LINK.sub(lambda m: " " + m.group(1) + " " * (len(m.group(2)) + 1), text)
    for _ in range(2):  # nested emphasis: ***bold italic***
        text = _MD_EMPHASIS.sub(_unemphasised, text)
    return text


def markdown_meta(md: str) -> dict[str, str]:
    """Fields of a YAML-style front matter block (``title: ...``), if the file has one."""
    m = _MD_FRONT.match(md)
    if not m:
        return {}
    raw = {}
    for line in m.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep:
            raw[key.strip().lower()] = value.strip().strip("'\"")
    return _meta_fields(raw)


def markdown_article(md: str) -> tuple[str, dict[str, str]]:
    """The text of a Markdown file (offsets kept) and its front matter's fields."""
    text = markdown_to_text(md)
    if not text.strip():
        raise CorpusError("no text once the Markdown markup is removed")
    return text, markdown_meta(md)


def read_markdown(path: Path, doc_id: str) -> list[Document]:
    return _single(path, doc_id, markdown_article)


# -- HTML ----------------------------------------------------------------------------------
#: A line that is a sentence: six words or more, ending as a sentence ends. Menus and
#: headlines do not ("Storm hits the coast as thousands flee").
_SENTENCE_LINE = re.compile(r"^(?=(?:\S+[ \t]+){5,}\S).*[.!?…][\"”’')\]]*$", re.MULTILINE)


def html_article(html: str) -> tuple[str, dict[str, str]]:
    """The article text of a web page (menus, ads and comments left out) and its metadata,
    by trafilatura, offline. Paragraphs are separated by blank lines."""
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    doc: Any = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        # The date from the page's markup only: htmldate's search of the text takes any
        # year or day in the body ("prices rose in 2019") for the publication date.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if doc is None or not (doc.text or "").strip():
        raise CorpusError("no article text found in the HTML")
    body = "\n\n".join(line.strip() for line in doc.text.splitlines() if line.strip())
    if not _SENTENCE_LINE.search(body):
        # A home or section page: its "text" is menu entries and other articles' headlines.
        raise CorpusError("no article text in the HTML, only links or headings (a home or section page?)")
    meta = {
        k: v
        for k, v in {"title": doc.title or "", "source": doc.sitename or "", "published": doc.date or ""}.items()
        if v
    }
    if meta.get("title") and not body.startswith(meta["title"]):
        body = f"{meta['title']}\n\n{body}"  # the headline leads, as in a .txt article
    return body, meta


def read_html(path: Path, doc_id: str) -> list[Document]:
    return _single(path, doc_id, html_article)


# -- JSON lines news dumps -----------------------------------------------------------------
def dump_record(line: str) -> tuple[str, str, dict[str, str]]:
    """(key, text, metadata) of one jsonl line; :class:`CorpusError` says what is wrong."""
    try:
        raw = json.loads(line)
    except (ValueError, RecursionError) as exc:  # nested thousands deep: RecursionError
        raise CorpusError(f"not JSON ({exc})") from exc
    if not isinstance(raw, dict):
        raise CorpusError("not a JSON object")
    # JSON may carry lone surrogates ("\\ud83d", an emoji cut in half): mended here, as
    # text that cannot be written as UTF-8 would stop the index from being saved.
    body = mend_surrogates(
        next((raw[k] for k in ("text", "body", "content", "article") if isinstance(raw.get(k), str)), "")
    )
    if not body.strip():
        raise CorpusError('no text (expected a "text" field)')
    if "\x00" in body:
        raise CorpusError("binary text (contains NUL)")
    if len(body) > MAX_ARTICLE_BYTES:
        raise CorpusError(f"article too large ({len(body):,} characters)")
    meta = _meta_fields(raw)
    key = mend_surrogates(
        next(
            (str(raw[k]) for k in ("id", "url", "guid") if isinstance(raw.get(k), (str, int)) and str(raw[k]).strip()),
            "",
        )
    )
    text = body.strip()
    if meta.get("title") and not text.startswith(meta["title"]):
        text = f"{meta['title']}\n\n{text}"
    return key, text, meta


def _dump_lines(data: bytes, doc_id: str) -> Iterator[tuple[int, bytes, tuple[str, str, dict[str, str]] | CorpusError]]:
    """Each non-blank line of a dump: its number, bytes, and its record or what is wrong."""
    for n, raw_line in enumerate(data.splitlines(), 1):
        if raw_line.strip():
            try:
                yield n, raw_line, dump_record(decode(raw_line, f"{doc_id} line {n}"))
            except CorpusError as exc:
                yield n, raw_line, exc


def dump_problems(path: Path) -> list[str]:
    """The lines of a ``.jsonl`` dump that are skipped, each with why ("line 2: not
    JSON (…)"): a dump is indexed without them, and whoever added it should hear so."""
    data = _read_bytes(path, MAX_DUMP_BYTES)
    return [f"line {n}: {r}" for n, _, r in _dump_lines(data, path.name) if isinstance(r, CorpusError)]


def read_jsonl(path: Path, doc_id: str, *, warn: bool = True) -> list[Document]:
    """One article per line. An article's id is ``<file>#<id field or line number>``;
    bad lines are logged (as warnings unless ``warn`` is false) and skipped
    (:func:`dump_problems` lists them), the rest of the dump is read."""
    data = _read_bytes(path, MAX_DUMP_BYTES)
    day = _file_day(path)
    docs, seen = [], set()
    for n, raw_line, record in _dump_lines(data, doc_id):
        if isinstance(record, CorpusError):
            log.log(logging.WARNING if warn else logging.DEBUG, "skipping %s line %d: %s", doc_id, n, record)
            continue
        key, text, meta = record
        key = re.sub(r"\s+", "_", key)[:120] or str(n)
        # A repeated id gets its line number; ids stay unique even when another line's
        # own id is that very name ("a", "a", "a-2"), so no article hides another.
        article_id, again = f"{doc_id}#{key}", 0
        while article_id in seen:
            again += 1
            article_id = f"{doc_id}#{key}-{n}" + (f"-{again}" if again > 1 else "")
        seen.add(article_id)
        docs.append(
            make_document(article_id, text, hashlib.sha256(raw_line).hexdigest(), meta, f"{path.stem} {n}", day)
        )
    if not docs:
        raise CorpusError('no usable article line (one JSON object with a "text" field per line)')
    return docs


READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
    DUMP_SUFFIX: read_jsonl,
}
