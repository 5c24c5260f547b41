"""The house rules, checked on the source: no import circle (imports inside functions
count), sub-packages that depend on each other one way only, renderers that only format."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import REPO

PACKAGE = REPO / "zi_media"


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imported(name: str) -> Iterator[str]:
    """Every zi_media module `name` imports, anywhere in the file (functions included)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name in MODULES)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            for alias in node.names:
                if f"{target}.{alias.name}" in MODULES:  # `from . import cache`
                    yield f"{target}.{alias.name}"
                elif target in MODULES:
                    yield target


GRAPH = {name: set(imported(name)) for name in MODULES}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (or a self-import): each a circle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in graph.get(v, ()):
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def room(module: str) -> str:
    """The sub-package (or top-level module) a module lives in: zi_media.speech.models -> speech."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_the_checker_finds_a_circle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"a"}}) == [["a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_imports_inside_functions() -> None:
    assert "zi_media.speech.openai_engine" in GRAPH["zi_media.speech.transcribe"]  # imported in make_engine
    assert "zi_media.cache" in GRAPH["zi_media.speech.models"]  # `from .. import cache`


def test_no_module_import_circle() -> None:
    assert cycles(GRAPH) == []


def test_sub_packages_depend_one_way() -> None:
    rooms: dict[str, set[str]] = {}
    for module, targets in GRAPH.items():
        rooms.setdefault(room(module), set()).update(room(t) for t in targets if room(t) != room(module))
    assert cycles(rooms) == []
    # the data flow of DESIGN.md: nothing upstream knows what comes after it
    for upstream, downstream in [("media", {"speech", "content", "unit", "report", "batch", "cli"}),
                                 ("speech", {"content", "unit", "report", "batch", "cli"}),
                                 ("content", {"unit", "report", "batch", "cli", "profiles"}),
                                 ("unit", {"report", "batch", "cli"}),
                                 ("report", {"unit", "batch", "cli", "check", "file_check"})]:
        assert not rooms.get(upstream, set()) & downstream, (upstream, rooms[upstream] & downstream)
    assert rooms["types"] == set()  # shared by every stage, so it imports none of them


@pytest.mark.parametrize("renderer", ["common", "text", "jsondoc", "html", "render"])
def test_renderers_only_format(renderer: str) -> None:
    """No decoder, subprocess or file access in a renderer: pictures come in prepared."""
    path = PACKAGE / "report" / f"{renderer}.py"
    tree = ast.parse(path.read_text())
    names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {(n.module or "").split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and not n.level}
    assert not names & {"av", "cv2", "numpy", "subprocess", "os", "shutil"}
    calls = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    assert "open" not in calls
