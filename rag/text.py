"""Pure text functions: cleaning, sentence splitting, chunking, word normalization.

Cleaning never rewrites the article: it picks which paragraphs to keep, so every chunk
maps back to an exact character span of the original file (for citations).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Sequence

# Lines that are publisher furniture rather than reporting. Matched against a whole
# paragraph (case-insensitive); kept deliberately specific so reporting is never lost.
BOILERPLATE = [
    r"\bnewsletters?\b.*\b(sign up|subscribe|create an account)\b",
    r"\b(sign up|subscribe)\b.*\bnewsletters?\b",
    r"\bcreate an account\b",
    r"\ball rights reserved\b",
    r"^(copyright|©)",
    r"\bpublishes around [\d,]+ (reports|stories|articles)\b",
    r"\bdoes not have the legal right to edit\b",
    r"\bto address comments or complaints\b",
    r"^(read more|related|advertisement|click here)\b.{0,60}$",
    r"^[a-z]{1,4}/[a-z]{1,4}( \([^)]*\))?$",  # editor initials, e.g. "tg/wd (dpa, Reuters)"
]
_BOILERPLATE_RE = [re.compile(p, re.IGNORECASE) for p in BOILERPLATE]

_TERMINAL = ".!?…:;\"”’»)"
# Abbreviations after which a period does not end a sentence.
_ABBREV = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "maj", "gov", "sen",
    "rep", "st", "jr", "sr", "vs", "etc", "inc", "ltd", "co", "corp", "no", "jan", "feb",
    "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k",
    "u.n", "e.g", "i.e", "approx", "est", "dept",
}
_SENT_END = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s+[\"“‘'(\[]?[A-Z0-9])")


@dataclass(frozen=True)
class Span:
    """A half-open character range ``[start, end)`` of a text."""

    start: int
    end: int


def normalize_space(text: str) -> str:
    """Collapse all whitespace runs to one space and strip the ends."""
    return " ".join(text.split())


def strip_control(text: str) -> str:
    """Drop control and format characters except newlines and tabs."""
    return "".join(
        ch for ch in text
        if ch in "\n\t" or unicodedata.category(ch)[0] != "C"
    )


def paragraphs(text: str) -> list[Span]:
    """Split into paragraphs: non-empty lines, re-joining hard-wrapped lines.

    A line continues the previous one when the previous line does not end a sentence and
    this line starts in lower case (a wrapped sentence, not a new paragraph or caption).
    """
    spans: list[Span] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        stripped = body.strip()
        if stripped:
            start = pos + (len(body) - len(body.lstrip()))
            end = pos + len(body.rstrip())
            if spans and _continues(text[spans[-1].start:spans[-1].end], stripped, text, spans[-1].end, start):
                spans[-1] = Span(spans[-1].start, end)
            else:
                spans.append(Span(start, end))
        pos += len(line)
    return spans


def _continues(prev: str, line: str, text: str, prev_end: int, start: int) -> bool:
    blank_between = text[prev_end:start].count("\n") > 1
    return not blank_between and prev[-1:] not in _TERMINAL and line[:1].islower()


def is_boilerplate(paragraph: str) -> bool:
    """True for publisher furniture: newsletter prompts, disclaimers, sign-offs."""
    p = normalize_space(paragraph)
    return any(r.search(p) for r in _BOILERPLATE_RE)


def split_title(text: str) -> tuple[str | None, list[Span]]:
    """Return ``(headline, body paragraphs)``; the first line is a headline if it is short
    and not a sentence (news files start with their headline)."""
    paras = paragraphs(text)
    if len(paras) > 1:
        first = text[paras[0].start:paras[0].end].strip()
        if len(first) <= 200 and not first.endswith((".", "?", "!")) or len(first) <= 120:
            return normalize_space(first), paras[1:]
    return None, paras


def clean(text: str) -> list[Span]:
    """The body paragraphs worth indexing: no repeats (a caption printed twice), no
    boilerplate. Returned spans index the original text unchanged."""
    _, paras = split_title(text)
    seen: set[str] = set()
    kept: list[Span] = []
    for span in paras:
        para = text[span.start:span.end]
        key = normalize_space(para).casefold()
        if key in seen or is_boilerplate(para):
            continue
        seen.add(key)
        kept.append(span)
    return kept


def sentences(text: str, span: Span | None = None) -> list[Span]:
    """Sentence spans within ``text[span]`` (the whole text by default)."""
    span = span or Span(0, len(text))
    out: list[Span] = []
    start = span.start
    segment = text[span.start:span.end]
    for m in _SENT_END.finditer(segment):
        end = span.start + m.end()
        word = re.search(r"([\w.]+)\W*$", text[start:span.start + m.start() + 1])
        token = word.group(1).rstrip(".").lower() if word else ""
        if token in _ABBREV or (len(token) == 1 and token.isalpha()):
            continue  # "Gen. Tiani", "U.S. troops", initials
        out.append(Span(start, end))
        start = end
        while start < span.end and text[start].isspace():
            start += 1
    if start < span.end and text[start:span.end].strip():
        out.append(Span(start, span.end))
    return out


_CLAUSE_END = re.compile(r"[,;:–—)]\s+|\s+(?=[–—(])")


def bounded(text: str, span: Span, max_chars: int) -> list[Span]:
    """``span`` cut into pieces of at most ``max_chars``: at the last clause break (comma,
    semicolon, dash) in the second half of the window, else the last space, else hard.

    A sentence is normally a chunk's smallest unit, but a file can hold 100 kB without a
    full stop; one such "sentence" would become a prompt past the model's context.
    """
    out: list[Span] = []
    start = span.start
    while span.end - start > max_chars:
        window = text[start:start + max_chars]
        cut = 0
        for m in _CLAUSE_END.finditer(window, max_chars // 2):
            cut = m.end()
        if not cut:
            space = window.rfind(" ", max_chars // 4)
            cut = space + 1 if space > 0 else max_chars
        piece_end = start + cut
        stripped_end = start + len(text[start:piece_end].rstrip())
        out.append(Span(start, max(stripped_end, start + 1)))
        start = piece_end
        while start < span.end and text[start].isspace():
            start += 1
    if start < span.end:
        out.append(Span(start, span.end))
    return out


def chunk_spans(text: str, keep: list[Span], max_chars: int, overlap: int = 1) -> list[Span]:
    """Pack sentences of the kept paragraphs into chunks of at most ``max_chars``.

    A chunk never spans a dropped paragraph (so its text is exactly a span of the article),
    splits a sentence only when it alone is longer than ``max_chars`` (see :func:`bounded`),
    and repeats the last ``overlap`` sentences of the previous chunk when they are short
    enough, so a fact on a boundary is whole in one chunk.
    """
    # Runs of paragraphs with nothing dropped between them.
    runs: list[list[Span]] = []
    for span in keep:
        if runs and _adjacent(text, runs[-1][-1], span):
            runs[-1].append(span)
        else:
            runs.append([span])
    chunks: list[Span] = []
    for run in runs:
        sents = [b for p in run for s in sentences(text, p) for b in bounded(text, s, max_chars)]
        i = 0
        while i < len(sents):
            j = i
            size = 0
            while j < len(sents) and (j == i or size + (sents[j].end - sents[j].start) <= max_chars):
                size += sents[j].end - sents[j].start + 1
                j += 1
            chunks.append(Span(sents[i].start, sents[j - 1].end))
            if j >= len(sents):
                break
            # Repeat trailing sentences only while the next chunk still gains a new one.
            nxt = sents[j].end - sents[j].start
            back = 0
            while back < overlap and j - back - 1 > i:
                carried = sum(sents[k].end - sents[k].start for k in range(j - back - 1, j))
                if carried > max_chars // 2 or carried + nxt > max_chars:
                    break
                back += 1
            i = j - back
    return chunks


def _adjacent(text: str, a: Span, b: Span) -> bool:
    return not text[a.end:b.start].strip()


_WORD = re.compile(r"[\w][\w'’.,-]*[\w]|[\w]", re.UNICODE)
STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being
    has have had do does did this that these those it its it's their there they them he she his
    her him we our you your i me my not no yes so than then also just about into over after
    before since while during which who whom whose what when where why how all any some more
    most other such only own same can could will would should may might must shall said says
    say according very too up out off again further once here both each few nor s t don now
    per via among around approximately still currently already besides except including
    another either neither whether yet though although because unless until whereas within
    without upon onto toward towards across against between beyond despite""".split()
)


