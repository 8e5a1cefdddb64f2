"""The :class:`Lexicon`: everything the text functions know about one language, frozen.

Its :meth:`Lexicon.fingerprint` goes into the index manifest: an index whose terms were
stemmed by another lexicon is stale.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

#: The fields whose change makes an index stale (see :meth:`Lexicon.fingerprint`).
#: Bumped when the code that reads an article changes what it reads (which lines are its
#: headline and header, where paragraphs break): an index built before is then rebuilt,
#: reusing the vectors of every passage whose text is unchanged.
#: 2: text read as a reader sees it (:func:`rag.lang.readable`; until now a per-article
#: "+readable" fingerprint mark did this one's job); a dash separates a header only with spaces around it; an outlet header is short; a
#: first line that ends a sentence, with the story under it, is not a headline; a record's
#: outlet and date are read under more names ("publishedAt", ``{"name": "AP"}``); Markdown
#: keeps underscores inside words and drops "=====" underlines and "|---|" table rules; a
#: publication date that names no year ("2 hours ago") is none; Central European files
#: (Latin-2, Windows-1250) are no longer read as Windows-1252. 3: publication stamps
#: ("Updated July 19, 2022, 5:05 p.m. ET"), bylines, "By X | Outlet | date" lines and wire
#: datelines ("WASHINGTON, March 3, 2024 (Reuters) -") give the date and outlet. 4: bylines
#: need names' words, a writer's role is no outlet, a wire agency is a known one. 5: a name
#: alone on its line above another header line is the outlet ("The Westmark Herald"), a
#: writer or a section, not the story's text. 6: an outlet is filed under its usual name
#: ("Associated Press" for "AP", :data:`rag.lang.patterns.OUTLET_ALIASES`). 7, then 8
#: (narrowed in review: "Live Blog", "Quarterly Results" are kickers): an outlet may be a
#: ledger ("The Financial Ledger", :data:`rag.lang.patterns.OUTLET_NAME_WORDS`). 9: a chat
#: turn planted in an article is removed from the whole text before it is cut into passages.
#: 10: a wire item's line of names and a stamp is header ("Markets Wire, Oslo, February 12,
#: 2025": the outlet and date, not the first passage's text).
READING_RULES = 10

_INDEXING_FIELDS = frozenset(
    {
        "language",
        "snowball",
        "stopwords",
        "named_stopwords",
        "abbreviations",
        "irregular",
        "british",
        "british_patterns",
        "demonyms",
        "aliases",
        "derivational",
        "boilerplate",
        "injection",
        "injection_unless_reported",
        "reported",
    }
)


@dataclass(frozen=True)
class Lexicon:
    """Everything the text functions know about one language. Frozen: share it freely."""

    language: str
    stopwords: frozenset[str]
    abbreviations: frozenset[str]
    irregular: Mapping[str, str]  # inflected form -> base ("built" -> "build")
    british: Mapping[str, str]  # one-off spellings -> American
    british_patterns: tuple[tuple[str, str], ...]
    demonyms: Mapping[str, str]  # demonym or adjective -> place ("french" -> "france")
    aliases: Mapping[str, str]  # short form -> its words ("q1" -> "first quarter")
    derivational: tuple[str, ...]
    question_frame: frozenset[str]
    plan_words: frozenset[str]  # the form of a structured answer (see rag.plans)
    entity_types: frozenset[str]
    number_words: frozenset[str]
    number_scales: Mapping[str, str]  # a scale glued to a figure -> its word ("bn" -> "billion")
    spelled_figures: Mapping[str, str]  # a figure news spells out -> its digits ("four" -> "4")
    date_words: frozenset[str]
    dateline_words: frozenset[str]  # a timestamp's words ("Updated Jan. 14, 2026, 8:48 p.m. ET")
    framing: frozenset[str]
    reporting_verbs: frozenset[str]
    outcomes: tuple[tuple[frozenset[str], ...], ...]  # outcomes that exclude each other
    rise_words: frozenset[str]
    fall_words: frozenset[str]
    time_words: frozenset[str]
    aggregate_words: frozenset[str]
    periods: Mapping[str, str]  # a part of a year or a match a figure covers -> its name
    unit_words: frozenset[str]  # a figure's unit or scale ("million", "dollars")
    refusal: str
    boilerplate: tuple[str, ...]
    injection: tuple[str, ...]
    injection_unless_reported: tuple[str, ...]
    reported: str
    snowball: str = "english"
    #: Stopwords that name something when capitalised inside a sentence ("in May", "Theresa May").
    named_stopwords: frozenset[str] = frozenset()
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    # -- compiled forms (built once per lexicon) ---------------------------------------
    @cached_property
    def _stemmer(self):
        import Stemmer

        return Stemmer.Stemmer(self.snowball)

    @cached_property
    def _british_re(self) -> tuple[tuple[re.Pattern[str], str], ...]:
        return tuple((re.compile(p), r) for p, r in self.british_patterns)

    @cached_property
    def refusal_re(self) -> re.Pattern[str]:
        return re.compile(self.refusal, re.IGNORECASE)

    @cached_property
    def boilerplate_re(self) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p, re.IGNORECASE) for p in self.boilerplate)

    @cached_property
    def injection_re(self) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p, re.IGNORECASE | re.MULTILINE) for p in self.injection)

    @cached_property
    def injection_unless_reported_re(self) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p, re.IGNORECASE | re.MULTILINE) for p in self.injection_unless_reported)

    @cached_property
    def reported_re(self) -> re.Pattern[str]:
        return re.compile(self.reported, re.IGNORECASE)

    @cached_property
    def places(self) -> dict[str, tuple[str, ...]]:
        """Stemmed demonym -> the place's stemmed words, and a one-word place to itself."""
        out: dict[str, tuple[str, ...]] = {}
        for dem, place in self.demonyms.items():
            key = tuple(self.stem(w) for w in place.split())
            out[self.stem(dem)] = key
            if len(key) == 1:
                out[key[0]] = key
        return out

    @cached_property
    def frame_stems(self) -> frozenset[str]:
        return frozenset(self.stem(w) for w in self.question_frame) | self.question_frame

    @cached_property
    def plan_stems(self) -> frozenset[str]:
        return frozenset(self.stem(w) for w in self.plan_words)

    @cached_property
    def unit_stems(self) -> frozenset[str]:
        return frozenset(self.stem(w) for w in self.unit_words)

    @cached_property
    def time_stems(self) -> frozenset[str]:
        return frozenset(self.stem(w) for w in self.time_words) | self.time_words

    @cached_property
    def periods_re(self) -> re.Pattern[str]:
        """Any phrase of ``periods``, as whole words."""
        phrases = sorted(self.periods, key=len, reverse=True)
        return re.compile(r"\b(" + "|".join(re.escape(p) for p in phrases) + r")\b" if phrases else r"(?!)")

    @cached_property
    def opposite_stems(self) -> dict[str, frozenset[str]]:
        """Stemmed outcome word -> the stems of the outcomes that exclude it ("pass" ->
        "fail", "reject", "defeat"; see ``outcomes``)."""
        return {w: frozenset(others) for w, (_, others) in self._outcome_sides.items()}

    @cached_property
    def same_outcome_stems(self) -> dict[str, frozenset[str]]:
        """Stemmed outcome word -> the stems that report the same outcome, itself
        included ("increase" -> "rise", "gain", "climb", "raise", "hike", ...)."""
        return {w: frozenset(alike) for w, (alike, _) in self._outcome_sides.items()}

    @cached_property
    def _outcome_sides(self) -> dict[str, tuple[set[str], set[str]]]:
        out: dict[str, tuple[set[str], set[str]]] = {}
        for choice in self.outcomes:
            sides = [{self.stem(w) for w in side} for side in choice]
            for i, side in enumerate(sides):
                others = set().union(*(s for j, s in enumerate(sides) if j != i))
                for w in side:
                    alike, excluded = out.setdefault(w, (set(), set()))
                    alike.update(side)
                    excluded.update(others)
        # A word on two sides of one line ("decline": refuse, or fall) excludes neither.
        return {w: (alike, excluded - alike) for w, (alike, excluded) in out.items()}

    @cached_property
    def framing_stems(self) -> frozenset[str]:
        return frozenset(self.stem(w) for w in self.framing) | self.framing

    # -- words -------------------------------------------------------------------------
    def american(self, word: str) -> str:
        """A lower-cased word in American spelling ("neighbours" -> "neighbors")."""
        if word in self.british:
            return self.british[word]
        for pattern, repl in self._british_re:
            word = pattern.sub(repl, word, count=1)
        return word

    def stem(self, word: str) -> str:
        """Snowball stem of a lower-cased word, after American spelling and irregular forms."""
        hit = self._cache.get(word)
        if hit is None:
            if word.replace(".", "").isdigit():
                hit = word
            else:
                w = self.american(word)
                w = self.irregular.get(w, w)
                hit = self._stemmer.stemWord(w)
            if len(self._cache) < 200_000:
                self._cache[word] = hit
        return hit

    def place(self, term: str) -> tuple[str, ...] | None:
        """The place (its stemmed words) a stemmed term names or is the demonym of, if the
        lexicon knows it: "french" -> ("franc",), "american" -> ("unit", "state")."""
        return self.places.get(term)

    def fingerprint(self) -> str:
        """A hash of everything that shapes what an index holds: its terms (stopwords,
        stemming, spellings, aliases), its sentence splits and the paragraphs cleaning
        drops or flags. The word lists the answer checks read at question time are left
        out: changing them needs no rebuild."""
        import Stemmer

        payload = {
            k: sorted(v) if isinstance(v, (frozenset, set)) else (dict(v) if isinstance(v, Mapping) else v)
            for k, v in self.__dict__.items()
            if k in _INDEXING_FIELDS
        }
        payload["pystemmer"] = getattr(Stemmer, "__version__", "?")
        payload["reading"] = READING_RULES
        raw = json.dumps(payload, sort_keys=True, default=list).encode()
        return f"{self.language}-{hashlib.sha256(raw).hexdigest()[:16]}"
