"""Where the passages disagree with the answer or the question. Pure functions, no model.

News reports of one event often differ: another figure for the same thing ("648 US
military personnel" in one article, "around 1,000" in another), another spelling of a
name (Tiani / Tchiani). A small model reports whichever passage it read first, and it
repeats a question's wrong figure ("Why did Russia send 500 instructors?") instead of
correcting it. These functions find such differences by comparing numbers that stand next
to the same words, and near-identical names; the pipeline then adds the other version as a
verbatim quote with its citation, so nothing unsourced is added.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..lang import (
    LEXICON,
    STOPWORDS,
    asked_years,
    date_line_year,
    is_year,
    neighbours,
    numbers,
    one_edit,
    other_years,
    seasons_in_full,
    sentence_texts,
    term_matches,
    terms,
    without_dateline,
    words,
    year_glosses,
)
from ..lang.patterns import CAPITALISED_WORD, CURRENCY_AFTER, CURRENCY_SIGNS, FIGURE
from ..question import mentions, name_phrases, passage_text
from ..types import Chunk

MIN_SHARED = 2  # context words two figures must share to be "about the same thing"


@dataclass(frozen=True)
class Discrepancy:
    """A passage that states something other than the answer or the question."""

    passage: int  # 1-based index into the passages
    kind: str  # "figure", "spelling" or "premise"
    claimed: str  # the value in the answer or question ("648", "Tchiani", "500")
    found: str  # the passage's value as written ("1,000", "Tiani", "100")
    evidence: str  # the passage sentence that states it, verbatim


def _norm_number(raw: str) -> str:
    return raw.replace(",", "").rstrip(".")


@dataclass(frozen=True)
class Quantity:
    """What a figure measures, as far as its neighbourhood tells: its unit (``%``, a
    currency, or none), the direction of change it reports, when it happened and what it
    adds up over."""

    unit: str
    direction: str
    time: frozenset[str]
    aggregate: frozenset[str]
    #: The figure's value with its scale ("1.4 billion" -> 1.4e9), None when unread.
    value: float | None = None

    def same_as(self, other: Quantity) -> bool:
        """Could both figures be the same quantity? Different units, opposite changes,
        different days or months, a total against a single figure ("27 goals this
        season" / "2 goals"), or values :data:`APART` times apart ("0.45 dollars a share" /
        "a buyback of 500 million dollars": a share's amount and a sum) say no."""
        if self.unit != other.unit:
            return False
        if self.value and other.value and max(self.value, other.value) >= APART * min(self.value, other.value):
            return False
        if self.direction and other.direction and self.direction != other.direction:
            return False
        if self.time and other.time and not self.time & other.time:
            return False
        return self.aggregate == other.aggregate


def quantity(text: str, start: int, end: int) -> Quantity:
    """The :class:`Quantity` of the figure at ``text[start:end]``."""
    before, after = text[max(0, start - 2) : start], text[end : end + 12].lower()
    unit = ""
    if re.match(r"\s*(%|per ?cent\b)", after):
        unit = "%"  # "3-4%": the range's ends are percentages too
    elif re.match(r"\s?[-–]\s?\d", after) or re.search(r"\d\s?[-–]\s?$", text[max(0, start - 3) : start]):
        # One side of a score or a range ("won 3-2", "10-12 weeks"): a result, not a count
        # of something another figure nearby could give otherwise.
        unit = "score"
    elif m := re.search(r"[$£€¥]", before):
        unit = m.group(0)
    elif m := CURRENCY_AFTER.match(text, end):
        # "45 million pounds" is "£45 million", and no sum in euros.
        name = m.group(1).lower()
        unit = CURRENCY_SIGNS.get(name, name.rstrip("s"))
    near = words(text[max(0, start - 60) : start])[-6:] + words(text[end : end + 60])[:6]
    rise = any(w in LEXICON.rise_words for w in near)
    fall = any(w in LEXICON.fall_words for w in near)
    direction = "up" if rise and not fall else "down" if fall and not rise else ""
    return Quantity(
        unit,
        direction,
        frozenset(w for w in near if w in LEXICON.time_words),
        frozenset(w for w in near if w in LEXICON.aggregate_words) | _period(near),
        _value(text[start:end], text[end : end + 12]),
    )


def _period(near: list[str]) -> frozenset[str]:
    """The part of a year or a match the words by a figure name (:attr:`Lexicon.periods`):
    "first-half", "H1", "the first half", "the full year 2024"."""
    said = " ".join(LEXICON.aliases.get(w, w) for w in near).replace("-", " ")
    return frozenset(LEXICON.periods[m] for m in LEXICON.periods_re.findall(said))


#: Two reports of one quantity differ by less than this factor (648 / "around 1,000"
#: troops, 500 / 100 instructors); figures further apart measure different things.
APART = 100

#: A scale after a figure: "1.4 billion", "2.3bn", "640m", "12k".
_SCALE = re.compile(r"\s?(thousand|million|billion|trillion|bn|mn|tn|m|k)\b", re.IGNORECASE)
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}


