"""Does a passage support a sentence? One scoring function, and the citation check built
on it: pure functions, no model.

The small model states facts well but sometimes cites the wrong passage or none, and
sometimes answers from memory. So every answer sentence is checked against the passage
it cites: its content words, every number (next to the same words) and every name must
occur there. A wrong citation is re-pointed to the passage that does support the
sentence; a sentence that no passage supports keeps no citation and is reported as
unsupported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

from ..lang import (
    LEXICON,
    date_line_year,
    figure,
    is_year,
    neighbours,
    numbers,
    respelled,
    sentence_texts,
    spelled_figures,
    stem,
    term_matches,
    terms,
    unglued,
    without_dateline,
)
from ..lang.patterns import (
    ABOUT_THE_SOURCES,
    CORRECTION,
    NEGATIONS,
    OTHER_YEAR,
    PERCENT,
    QUOTATION,
    REALISED_BEFORE_TO,
    UNREALISED,
)
from ..question import Question, another_with_the_same_tail, mentions, name_phrases, passage_text
from ..types import Chunk
from .parse import Sentence, leading_clauses


@dataclass(frozen=True)
class CheckedSentence:
    """A sentence after checking: ``cited`` holds only passages that support it."""

    text: str
    claimed: tuple[int, ...]
    cited: tuple[int, ...]
    support: float  # best support among the cited passages (0 when none)

    @property
    def supported(self) -> bool:
        return bool(self.cited)


def passage_terms(chunk: Chunk) -> set[str]:
    """The stemmed terms a passage offers as support (title, outlet and text)."""
    return _name_terms(passage_text(chunk))


def _name_terms(text: str) -> set[str]:
    """Every stemmed term of a text, framing words included: what a name is sought in
    ("United *States*" is a place, though "states" frames a claim elsewhere)."""
    return set(terms(text))


def _terms(text: str) -> list[str]:
    """Stemmed content terms (hyphen parts and aliases included, a figure apart from the
    unit glued to it, a percentage's unit as one word however written: "58%" stands next
    to "percent" as "58 per cent" does), framing words left out."""
    return [t for t in unglued(terms(PERCENT.sub(" percent ", text))) if t not in LEXICON.framing_stems]


def support(
    sentence: str,
    passage: str,
    question: Question | None = None,
    context: str = "",
    lead: str = "",
    hard_only: bool = False,
    cited: bool = False,
    year: str = "",
) -> float:
    """How well ``passage`` supports what ``sentence`` claims, from 0 to 1.

    The claim is what the sentence adds to the question: "*Mississippi* is investigating
    an alleged arson at its largest synagogue" claims Mississippi; the rest restates the
    question, whose words a long article spreads over several passages. So the score is
    the share of the sentence's *new* words found in the passage, provided the passage
    also holds at least half of the question words the sentence repeats (it is about the
    question: "a revonimab injection costs £1.12 billion" cannot cite the tunnel story
    for its figure). It is 0 if a number or a new name of the sentence is missing from
    the passage, or a number appears there about something else ("100 days" against
    "100 instructors"), or the sentence adds nothing to the question. Without a question,
    every word is new.

    Numbers the question itself states are exempt from the number rule in a sentence that
    corrects it ("100, not 500"), so correcting a false premise can still be supported;
    a sentence that repeats the premise as fact cannot.

    ``context`` (the text of all the passages given), when set, is where the repeated
    question words are sought instead: a long question that describes its subject by
    several articles ("the company noted by TechCrunch for X and by The Verge for Y")
    is restated by an answer ("Apple is noted ... for X and ... for Y") whose repeated
    words no one passage holds, while its claim, "Apple", is in one.

    ``lead`` (the first passage of the passage's article), when set, lends its names: an
    article names a place in full once ("Louisville, Kentucky") and then in short.

    ``hard_only``: 1 when the sentence passes the hard rules (its figures and names are
    in the passage, and it claims something), whatever its words: the passages a judge
    of paraphrase may be asked about (see :func:`check`).

    ``cited``: the sentence cites this passage itself (the model chose it, not words alone).

    ``year``: the year of the passage's date line (see :func:`dated_by_the_date_line`).
    """
    terms = _terms(sentence)
    if not terms or misquotes(sentence, passage, question.text if question else ""):
        return 0.0
    asked = question.numbers if question else frozenset()
    exempt = asked if CORRECTION.search(sentence) else set()
    have = numbers(passage)
    asked_years = {n for n in asked if is_year(n)}
    if names_no_other_year(passage, have, asked_years if cited else set()):
        # An undated passage that names no year can neither confirm nor contradict the
        # question's year ("Who won the 2017 election?" against "X won the election on
        # Sunday"): the sentence may restate it. So may a passage the model cited whose
        # only year is the question's, often in its date line alone, far from the words
        # the sentence puts next to it; of a question naming two years, only the one it
        # names ("2024 compared with 2023" against a passage about 2023 bears out 2023).
        # A passage found by words alone (a re-pointed citation) must bear the year out
        # next to the same words: this year's nominations story does not say who won this
        # year's award. A passage that names another year, in digits or as "last year",
        # or is dated another year, must too.
        exempt = exempt | ({n for n in asked_years if n in have} or asked_years)
    passage_terms = _terms(passage)
    # "4 hours and 10 minutes" against "Four hours and ten minutes": the same figures.
    spelled = spelled_figures(passage, counts=True)
    # "Two members voted against": a count the answer spells out is a figure too.
    said = {n: w for n, w in spelled_figures(sentence).items() if n not in exempt}
    if (numbers(sentence) | said.keys()) - have - exempt - spelled.keys():
        return 0.0
    vocab = set(passage_terms)
    # For a yes/no question, restating it is the claim ("Google has search deals with
    # Apple" confirms it): every word counts.
    q_vocab = set(_terms(question.text)) if question and question.kind != "yesno" else set()
    q_names = set(name_phrases(question.text)) if question else set()
    named = _name_terms(passage) | (_name_terms(lead) if lead else set())
    # A name given in short ("Mahomes") counts, unless the passage's short form belongs to
    # another of the same ending ("Marlow Foods" against a passage about "Halvorsen Foods").
    names_here = name_phrases(passage) + (name_phrases(lead) if lead else [])
    for phrase in name_phrases(sentence):
        if phrase in q_names:
            continue
        if not mentions(phrase, named) or (
            not all(term_matches(w, named) for w in phrase) and another_with_the_same_tail(phrase, names_here)
        ):
            return 0.0  # a person, place or group the passage never mentions
    if _percentages(terms) - _percentages(passage_terms) - exempt:
        return 0.0  # "41%" against "41 fewer migraine days": another quantity
    dated_claim = ""  # a year only the date line gives (see below)
    for n, written in [(n, n) for n in numbers(sentence) - exempt] + list(said.items()):
        # The sentence's words within 2 of the number must meet the passage's within 4.
        near = neighbours(terms, written, 2)
        around = neighbours(passage_terms, n, 4) | (neighbours(passage_terms, spelled[n], 4) if n in spelled else set())
        if n in spelled and spelled[n] not in passage_terms:  # "both", a stopword: the words around it
            around |= {
                t
                for m in re.finditer(rf"\b{re.escape(spelled[n])}\b", passage, re.IGNORECASE)
                for t in _terms(passage[max(0, m.start() - 40) : m.end() + 40])
            }
        if near and not any(term_matches(x, around) for x in near):
            if cited and n == year and passage_terms.count(n) == 1:
                # Only the date line of the passage the model cited gives the year, far
                # from the words the sentence puts next to it: whether it dates the claim
                # is decided below, on the claim.
                dated_claim = n
                continue
            return 0.0
    # Frame words ("46 *years old*", "the *name* is") shape the answer; they are neither
    # claim nor restatement. So are the words of the answer's type: "Which *pop star*
    # ...?" is answered by a passage that names the singer without calling her one.
    frame = LEXICON.frame_stems | question.answer_type if question and q_vocab else frozenset()
    restated = [
        t
        for t in terms
        if t not in frame and (t in q_vocab or (t not in numbers(sentence) and term_matches(t, q_vocab)))
    ]
    new = [t for t in terms if t not in restated and t not in frame]
    if q_vocab and not new:
        return 0.0  # only the question's own words: nothing is claimed
    if dated_claim and not dated_by_the_date_line(set(new), passage, dated_claim):
        return 0.0
    if hard_only:
        return 1.0
    about = set(_terms(context)) if context else vocab
    if restated and 2 * sum(term_matches(t, about) for t in restated) < len(restated):
        return 0.0
    # A figure is found however either writes it ("3" / "three").
    stated = vocab | spelled.keys() | {w for n, w in said.items() if n in have}
    found = sum(term_matches(t, stated) for t in new)
    # Smoothed by one: a claim of two words with one paraphrased ("sent" where the
    # passage says "arrived") still counts; names and figures above are hard rules.
    return (found + 1) / (len(new) + 1) if q_vocab else found / len(new)


def misquotes(sentence: str, passage: str, question: str = "") -> bool:
    """Does ``sentence`` put between quotation marks two words or more that ``passage``
    does not hold in that order (case, punctuation and an ellipsis's gap aside)? A quote
    is the source's own words: "the results were "slightly below expectations" [1]" cites
    a passage that must say so, not another article's analyst. Words the question quotes
    may be quoted back."""
    quoted = [_plain(part) for m in QUOTATION.finditer(sentence) for part in re.split(r"\.\.\.|…", m.group(1))]
    quoted = [q for q in quoted if " " in q]
    if not quoted:
        return False  # most sentences: the passage need not be read again
    said, asked = _plain(passage), _plain(question)
    return any(q not in said and q not in asked for q in quoted)


def _plain(text: str) -> str:
    """Lower-case words and figures alone, one space apart: what two quotes compare."""
    return " ".join(re.findall(r"[^\W_]+", text.lower().replace("’", "'").replace("'", "")))


def dated_by_the_date_line(claim: set[str], passage: str, year: str) -> bool:
    """Does the passage's date line date its ``claim`` (stemmed words: what a sentence
    adds to the question) to ``year``, the year the date line alone gives? News reports
    in its own year unless it says otherwise: so when the passage's sentences that best
    match the claim name no other year, in digits or as "last year". "The Marigold Arcade
    will close Saltmarsh Festival's main stage on the Saturday night" (dated March 2026)
    bears out "The Marigold Arcade is headlining Saltmarsh Festival 2026", though the
    article adds that the band's album reached number one last year; "revenue rose 14% to
    €4.3bn in 2023" (dated February 2024) does not bear out "revenue of €4.3bn for 2024",
    nor does "Last year, Ada Korr won album of the year" (dated 2026) bear out "Ada Korr
    won album of the year in 2026"."""
    scored = [(sum(term_matches(x, set(_terms(s))) for x in claim), s) for s in sentence_texts(passage)]
    top = max((k for k, _ in scored), default=0)
    return top > 0 and all(names_no_other_year(s, numbers(s), {year}) for k, s in scored if k == top)


def names_no_other_year(passage: str, figures: set[str], years: set[str]) -> bool:
    """Does the passage (its text as :func:`rag.question.passage_text` gives it, date
    included; ``figures``: its :func:`numbers`) name no year but ``years``, in digits or
    as "last year"?"""
    return all(n in years for n in figures if is_year(n)) and not OTHER_YEAR.search(passage)


def _percentages(ts: Sequence[str]) -> set[str]:
    """The figures of a term list (:func:`_terms`) that are percentages."""
    return {t for t, after in zip(ts, ts[1:], strict=False) if after == "percent" and figure(t) is not None}


def restates(sentence: str, question: Question) -> bool:
    """Does the sentence only repeat the question ("Scott Adams died this week." for a
    question that says so before asking)? Such a sentence claims nothing."""
    q_vocab = set(_terms(question.text))
    ts = [t for t in _terms(sentence) if t not in LEXICON.frame_stems]
    return bool(ts) and all(t in q_vocab or term_matches(t, q_vocab) for t in ts)


def about_the_question(
    question: Question, cited: Sequence[int], passages: Sequence[Chunk], leads: Mapping[str, Chunk] | None = None
) -> bool:
    """Do the ``cited`` passages (1-based) mention every name of the question that any of
    the ``passages`` mentions? A passage about another place or person answers another
    question: "100 instructors arrived in Niger" (from the Niger passage) does not answer
    "How many soldiers arrived in Burkina Faso?", however well it supports itself.

    ``leads`` maps an article to its first passage: a later passage names its subject
    once and then says "the planet" or "the company", so the names of its article's lead
    count for it. (Any other passage of the article would not do: the Niger article
    mentions Burkina Faso further down, as a neighbour; measured on the dev sets.)

    Names the question sets aside ("besides the US") and words that describe the answer
    ("Which *European* country ...") are not required."""
    texts = [passage_text(p) for p in passages]
    known = {t for text in texts for t in _name_terms(text)}
    chosen = [passages[n - 1] for n in cited if 1 <= n <= len(texts)]
    heads = [leads[p.doc_id] for p in chosen if leads and p.doc_id in leads]
    here = {t for text in [passage_text(p) for p in chosen + heads] for t in _name_terms(text)}
    names = [ph for ph in question.names if mentions(ph, known)]
    found = sum(mentions(ph, here) for ph in names)
    # A short question's names are all its subject; a long, multi-clause one names the
    # several articles it compares, which no one answer sentence's passages all hold.
    if not question.multipart:
        return found == len(names)
    return 2 * found >= len(names)


def supporters(
    text: str,
    passages: Sequence[Chunk],
    question: Question,
    threshold: float,
    leads: Mapping[str, Chunk] | None = None,
    claimed: Sequence[int] = (),
) -> tuple[int, ...]:
    """Every passage (1-based) that supports ``text`` on its own (``claimed``: those the
    sentence cites, see :func:`support`)."""
    scores = _scores(text, _sources(passages, leads), question, claimed)
    return tuple(n for n, score in scores.items() if score >= threshold)


@dataclass(frozen=True)
class _Source:
    """What one passage offers as support: its text, its article lead's text ("" when
    unknown or the passage itself) and its date line's year ("" when undated)."""

    text: str
    lead: str
    year: str


def _sources(passages: Sequence[Chunk], leads: Mapping[str, Chunk] | None) -> list[_Source]:
    return [
        _Source(
            passage_text(p),
            passage_text(leads[p.doc_id]) if leads and p.doc_id in leads and leads[p.doc_id] != p else "",
            date_line_year(p.published),
        )
        for p in passages
    ]


def _scores(
    text: str, sources: Sequence[_Source], question: Question | None, claimed: Sequence[int] = ()
) -> dict[int, float]:
    """:func:`support` of ``text`` by each passage (1-based; ``claimed``: those it
    cites). A long question spans several passages: its restatement is sought in all of
    them."""
    context = " ".join(s.text for s in sources) if question and question.multipart else ""
    return {
        n: support(text, s.text, question, context, s.lead, cited=n in claimed, year=s.year)
        for n, s in enumerate(sources, 1)
    }


def _best_support(
    text: str,
    sources: Sequence[_Source],
    claimed: Sequence[int],
    question: Question | None,
    threshold: float,
) -> tuple[tuple[int, ...], float]:
    """The passages (1-based) that support ``text``: the claimed ones that do, else the
    best single passage (every supporting one for a long question). (Joining two
    passages was tried and measured: it let false compositions through, "100 instructors
    arrived in Mali" from two passages.)"""
    scores = _scores(text, sources, question, claimed)
    kept = tuple(n for n in claimed if scores[n] >= threshold)
    if kept:
        return kept, max(scores[n] for n in kept)
    if question and question.multipart:
        # The restatement of a long question draws on several articles: every passage
        # that supports the claim is cited, not one picked among equals.
        kept = tuple(n for n in scores if scores[n] >= threshold)
        return kept, max((scores[n] for n in kept), default=0.0)
    best = max(scores, key=lambda n: (scores[n], -n), default=None)
    if best is not None and scores[best] >= threshold:
        return (best,), scores[best]
    return (), 0.0


def check(
    sentences_: Sequence[Sentence],
    passages: Sequence[Chunk],
    question: Question | None = None,
    threshold: float = 0.6,
    avoid: frozenset[str] = frozenset(),
    leads: Mapping[str, Chunk] | None = None,
    judge: Judge | None = None,
) -> list[CheckedSentence]:
    """Keep citations that support their sentence; re-point or drop the others.

    Out-of-range numbers are dropped. A sentence whose cited passages do not support it
    gets the best supporting passage instead, if any reaches ``threshold``; otherwise no
    citation, and an unsupported sentence about the sources themselves is dropped. A
    sentence with a term of ``avoid`` (what the question assumes and no passage says) is
    never supported. ``leads``: each article's first passage (see :func:`support`).

    ``judge``, when given, is asked about a sentence the words alone do not support (a
    paraphrase): its p(yes) that a passage states the sentence, for the passages that
    pass the hard rules (every figure, next to the same words, and every new name in the
    passage). At ``judge.bar`` or above, that passage supports the sentence.
    """
    sources = _sources(passages, leads)
    out = []
    for s in sentences_:
        claimed = tuple(n for n in s.cited if 1 <= n <= len(passages))
        text = s.text
        if avoid and any(not negated(text, t) for t in avoid & set(_terms(text))):
            out.append(CheckedSentence(text, tuple(s.cited), (), 0.0))
            continue
        if s.parts and len({p.cited for p in s.parts}) > 1:
            # The model cited each clause on its own: check them so.
            halves = check(s.parts, passages, question, threshold, avoid, leads, judge)
            if all(h.supported for h in halves):
                out += halves
                continue
        kept, score = _best_support(text, sources, claimed, question, threshold)
        if not kept and s.parts:
            # "The Verge says X [1], while TechCrunch says Y [2]": no one passage holds
            # both halves; each half is checked against its own citation.
            halves = check(s.parts, passages, question, threshold, avoid, leads, judge)
            if any(h.supported for h in halves):
                out += halves
                continue
        if not kept:
            # "Wagner is a private Russian military group, operating in Mali since 2018":
            # keep the longest leading clause a passage supports, drop the unsupported tail.
            for prefix in leading_clauses(text):
                kept, score = _best_support(prefix, sources, claimed, question, threshold)
                if kept:
                    text = prefix
                    break
        if not kept and judge is not None:
            kept, score = _judged(text, sources, claimed, question, judge)
        if kept:
            # A name the model misspelt by a letter is shown as the cited passage spells it.
            text = respelled(text, [sources[n - 1].text for n in kept])
        if kept or not ABOUT_THE_SOURCES.search(text):
            out.append(CheckedSentence(text, tuple(s.cited), kept, score))
    return out


@dataclass(frozen=True)
class Judge:
    """The model as a judge of support: ``ask(sentence, n)`` is its p(yes) that passage
    ``n`` (1-based) states the sentence; ``bar`` the p(yes) that counts as support."""

    ask: Callable[[str, int], float]
    bar: float = 0.5
    #: Passages asked about per sentence at most (each question costs a short prefill).
    tries: int = 2


def _judged(
    text: str,
    sources: Sequence[_Source],
    claimed: Sequence[int],
    question: Question | None,
    judge: Judge,
) -> tuple[tuple[int, ...], float]:
    """The passage the model judges to state ``text``, among those that pass the hard
    rules (figures and names; the words are the judge's to weigh): the cited ones first,
    else the best-scoring."""
    scores = _scores(text, sources, question, claimed)
    hard = {
        n: support(text, s.text, question, lead=s.lead, hard_only=True, cited=n in claimed, year=s.year)
        for n, s in enumerate(sources, 1)
    }
    candidates = [n for n in claimed if hard[n]] or sorted(
        (n for n in scores if hard[n]), key=lambda n: (-scores[n], n)
    )
    for n in candidates[: judge.tries]:
        p = judge.ask(text, n)
        if p >= judge.bar:
            return (n,), p
    return (), 0.0


def negated(sentence: str, term: str, window: int = 3) -> bool:
    """Is ``term`` (stemmed) denied in the sentence: "did *not* reject", "never rose",
    "*no one* died"? Denying a premise is a correction, not a repetition of it."""
    tokens = re.findall(r"[\w'’-]+", sentence.lower())
    for i, tok in enumerate(tokens):
        if term in terms(tok):
            before = tokens[max(0, i - window) : i]
            if any(_denies(b) for b in before):
                return True
    return False


def _denies(word: str) -> bool:
    """Is the (lower-case) word a negation: :data:`NEGATIONS` or a "-n't" form?"""
    return word in NEGATIONS or word.endswith(("n't", "n’t"))


def reported(sentence: str, term: str, subject: Collection[str] = ()) -> bool:
    """Does the sentence report ``term`` (stemmed) as having happened: not denied ("did
    not pass") and not a plan, a need or a possibility ("needed a majority to pass",
    "could win", "cuts could come")? With ``subject`` (stemmed name words), only of
    them: the name nearest to the word, when the sentence has names, is one of theirs."""
    tokens = re.findall(r"[\w'’-]+", without_dateline(sentence))
    # Runs of capitalised words after the first are names ("Dr Helen Marsh"; the first
    # word may open any sentence); a day or a month is a date. Of two as near, the
    # subject's ("Voters rejected Measure C").
    runs: list[list[int]] = []
    for i, tok in enumerate(tokens):
        lower = tok.lower()
        if tok[:1].isupper() and (i or stem(lower) in subject) and lower not in LEXICON.date_words:
            if runs and runs[-1][-1] == i - 1:
                runs[-1].append(i)
            else:
                runs.append([i])
    ours = [any(stem(tokens[j].lower()) in subject for j in run) for run in runs]
    lower = [tok.lower() for tok in tokens]
    for i, tok in enumerate(tokens):
        before = lower[max(0, i - 3) : i]
        # "went on to win", "came back from a goal down to win": a "to" that reports.
        done = i >= 2 and lower[i - 1] == "to" and lower[i - 2] in REALISED_BEFORE_TO
        if (
            term not in terms(tok)
            or lower[i + 1 : i + 2] in (["could"], ["would"], ["may"], ["might"], ["will"])
            or any(_denies(b) for b in before)
            or (not done and any(b in UNREALISED for b in before))
        ):
            continue
        nearest = min(range(len(runs)), key=lambda r: (min(abs(j - i) for j in runs[r]), not ours[r]), default=None)
        if not subject or nearest is None or ours[nearest]:
            return True
    return False
