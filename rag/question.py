"""The question, analysed once: a frozen :class:`Question` that retrieval, the gate, the
answer checks and the discrepancy finder all read."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .lang import (
    LEXICON,
    compound_parts,
    content_words,
    is_named,
    numbers,
    spelled_date,
    stem,
    strip_citations,
    term_matches,
    terms,
    words,
    year_glosses,
)
from .lang.patterns import (
    ANAPHORA,
    AUX,
    BOTH,
    COLLECTION_COUNT,
    COLLECTION_COVERAGE,
    COLLECTION_LIST,
    COLLECTION_PUBLISHED,
    COMPARISON,
    EXCLUDED,
    FRONTED,
    NAME_RUN,
    OVERVIEW,
    POINTS_BACK,
    PRESUPPOSES,
    QUANTIFIERS,
    THE_OTHER,
    TIMELINE,
    YES_NO,
)
from .types import Chunk, Message

#: Subject words up to which a question counts as short: every word and name of a short
#: question is its subject. A longer, multi-clause one describes its subject redundantly,
#: often across several articles (used by the gate and the checks).
SHORT_QUESTION = 6


@dataclass(frozen=True)
class Question:
    """What a question asks, worked out once.

    ``kind`` is ``yesno``, ``quantity`` (how many/much), ``time`` (when, what year),
    ``name`` (what is the name / what is X called), ``entity`` (which company / who did
    X: the answer is a name) or ``open``. ``answer_type`` holds the
    stemmed words of its wh-phrase ("Which *European country* ..."): they describe the
    answer, so a passage that answers need not contain them. ``names`` are the capitalized
    phrases the question is about (stemmed), without those it sets aside ("besides the
    US") or that describe the answer.
    """

    text: str
    kind: str
    answer_type: frozenset[str]
    names: tuple[tuple[str, ...], ...]
    excluded: tuple[tuple[str, ...], ...]
    numbers: frozenset[str]
    follow_up: bool
    #: The answer it wants (see :func:`intent_of`): ``fact``, ``overview``, ``timeline``,
    #: ``comparison``, or ``collection`` (about the articles themselves).
    intent: str = "fact"

    @property
    def multipart(self) -> bool:
        """Does the question span several passages: more than :data:`SHORT_QUESTION`
        subject words, or two things asked about at once ("both the Veltrix story and
        the Iraq story")?"""
        return len(self.subject_words()) > SHORT_QUESTION or bool(BOTH.search(self.text))

    def subject_words(self) -> list[str]:
        """The question's words as written that say what it is about: not stopwords,
        question-frame words, answer-type words or very short words (order kept)."""
        out = []
        tokens = re.findall(r"\d[\d,.]*\d|\d|[\w'’-]+", self.text)
        for i, token in enumerate(tokens):
            if i == 0 and not (len(tokens) > 1 and tokens[1][:1].isupper()):
                token = token.lower()  # capitalized by position, not a name
            token = token.strip("-'’")
            ws = words(token)
            if not ws:
                continue
            w = ws[0]
            if re.fullmatch(r"[\d.,-]+", w):
                out.append(token.rstrip(".,"))
                continue
            s = stem(w)
            # "in May", "Theresa May": a named stopword inside the question is its subject.
            if (
                w in LEXICON.stopwords
                and not (w in LEXICON.named_stopwords and i > 0 and token[:1].isupper())
                or len(w) <= 2
                or s in LEXICON.frame_stems
                or w in LEXICON.question_frame
                or s in self.answer_type
            ):
                continue
            out.append(token.rstrip(".,"))
        return list(dict.fromkeys(out))


def name_phrases(text: str) -> list[tuple[str, ...]]:
    """Runs of capitalized words as stemmed tuples ("Mamadou Adje" -> ("mamadou", "adje")),
    stopwords (but "May", :attr:`rag.lang.Lexicon.named_stopwords`) and framing words left out."""
    out = []
    for run in NAME_RUN.finditer(text):
        phrase = tuple(
            _stem_word(w)
            for token in re.finditer(r"\S+", run.group(0))
            for w in words(token.group(0))
            if (
                # "May" is a name inside a sentence; "Three" opening one is a count.
                w not in LEXICON.stopwords
                and w not in LEXICON.spelled_figures
                or (w in LEXICON.named_stopwords or w in LEXICON.spelled_figures)
                and is_named(text, run.start() + token.start(), run.start() + token.end())
            )
            and not w.isdigit()
            and len(w) > 1
            and stem(w) not in LEXICON.framing_stems
        )
        if phrase:
            out.append(phrase)
    return out


def mentions(phrase: tuple[str, ...], vocab: set[str] | frozenset[str]) -> bool:
    """Does a name phrase (from :func:`name_phrases`) occur among stemmed terms? A full
    name is matched by its last word ("Mamadou Adje" by "Adje"), as articles shorten names."""
    return term_matches(phrase[-1], vocab) or all(term_matches(w, vocab) for w in phrase)


def another_with_the_same_tail(phrase: tuple[str, ...], names: Sequence[tuple[str, ...]]) -> bool:
    """Does a text whose name phrases are ``names`` name someone or something else that
    ends like ``phrase`` ("Halvorsen Foods" for "Marlow Foods", "Jason Kelce" for "Travis
    Kelce")? Then the shared last word names that other one, not ``phrase``. A first
    word with the same initial is the same one written short ("Abdul" / "Abdourahamane",
    "A. Tchiani")."""
    if len(phrase) < 2:
        return False
    initials = {w[:1] for w in phrase[:-1]}
    return any(
        len(other) > 1 and other[-1] == phrase[-1] and not initials & {w[:1] for w in other[:-1]} for other in names
    )


def _stem_word(w: str) -> str:
    """Stem as :func:`rag.lang.terms` does: a hyphenated word part by part."""
    return "-".join(stem(p) for p in w.split("-")) if "-" in w else stem(w)


def _kind(q: str, answer_type: frozenset[str]) -> str:
    low = q.lower()
    if re.search(r"\bhow (many|much)\b", low):
        return "quantity"
    if re.match(r"\s*(when|(in|on|by)? ?(what|which) (year|date|month|day|time))\b", low):
        return "time"
    if re.match(r"\s*(what|which)\b.*\bnamed?s?\b", low) or re.search(r"\bwhat is .* called\b", low):
        return "name"
    if YES_NO.match(q) or FRONTED.match(q):
        return "yesno"
    if answer_type & {stem(w) for w in LEXICON.entity_types}:
        return "entity"
    if re.match(r"\s*who\s+(?!is\b|are\b|was\b|were\b|'s\b)", q, re.IGNORECASE):
        return "entity"
    return "open"


def _answer_type(q: str) -> frozenset[str]:
    """Stems of the wh-phrase's words: "Which European country still operates ..." ->
    {european, country}; "What is the name of the service that ..." -> {service}. Up to three words after which/what, stopping at an auxiliary, a
    stopword or a past-tense verb. ("How many *tanks*" counts tanks: its answer is a
    number, and the tanks are the subject.)"""
    # "What is the name of the *service* ...": the thing named is the answer's type.
    m = re.match(
        r"\W*(?:\w+\W+){0,3}?(which|what)\s+(?:(?:is|was|are|were)\s+the\s+(?:full\s+)?names?\s+of\s+(?:the|an?)\s+)?",
        q,
        re.IGNORECASE,
    )
    if not m:
        return frozenset()
    named = m.group(0).rstrip().lower().endswith(("the", "a", "an"))
    out = []
    tokens = q[m.end() :].split()
    for i, token in enumerate(tokens[:3]):
        w = (words(token) or [""])[0]
        # "the full name of *the CNSP*": a name there is what is named, not a type; so is
        # a name that no common noun follows ("Which articles mention *Norvale*?", "Compare
        # what *Markets Wire* and ..."), while "Which *Premier League* club" and "Which
        # former *US* president" are types written with capitals.
        if token[:1].isupper() and (named or not _names_a_type(tokens[i:])):
            break
        if not w or w in AUX or w in LEXICON.stopwords or w.endswith("ed") or w in LEXICON.irregular:
            break
        out.append(stem(w))
        if token.rstrip().endswith((",", "?", ".")):
            break
    return frozenset(out)


def _names_a_type(tokens: Sequence[str]) -> bool:
    """Do capitalised words (``tokens`` from the first of them on) qualify a common noun
    after them ("Premier League *club*", "US *president*"), so that they are part of the
    type asked about, not a name?"""
    for token in tokens:
        if token[:1].isupper() and not re.search(r"[,?.;:]$", token):
            continue
        w = (words(token) or [""])[0]
        return token[:1].islower() and bool(w) and w not in AUX and w not in LEXICON.stopwords
    return False


def _asking_sentence(text: str) -> str:
    """The last sentence of a question made of several (the one with the question mark,
    or a wh-word), else the whole text."""
    stripped = text.strip()
    parts: list[str] = []
    start = 0
    for m in re.finditer(r"(?<=[.!?])\s+(?=[A-Z])", stripped):
        before = re.findall(r"[\w.]+(?=[.!?]$)", stripped[start : m.start()])
        word = before[-1].lower() if before else ""
        # Not after an abbreviation ("vs.", "Dr.", "U.S.") or an initial ("John F. Kennedy").
        if word in LEXICON.abbreviations or (len(word) == 1 and word.isalpha()):
            continue
        parts.append(stripped[start : m.start()])
        start = m.end()
    parts = [p for p in parts + [stripped[start:]] if p]
    if len(parts) < 2:
        return text
    for p in reversed(parts):
        if p.rstrip().endswith("?") or re.match(
            r"\s*(who|what|which|when|where|why|how|is|are|was|were|do|does|did)\b", p, re.IGNORECASE
        ):
            return p
    return text


def presupposes(question: Question) -> bool:
    """Does the question take its event as given ("Why did the council reject ...?")?
    Its words no passage mentions are then a premise to check, not paraphrase."""
    return bool(PRESUPPOSES.match(question.text))


def is_follow_up(question: str) -> bool:
    """True when the question leans on earlier turns: a pronoun ("what did he say?"), a
    word pointing back (:data:`rag.lang.patterns.POINTS_BACK`: "Is that more than ...?";
    "the other" in a question that names nothing: "What did the other outlet report?") or
    too few content words to stand alone ("and Germany?", "By how many votes?")."""
    words_ = re.findall(r"[a-z']+", question.lower())
    if any(w in ANAPHORA for w in words_) or POINTS_BACK.search(question):
        return True
    if THE_OTHER.search(question) and not NAME_RUN.search(without_first_capital(question)):
        return True
    return len([w for w in content_words(question) if w.lower() not in QUANTIFIERS]) < 2


def without_first_capital(text: str) -> str:
    """The text for finding names: without its first word, which is capitalized by
    position ("Considering ...", "Which ..."), unless a capitalized word follows it."""
    first, _, rest = text.strip().partition(" ")
    return text if rest[:1].isupper() else rest


def analyse(text: str) -> Question:
    """Analyse a (validated) question."""
    body = without_first_capital(text)
    excluded = [p for m in EXCLUDED.finditer(body) for p in name_phrases(m.group(2))]
    # "Pope Francis died in April ... Which country is the new pope from?": the names
    # of the background sentence set the scene; the asking sentence says what is asked
    # (its kind, the answer's type and the names it is about).
    sentence = _asking_sentence(text)
    kept_body = EXCLUDED.sub(" ", without_first_capital(sentence))
    answer_type = _answer_type(sentence)
    names = []
    for phrase in name_phrases(kept_body):
        phrase = tuple(w for w in phrase if w not in answer_type)
        if phrase and phrase not in names:
            names.append(phrase)
    return Question(
        text=text,
        kind=_kind(sentence, answer_type),
        answer_type=answer_type,
        names=tuple(names),
        excluded=tuple(excluded),
        numbers=frozenset(numbers(text)),
        follow_up=is_follow_up(text),
        intent=intent_of(text),
    )


#: The answers a question can want besides a fact, in the order they are tried.
INTENTS = ("collection", "timeline", "comparison", "overview")


def intent_of(text: str) -> str:
    """What kind of answer the question wants: ``collection`` ("Which articles do you
    have?", "When was the DW article published?", "How many articles mention X?"),
    ``timeline`` ("Give me a timeline ..."), ``comparison`` ("How do the CNN and DW
    reports differ?"), ``overview`` ("What is this story about?", "Summarize ..."), or
    ``fact`` (everything else: today's path)."""
    if any(p.search(text) for p in (COLLECTION_LIST, COLLECTION_COUNT, COLLECTION_PUBLISHED, COLLECTION_COVERAGE)):
        return "collection"
    if TIMELINE.search(text):
        return "timeline"
    if COMPARISON.search(text):
        return "comparison"
    if OVERVIEW.search(text):
        return "overview"
    return "fact"


def passage_text(chunk: Chunk) -> str:
    """What a passage says, as the checks read it: its article's headline, outlet, date
    (spelled out: "October 7, 2023") and text, with the year in digits after a year it
    names by its distance from that date ("last year (2024)", see :func:`year_glosses`)."""
    return f"{chunk.title} {chunk.source} {spelled_date(chunk.published)} {year_glosses(chunk.text, chunk.published)}"


def passage_vocabulary(chunks: Sequence[Chunk]) -> tuple[set[str], set[str]]:
    """Everything the passages mention: stemmed terms of their headlines, outlets and
    texts, and the figures of their texts (what :func:`unmentioned` compares against)."""
    vocab = {t for c in chunks for t in terms(passage_text(c))}
    return vocab, {
        n for c in chunks for n in numbers(f"{spelled_date(c.published)} {year_glosses(c.text, c.published)}")
    }


def unmentioned(
    question: Question, passage_terms: set[str], passage_numbers: set[str], *, words_too: bool = False
) -> list[str]:
    """Numbers and names of the question that no passage mentions (a possible false
    premise, or a subject the articles do not cover), in question order. With
    ``words_too``, its other subject words as well."""
    out = []
    # A name the passages give in short ("Mahomes" for "Patrick Mahomes") is mentioned,
    # first name and all.
    named = {w for ph in name_phrases(question.text) if len(ph) > 1 and mentions(ph, passage_terms) for w in ph}
    for token in question.subject_words():
        w = words(token)[0]
        if re.fullmatch(r"[\d.,-]+", w):
            missing = not numbers(token) <= passage_numbers
        elif token[0].isupper() and _stem_word(w) in named:
            missing = False
        elif token[0].isupper() or words_too:
            parts = compound_parts(w)
            missing = not term_matches(stem(w), passage_terms) and not (
                parts and all(term_matches(stem(p), passage_terms) for p in parts)
            )
            # "Did Measure C pass?" is answered by "Measure C failed": a yes/no question's
            # outcome is mentioned when the passages report it in other words ("rose" for
            # "increase") or report one that excludes it.
            if missing and question.kind == "yesno":
                s = stem(w)
                said = LEXICON.same_outcome_stems.get(s, frozenset()) | LEXICON.opposite_stems.get(s, frozenset())
                missing = not said & passage_terms
        else:
            missing = False
        if missing:
            out.append(token)
    return out


def retrieval_query(question: Question, history: Sequence[Message] = ()) -> str:
    """The text to retrieve with: a follow-up is joined to the previous user question so
    that its subject is found too; a self-contained question stands alone (joining it
    would only dilute the search)."""
    previous = [m for m in history if m.get("role") == "user" and str(m.get("content", "")).strip()]
    if not previous or not question.follow_up:
        return question.text
    return f"{strip_citations(str(previous[-1]['content']))[:500]} {question.text}"
