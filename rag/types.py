"""The small frozen records passed between stages."""

from __future__ import annotations

from dataclasses import dataclass, field

#: One chat turn: ``{"role": "system"|"user"|"assistant", "content": str}``.
Message = dict[str, str]


@dataclass(frozen=True)
class Document:
    """One article as read from disk. ``text`` is the raw file text; offsets refer to it."""

    doc_id: str  # file name relative to the seeds folder
    title: str
    text: str
    sha256: str
    #: The outlet and publication date, when the article's header gives them.
    source: str = ""
    published: str = ""
    #: The publication day as YYYY-MM-DD (for filters): parsed from ``published``, else
    #: the file's modification day. Never shown as the article's date.
    date: str = ""
    #: Chat turns planted in the text ("<|im_start|>assistant ..."), removed as it was read.
    planted: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chunk:
    """A passage of an article: ``document.text[start:end]`` with whitespace normalized,
    one line per paragraph."""

    chunk_id: int
    doc_id: str
    title: str
    text: str
    start: int
    end: int
    #: The article's outlet, publication date and filter day (see :class:`Document`).
    source: str = ""
    published: str = ""
    date: str = ""


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its scores (``None`` where a retriever did not rank it)."""

    chunk: Chunk
    score: float
    dense_score: float | None = None
    bm25_score: float | None = None
    dense_rank: int | None = None
    bm25_rank: int | None = None


@dataclass(frozen=True)
class Citation:
    """A passage the answer cites as ``[number]``."""

    number: int
    title: str
    source: str  # file name in the seeds folder
    text: str  # the passage text
    start: int  # character span of the passage in the article
    end: int
    #: The answer sentences this citation supports (verified against the passage).
    supports: tuple[str, ...] = ()


@dataclass(frozen=True)
class Item:
    """One line of a structured answer: an overview bullet, a timeline entry, one
    outlet's side of a comparison, or an article of the collection."""

    text: str
    #: The :class:`Citation` numbers that support the line (verbatim passage sentences).
    citations: tuple[int, ...] = ()
    #: Timeline: when the event happened, as shown ("Wednesday, July 26, 2023"), and
    #: whether that date is exact (False for "last week", or a day without its year).
    date: str = ""
    certain: bool = True
    #: Comparison: the outlet or article the line belongs to; collection: the file.
    label: str = ""


@dataclass(frozen=True)
class Answer:
    """The result of :func:`rag.answer`.

    ``text`` carries ``[n]`` markers that index ``citations`` by ``Citation.number``.
    ``refused`` is true when the articles do not hold the answer (or the question was
    unusable; then ``error`` says why).
    """

    question: str
    text: str
    citations: tuple[Citation, ...] = ()
    refused: bool = False
    hits: tuple[Hit, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)
    #: The generator's estimated probability that the passages answer the question.
    answerable: float | None = None
    #: Answer sentences that no retrieved passage supports (shown without a citation).
    unsupported: tuple[str, ...] = ()
    error: str | None = None
    #: The model's text before the citation check (for evaluation and debugging).
    draft: str = ""
    #: Why the answer was refused, or what the checks noted about an accepted answer
    #: (unsupported sentences). See :mod:`rag.checks.rules`.
    reasons: tuple[str, ...] = ()
    #: The kind of answer: ``fact`` (sentences), or, for questions that ask for one,
    #: ``overview``, ``timeline``, ``comparison`` or ``collection``, whose lines are
    #: also in ``items`` (``text`` shows them as a Markdown list).
    kind: str = "fact"
    items: tuple[Item, ...] = ()
    #: Why it was refused, in a reader's words ("The articles found never mention X.").
    explanation: str = ""
    #: Tokens the model read and wrote for this answer (``prompt_tokens``,
    #: ``completion_tokens``), when the generator can count them.
    usage: dict[str, int] = field(default_factory=dict)

    @classmethod
    def unusable(cls, question: object, problem: str) -> Answer:
        """The refusal of a question or option that cannot be used, saying why."""
        return cls(question=str(question)[:200], text=problem, refused=True, error=problem)

    @property
    def asked_nothing(self) -> bool:
        """Was the request itself unusable (an empty or over-long question, an option out
        of range, a bad date, a filter no article matches)? A time limit is an answer."""
        return bool(self.error) and self.reasons != ("time limit",)
