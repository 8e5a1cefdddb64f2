"""A plan as the answer a reader sees: Markdown lines with ``[n]`` markers, the
:class:`rag.Item` records behind them and the :class:`rag.Citation` records they cite."""

from __future__ import annotations

from ..types import Chunk, Citation, Item
from .plan import Plan

#: Sections of a comparison's lines that are not one outlet's: label -> title.
SECTIONS = {"agree": "Where the figures agree", "differ": "Where the figures differ"}


def rendered(plan: Plan) -> tuple[str, tuple[Item, ...], tuple[Citation, ...]]:
    """The answer text, its items and its citations (numbered in order of first use)."""
    numbers: dict[tuple[str, int, int], int] = {}
    records: list[tuple[Chunk, list[str]]] = []
    items = []
    for line in plan.lines:
        cited = []
        for p in line.passages:
            key = (p.doc_id, p.start, p.end)
            if key not in numbers:
                numbers[key] = len(numbers) + 1
                records.append((p, []))
            records[numbers[key] - 1][1].append(line.text)
            cited.append(numbers[key])
        items.append(Item(line.text, tuple(dict.fromkeys(cited)), line.date, line.certain, line.label))
    citations = tuple(
        Citation(n, p.title, p.doc_id, p.text, p.start, p.end, tuple(s)) for n, (p, s) in enumerate(records, 1)
    )
    return _text(plan, items), tuple(items), citations


def _marks(item: Item) -> str:
    return "".join(f"[{n}]" for n in item.citations)


def _bullet(item: Item, plan: Plan) -> str:
    marks = f" {_marks(item)}" if item.citations else ""
    if plan.kind == "timeline":
        return f"- **{item.date}**: {item.text}{marks}"
    return f"- {item.text}{marks}"


def _text(plan: Plan, items: list[Item]) -> str:
    parts = [plan.heading] if plan.heading else []
    if plan.kind == "comparison":
        sides = list(dict.fromkeys(i.label for i in items if i.label not in SECTIONS))
        for side in sides:
            parts.append(f"**{side}**")
            parts += [_bullet(i, plan) for i in items if i.label == side]
        for label, title in SECTIONS.items():
            section = [i for i in items if i.label == label]
            if section:
                parts.append(f"**{title}**")
                parts += [_bullet(i, plan) for i in section]
    else:
        parts += [_bullet(i, plan) for i in items]
    if plan.footer:
        parts.append(plan.footer)
    return "\n".join(parts)