def _value(raw: str, after: str) -> float | None:
    """The value a figure writes, with the scale after it: ("1.4", " billion") -> 1.4e9."""
    try:
        value = float(_norm_number(raw))
    except ValueError:
        return None  # "1.2.3", a version
    if m := _SCALE.match(after):
        word = m.group(1).lower()
        value *= _SCALES[LEXICON.number_scales.get(word, word)]
    return value


#: What ends a text just before digits that belong to a name: a letter, or a letter and
#: a hyphen ("Aurora-2", "K2", "Covid-19").
_IN_A_NAME = re.compile(r"[^\W\d_]-?$")


def number_contexts(text: str) -> list[tuple[str, str, set[str], Quantity]]:
    """(number as written, normalized, stemmed content words within 3 of it, its
    :class:`Quantity`) for each number. A season's second year is a year ("2024-25").
    Digits joined to a word before them are part of a name, not a figure: "Aurora-2" and
    "Aurora-1" are two missions, "Covid-19" and "G7" no counts."""
    text = seasons_in_full(text)
    words_ = terms(text)
    out = []
    for m in FIGURE.finditer(text):
        if _IN_A_NAME.search(text[max(0, m.start() - 2) : m.start()]):
            continue
        raw = m.group(0).rstrip(".,")
        n = _norm_number(raw)
        out.append((raw, n, neighbours(words_, n, 3), quantity(text, m.start(), m.start() + len(raw))))
    return out


def _shared(a: set[str], b: set[str]) -> int:
    return sum(1 for t in a if term_matches(t, b))


def same_quantity(near: set[str], q: Quantity, near2: set[str], q2: Quantity) -> bool:
    """Do two figures (their neighbouring words and :class:`Quantity`) measure the same
    thing: :data:`MIN_SHARED` words in common, one of them more than a unit, scale or day
    ("million dollars" is shared by any two sums, "Wednesday" by a day's reports), and the
    same unit, direction, time and scope?"""
    return q.same_as(q2) and _shared(near, near2) >= MIN_SHARED and _shared(near - _NO_SUBJECT, near2) >= 1


#: Words that say what scale, unit or day a figure has, never what it counts: "a profit of
#: 1.4 billion dollars on Wednesday" and "a buyback of 500 million dollars on Wednesday"
#: share three of them and are two quantities.
_NO_SUBJECT = LEXICON.unit_stems | LEXICON.time_stems


#: A passage sentence with its figures read (:func:`number_contexts`): (1-based passage,
#: the sentence, its figures).
FigureSentence = tuple[int, str, list[tuple[str, str, set[str], Quantity]]]


#: A name phrase as :func:`rag.question.name_phrases` gives it (("acme", "foods")).
Name = tuple[str, ...]


