"""Citation parsing and checking: pure functions, no model.

The small model states facts well but sometimes cites the wrong passage or none, and
sometimes answers from memory. So every answer sentence is checked against the passage
it cites: its content words, every number (next to the same words) and every name must
occur there. A wrong
citation is re-pointed to the passage that does support the sentence; a sentence that no
passage supports keeps no citation and is reported as unsupported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping, Sequence

from .question import Question, analyse, mentions, name_phrases, passage_text
from .text import (
    LEXICON, STOPWORDS, content_words, neighbours, normalize_space, numbers, sentences, term_matches,
    terms,
)
from .types import Chunk

_MARKER = re.compile(r"\s*\[(\d+(?:\s*[,;–-]\s*\d+)*)\]")
_CORRECTION = re.compile(
    r"\b(not|no|never|rather|instead|actually|only|but|however|incorrect|false|wrong|contrary)\b|n't\b",
    re.IGNORECASE,
)
_FRAMING = LEXICON.framing


@dataclass(frozen=True)
class Sentence:
    """One sentence of an answer: its text without markers and the passages it cites."""

    text: str
    cited: tuple[int, ...]  # 1-based passage numbers as written by the model
    #: The stretches between markers inside the sentence, each with the markers after it
    #: ("A says X [1], while B says Y [2]"): checked one by one when the whole is not.
    parts: tuple["Sentence", ...] = ()


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


def parse_numbers(marker: str) -> list[int]:
    """``"1, 3"`` -> [1, 3]; ``"2-4"`` -> [2, 3, 4] (ranges capped at 20 numbers)."""
    out: list[int] = []
    for part in re.split(r"\s*[,;]\s*", marker.strip()):
        m = re.fullmatch(r"(\d+)\s*[–-]\s*(\d+)", part)
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            if a <= b:
                out.extend(range(a, min(b, a + 19) + 1))
        elif part.isdigit():
            out.append(int(part))
    return out


def _without_markers(raw: str) -> str:
    """The text with ``[n]`` markers removed, and a stretch the model repeated once per
    citation ("[1] 5,000 participants [2] 5,000 participants") kept once."""
    pieces = [normalize_space(p) for p in _MARKER.split(raw)[::2]]  # split keeps groups: text at even places
    kept: list[str] = []
    for p in pieces:
        if p and kept and p.rstrip(" .").casefold() == kept[-1].rstrip(" .").casefold():
            kept[-1] = p  # the later copy carries the sentence's end
            continue
        if p:
            kept.append(p)
    return re.sub(r"\s+([.,;:!?])", r"\1", normalize_space(" ".join(kept)))


# Where a sentence joins two claims, possibly from two articles: "A says X, while B says Y".
_CLAIM_JOIN = re.compile(r",?\s+(?:while|whereas)\s+|;\s+|,\s+and\s+(?=the\s|[A-Z])|,\s+but\s+")


def _parts(raw: str) -> tuple[Sentence, ...]:
    """The stretches of a sentence that end in markers, when there are several; else its
    claims joined by "while", "whereas", ";" or ", and the", each with the sentence's
    markers (else ())."""
    out: list[Sentence] = []
    pos = 0
    for m in re.finditer(r"((?:\s*\[\d+(?:\s*[,;–-]\s*\d+)*\])+)", raw):
        body = strip_framing(raw[pos:m.start()])
        body = re.sub(r"^(and|while|whereas|but|as|and that|with)\s+", "", body.lstrip(" ,;:"), flags=re.IGNORECASE)
        cited = tuple(n for mm in _MARKER.finditer(m.group(1)) for n in parse_numbers(mm.group(1)))
        if len(content_words(body)) >= 3:
            out.append(Sentence(body[0].upper() + body[1:].rstrip(" ,;:") + ".", _dedupe(cited)))
        pos = m.end()
    if len(out) > 1:
        return tuple(out)
    cited = tuple(n for mm in _MARKER.finditer(raw) for n in parse_numbers(mm.group(1)))
    body = strip_framing(_without_markers(raw)).rstrip(" .")
    claims = [c.strip(" ,;") for c in _CLAIM_JOIN.split(body)]
    claims = [c for c in claims if len(content_words(c)) >= 3]
    if len(claims) < 2:
        return ()
    return tuple(Sentence(c[0].upper() + c[1:] + ".", _dedupe(cited)) for c in claims)


# A sentence whose subject is a citation marker: "[2] also states that ...".
_MARKER_SAYS = re.compile(
    r"^\s*((?:\[\d+(?:\s*[,;–-]\s*\d+)*\]\s*(?:and\s+|&\s*|,\s*)?)+)(?:also\s+|further\s+)?(?:"
    + "|".join(sorted(LEXICON.reporting_verbs)) + r")\s+(?:that\s+)?(?=\S)",
    re.IGNORECASE,
)


def split_answer(text: str) -> list[Sentence]:
    """Split an answer into sentences with the ``[n]`` markers each carries.

    Markers placed after the full stop ("… Niamey. [2]") belong to the sentence before.
    """
    text = normalize_space(text)
    out: list[Sentence] = []
    for span in sentences(text):
        raw = text[span.start:span.end]
        said = _MARKER_SAYS.match(raw)
        if said:
            # "[2] also states that X.": the marker is the subject; the claim is X, citing 2.
            rest = raw[said.end():]
            raw = rest[:1].upper() + rest[1:].rstrip() + " " + " ".join(re.findall(r"\[[^\]]*\]", said.group(1)))
        lead = re.match(r"^(\s*\[\d+(?:\s*[,;–-]\s*\d+)*\])+", raw)
        if lead and out:
            moved = tuple(n for m in _MARKER.finditer(lead.group(0)) for n in parse_numbers(m.group(1)))
            prev = out[-1]
            out[-1] = Sentence(prev.text, _dedupe(prev.cited + moved))
            raw = raw[lead.end():]
        cited = tuple(n for m in _MARKER.finditer(raw) for n in parse_numbers(m.group(1)))
        body = strip_framing(_without_markers(raw))
        if re.match(r"\s*\[\d", raw) and re.match(r"\[[\d\s,;–-]+\]\s*(and|or|,|&)\s*\[", raw.strip()):
            continue  # "[1] and [3] voted against ...": markers used as words; no claim can be read
        if len(content_words(body)) >= 2 or (body and not out):
            out.append(Sentence(body, _dedupe(cited), _parts(raw)))
        elif out:
            # A fragment left by marker removal ("and [3]", "It is quoted in [1]."): its
            # citations belong to the sentence before; its words carry nothing.
            prev = out[-1]
            out[-1] = Sentence(prev.text, _dedupe(prev.cited + cited))
    return out


# Two or more outlet-like names joined by "and": "The Verge and TechCrunch".
_WORD_IN_NAME = r"(?-i:[A-Z][\w&'’-]*(?:\.[\w&'’-]+)*)"  # "CBSSports.com", not a final full stop
_NAME = rf"(?:the )?{_WORD_IN_NAME}(?: {_WORD_IN_NAME})*"
_OUTLETS = rf"{_NAME}(?:, {_NAME})* and {_NAME}"
_FRAMING_PHRASES = [
    # Attribution to two outlets at once ("Both Engadget and TechCrunch reported that ...",
    # "According to articles from both Fortune and TechCrunch, ...", "..., as reported by
    # both TechCrunch and The Verge"): no one passage names both; each claim is checked
    # against the passage it cites instead.
    rf"^(according to )?(the )?(articles?|reports?|stories) (from|by|in) (both )?{_OUTLETS},\s*",
    rf"^according to (both )?{_OUTLETS},\s*",
    rf"^(both {_OUTLETS}|{_OUTLETS} both) (reported|report|say|said|state|stated|note|noted|wrote|agree)( that)?\s+",
    rf",?\s*as (reported|stated|noted|discussed) (by|in) (both )?{_OUTLETS}(?=[.!?]?$)",
    r"\baccording to\s*(?=,|$)\s*,?\s*",  # "According to [1], …" once the marker is gone
    r"^(the |this )?(passages?|articles?|sources?|text)( from)?( \d+)?\s+(also\s+)?(states?|says?|mentions?|reports?|notes?|shows?)( that)?\s*",
    # "According to the passage(s) [1]," / "as stated in [1] and [2]" / "(see passage 2)"
    r"\baccording to (the )?(passages?|articles?|sources?|text)( \d+)?\s*,?\s*",
    r",?\s*\(?\b(as )?(stated|mentioned|noted|reported|quoted|cited|described|found) (in|by) "
    r"(the )?(passages?|articles?|sources?)?[\s\d,;&]*(and\s*)?[\s\d,]*\)?(?=[.!?]?$)",
    r"\b(this|it) is (stated|mentioned|quoted|reported|found) in\b.*$",
    # Invented citation sentences: "This is supported by passage [2].", "(Source: passage 1)"
    r"^(this|that|it|which|these|both)( (fact|information|claim|statement|detail)s?)? (is|are|was|were|can be) "
    r"(also )?(supported|confirmed|stated|mentioned|shown|indicated|backed|corroborated|found|seen|cited|based) "
    r"(by|in|on)\b.*$",
    r"\(?\bsources?:\s*(passages?)?[\s\d,;&]*\)?(?=[.!?]?$)",
    # "..., citing the passage from [1]." / "(based on passage 2)" / "as per the article"
    r",?\s*\(?\b(citing|per|see|based on|as per|from|in|according to) (the )?(passages?|articles?|sources?|text)"
    r"( from| in)?[\s\d,;&]*(and\s*)?[\s\d,]*\)?(?=[.!?]?$)",
    # "..., citing [1]." / "(see [2])" once the marker is gone: a dangling citation word.
    r"(?:,\s*|\s*\()\b(citing|see|cf\.?|per|as (stated|reported|cited|noted|mentioned) (in|by))\s*\)?(?=[.!?]?$)",
    # "This can be inferred from the passage that states ..."
    r"^(this|it|that) (can|could|may) be (inferred|seen|concluded|deduced|found|confirmed|understood) "
    r"(from|in|by)\b.*$",
]
# A sentence about the sources rather than the news ("This information is cited from
# passage.", "He cites passage for this information."): dropped when nothing supports it.
_META = re.compile(
    r"\b(passages?|sources?)\b|\b(this|the|that) information\b|\bboth and\b", re.IGNORECASE
)
_FRAMING_RE = [re.compile(p, re.IGNORECASE) for p in _FRAMING_PHRASES]


def strip_framing(sentence: str) -> str:
    """Remove citation framing the markers leave behind ("as stated in , and").

    Returns the sentence with tidy spacing and its first letter capitalized.
    """
    text = normalize_space(sentence)
    for r in _FRAMING_RE:
        text = r.sub("", text).strip()
    text = re.sub(r"\s+([.,;:!?])", r"\1", text)
    text = re.sub(r"([,;])\s*(?=[,;.!?]|$)", "", text)  # ",," / ", ." left behind
    text = re.sub(r"^[,;:\s]+", "", text).strip()
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    return text


def passage_terms(chunk: Chunk) -> set[str]:
    """The stemmed terms a passage offers as support (title, outlet and text)."""
    return set(_terms(passage_text(chunk)))


def _dedupe(nums: Sequence[int]) -> tuple[int, ...]:
    return tuple(dict.fromkeys(nums))


def _terms(text: str) -> list[str]:
    """Stemmed content terms (hyphen parts and aliases included), framing words left out."""
    return [t for t in terms(text) if t not in LEXICON.framing_stems]


def support(sentence: str, passage: str, question: "Question | str" = "", context: str = "", lead: str = "") -> float:
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
    """
    terms = _terms(sentence)
    if not terms:
        return 0.0
    q = question if isinstance(question, Question) else analyse(question) if question else None
    asked = q.numbers if q else frozenset()
    exempt = asked if _CORRECTION.search(sentence) else set()
    if numbers(sentence) - numbers(passage) - exempt:
        return 0.0
    passage_terms = _terms(passage)
    vocab = set(passage_terms)
    # For a yes/no question, restating it is the claim ("Google has search deals with
    # Apple" confirms it): every word counts.
    q_vocab = set(_terms(q.text)) if q and q.kind != "yesno" else set()
    q_names = set(name_phrases(q.text)) if q else set()
    named = vocab | set(_terms(lead)) if lead else vocab
    if not all(mentions(phrase, named) for phrase in name_phrases(sentence) if phrase not in q_names):
        return 0.0  # a person, place or group the passage never mentions
    for n in numbers(sentence) - exempt:
        # The sentence's words within 2 of the number must meet the passage's within 4.
        near = neighbours(terms, n, 2)
        if near and not any(term_matches(x, neighbours(passage_terms, n, 4)) for x in near):
            return 0.0
    # Frame words ("46 *years old*", "the *name* is") shape the answer; they are neither
    # claim nor restatement.
    frame = LEXICON.frame_stems if q_vocab else frozenset()
    restated = [t for t in terms if t not in frame
                and (t in q_vocab or (t not in numbers(sentence) and term_matches(t, q_vocab)))]
    new = [t for t in terms if t not in restated and t not in frame]
    if q_vocab and not new:
        return 0.0  # only the question's own words: nothing is claimed
    about = set(_terms(context)) if context else vocab
    if restated and 2 * sum(term_matches(t, about) for t in restated) < len(restated):
        return 0.0
    found = sum(term_matches(t, vocab) for t in new)
    # Smoothed by one: a claim of two words with one paraphrased ("sent" where the
    # passage says "arrived") still counts; names and figures above are hard rules.
    return (found + 1) / (len(new) + 1) if q_vocab else found / len(new)


