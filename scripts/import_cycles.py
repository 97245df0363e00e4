"""Print every import cycle among the modules of `studio`, and every import of
``PySide6.QtWidgets`` outside `studio.ui` and `studio.app`; exit 1 if there is any.

Edges are every import grimp sees, including those under ``if TYPE_CHECKING:`` and inside
functions: a type-only or lazy import still couples two modules, so it must not close a
circle either. The QtWidgets rule lives here because import-linter cannot forbid a
submodule of an external package. The layer contracts are in pyproject.toml
(``lint-imports``). Run: ``python scripts/import_cycles.py`` from the repository root.
"""

from __future__ import annotations

import sys
from pathlib import Path

import grimp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

#: Cycles being removed by work in flight, reported but not failing. Each entry names who
#: removes it; delete the entry when it is gone (the script says so).
KNOWN: dict[tuple[str, ...], str] = {}  # (cycle) -> who removes it; empty: none is allowed
WIDGET_ROOMS = ("studio.ui", "studio.app")


def cycles(graph: grimp.ImportGraph, package: str = "studio") -> list[list[str]]:
    """The strongly connected components (of more than one module, or a self-import)."""
    modules = sorted(m for m in graph.modules if m == package or m.startswith(package + "."))
    ours = set(modules)
    edges = {
        m: sorted(i for i in graph.find_modules_directly_imported_by(m) if i in ours)
        for m in modules
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(root: str) -> None:
        nonlocal counter
        work = [(root, iter(edges[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1 or node in edges[node]:
                        found.append(sorted(component))

    for module in modules:
        if module not in index:
            visit(module)
    return sorted(found)


def widget_imports(graph: grimp.ImportGraph, package: str = "studio") -> list[str]:
    """``module:line: text`` of each QtWidgets import outside the widget rooms."""
    found = []
    for module in sorted(graph.modules):
        if not module.startswith(package + ".") or module.startswith(WIDGET_ROOMS):
            continue
        if "PySide6" not in graph.find_modules_directly_imported_by(module):
            continue
        for detail in graph.get_import_details(importer=module, imported="PySide6"):
            if "QtWidgets" in detail["line_contents"]:
                found.append(f"{module}:{detail['line_number']}: {detail['line_contents']}")
    return found


def main() -> int:
    graph = grimp.build_graph("studio", include_external_packages=True, cache_dir=None)
    failed = False
    found = cycles(graph)
    for component in found:
        owner = KNOWN.get(tuple(component))
        if owner:
            print(f"known cycle (removed by {owner}): " + " <-> ".join(component))
        else:
            print("cycle: " + " <-> ".join(component))
            failed = True
    for gone in sorted(set(KNOWN) - {tuple(c) for c in found}):
        print("known cycle no longer present, delete it from KNOWN: " + " <-> ".join(gone))
    new = sum(1 for c in found if tuple(c) not in KNOWN)
    print(f"{new} import cycle(s) among studio modules ({len(found) - new} known)")
    for line in widget_imports(graph):
        print(f"QtWidgets outside {' and '.join(WIDGET_ROOMS)}: {line}")
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
