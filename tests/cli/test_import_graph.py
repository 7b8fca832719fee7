"""pubkit's imports run one way: source → catalog → render → publish → cli, with the top-level modules
(errors, config, locales, files) below all. No circle, no import from a later stage into an earlier one."""

from __future__ import annotations

import ast
from pathlib import Path

import pubkit

STAGES = {"source": 1, "catalog": 2, "render": 3, "publish": 4}
PACKAGE = Path(pubkit.__file__).parent


def stage(module: str) -> int:
    parts = module.split(".")
    if len(parts) >= 2 and parts[1] in STAGES:
        return STAGES[parts[1]]
    if len(parts) >= 2 and parts[1] in ("cli", "__main__"):
        return 5
    return 0  # errors, config, locales, safefs, fileio, machine, configfile


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module → the package's modules it imports, anywhere in it (inside functions too), except under
    ``if TYPE_CHECKING:``, which is no import at run time."""
    modules = {module_name(root, path): path for path in root.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {id(node) for block in ast.walk(tree)
                       if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
                       for node in ast.walk(block)}
        targets: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
                    base = base[: len(base) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                for alias in node.names:  # `from . import x` may name a module
                    targets.add(f"{target}.{alias.name}" if f"{target}.{alias.name}" in modules else target)
        graph[module] = {t for t in targets if t in modules and t != module}
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in graph.get(module, ()):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            component = []
            while True:
                other = stack.pop()
                component.append(other)
                if other == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def backward(graph: dict[str, set[str]], package: str) -> list[str]:
    """Imports from a later stage into an earlier one (the package's lazy index ``__init__`` excepted)."""
    return sorted(f"{module} -> {other}" for module, others in graph.items() for other in others
                  if stage(other) > stage(module) and module != package)


def test_pubkit_imports_have_no_circle() -> None:
    assert circles(import_graph(PACKAGE)) == []


def test_pubkit_imports_run_one_way() -> None:
    assert backward(import_graph(PACKAGE), PACKAGE.name) == []


def test_the_walk_finds_a_circle_and_a_backward_import(tmp_path: Path) -> None:
    # The two tests above pass only if the walk can see what they forbid: a package made to break both.
    root = tmp_path / "pubkit"
    for folder in ("source", "render"):
        (root / folder).mkdir(parents=True)
        (root / folder / "__init__.py").write_text("")
    (root / "__init__.py").write_text("")
    (root / "source" / "a.py").write_text("def later():\n    from ..render import b\n")
    (root / "render" / "b.py").write_text("from ..source.a import later\n")
    (root / "render" / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                          "    from ..source import a\n")
    graph = import_graph(root)
    assert circles(graph) == [["pubkit.render.b", "pubkit.source.a"]]
    assert backward(graph, "pubkit") == ["pubkit.source.a -> pubkit.render.b"]
