"""Words and terms: tokenising, stemming, matching word forms, and what stands next to a
figure. One implementation of each, used by the index, the question analysis and the checks."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .en import LEXICON
from .patterns import FIGURE_WORDS, YEAR_BOUND, YEAR_SPAN

_WORD = re.compile(r"[\w][\w'’.,-]*[\w]|[\w]", re.UNICODE)
STOPWORDS = LEXICON.stopwords


#: What may stand before a sentence's first word: its start, an end mark, a colon, a quote or bracket.
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n•·–—])[\s\"“‘'(\[*_-]*$")


def _tokens(text: str) -> list[tuple[str, bool]]:
    """Each word token of :func:`words`, and whether it is a named stopword used as a name:
    capitalised, and not the first word of a sentence unless a figure follows ("May 5")."""
    out = []
    for m in _WORD.finditer(text):
        raw = m.group(0)
        w = raw.lower().strip(".,'’-")
        if not w:
            continue
        if re.fullmatch(r"[\d.,]+", w):
            w = w.replace(",", "")
        else:
            w = w.replace("’", "'")
            if w.endswith("'s"):
                w = w[:-2]
        # Only a stopword's case matters, and a name's test costs a search per token.
        named = w in LEXICON.named_stopwords and raw[0].isupper() and is_named(text, m.start(), m.end())
        out.append((w, named))
    return out


def is_named(text: str, start: int, end: int) -> bool:
    """Is the capitalised word at ``text[start:end]`` a name or a month rather than a
    sentence's first word ("in May", "May 5", not "May I ask")?"""
    return not _SENTENCE_START.search(text[max(0, start - 8) : start]) or bool(
        re.match(r"\s+\d", text[end : end + 2])  # "May 5 was the day"
    )


def words(text: str) -> list[str]:
    """Lower-cased word tokens; numbers keep their digits only ("1,100" -> "1100")."""
    return [w for w, _ in _tokens(text)]


def content_words(text: str) -> list[str]:
    """Words that carry meaning: no stopwords (but for one that names something inside a
    sentence: "in May", :attr:`Lexicon.named_stopwords`), no lone punctuation."""
    return [w for w, named in _tokens(text) if (w not in STOPWORDS or named) and len(w) > 1 or w.isdigit()]


def terms(text: str) -> list[str]:
    """Stemmed content words: what BM25 indexes and what the checks compare. A hyphenated
    word also gives its parts ("air-defence" -> "air-defens", "air", "defens"): one
    article or question hyphenates what another writes as two words."""
    out = []
    for w in content_words(text):
        if "-" in w:
            out.append("-".join(stem(p) for p in w.split("-")))
            out += [stem(p) for p in compound_parts(w)]
            # "183-seat": the figure stands next to its noun like "183 seats" does.
            out += [p.replace(",", "") for p in w.split("-") if re.fullmatch(r"[\d.,]*\d", p)]
        else:
            out.append(stem(w))
        if "." in w and not re.search(r"\d\.\d", w) and w not in LEXICON.abbreviations:
            # "cbssports.com" is also "cbssports"; "u.s" stays whole. A decimal point is no
            # dot between words: "2.3bn" and "3.5-inch" give no "3bn" or "5-inch".
            out += [stem(p) for p in w.split(".") if len(p) > 2 and p not in STOPWORDS]
        if w in LEXICON.aliases:
            out += [stem(a) for a in LEXICON.aliases[w].split() if a not in LEXICON.stopwords]
    return out


def compound_parts(word: str) -> list[str]:
    """The content words of a hyphenated word ("junta-controlled" -> junta, controlled)."""
    return [p for p in word.split("-") if len(p) > 1 and p not in STOPWORDS and not p.isdigit()]


def _figure_and_unit(token: str) -> tuple[str, str] | None:
    """A token that writes a number in digits, split into the number (separators removed)
    and the unit glued to it: "1,100m" -> ("1100", "m"), "38" -> ("38", ""); None for a word."""
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([a-z]{0,3})", token.replace(",", "").lower())
    return (m.group(1), m.group(2)) if m else None


def is_year(n: str) -> bool:
    """Is the (normalized) figure a year? A year dates a figure; it is not one."""
    return n.isdigit() and len(n) == 4 and 1800 <= int(n) <= 2100


def figure(token: str) -> str | None:
    """The number a token writes in digits, without its separators or a unit glued to it:
    "1,100" -> "1100", "2.3bn" -> "2.3", "640m" -> "640", "1990s" -> "1990", "3rd" -> "3";
    None for a word. (Wire copy writes "$2.3bn" where an answer writes "$2.3 billion".)"""
    parts = _figure_and_unit(token)
    return parts[0] if parts else None


