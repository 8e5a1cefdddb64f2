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
    {"rag.ingest", "rag.models", "rag.guard"},
    {"rag.store"},
    {"rag.question"},
    {"rag.retrieve", "rag.window", "rag.checks"},
    {"rag.prompt", "rag.plans"},
    {"rag.pipeline"},
    {"rag", "rag.cli", "rag.api"},
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
            # "from . import checks": a name may be a module itself, not a name in ``target``.
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


def circles(g: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan): every set of
    modules that import each other, directly or around a loop."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(m: str) -> None:
        index[m] = low[m] = len(index)
        stack.append(m)
        on.add(m)
        for t in sorted(g.get(m, ())):
            if t not in g:
                continue
            if t not in index:
                visit(t)
                low[m] = min(low[m], low[t])
            elif t in on:
                low[m] = min(low[m], index[t])
        if low[m] == index[m]:
            component = []
            while True:
                t = stack.pop()
                on.discard(t)
                component.append(t)
                if t == m:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for m in sorted(g):
        if m not in index:
            visit(m)
    return out


def test_no_import_circles():
    found = circles(graph())
    assert not found, "import circles:\n" + "\n".join(" <-> ".join(c) for c in found)


def test_the_circle_finder_finds_a_loop_that_passes_through_two_rooms():
    g = {"rag.a.p": {"rag.a.q", "rag.b.r"}, "rag.b.r": {"rag.a.q"}, "rag.a.q": {"rag.a.p"}}
    assert circles(g) == [["rag.a.p", "rag.a.q", "rag.b.r"]]
    assert circles({"rag.a": {"rag.b"}, "rag.b": set()}) == []


def test_the_edges_use_the_public_surface_only():
    """ui.py and eval/ import ``rag``, a room (``rag.store``), or a top-level module
    (``rag.question``), never a file inside a room (``rag.store.faiss_store``)."""
    deep = []
    for path in [ROOT / "ui.py", *sorted((ROOT / "eval").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                # "from rag.store import faiss_store" reaches a file as surely as "rag.store.faiss_store".
                names = [node.module] + [
                    f"{node.module}.{a.name}"
                    for a in node.names
                    if (RAG.parent / Path(*f"{node.module}.{a.name}".split("."))).with_suffix(".py").exists()
                ]
            deep += [f"{path.name}: {n}" for n in names if n.startswith("rag.") and n.count(".") >= 2]
    assert not deep, "edges reaching inside a room:\n" + "\n".join(deep)