def restates(sentence: str, question: "Question | str") -> bool:
    """Does the sentence only repeat the question ("Scott Adams died this week." for a
    question that says so before asking)? Such a sentence claims nothing."""
    q = question if isinstance(question, Question) else analyse(question)
    q_vocab = set(_terms(q.text))
    ts = [t for t in _terms(sentence) if t not in LEXICON.frame_stems]
    return bool(ts) and all(t in q_vocab or term_matches(t, q_vocab) for t in ts)


def about_the_question(question: "Question | str", cited: Sequence[int], passages: Sequence[Chunk],
                       leads: Mapping[str, Chunk] | None = None) -> bool:
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
    q = question if isinstance(question, Question) else analyse(question)
    texts = [passage_text(p) for p in passages]
    known = {t for text in texts for t in _terms(text)}
    chosen = [passages[n - 1] for n in cited if 1 <= n <= len(texts)]
    heads = [leads[p.doc_id] for p in chosen if leads and p.doc_id in leads]
    here = {t for text in [passage_text(p) for p in chosen + heads] for t in _terms(text)}
    names = [ph for ph in q.names if mentions(ph, known)]
    found = sum(mentions(ph, here) for ph in names)
    # A short question's names are all its subject; a long, multi-clause one names the
    # several articles it compares, which no one answer sentence's passages all hold.
    if not q.multipart:
        return found == len(names)
    return 2 * found >= len(names)