#: A season or fiscal year across two calendar years, the second shortened: "2024-25",
#: "2024/25", "2024–25" (not the year and month of an ISO date, "2009-10-05").
_SEASON_SPAN = re.compile(r"\b((1[89]|20)(\d\d))\s?[-/–]\s?(\d\d)\b(?![-/–]\d)")


def seasons_in_full(text: str) -> str:
    """``text`` with each season's second year written in full ("the 2024-25 season" ->
    "the 2024-2025 season"): its "25" is the year 2025, not a figure to set against another
    article's "23". A span of other years ("2020-24") and a score ("94-88") stay as written."""

    def full(m: re.Match[str]) -> str:
        first, century, short, second = m.group(1), m.group(2), m.group(3), m.group(4)
        if int(second) != (int(short) + 1) % 100:
            return m.group(0)
        return f"{first}-{int(century) + (second == '00')}{second}"

    return _SEASON_SPAN.sub(full, text)


def date_line_year(published: str) -> str:
    """The year a date line gives ("2024-03-01T09:30Z", "Oct. 7, 2023", "March 2026"),
    "" when it gives none or more than one (which of them dates the text is unknown)."""
    years = {n for n in numbers(published) if is_year(n)}
    return years.pop() if len(years) == 1 else ""


def numbers(text: str) -> set[str]:
    """Numbers written in digits, normalized ("1,100" -> "1100", "38%" -> "38", "$2.3bn"
    -> "2.3"), also inside hyphenated words ("183-seat" -> "183", "a 4-1 win" -> "4", "1").
    A season's second year is a year ("the 2024-25 season" -> "2024", "2025"), not the
    figure 25."""
    out = set()
    for w in words(seasons_in_full(text)):
        if "-" not in w:
            n = figure(w)
            if n is not None:
                out.add(n)
            continue
        # Inside a hyphenated word only bare digits are figures: "K2-412b" is a name.
        out.update(n for n, unit in filter(None, map(_figure_and_unit, w.split("-"))) if not unit)
    return out


def asked_years(question: str) -> frozenset[str]:
    """The years a question asks about ("Who won the *2025* final?"): not those that
    bound or compare ("since 2019", "up from 2023"); none for a span of years ("between
    2020 and 2024"), within which any year is asked."""
    if YEAR_SPAN.search(question):
        return frozenset()
    bounds = {m.group(1) for m in YEAR_BOUND.finditer(question)}
    return frozenset(n for n in numbers(question) if is_year(n) and n not in bounds)


def other_years(asked: frozenset[str], text: str) -> frozenset[str]:
    """The years ``text`` names when none of them is ``asked`` (then it is about another
    period: last year's result, the previous edition); empty when it names an asked year,
    no year, or nothing is asked."""
    if not asked:
        return frozenset()
    theirs = frozenset(n for n in numbers(text) if is_year(n))
    return frozenset() if theirs & asked else theirs


def unglued(terms: Sequence[str]) -> list[str]:
    """``terms`` with each figure that has a scale glued to it cut in two, the figure and
    the scale's word ("2.3bn" -> "2.3", "billion"). Wire copy writes "$2.3bn" where an
    answer writes "$2.3 billion"; both then hold "2.3" next to "billion"."""
    out = []
    for t in terms:
        parts = _figure_and_unit(t)
        scale = LEXICON.number_scales.get(parts[1]) if parts else None
        out += [parts[0], stem(scale)] if parts and scale else [t]
    return out


def stem(word: str) -> str:
    """The lexicon's stem of a lower-cased word (Snowball, after American spelling and
    irregular forms): "scored" -> "score", "neighbours" -> "neighbor", "built" -> "build"."""
    return LEXICON.stem(word)


def term_matches(term: str, vocab: set[str] | frozenset[str]) -> bool:
    """Does a (stemmed) term occur in ``vocab``, allowing for word forms the stemmer
    leaves apart? Whole tokens only, never a shared prefix (Austria is not Australia,
    Microsoft is not Micron):

    - the same place by its demonym ("French" / "France", "Nigerien" / "Niger");
    - one word plus a derivational ending ("Russia" / "Russian", "lead" / "leader");
    - a long word misspelt by one inserted or dropped letter ("Abdurahamane").
    """
    if term in vocab:
        return True
    alias = LEXICON.aliases.get(term)
    if alias and all(stem(a) in vocab for a in alias.split() if a not in LEXICON.stopwords):
        return True  # "Q1" written out as "first quarter"
    if term.isdigit() or len(term) < 4:
        return False
    place = LEXICON.place(term)
    if place is not None and (all(w in vocab for w in place) or any(LEXICON.place(v) == place for v in vocab)):
        return True
    return any(
        _derived(term, v) or _derived(v, term) or (len(term) >= 7 and len(v) >= 7 and one_edit(term, v)) for v in vocab
    )