def _figure_sentences(
    passages: Sequence[Chunk], skip_docs: set[str], years: frozenset[str] = frozenset(), subject: Sequence[Name] = ()
) -> list[FigureSentence]:
    """The sentences of the passages not of ``skip_docs``, with their figures, read once
    for all of a text's figures. ``years``, when given, are the years asked about: a
    sentence naming only other years reports another period and is left out. ``subject``:
    names of which a passage must mention one (headline included) to report on the same
    thing: "Shares of Globex Steel rose 3% on Wednesday" is no other report of Acme Foods'
    rise. (One, not all: a passage further down an article names a place or a person of
    its story and leaves the rest to its headline and lead.)"""
    return [
        (j, sent, number_contexts(sent))
        for j, p in enumerate(passages, 1)
        if p.doc_id not in skip_docs and _mentions_one(subject, p)
        for sent in sentence_texts(p.text)
        # "rose to €488 million last year" in a report of 2024 is about 2023.
        if not other_years(years, year_glosses(sent, p.published))
    ]


def _mentions_one(subject: Sequence[Name], passage: Chunk) -> bool:
    if not subject:
        return True
    vocab = set(terms(passage_text(passage)))
    return any(mentions(name, vocab) for name in subject)


def _subject(question: str, text: str | None = None) -> list[Name]:
    """The names of the question (those ``text`` mentions, when given): what figures are
    about. A day or a month ("Wednesday") is when, not what; a country is where, when the
    question names something else: "the Vireo Sight's price in the US" is no other report
    of the Lumo Glass 2's."""
    here = set(terms(text)) if text is not None else None
    names = [
        name
        for name in name_phrases(question)
        if not all(w in LEXICON.time_words for w in name) and (here is None or mentions(name, here))
    ]
    return [name for name in names if not _a_country(name)] or names


def _a_country(name: Name) -> bool:
    """Is ``name`` (stemmed, as :func:`rag.question.name_phrases` gives it) a country or
    its people that the lexicon knows: ("us",), ("french",)?"""
    return (len(name) == 1 and LEXICON.place(name[0]) is not None) or name in LEXICON.places.values()


#: A number after a capitalised word: "Arc 5", "Vista 6", "Apollo 11" (unless the word is a
#: month or a day: "March 20").
_AFTER_A_NAME = re.compile(r"\b([A-Z][\w'’-]*)\s+(\d[\d,.]*\d|\d)\b")


def _numbers_of_names(question: str) -> set[str]:
    """The numbers (normalized) that the question writes as part of a name: "When will the
    Novix Arc 5 phone ship?" -> {"5"}."""
    return {
        _norm_number(m.group(2))
        for m in _AFTER_A_NAME.finditer(question)
        if m.group(1).lower() not in LEXICON.time_words
    }


#: A figure the sentence measures its own against ("down from the $9.1 billion it forecast
#: in August", "more than 300 last year"): a baseline, not a second report of the quantity.
_BASELINE = re.compile(
    r"\b(?:from|than|compared (?:with|to)|versus|vs\.?)\s+(?:(?:the|a|an|about|some|nearly|around|roughly)\s+)*"
    r"[$£€¥]?\s?(\d[\d,]*(?:\.\d+)?)",
    re.IGNORECASE,
)


def _baselines(sentence: str) -> set[str]:
    """The figures ``sentence`` compares its own with (normalised as :func:`number_contexts` does)."""
    return {_norm_number(m.group(1)) for m in _BASELINE.finditer(sentence)}


def _same_figure_elsewhere(
    claim: str,
    n: str,
    near: set[str],
    q: Quantity,
    sentences: Sequence[FigureSentence],
    beside: Sequence[tuple[str, str, set[str], Quantity]] = (),
) -> list[Discrepancy]:
    """Another article's figure for the same quantity of the same subject (``sentences``
    are that article's): next to the same words, with the same unit, direction and scope,
    and only where it is clear which figure differs from which.

    - Not when the article states ``n`` too: it agrees on it, and its other figures
      beside the same words are other quantities ("net profit climbed to $910 million,
      as revenue rose 11% to $4.8 billion" is no other report of $4.8 billion revenue).
    - Not when it gives two such figures: a feature's "400 acres within two hours" and
      "18,000 acres by July 31" are stages, not another report of the final 210,000.
    - Not when another figure of the claim's own sentence (``beside``) could be the one
      it differs from: "profit rose to $910 million, ahead of the $850 million analysts
      had expected" against "analysts had forecast $870 million".
    - A figure a sentence compares with ("down from the $9.1 billion it forecast") is a
      baseline, neither."""
    if any(m == n for _, _, contexts in sentences for _, m, _, _ in contexts):
        return []
    alike = [
        (j, sent, c)
        for j, sent, contexts in sentences
        for baselines in (_baselines(sent),)
        for c in contexts
        if c[1] not in baselines and is_year(c[1]) == is_year(n) and same_quantity(near, q, c[2], c[3])
    ]
    if len({c[1] for _, _, c in alike}) != 1:
        return []
    j, sent, (raw, m, near2, q2) = alike[0]
    if any(
        o not in (n, m) and is_year(o) == is_year(m) and same_quantity(near3, q3, near2, q2)
        for _, o, near3, q3 in beside
    ):
        return []
    return [Discrepancy(j, "figure", claim, raw, sent)]