def supporters(text: str, passages: Sequence[Chunk], question: "Question | str", threshold: float,
               leads: Mapping[str, Chunk] | None = None) -> tuple[int, ...]:
    """Every passage (1-based) that supports ``text`` on its own."""
    scores = _scores(text, [passage_text(p) for p in passages], question, _lead_texts(passages, leads))
    return tuple(n for n, score in scores.items() if score >= threshold)


def _scores(text: str, texts: Sequence[str], question: "Question | str", heads: Sequence[str]) -> dict[int, float]:
    """:func:`support` of ``text`` by each passage (1-based). A long question spans
    several passages: its restatement is sought in all of them."""
    q = question if isinstance(question, Question) else analyse(question) if question else None
    context = " ".join(texts) if q and q.multipart else ""
    return {n: support(text, texts[n - 1], question, context, heads[n - 1]) for n in range(1, len(texts) + 1)}


def _lead_texts(passages: Sequence[Chunk], leads: Mapping[str, Chunk] | None) -> list[str]:
    """For each passage, its article's lead as support text ("" when unknown or itself)."""
    return [passage_text(leads[p.doc_id]) if leads and p.doc_id in leads and leads[p.doc_id] != p else ""
            for p in passages]


def _best_support(text: str, texts: Sequence[str], claimed: Sequence[int], question: "Question | str",
                  threshold: float, heads: Sequence[str]) -> tuple[tuple[int, ...], float]:
    """The passages (1-based) that support ``text``: the claimed ones that do, else the
    best single passage (every supporting one for a long question). ``heads``: each
    passage's article lead (see :func:`support`). (Joining two passages was tried and
    measured: it let false compositions through, "100 instructors arrived in Mali" from
    two passages.)"""
    scores = _scores(text, texts, question, heads)
    kept = tuple(n for n in claimed if scores[n] >= threshold)
    if kept:
        return kept, max(scores[n] for n in kept)
    q = question if isinstance(question, Question) else analyse(question) if question else None
    if q and q.multipart:
        # The restatement of a long question draws on several articles: every passage
        # that supports the claim is cited, not one picked among equals.
        kept = tuple(n for n in scores if scores[n] >= threshold)
        return kept, max((scores[n] for n in kept), default=0.0)
    best = max(scores, key=lambda n: (scores[n], -n), default=None)
    if best is not None and scores[best] >= threshold:
        return (best,), scores[best]
    return (), 0.0


