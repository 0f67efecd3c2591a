"""A plan of the sample data (built once), and LibreOffice to recalculate workbooks as
finance's spreadsheet would. Under CI=true a missing LibreOffice fails the run."""

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from planner import plan, sample

# Make LibreOffice recalculate every formula on load instead of trusting cached values.
RECALCULATE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode"
 oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


@pytest.fixture(scope="session")
def sample_plan():
    """The sample scenario planned on the sample history and organisation: (result,
    roster, history, organisation)."""
    scenario, _, history, organisation = sample.load_shipped()
    result = plan.build(scenario, history, organisation=organisation, today=dt.date(2026, 11, 23))
    return result, organisation.roster, history, organisation


@pytest.fixture(scope="session")
def recalculate(tmp_path_factory):
    """``recalculate(path, infilter=None) -> path``: the workbook (or a CSV, read with the
    import filter ``infilter``) opened, recalculated and saved as XLSX by LibreOffice
    headless (``soffice --convert-to xlsx``); given a list of paths, all of them in one
    LibreOffice run, and the list of results."""
    soffice = shutil.which("soffice")
    if soffice is None:
        message = "LibreOffice is missing: apt-get install libreoffice-calc-nogui (.ci/run does it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    profile = tmp_path_factory.mktemp("lo-profile")
    (profile / "user").mkdir()
    (profile / "user" / "registrymodifications.xcu").write_text(RECALCULATE)

    def run(path: Path | list[Path], infilter: str | None = None) -> Path | list[Path]:
        paths = path if isinstance(path, list) else [path]
        out = paths[0].parent / "recalculated"
        out.mkdir(exist_ok=True)
        reading = [f"--infilter={infilter}"] if infilter else []
        subprocess.run(
            [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", *reading,
             "--convert-to", "xlsx", "--outdir", str(out), *map(str, paths)],
            check=True, capture_output=True, timeout=60 + 30 * len(paths),
        )  # fmt: skip
        done = [out / f"{p.stem}.xlsx" for p in paths]
        return done if isinstance(path, list) else done[0]

    return run