def words(text: str) -> list[str]:
    """Lower-cased word tokens; numbers keep their digits only ("1,100" -> "1100")."""
    out = []
    for m in _WORD.finditer(text):
        w = m.group(0).lower().strip(".,'’-")
        if not w:
            continue
        if re.fullmatch(r"[\d.,]+", w):
            w = w.replace(",", "")
        else:
            w = w.replace("’", "'")
            if w.endswith("'s"):
                w = w[:-2]
        out.append(w)
    return out


def content_words(text: str) -> list[str]:
    """Words that carry meaning: no stopwords, no lone punctuation."""
    return [w for w in words(text) if w not in STOPWORDS and len(w) > 1 or w.isdigit()]


def terms(text: str) -> list[str]:
    """Stemmed content words: what BM25 indexes and what the checks compare. A hyphenated
    word also gives its parts ("air-defence" -> "air-defense", "air", "defense"): one
    article or question hyphenates what another writes as two words."""
    out = []
    for w in content_words(text):
        out.append(stem(w))
        if "-" in w:
            out += [stem(p) for p in compound_parts(w)]
    return out


def compound_parts(word: str) -> list[str]:
    """The content words of a hyphenated word ("junta-controlled" -> junta, controlled)."""
    return [p for p in word.split("-") if len(p) > 1 and p not in STOPWORDS and not p.isdigit()]


def numbers(text: str) -> set[str]:
    """Numbers written in digits, normalized ("1,100" -> "1100", "38%" -> "38")."""
    return {w for w in words(text) if re.fullmatch(r"\d+(\.\d+)?", w)}


