"""The README's Python examples run as written: every fenced ``python`` block, in order,
in one namespace (a later block uses what an earlier one made), from a folder that has the
sample data, so they cannot drift from the API."""

import re
import traceback

import pytest

from tests.conftest import ROOT

BLOCK = re.compile(r"^```python\n(.*?)^```", re.M | re.S)


def test_every_python_block_of_the_readme_runs(tmp_path, monkeypatch):
    text = (ROOT / "README.md").read_text()
    blocks = [(text.count("\n", 0, m.start()) + 2, m.group(1)) for m in BLOCK.finditer(text)]
    assert len(blocks) >= 6
    (tmp_path / "sample_data").symlink_to(ROOT / "sample_data")
    monkeypatch.chdir(tmp_path)  # the examples write plan.xlsx and planner.db here
    namespace: dict = {}
    for line, code in blocks:
        try:
            exec(compile(code, f"README.md, the block from line {line}", "exec"), namespace)
        except Exception:
            pytest.fail(f"README.md's block from line {line} fails:\n{traceback.format_exc()}")
    assert (tmp_path / "plan.xlsx").stat().st_size > 0