def check(sentences_: Sequence[Sentence], passages: Sequence[Chunk], question: "Question | str" = "",
          threshold: float = 0.6, avoid: frozenset[str] = frozenset(),
          leads: Mapping[str, Chunk] | None = None) -> list[CheckedSentence]:
    """Keep citations that support their sentence; re-point or drop the others.

    Out-of-range numbers are dropped. A sentence whose cited passages do not support it
    gets the best supporting passage instead, if any reaches ``threshold``; otherwise no
    citation, and an unsupported sentence about the sources themselves is dropped. A
    sentence with a term of ``avoid`` (what the question assumes and no passage says) is
    never supported. ``leads``: each article's first passage (see :func:`support`).
    """
    texts = [passage_text(p) for p in passages]
    heads = _lead_texts(passages, leads)
    q = question if isinstance(question, Question) else analyse(question) if question else None
    out = []
    for s in sentences_:
        claimed = tuple(n for n in s.cited if 1 <= n <= len(passages))
        text = s.text
        if avoid and any(not _negated(text, t) for t in avoid & set(_terms(text))):
            out.append(CheckedSentence(text, tuple(s.cited), (), 0.0))
            continue
        if s.parts and len({p.cited for p in s.parts}) > 1:
            # The model cited each clause on its own: check them so.
            halves = check(s.parts, passages, q or "", threshold, avoid, leads)
            if all(h.supported for h in halves):
                out += halves
                continue
        kept, score = _best_support(text, texts, claimed, q or "", threshold, heads)
        if not kept and s.parts:
            # "The Verge says X [1], while TechCrunch says Y [2]": no one passage holds
            # both halves; each half is checked against its own citation.
            halves = check(s.parts, passages, q or "", threshold, avoid, leads)
            if any(h.supported for h in halves):
                out += halves
                continue
        if not kept:
            # "Wagner is a private Russian military group, operating in Mali since 2018":
            # keep the longest leading clause a passage supports, drop the unsupported tail.
            for prefix in leading_clauses(text):
                kept, score = _best_support(prefix, texts, claimed, q or "", threshold, heads)
                if kept:
                    text = prefix
                    break
        if kept or not _META.search(text):
            out.append(CheckedSentence(text, tuple(s.cited), kept, score))
    return out


