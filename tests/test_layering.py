"""The layers of `workbench/`, read from the imports of every module (ast, nothing imported).

    ui/, app.py                          Streamlit: never imported by workbench/
    workbench.cli, .charts, .report      the front layers: read results, present them
    everything else in workbench/        the engine: never imports a front layer

Imports inside functions count: a lazy import is still a dependency. No module may reach itself
again through its imports (no import cycle, whatever the layer).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "workbench"
FRONT = ("workbench.cli", "workbench.charts", "workbench.report")
ENTRY_POINTS = ("workbench.__main__",)  # `python -m workbench`: the command line's own entry


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES: dict[str, Path] = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if "__pycache__" not in p.parts}


def is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def imported_names(name: str) -> Iterator[tuple[str, int]]:
    """Every module name an import statement of `name` reaches (absolute, relative resolved), with
    its line. `from pkg import sub` reaches `pkg.sub` when that is a module, else `pkg`."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    package = name if is_package(name) else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                yield (sub if sub in MODULES else target), node.lineno


def internal_target(imported: str) -> str | None:
    """The workbench module an imported name belongs to (the longest module prefix)."""
    parts = imported.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in MODULES:
            return candidate
    return None


def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {name: set() for name in MODULES}
    for name in MODULES:
        for imported, _ in imported_names(name):
            target = internal_target(imported)
            if target is not None and target != name:
                edges[name].add(target)
    return edges


def in_layer(name: str, layers: tuple[str, ...]) -> bool:
    return any(name == layer or name.startswith(layer + ".") for layer in layers)


def strongly_connected(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative: the groups of modules that import each other, size ≥ 2."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


# --- the rules --------------------------------------------------------------------------------


def test_workbench_never_imports_streamlit_or_the_ui():
    found = [
        f"{MODULES[name].relative_to(ROOT)}:{line}: {imported}"
        for name in MODULES
        for imported, line in imported_names(name)
        if imported.split(".")[0] in ("streamlit", "ui", "app")
    ]
    assert found == []


def test_the_engine_never_imports_the_command_line_charts_or_reports():
    found = [
        f"{MODULES[name].relative_to(ROOT)}:{line}: {imported}"
        for name in MODULES
        if not in_layer(name, FRONT + ENTRY_POINTS)
        for imported, line in imported_names(name)
        if in_layer(imported, FRONT)
    ]
    assert found == []


def test_no_import_cycle():
    assert strongly_connected(graph()) == []


# --- the checker itself -----------------------------------------------------------------------


def test_the_graph_sees_relative_absolute_and_lazy_imports():
    edges = graph()
    assert "workbench.cli" in edges["workbench.__main__"]  # from .cli import main
    assert "workbench.cli.common" in edges["workbench.cli"]  # from .common import ...
    assert "workbench.errors" in edges["workbench.cli"]  # from ..errors import WorkbenchError
    assert "workbench.evaluate" in edges["workbench.charts.heatmap"]  # inside a function
    assert sum(len(targets) for targets in edges.values()) > 50


def test_cycle_finder_finds_cycles():
    assert strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert strongly_connected({"a": {"b"}, "b": set(), "c": {"a", "b"}}) == []
