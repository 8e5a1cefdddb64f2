"""The house rules of ``rag/``: no import circles, no module imports one above it, and the
edges (``ui.py``, ``eval/``) use only the public surface. Read from the source with ``ast``
(imports inside functions included), so a lazy import cannot hide a circle."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAG = ROOT / "rag"

#: Lowest first. A module may import its own room and the rooms below it, never above.
LAYERS = [
    {"rag.types", "rag.errors", "rag.config", "rag.lang"},
    {"rag.ingest", "rag.models"},
    {"rag.store"},
    {"rag.question"},
    {"rag.retrieve", "rag.window", "rag.answer"},
    {"rag.prompt"},
    {"rag.pipeline"},
    {"rag", "rag.cli"},
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imported(path: Path) -> set[str]:
    """Every ``rag`` module ``path`` imports, at any depth of the file."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.split(".")[0] == "rag"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "rag":
                continue
            # "from . import answer": a name may be a module itself, not a name in ``target``.
            for a in node.names:
                candidate = RAG.parent / Path(*f"{target}.{a.name}".split("."))
                if candidate.with_suffix(".py").exists() or candidate.is_dir():
                    out.add(f"{target}.{a.name}")
                else:
                    out.add(target)
    return out - {name}


def room(module: str) -> str:
    """The room a module lives in: its subpackage, or itself for a top-level module."""
    parts = module.split(".")
    return ".".join(parts[:2])


def layer(module: str) -> int:
    r = room(module)
    for i, rooms in enumerate(LAYERS):
        if r in rooms:
            return i
    raise AssertionError(f"{module} is in no layer of tests/test_layout.py: place its room")


def graph() -> dict[str, set[str]]:
    return {module_name(p): imported(p) for p in RAG.rglob("*.py")}


def test_every_module_imports_only_its_room_and_below():
    wrong = []
    for module, targets in graph().items():
        for t in targets:
            if room(t) != room(module) and layer(t) > layer(module):
                wrong.append(f"{module} imports {t}")
    assert not wrong, "imports from a higher room:\n" + "\n".join(sorted(wrong))


def test_no_import_circles_between_modules():
    g = graph()
    # Package __init__ files re-export their room; a circle through one is still a circle.
    state: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for t in sorted(g.get(m, ())):
            if t not in g:
                continue
            if state.get(t) == 1:
                circles.append(stack[stack.index(t) :] + [t])
            elif t not in state:
                visit(t)
        stack.pop()
        state[m] = 2

    for m in sorted(g):
        if m not in state:
            visit(m)
    # A room's __init__ importing its own modules, which import siblings through the
    # package, is not a circle between rooms; anything else is.
    real = [c for c in circles if len({room(m) for m in c}) > 1]
    assert not real, "import circles:\n" + "\n".join(" -> ".join(c) for c in real)


def test_the_edges_use_the_public_surface_only():
    """ui.py and eval/ import ``rag``, a room (``rag.store``), or a top-level module
    (``rag.question``), never a file inside a room (``rag.store.faiss_store``)."""
    deep = []
    for path in [ROOT / "ui.py", *sorted((ROOT / "eval").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and not node.level
                else []
            )
            deep += [f"{path.name}: {n}" for n in names if n.startswith("rag.") and n.count(".") >= 2]
    assert not deep, "edges reaching inside a room:\n" + "\n".join(deep)