def _derived(base: str, word: str) -> bool:
    return len(base) >= 4 and word.startswith(base) and word[len(base) :] in LEXICON.derivational


def one_edit(a: str, b: str) -> bool:
    """True if ``a`` and ``b`` are equal or differ by one inserted or deleted letter (a
    misspelt long name: "Abdurahamane" for "Abdourahamane"). A swapped letter makes
    another word too often (Iran/Iraq, Guinea/Guiana)."""
    if len(a) > len(b):
        a, b = b, a
    if len(b) - len(a) > 1:
        return False
    if len(a) == len(b):
        return a == b
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]


#: A capitalised word long enough that one letter more or less is a misspelling, not
#: another word (as :func:`term_matches` reads it).
_LONG_NAME = re.compile(r"\b[A-Z][A-Za-z\u00C0-\u024F]{6,}\b")


def respelled(text: str, sources: Sequence[str]) -> str:
    """``text`` with each long capitalised word that no source writes, but a source
    writes with one letter more or less inside it, written as the source writes it: the
    model's "Abdurahamane" becomes the article's "Abdourahamane". The first letter and
    the last two must agree, so an ending is never changed ("Austrian" stays, though the
    source says "Austria"; "Democrats" stays beside "Democrat"); a word two sources
    spell differently near it stays as written."""
    written = {w for source in sources for w in _LONG_NAME.findall(source)}

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        if word in written:
            return word
        near = {
            w
            for w in written
            if w[0] == word[0]
            and w[-2:] == word[-2:]
            and w.lower() != word.lower()
            and one_edit(w.lower(), word.lower())
        }
        return near.pop() if len(near) == 1 else word

    return _LONG_NAME.sub(fix, text)


def spelled_figures(text: str, counts: bool = False) -> dict[str, str]:
    """The figures ``text`` spells out, each with its stemmed word: "Four hours and ten
    minutes" -> {"4": "four", "10": "ten"}. An answer writes them in digits. Not part of
    a larger number ("Twenty-five" is not 20 or 5) nor of a name: capitalised inside a
    sentence ("the Big Ten", "the Final Four") or before a capitalised word ("Six
    Nations", "Two Sigma"). With ``counts``, also the words that state a count
    (:data:`rag.lang.patterns.FIGURE_WORDS`: "both" is 2), as a passage may."""
    out: dict[str, str] = {}
    for m in _SPELLED_WORD.finditer(text):
        word = m.group(0)
        before = text[: m.start()].rstrip()
        if word[0].isupper() and before and before[-1] not in '.!?:;"“\n' or re.match(r"\s+[A-Z]", text[m.end() :]):
            continue
        term = stem(word.lower())
        out.setdefault(_SPELLED[term], term)
    if counts:
        for m in _COUNT_WORD.finditer(text):
            out.setdefault(FIGURE_WORDS[m.group(0).lower()], stem(m.group(0).lower()))
    return out


def neighbours(terms: Sequence[str], target: str, radius: int) -> set[str]:
    """Non-numeric terms within ``radius`` places of any occurrence of ``target`` in
    ``terms``: what a number stands next to ("100" -> {"russian", "military", ...})."""
    out: set[str] = set()
    for i, t in enumerate(terms):
        if t == target:
            out.update(x for x in terms[max(0, i - radius) : i + radius + 1] if figure(x) is None)

    return out


_SPELLED = {stem(w): figure for w, figure in LEXICON.spelled_figures.items()}
_COUNT_WORD = re.compile(r"\b(?:" + "|".join(FIGURE_WORDS) + r")\b", re.IGNORECASE)
_NUMBER_WORD = "|".join(sorted(LEXICON.spelled_figures, key=len, reverse=True))
#: A spelled figure standing alone or before a hyphen and a word ("a five-year contract",
#: "a six-week delay"), not inside a hyphenated number ("twenty-five", "eighty-two").
_SPELLED_WORD = re.compile(
    rf"(?<![\w-])(?:{_NUMBER_WORD})(?!\w|-(?:{_NUMBER_WORD}|one|thirds?|quarters?|fifths?|tenths?)\b)",
    re.IGNORECASE,
)
