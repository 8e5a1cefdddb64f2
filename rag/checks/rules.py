"""The decision to answer or refuse: one named step, with its reasons.

Two moments decide. Before generation, :func:`gate_bar` sets how sure the model must be
that the passages answer (a question about names no passage mentions must clear a higher
bar). After generation, :func:`verdict` checks the draft against the passages and either
accepts it (with citations re-pointed, unsupported sentences marked) or refuses, saying
why. Checks that would throw away an answer whose facts the passages hold are soft: they
drop a citation or mark a sentence unsupported instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from ..lang import (
    LEXICON,
    STOPWORDS,
    asked_years,
    content_words,
    figure,
    injection_reason,
    is_year,
    neighbours,
    numbers,
    other_years,
    sentence_texts,
    spelled_date,
    stem,
    term_matches,
    terms,
    without_dateline,
    words,
)
from ..lang.patterns import (
    ASKS_FOR_LINK,
    COMPOUND,
    IMPERATIVE,
    LINK,
    MONEY,
    MONEY_QUESTION,
    NAME_RUN,
    PLAN,
    PLAN_CHANGED,
    PLAN_NEW_TIME,
    QUANTITY_WORDING,
    SEASON,
    SOURCE_QUESTION,
    TIME_WORDING,
    YES_NO_LEAD,
)
from ..question import (
    SHORT_QUESTION,
    Question,
    mentions,
    name_phrases,
    passage_vocabulary,
    presupposes,
    unmentioned,
    without_first_capital,
)
from ..types import Chunk
from .parse import Sentence, is_refusal, markers_only, split_answer
from .support import (
    CheckedSentence,
    Judge,
    about_the_question,
    check,
    negated,
    passage_terms,
    reported,
    restates,
    supporters,
)


@dataclass(frozen=True)
class Verdict:
    """Answer or refuse, why, and the checked sentences to render when answering."""

    answer: bool
    reasons: tuple[str, ...]
    sentences: tuple[CheckedSentence, ...] = ()


def source_reply(question: Question, draft: str, chunks: Sequence[Chunk]) -> str | None:
    """The draft of a question about where the news comes from ("Who reported that?"),
    when the model answered with citation markers alone ("[1]": the passage is the
    source), as a sentence naming each cited passage's outlet and date, or its headline
    when the article names no outlet. None for any other question or draft."""
    if not SOURCE_QUESTION.search(question.text):
        return None  # the common case: no draft parsing
    cited = [n for n in markers_only(draft) if 1 <= n <= len(chunks)]
    if not cited:
        return None
    out = []
    for n in cited[:2]:
        c = chunks[n - 1]
        day = spelled_date(c.published)
        when = f" on {day}" if day else ""
        title = c.title or c.doc_id
        out.append(
            f"{c.source} reported it{when} [{n}]." if c.source else f"It is from the article “{title}”{when} [{n}]."
        )
    return " ".join(out)


def gate_bar(question: Question, chunks: Sequence[Chunk], base: float, strict: float) -> tuple[float, str]:
    """The p(yes) the gate must reach, and why. The strict bar applies when the question
    names a person, place, outlet or figure that no passage mentions, or when most of its
    subject words are missing: the model tends to say yes and answer with a nearby fact.
    Ordinary words missing here and there are paraphrase ("hottest day" for "record
    temperature"), and keep the base bar."""
    vocab, nums = passage_vocabulary(chunks)
    # A figure or date no passage gives is a premise to correct, not a reason for doubt.
    names = [
        w for w in unmentioned(question, vocab, nums) if not w[0].isdigit() and w.lower() not in LEXICON.date_words
    ]
    if names and _names_carry_the_subject(question, names):
        return strict, "the passages never mention " + ", ".join(names)
    # In a short question every word carries the subject; a long, multi-clause one
    # describes it redundantly and paraphrases freely (measured on the dev sets: short
    # unanswerable questions miss 2 of 4-5 words, answerable ones at most 1; long
    # answerable ones miss up to 80%), so there only names count.
    subject = [w for w in question.subject_words() if not w[0].isdigit()]
    missing = [w for w in unmentioned(question, vocab, nums, words_too=True) if not w[0].isdigit()]
    if missing and len(subject) <= SHORT_QUESTION and (len(missing) >= 2 or 5 * len(missing) >= 2 * len(subject)):
        return strict, "the passages miss the question's words " + ", ".join(missing)
    return base, ""


def _names_carry_the_subject(question: Question, missing: Sequence[str]) -> bool:
    """Are the names no passage mentions enough to doubt the passages? In a short
    question, any one is. A long, multi-clause question names outlets, people and places
    along the way; one of several missing is a detail the excerpts leave out, while a
    question about things the articles do not cover misses most of them (measured on the
    multi-article development set: unanswerable questions miss 3-4 of 4-5 names,
    answerable ones 1-2 of 4-8)."""
    if not question.multipart:
        return True
    gone = {stem(words(w)[0]) for w in missing}
    # One entity per name: "BBC" within "BBC News", "Zelenskyy" within "Volodymyr
    # Zelenskyy", "European" with "Europe".
    phrases = {
        tuple(p for w in ph for p in (LEXICON.place(w) or (w,)))
        for ph in name_phrases(without_first_capital(question.text))
    }
    entities = [ph for ph in phrases if not any(set(ph) < set(other) for other in phrases)]
    lost = [ph for ph in entities if any(w in gone for w in ph)]
    return 2 * len(lost) >= len(entities)


def split_yes_no(sentences: list[Sentence]) -> list[Sentence]:
    """ "Yes, the article says X [1]." -> "Yes." and "The article says X [1]." so that the
    direct answer stands on its own and the rest is checked as a claim."""
    if not sentences:
        return sentences
    first = sentences[0]
    m = YES_NO_LEAD.match(first.text)
    if not m:
        return sentences
    rest = first.text[m.end() :].strip()
    head = Sentence(m.group(1).capitalize() + ".", first.cited)
    if len(content_words(rest)) < 2:
        return [head] + sentences[1:]
    parts = tuple(
        Sentence(_capitalized(YES_NO_LEAD.sub("", p.text, count=1)) if i == 0 else p.text, p.cited)
        for i, p in enumerate(first.parts)
    )
    return [head, Sentence(_capitalized(rest), first.cited, parts)] + sentences[1:]


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def verdict(
    question: Question,
    draft: str,
    chunks: Sequence[Chunk],
    threshold: float,
    leads: Mapping[str, Chunk] | None = None,
    judge: Judge | None = None,
) -> Verdict:
    """Check a draft answer against the passages it was written from (``leads``: the
    first passage of each of their articles, see :func:`rag.checks.support.about_the_question`;
    ``judge``: the model asked about sentences the words alone do not support, see
    :func:`rag.checks.support.check`)."""
    sentences = split_answer(source_reply(question, draft, chunks) or draft)
    if not sentences or not sentences[0].text.strip():
        why = (
            "the draft could not be read as sentences (citation markers used as words)"
            if draft.strip()
            else "the model wrote nothing"
        )
        return Verdict(False, (why,))
    if is_refusal(sentences[0].text):
        return Verdict(False, ("the model said the passages do not answer",))
    yes_no = question.kind == "yesno" and bool(YES_NO_LEAD.match(sentences[0].text))
    if yes_no:
        sentences = split_yes_no(sentences)
    # A why-question presupposes its event. A sentence that repeats the event where no
    # passage states it ("Germany closed its airbase" for "Why did Germany close ...?")
    # restates a false premise, and is not supported.
    echo: frozenset[str] = frozenset()
    if presupposes(question):
        vocab, nums = passage_vocabulary(chunks)
        echo = frozenset(
            stem(words(w)[0]) for w in unmentioned(question, vocab, nums, words_too=True) if not w[0].isdigit()
        )
    checked = check(
        sentences[1:] if yes_no else sentences, chunks, question, threshold, avoid=echo, leads=leads, judge=judge
    )
    if yes_no:
        checked.insert(0, _direct_yes_no(sentences[0], checked, question, chunks))
    checked = [c for c in checked if not _unasked_link_or_instruction(c.text, question)]
    first = next((c for c in checked if c.supported), None)
    if first is None:
        return Verdict(False, ("no sentence of the draft is supported by a passage",), tuple(checked))
    # The direct answer is the first sentence that claims something: supporting detail
    # after an unsupported answer ("... is Wang. Wang testified that ... [1]") does not
    # make it an answer.
    direct = next((c for c in checked if c.supported or not restates(c.text, question)), first)
    if not direct.supported:
        return Verdict(
            False, ("the direct answer (the draft's first claim) is not supported by a passage",), tuple(checked)
        )
    if not answers_the_type(question, first.text):
        return Verdict(False, (f"the direct answer is not the kind asked for ({question.kind})",), tuple(checked))
    if not about_the_question(question, first.cited, chunks, leads):
        # "Market Wire published both the Veltrix story and the Iraq story [1]": the
        # model cited one of the passages that hold the answer; together they may be
        # about all the question names.
        every = supporters(first.text, chunks, question, threshold, leads, first.claimed)
        if not about_the_question(question, every, chunks, leads):
            return Verdict(
                False, ("the cited passages are about something else than the question's names",), tuple(checked)
            )
        widened = replace(first, cited=every)
        checked = [widened if c is first else c for c in checked]
        first = widened
    dated = dated_otherwise(question, first.text)
    if dated:
        return Verdict(
            False,
            (f"the answer is about {dated}, not the year the question asks about",),
            tuple(checked),
        )
    denial = denied(question, first, chunks) if yes_no else ""
    if denial:
        return Verdict(False, (f"{DENIED}: “{denial}”",), tuple(checked))
    rival = said_of_another(question, first, chunks)
    if rival:
        return Verdict(
            False, (f"the cited passages say this of {rival}, not of the question's subject",), tuple(checked)
        )
    if question.kind == "quantity" and not any(counts_the_subject(question, c, chunks) for c in checked if c.supported):
        return Verdict(
            False, ("the figure in the answer counts something the question does not ask about",), tuple(checked)
        )
    change = superseded_plan(question, first, chunks, leads)
    if change and change.new_time:
        # The newer report's own sentence answers "when": "The runoff has been rescheduled
        # for 23 March [2]", not the older report's 9 March, and not a refusal.
        moved = CheckedSentence(change.sentence, (change.passage,), (change.passage,), 1.0)
        return Verdict(True, (f"{MOVED} (passage [{change.passage}])",), (moved,))
    if change:
        return Verdict(
            False,
            (f"{SUPERSEDED} (passage [{change.passage}])",),
            tuple(checked),
        )
    notes = tuple(f"unsupported: {c.text}" for c in checked if not c.supported)
    return Verdict(True, notes, tuple(checked))


def denied(question: Question, answer: CheckedSentence, chunks: Sequence[Chunk]) -> str:
    """The sentence of a cited passage that denies a "Yes" (or ""): one of the question's
    words (not a name) that the cited passages use only denied. "Did anyone die in the
    flood?" answered "Yes" from "No one died, though two people were treated in
    hospital" is wrong, whatever the next sentence says."""
    if question.multipart or not answer.text.lower().startswith("yes"):
        return ""  # a long question's background clauses use words the passages deny in passing
    named = {w for ph in name_phrases(question.text) for w in ph}
    skip = named | LEXICON.frame_stems | LEXICON.framing_stems
    asked = [t for t in dict.fromkeys(terms(question.text)) if t not in skip and not t.isdigit()]
    said = [sent for n in answer.cited if 1 <= n <= len(chunks) for sent in sentence_texts(chunks[n - 1].text)]
    for t in asked:
        holding = [sent for sent in said if t in terms(sent)]
        # Denied right before the word ("no one died", "did not cut"), not a clause away
        # ("can't break the legspin shackles" does not deny legspin).
        if holding and all(negated(sent, t, window=2) for sent in holding):
            return without_dateline(holding[0]).strip()
    # An outcome asked about that no cited sentence reports, where one that excludes it
    # is reported beside another of the question's words: "Did Measure C pass?" from
    # "Voters rejected Measure C" ("needed a majority to pass" reports nothing), "Did
    # Quillon raise its forecast?" from "The company kept its full-year forecast". The
    # outcome must be the question's subject's: the name nearest to it is one the
    # question names before the outcome ("Did Rovers win against Kestrel Town?" is not
    # answered "no" by "Kestrel Town lost 2-1 to Rovers").
    context = {t for t in terms(question.text) if t not in LEXICON.frame_stems}
    asker = re.findall(r"[\w'’.-]+", question.text)
    for t in asked:
        excluded = LEXICON.opposite_stems.get(t, frozenset())
        alike = LEXICON.same_outcome_stems.get(t, frozenset())
        if not excluded or any(reported(sent, w) for sent in said for w in alike & set(terms(sent))):
            continue
        upto = next((i for i, tok in enumerate(asker) if t in terms(tok)), len(asker))
        subject = {w for ph in name_phrases(" ".join(asker[:upto])) for w in ph}
        for sent in said:
            have = set(terms(sent))
            if have & (context - {t}) and any(reported(sent, o, subject) for o in have & excluded):
                return without_dateline(sent).strip()
    return ""


def dated_otherwise(question: Question, answer: str) -> str:
    """The years the answer dates itself to, when the question asks about other years
    (:func:`rag.lang.asked_years`), or "". "Orlinde reported a net profit of €410 million
    for 2024" does not answer "What net profit did Orlinde report for 2025?", however
    well a passage supports it: last year's result, the previous edition and the earlier
    holder sit beside this year's in the news, and the small model picks them up. An
    answer that gives no year ("won the final on Sunday") may be about the asked one; so
    may one that names it among others. A "when" question is answered by a year, whatever
    years it names."""
    if question.kind == "time":
        return ""
    return " and ".join(sorted(other_years(asked_years(question.text), answer)))


def said_of_another(question: Question, answer: CheckedSentence, chunks: Sequence[Chunk]) -> str:
    """The other one the cited passages tie the answer's names to, or "". A rival with a
    name like the question's (Halden *Athletic* for Halden *City*, *Jason* Kelce for Travis
    Kelce, *Penhallow* Foods for Marrowfield Foods) is the subject of the sentence that
    names the answer: "Halden Athletic have agreed a shirt deal with Corvane Telecom" does
    not make Corvane Telecom Halden City's sponsor, though the passage goes on to mention
    "city rivals Halden City". Only when every cited passage does so: the sentences of a
    passage that name the answer, none naming the question's subject, one naming a rival
    (two words or more, a word in common with a name of the question's, neither name
    within the other)."""
    asked = [ph for ph in question.names if len(ph) > 1]
    new = [ph for ph in name_phrases(answer.text) if not any(_one_within_other(ph, q) for q in question.names)]
    if not asked or not new or not answer.cited:
        return ""
    found = ""
    for n in answer.cited:
        rival = ""
        for said in sentence_texts(chunks[n - 1].text):
            here = name_phrases(said)
            if not any(_within(a, ph) for a in new for ph in here):
                continue  # not a sentence that names the answer
            if any(_one_within_other(ph, q) for ph in here for q in asked):
                return ""  # it names the question's subject too
            rival = rival or next((_as_written(ph, said) for ph in here for q in asked if _rival(ph, q)), "")
        if not rival:
            return ""
        found = found or rival
    return found


def _as_written(phrase: tuple[str, ...], text: str) -> str:
    """A name phrase (:func:`name_phrases`) as ``text`` writes it."""
    return next((run for run in NAME_RUN.findall(text) if phrase in name_phrases(run)), " ".join(phrase))


def _within(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Is every word of name ``a`` one of name ``b``'s ("Halden City" within "Halden City FC")?"""
    return all(term_matches(w, set(b)) for w in a)


def _one_within_other(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Do two names name the same one, one written longer ("Halden City FC", "Halden City")?"""
    return _within(a, b) or _within(b, a)


def _rival(ph: tuple[str, ...], asked: tuple[str, ...]) -> bool:
    """Another name of two words or more sharing a word with ``asked``, neither within the other."""
    return len(ph) > 1 and any(term_matches(w, set(asked)) for w in ph) and not _one_within_other(ph, asked)


def _most(subject: set[str], vocab: set[str]) -> bool:
    """Are more than half of the question's subject words in ``vocab``?"""
    return 2 * sum(term_matches(t, vocab) for t in subject) > len(subject)


def when_of(sentence: str) -> set[str]:
    """When a sentence says something happens: its figures, months, weekdays and seasons
    ("will open in December 2025" -> {"2025", "december"})."""
    named = {w.lower() for w in words(sentence) if w.lower() in LEXICON.time_words}
    return numbers(sentence) | named | {m.lower() for m in SEASON.findall(sentence)}


@dataclass(frozen=True)
class PlanChange:
    """A report that a plan was put off, moved or called off: its passage (1-based) and
    the sentence that says so."""

    passage: int
    sentence: str

    @property
    def new_time(self) -> bool:
        """Does the report give the plan a new day, month or season ("rescheduled for 23
        March", :data:`PLAN_NEW_TIME`)? A year alone ("postponed to 2026") or none
        ("postponed indefinitely") gives no new time to answer "when" with."""
        change = PLAN_CHANGED.search(self.sentence)
        after = PLAN_NEW_TIME.finditer(self.sentence, change.end() if change else 0)
        return any(m.group(1).lower() in LEXICON.time_words or SEASON.fullmatch(m.group(1)) for m in after)


def superseded_plan(
    question: Question, answer: CheckedSentence, chunks: Sequence[Chunk], leads: Mapping[str, Chunk] | None = None
) -> PlanChange | None:
    """The report that the plan ``answer`` states was put off, moved or called off, or None.
    Plans change and the newer report holds: "The telescope will launch in October 2025
    [1]", from a 2024 preview, is no answer beside a 2025 report that "the launch of the
    telescope has been postponed".

    Such a passage's article is the answer's or no older than it, and one of its sentences
    reports the change (:data:`PLAN_CHANGED`), names the question's subject (a name and
    more than half its words; a compound is one word: "the semi-final was postponed" is
    not the final) and does not give the answer's day, month or season as the new time:
    "faults delayed the tram, which will now open in September" confirms "will open in
    September" (a year alone decides nothing: "postponed to 2026" gives no date).

    A report of a change says so in its lead: a passage read from later in that article
    ("The vote had been due on 9 March") stands for its lead (``leads``: each article's
    first passage), as in the support check."""
    when = {t for t in when_of(answer.text) if not is_year(t)}
    cited = [chunks[n - 1] for n in answer.cited if 1 <= n <= len(chunks)]
    if not when or not cited or not PLAN.search(answer.text):
        return None
    names = [ph for ph in question.names if any(mentions(ph, passage_terms(c)) for c in chunks)]
    if not names:
        return None
    subject = {stem(words(w)[0]) for w in question.subject_words() if not w[0].isdigit()}
    cited_docs = {c.doc_id for c in cited}
    dated = all(c.published for c in cited)
    newest = max(c.published for c in cited)
    for n, c in enumerate(chunks, 1):
        if not (c.doc_id in cited_docs or (dated and c.published and c.published >= newest)):
            continue
        lead = leads.get(c.doc_id) if leads else None
        texts = [c.text] if lead is None or lead == c else [c.text, lead.text]
        for said in (s for text in texts for s in sentence_texts(text)):
            if (
                PLAN_CHANGED.search(said)
                and any(mentions(ph, set(terms(said))) for ph in names)
                and _most(subject, set(terms(COMPOUND.sub(r"\1", said))))
                and not when <= when_of(said)
            ):
                return PlanChange(n, without_dateline(said).strip())
    return None


def _unasked_link_or_instruction(sentence: str, question: Question) -> bool:
    """A link the question did not ask for, or an instruction to the reader: what an
    injected article wants an answer to carry, never what a news answer needs. A domain
    the question itself names is asked for: it is an outlet ("according to
    *CBSSports.com*"), not a link the article slipped in."""
    named = question.text.casefold()
    unasked = [m.group(0) for m in LINK.finditer(sentence) if m.group(0).casefold() not in named]
    if unasked and not ASKS_FOR_LINK.search(question.text):
        return True
    return bool(IMPERATIVE.match(sentence)) or injection_reason(sentence) is not None


def counts_the_subject(question: Question, answer: CheckedSentence, chunks: Sequence[Chunk], radius: int = 5) -> bool:
    """For a "how many/much" question: does a figure of the answer stand, in the answer or
    in its cited passage, within ``radius`` words of something the question is about?
    "648 US military personnel" does not count "people at Saturday's protests". Answers
    without digits ("three goals", "hundreds") pass."""
    figures = numbers(answer.text)
    if not figures:
        return True
    subject = {stem(words(w)[0]) for w in question.subject_words() if not w[0].isdigit()}
    if not subject:
        return True
    texts = [answer.text] + [chunks[n - 1].text for n in answer.cited if 1 <= n <= len(chunks)]
    for text in texts:
        # A figure with its unit glued to it ("94mm", "$2.3bn") is the figure (numbers()
        # reads it so).
        ts = [figure(t) or t for t in terms(text)]
        if any(term_matches(s, neighbours(ts, f, radius)) for f in figures for s in subject):
            return True
    return False


def _direct_yes_no(
    head: Sentence, rest: Sequence[CheckedSentence], question: Question, chunks: Sequence[Chunk]
) -> CheckedSentence:
    """ "Yes." / "No." cites what its claims cite: the passages supporting the sentences
    after it, else those the model cited that are about the question's names.

    A long comparison question ("Does the article from X suggest ..., while the article
    from Y ...?") has passed the gate, so the passages answer it; the small model's
    restatement of both articles in one sentence rarely passes the sentence check while
    its yes/no is the answer, and one supported clause covers one of the articles. There
    the direct answer stands on every passage about the question's names as well (the
    restatement, if unchecked, is marked unsupported). A short question's restatement is
    checkable and must carry the support itself."""
    cited = tuple(dict.fromkeys(n for c in rest for n in c.cited))
    about = [
        n for n in range(1, len(chunks) + 1) if any(mentions(ph, passage_terms(chunks[n - 1])) for ph in question.names)
    ]
    if question.multipart:
        cited = tuple(sorted(set(cited) | set(about)))
    elif not cited:
        cited = tuple(n for n in head.cited if n in about)
    return CheckedSentence(head.text, head.cited, cited, 1.0 if cited else 0.0)


def answers_the_type(question: Question, answer: str) -> bool:
    """Does the answer have the kind of content the question asks for? A "how many"
    needs a quantity, a "when" a time, a "what is the name" a name the question does not
    already give. (The small model otherwise answers with a nearby fact: "A group of
    soldiers arrived" for "How many soldiers arrived?".) Other questions pass."""
    if question.kind == "quantity":
        if MONEY_QUESTION.search(question.text):
            return bool(MONEY.search(answer))
        return bool(QUANTITY_WORDING.search(answer))
    if question.kind == "time":
        return bool(TIME_WORDING.search(answer))
    if question.kind in ("name", "entity"):
        asked = {w.lower() for w in re.findall(r"\b[A-Z][\w'’-]*", question.text)}
        return any(
            w.lower() not in asked and w.lower() not in STOPWORDS for w in re.findall(r"\b[A-Z][\w'’-]*", answer)
        )
    return True


#: Refusal reasons in a reader's words, by how the technical reason begins.
_PLAIN = (
    ("the model's p(yes)", "None of the articles seems to answer this."),
    ("no sentence of the draft", "The answer drafted is not stated in the articles, so it is not shown."),
    ("the direct answer (the draft", "The answer drafted is not stated in the articles, so it is not shown."),
    ("the model said", "The articles don't seem to say."),
    ("the direct answer is not the kind", "The articles give no answer of the kind asked for."),
    ("the cited passages are about", "The passages found are about something else than the question asks."),
    ("the figure in the answer", "The figure found counts something else than the question asks about."),
    ("the draft could not be read", "The answer drafted could not be read; please ask again."),
    ("the model wrote nothing", "The model gave no answer; please ask again."),
    ("no passage was retrieved", "No passage of the articles matches the question."),
    ("a report as recent", "The latest report in the articles says this was put off or called off."),
)


#: The reason of a refusal whose articles do speak to the question: the plan the answer
#: states was put off or called off by a report as recent.
SUPERSEDED = "a report as recent as the answer's says its plan was put off or called off"

#: The note of an answer that is a newer report's new time for the plan the draft stated.
MOVED = "a report as recent as the draft's gives its plan a new time; that report's sentence is the answer"


#: The reason of a refusal whose "Yes" a cited passage denies (see :func:`denied`).
DENIED = "the cited passages deny what the question asks"


def says_otherwise(reason: str) -> bool:
    """Do the articles speak to the question, though the answer was refused for
    ``reason``? Then a refusal's text is its plain reason, not "The articles don't say"."""
    return reason.startswith((SUPERSEDED, DENIED))


def plain_reason(reason: str) -> str:
    """A refusal reason (see :func:`verdict`, :func:`gate_bar`) in words a reader
    understands; the technical reason stays on ``Answer.reasons``."""
    never = re.search(r"\(the passages never mention ([^)]+)\)", reason)
    if never:
        return f"The articles found never mention {never.group(1)}."
    years = re.match(r"the answer is about (.+), not the year", reason)
    if years:
        return f"The articles found give this for {years.group(1)}, not for the year the question asks about."
    if reason.startswith(DENIED):
        return f"The articles found say otherwise:{reason[len(DENIED) + 1 :]}"
    rival = re.match(r"the cited passages say this of (.+), not of", reason)
    if rival:
        return f"The articles found say this of {rival.group(1)}, not of what the question asks about."
    for start, words_ in _PLAIN:
        if reason.startswith(start):
            return words_
    return reason[:1].upper() + reason[1:] if reason else ""