def other_figures(
    sentence: str,
    cited: Sequence[int],
    passages: Sequence[Chunk],
    years: frozenset[str] = frozenset(),
    subject: Sequence[Name] = (),
) -> list[Discrepancy]:
    """Figures in passages of *other articles* that stand next to the same words as a
    figure of ``sentence`` but differ from it (at most one per article, see
    :func:`_same_figure_elsewhere`).

    ``years``: the years the question asks about (:func:`rag.lang.asked_years`). A
    passage sentence that names only other years is then about another edition or
    period, not another report of the one asked about: "the 2022 Grey Coast Rally" for
    "Who won the 2023 rally?", "revenue in the first quarter of 2024" for the first
    quarter of 2025. (Without a year in the question, another year's figure may be the
    newer report, and is shown.)

    ``subject``: the names (of the question) the figures are about; a passage of another
    article that mentions none of them reports on something else."""
    docs = {passages[i - 1].doc_id for i in cited if 1 <= i <= len(passages)}
    figures = [c for c in number_contexts(sentence) if len(c[2]) >= MIN_SHARED]
    by_article: dict[str, list[FigureSentence]] = {}
    for s in _figure_sentences(passages, docs, years, subject) if figures else []:
        by_article.setdefault(passages[s[0] - 1].doc_id, []).append(s)
    baselines = _baselines(sentence)
    beside = [c for c in figures if c[1] not in baselines]
    return [
        d
        for raw, n, near, q in figures
        for article in by_article.values()
        for d in _same_figure_elsewhere(raw, n, near, q, article, beside)
    ]


def indel_distance(a: str, b: str) -> int:
    """Letters to insert or delete (no substitutions) to turn ``a`` into ``b``."""
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0]
        for j, cb in enumerate(b, 1):
            cur.append(prev[j - 1] + 1 if ca == cb else max(prev[j], cur[j - 1]))
        prev = cur
    return len(a) + len(b) - 2 * prev[-1]


def _name_key(word: str) -> str:
    """Lower case, straight apostrophe, no possessive ("Niger’s" -> "niger")."""
    w = word.lower().replace("’", "'")
    return w[:-2] if w.endswith("'s") else w


def _variant(a: str, b: str) -> bool:
    """Two spellings of one name: same first letter, the longer is the shorter with at
    most 2 letters inserted (Tiani/Tchiani), the shorter has 5 letters or more, and
    neither is a word form of the other (Russia/Russian). A swapped letter makes a
    different name too often (Iran/Iraq, Guinea/Guiana, French/France), and short names
    with a letter added are often other places (Mali/Malawi)."""
    a, b = _name_key(a), _name_key(b)
    if a == b or a[0] != b[0] or a.startswith(b) or b.startswith(a):
        return False
    if LEXICON.place(a) and LEXICON.place(b):
        return False  # two places the lexicon knows apart (Austria, Australia)
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 5 and 0 < len(long_) - len(short) <= 2 and indel_distance(a, b) == len(long_) - len(short)