# Irregular past forms, so "built" meets "build" and "sent" meets "send".
_IRREGULAR = {
    past: base
    for base, forms in {
        "build": "built", "send": "sent", "spend": "spent", "lend": "lent", "lead": "led",
        "pay": "paid", "say": "said", "make": "made", "take": "took taken", "give": "gave given",
        "go": "went gone", "come": "came", "bring": "brought", "buy": "bought", "fight": "fought",
        "think": "thought", "tell": "told", "hold": "held", "leave": "left", "meet": "met",
        "run": "ran", "begin": "began begun", "choose": "chose chosen", "drive": "drove driven",
        "fall": "fell fallen", "fly": "flew flown", "find": "found", "get": "got gotten",
        "grow": "grew grown", "keep": "kept", "know": "knew known", "lose": "lost",
        "rise": "rose risen", "see": "saw seen", "sell": "sold", "seek": "sought",
        "stand": "stood", "strike": "struck", "teach": "taught", "win": "won",
        "write": "wrote written", "speak": "spoke spoken", "break": "broke broken",
        "shoot": "shot", "withdraw": "withdrew withdrawn", "arise": "arose arisen",
        "forbid": "forbade forbidden", "undertake": "undertook undertaken",
    }.items()
    for past in forms.split()
}


# British spellings to American ones, so that articles from both sides of the Atlantic
# (and questions typed either way) meet: "neighbours"/"neighbors", "defence"/"defense".
# Only regular patterns with at least three letters before them ("four", "hour" and
# "rise" stay), plus a few common one-offs. Applied to both sides of every comparison,
# so a word that is not really a variant ("contour" -> "contor") still matches itself.
_BRITISH = [
    (re.compile(r"(?<=\w{3})our(?=(s|ed|ing|ite|ites|able|er|ers|hood|hoods|ful|less)?$)"), "or"),
    (re.compile(r"(?<=\w{3})is(?=(e|es|ed|ing|ation|ations|er|ers)$)"), "iz"),
    (re.compile(r"(?<=\w{3})yse(?=(s|d)?$)"), "yze"),
    (re.compile(r"(?<=\w{3})tre(?=(s|d)?$)"), "ter"),
    (re.compile(r"(?<=\w{3})ogue(?=s?$)"), "og"),
]
_BRITISH_WORDS = {
    "defence": "defense", "defences": "defenses", "offence": "offense", "offences": "offenses",
    "licence": "license", "licences": "licenses", "pretence": "pretense",
    "programme": "program", "programmes": "programs", "grey": "gray", "sceptical": "skeptical",
    "sceptic": "skeptic", "aluminium": "aluminum", "manoeuvre": "maneuver", "manoeuvres": "maneuvers",
    "cheque": "check", "cheques": "checks", "tyre": "tire", "tyres": "tires", "mould": "mold",
    "jewellery": "jewelry", "plough": "plow", "storey": "story", "storeys": "stories",
}


def american(word: str) -> str:
    """A lower-cased word in American spelling ("neighbours" -> "neighbors")."""
    if word in _BRITISH_WORDS:
        return _BRITISH_WORDS[word]
    for pattern, repl in _BRITISH:
        word = pattern.sub(repl, word, count=1)
    return word


def stem(word: str) -> str:
    """A light English stemmer (American spelling, plural/tense suffixes, common irregular
    verbs), enough to match word forms."""
    word = american(word)
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""),
                         ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.isdigit():
            return word[: len(word) - len(suffix)] + repl
    return word


def term_matches(term: str, vocab: set[str]) -> bool:
    """Does a (stemmed) term occur in ``vocab``, allowing for word forms a light stemmer
    misses?"""
    if term in vocab:
        return True
    if term.isdigit() or len(term) < 4:
        return False
    # Word forms a light stemmer misses: a shared 5-letter start (Niger/Nigerien,
    # Russia/Russian) or one word starting the other (lead/leader).
    return any(
        (len(term) >= 5 and len(v) >= 5 and v[:5] == term[:5])
        or (len(v) >= 4 and (v.startswith(term) or term.startswith(v)))
        or (len(term) >= 7 and abs(len(v) - len(term)) <= 1 and one_edit(term, v))
        for v in vocab
    )


def one_edit(a: str, b: str) -> bool:
    """True if ``a`` and ``b`` differ by at most one insertion, deletion or substitution
    (a misspelt long name: "Abdurahamane" for "Abdourahamane")."""
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)):] == b[i + 1:]


def neighbours(terms: Sequence[str], target: str, radius: int) -> set[str]:
    """Non-numeric terms within ``radius`` places of any occurrence of ``target`` in
    ``terms``: what a number stands next to ("100" -> {"russian", "military", ...})."""
    out: set[str] = set()
    for i, t in enumerate(terms):
        if t == target:
            out.update(x for x in terms[max(0, i - radius):i + radius + 1] if not x.replace(".", "").isdigit())
    return out