def _negated(sentence: str, term: str, window: int = 3) -> bool:
    """Is ``term`` (stemmed) denied in the sentence: "did *not* reject", "never rose"?
    Denying a premise is a correction, not a repetition of it."""
    tokens = re.findall(r"[\w'’-]+", sentence.lower())
    for i, tok in enumerate(tokens):
        if term in terms(tok):
            before = tokens[max(0, i - window):i]
            if any(b in ("not", "never", "no") or b.endswith(("n't", "n’t")) for b in before):
                return True
    return False


# Where a clause can end: at a comma, or before a word that opens a new clause. Not before
# a bare "and"/"as": "held up Nigerien and Russian flags" must not become "held up Nigerien".
_CLAUSE_BREAK = re.compile(r",\s+|\s+(?=(?:that|which|who|while|whereas|but|because|although|though|after|since)\s)")


def leading_clauses(sentence: str, min_words: int = 3) -> list[str]:
    """Shorter versions of a sentence cut at clause boundaries, longest first, each ended
    with a full stop; only those with at least ``min_words`` content words."""
    body = sentence.rstrip(" .!?")
    out = []
    for m in reversed(list(_CLAUSE_BREAK.finditer(body))):
        prefix = body[: m.start()].rstrip(" ,;:")
        last = prefix.split()[-1].lower().replace("’", "'") if prefix.split() else ""
        # "The article suggests." says nothing: a reporting verb needs what was reported.
        dangling = (last in STOPWORDS or last.endswith("'s") or last.endswith("'")
                    or last.strip(",;:") in LEXICON.reporting_verbs)
        if (len(content_words(prefix)) >= min_words and not dangling
                and prefix.count('"') % 2 == 0 and prefix.count("“") == prefix.count("”")):
            out.append(prefix + ".")
    return out


