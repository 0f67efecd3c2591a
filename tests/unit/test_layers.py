"""The layers of CONTRIBUTING.md, read from the imports of every source file (at module
level and inside functions): each layer imports only the ones below it, and the planner's
modules import each other without a cycle."""

import ast
from pathlib import Path

from tests.conftest import ROOT

PLANNER = ROOT / "src" / "planner"
LAYERS = {  # a layer: the folders (or files) it is, and the top-level names it may not import
    "planner": ([PLANNER], {"streamlit", "planner_ui", "views", "app"}),
    "planner_ui": ([ROOT / "src" / "planner_ui"], {"views", "app"}),
    "views": ([ROOT / "views"], {"app"}),
}
# Modules of the planner that may import its exports (the command line writes files).
EXPORTERS = {"planner.__main__", "planner.export"}


def imported(nodes) -> list[tuple[str, int]]:
    """Each module the import statements among ``nodes`` name (``from a import b`` gives
    ``a`` and ``a.b``), with its line. Imports are absolute: ruff's TID252 refuses
    relative ones."""
    found = []
    for node in nodes:
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.module, node.lineno))
            found += [(f"{node.module}.{alias.name}", node.lineno) for alias in node.names]
    return found


def module_name(path: Path) -> str:
    """``src/planner/org/people.py`` -> ``planner.org.people`` (a package: its name)."""
    parts = list(path.relative_to(ROOT / "src").with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, everywhere: bool = True) -> list[tuple[str, int]]:
    """The modules ``path`` imports: anywhere in it, or (``everywhere=False``) at module
    level only, what importing it runs."""
    tree = ast.parse(path.read_text(), str(path))
    return imported(ast.walk(tree) if everywhere else tree.body)


def sources(where: list[Path]) -> list[Path]:
    return sorted(p for place in where for p in place.rglob("*.py"))


def test_each_layer_imports_only_the_layers_below_it():
    broken = []
    for layer, (where, banned) in LAYERS.items():
        for path in sources(where):
            for name, line in imports(path):
                if name.split(".")[0] in banned:
                    broken.append(f"{path.relative_to(ROOT)}:{line} ({layer}) imports {name}")
    assert not broken, "\n".join(broken)


def test_only_the_command_line_imports_the_exports():
    broken = []
    for path in sources([PLANNER]):
        name = module_name(path)
        if any(name == e or name.startswith(f"{e}.") for e in EXPORTERS):
            continue
        broken += [
            f"{name}:{line} imports {target}"
            for target, line in imports(path)
            if target.split(".")[:2] == ["planner", "export"]
        ]
    assert not broken, "\n".join(broken)


def test_the_planners_modules_import_each_other_without_a_cycle():
    modules = {module_name(p): p for p in sources([PLANNER])}
    edges = {}
    for name, path in modules.items():
        found = set()
        for target, _ in imports(path, everywhere=False):
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target not in {name, "planner"}:
                found.add(target)
        edges[name] = found
    state, cycles = {}, []

    def visit(name: str, trail: list[str]) -> None:
        state[name] = "open"
        for target in sorted(edges[name]):
            if state.get(target) == "open":
                cycles.append(" -> ".join([*trail[trail.index(target) :], target]))
            elif target not in state:
                visit(target, [*trail, target])
        state[name] = "done"

    for name in sorted(modules):
        if name not in state:
            visit(name, [name])
    assert not cycles, "\n".join(cycles)
