"""The examples in the planner's docstrings run and print what they say (doctest), so the
documentation cannot drift from the code; in the modules listed, every public function has
one."""

import ast
import doctest
import importlib

from tests.conftest import ROOT

SOURCE = ROOT / "src"
# Modules whose every public function shows an example (the formulas a reader checks first).
EXAMPLES_REQUIRED = (
    "planner.queueing",
    "planner.roles",
    "planner.presets",
    "planner.tally",
    "planner.volume",
)


def planner_modules() -> list[str]:
    names = []
    for path in sorted((SOURCE / "planner").rglob("*.py")):
        parts = list(path.relative_to(SOURCE).with_suffix("").parts)
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_every_docstring_example_runs_as_written():
    finder, failed, ran = doctest.DocTestFinder(), [], 0
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for name in planner_modules():
        for test in finder.find(importlib.import_module(name)):
            result = runner.run(test, out=lambda text: failed.append(text))
            ran += result.attempted
    assert ran > 0
    assert not failed, "\n".join(failed)


def test_the_formula_modules_show_an_example_for_every_public_function():
    missing = []
    for name in EXAMPLES_REQUIRED:
        path = SOURCE / f"{name.replace('.', '/')}.py"
        for node in ast.parse(path.read_text()).body:
            public = isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
            if public and ">>>" not in (ast.get_docstring(node) or ""):
                missing.append(f"{name}.{node.name}")
    assert not missing, "no example in the docstring of " + ", ".join(missing)