def other_spellings(sentence: str, cited: Sequence[int], passages: Sequence[Chunk]) -> list[Discrepancy]:
    """Names of ``sentence`` that passages of other articles spell differently."""
    cited_passages = [passages[i - 1] for i in cited if 1 <= i <= len(passages)]
    docs = {p.doc_id for p in cited_passages}
    written = {w for p in cited_passages for w in CAPITALISED_WORD.findall(p.text)}
    out = []
    for word in CAPITALISED_WORD.findall(sentence):
        if word.lower() in STOPWORDS:
            continue
        # The name as the cited passage writes it (the model may misspell it).
        canon = next((w for w in written if w.lower() == word.lower()), None) or next(
            (w for w in written if one_edit(w.lower(), word.lower())), None
        )
        if canon is None:
            continue
        for j, p in enumerate(passages, 1):
            if p.doc_id in docs:
                continue
            for sent in sentence_texts(p.text):
                for other in CAPITALISED_WORD.findall(sent):
                    if _variant(canon, other) and _name_key(other) not in {_name_key(w) for w in written}:
                        out.append(Discrepancy(j, "spelling", canon, other, sent))
    return out


def premise_corrections(question: str, passages: Sequence[Chunk]) -> list[Discrepancy]:
    """Figures of the question that no passage states, where a passage gives another
    figure next to the same words ("500 instructors" asked, "100 ... instructors" stated).

    A year an article is published in is stated by it: "its opening weekend in 2025",
    asked of articles from 2025 that say "opens on Friday", is no premise to correct with
    another film's opening in 2022. A passage that mentions none of the question's names
    reports on something else, and corrects nothing."""
    stated = {n for p in passages for n in numbers(p.text)}
    stated |= {y for p in passages if (y := date_line_year(p.published))}
    figures = [c for c in number_contexts(question) if c[1] not in stated and len(c[2]) >= MIN_SHARED]
    sentences = _figure_sentences(passages, set(), subject=_subject(question)) if figures else []
    out = []
    for raw, n, near, q in figures:
        found = _same_figure_elsewhere(raw, n, near, q, sentences)
        out += [Discrepancy(d.passage, "premise", d.claimed, d.found, d.evidence) for d in found]
    return out


def dedupe(found: Sequence[Discrepancy], limit: int = 2) -> list[Discrepancy]:
    """At most ``limit``, one per sentence, in order: a sentence that two passages hold
    (overlapping passages of one article, or one wire story in two outlets) is quoted
    once, from the first."""
    out, seen = [], set()
    for d in found:
        key = " ".join(d.evidence.split())
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out[:limit]


def statement(d: Discrepancy) -> str:
    """The sentence added to an answer for ``d`` (its citation is added by the caller)."""
    quote = without_dateline(" ".join(d.evidence.split()))
    if d.kind == "spelling":
        return f"Another article spells the name {d.found}: “{quote}”"
    if d.kind == "premise":
        return f"The articles do not give {d.claimed}; they say: “{quote}”"
    return f"Another article gives a different figure: “{quote}”"


def find(
    question: str, claims: Sequence[tuple[str, Sequence[int]]], passages: Sequence[Chunk], limit: int = 2
) -> list[Discrepancy]:
    """Everything the answer should add: other figures and spellings for its supported
    sentences (``(text, cited passages)``), and corrections of the question's figures.
    Versions the answer already states are left out, and so are other figures for two
    the answer repeats from the question: a year it asks about ("the 2022 Fenwick mayoral
    election" is another edition, not another report of "the 2026 Fenwick mayoral
    election") and the number of a name ("Novix Arc 5": a rival's "200" is no other
    report of it)."""
    answer = " ".join(text for text, _ in claims)
    stated_numbers = numbers(answer)
    found: list[Discrepancy] = []
    years = asked_years(question)
    asked = years | _numbers_of_names(question)
    for text, cited in claims:
        subject = _subject(question, text)
        found += [
            d for d in other_figures(text, cited, passages, years, subject) if _norm_number(d.claimed) not in asked
        ]
        found += other_spellings(text, cited, passages)
    found += premise_corrections(question, passages)
    fresh = [d for d in found if _norm_number(d.found) not in stated_numbers and d.found.lower() not in answer.lower()]
    return dedupe(fresh, limit)
