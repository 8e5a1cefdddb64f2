"""What a plan produces: lines quoted from passages, ready to number and render."""

from __future__ import annotations

from dataclasses import dataclass

from ..types import Chunk


@dataclass(frozen=True)
class Line:
    """One line of a structured answer: a sentence quoted from its ``passages`` (a
    difference between outlets cites both; a line about the collection cites none)."""

    text: str
    passages: tuple[Chunk, ...] = ()
    date: str = ""
    certain: bool = True
    label: str = ""
    #: Timeline: the date as a sortable key (YYYY, YYYY-MM or YYYY-MM-DD; "" unknown).
    key: str = ""


@dataclass(frozen=True)
class Plan:
    """A structured answer before numbering: ``lines`` (empty when nothing answers,
    then ``reason`` says why), a ``heading`` above them and a ``footer`` below."""

    kind: str
    lines: tuple[Line, ...] = ()
    heading: str = ""
    footer: str = ""
    reason: str = ""
    #: False when no article is about the question (or within its filter) at all.
    matched: bool = True