_QUANTITY = re.compile(r"\d|\b(" + "|".join(sorted(LEXICON.number_words)) + r"|no)\b", re.IGNORECASE)
_DATE = re.compile(r"\d|\b(" + "|".join(sorted(LEXICON.date_words)) + r")\b", re.IGNORECASE)


# "How much did X pay / cost / earn": the answer is an amount of money.
_MONEY_QUESTION = re.compile(
    r"\bhow much\b.*\b(pay|paid|pays|cost|costs|spend|spent|earn|earned|earns|charge|charged|"
    r"price|worth|fund|funded|raise|raised|sell|sold|buy|bought|fee|salary|wage|revenue|profit|budget)\b",
    re.IGNORECASE,
)
_MONEY = re.compile(
    r"[$£€¥₹]|\b(dollars?|euros?|pounds?|yen|yuan|renminbi|francs?|rupees?|naira|rand|pesos?|cents?|pence|"
    r"usd|eur|gbp|cfa|free|nothing)\b", re.IGNORECASE,
)


def answers_the_type(question: "Question | str", answer: str) -> bool:
    """Does the answer have the kind of content the question asks for? A "how many"
    needs a quantity, a "when" a time, a "what is the name" a name the question does not
    already give. (The small model otherwise answers with a nearby fact: "A group of
    soldiers arrived" for "How many soldiers arrived?".) Other questions pass.

    Whatever the kind, an answer that gives the asked-for thing another nationality is
    the wrong thing: "a *Nigerien* general" for "Which *Russian* general ...?"."""
    q = question if isinstance(question, Question) else analyse(question)
    if _other_nationality(q, answer):
        return False
    if q.kind == "quantity":
        if _MONEY_QUESTION.search(q.text):
            return bool(_MONEY.search(answer))
        return bool(_QUANTITY.search(answer))
    if q.kind == "time":
        return bool(_DATE.search(answer))
    if q.kind in ("name", "entity"):
        asked = {w.lower() for w in re.findall(r"\b[A-Z][\w'’-]*", q.text)}
        return any(w.lower() not in asked and w.lower() not in STOPWORDS for w in re.findall(r"\b[A-Z][\w'’-]*", answer))
    return True


def _other_nationality(q: Question, answer: str) -> bool:
    """Does the answer put a demonym of another place before a noun of the question's
    wh-phrase ("Nigerien General" for "Which Russian general")?"""
    asked = {LEXICON.place(t) for t in q.answer_type if LEXICON.place(t) and LEXICON.place(t) != (t,)}
    nouns = {t for t in q.answer_type if not LEXICON.place(t)}
    if not asked or not nouns:
        return False
    ts = terms(answer)
    return any(t in nouns and i and LEXICON.place(ts[i - 1]) not in (None, *asked) and LEXICON.place(ts[i - 1]) != (ts[i - 1],)
               for i, t in enumerate(ts))


def is_refusal(text: str) -> bool:
    """True when the model says the passages do not hold the answer."""
    return bool(LEXICON.refusal_re.search(text))


def render(checked: Sequence[CheckedSentence], numbering: dict[int, int]) -> str:
    """Answer text with markers renumbered by ``numbering`` (passage -> citation number)."""
    parts = []
    for s in checked:
        marks = "".join(f"[{numbering[n]}]" for n in s.cited)
        body = s.text
        if marks:
            # Before a final full stop ("… Niamey [1]."); after a closing quote (“…” [1]).
            m = re.search(r"[.!?…]+$", body)
            body = f"{body[:m.start()]} {marks}{body[m.start():]}" if m else f"{body} {marks}"
        parts.append(body)
    return " ".join(parts)


def numbering_for(checked: Sequence[CheckedSentence]) -> dict[int, int]:
    """Citation numbers 1..m in order of first use in the answer."""
    order: dict[int, int] = {}
    for s in checked:
        for n in s.cited:
            order.setdefault(n, len(order) + 1)
    return order
