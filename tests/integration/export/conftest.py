"""LibreOffice to recalculate workbooks as finance's spreadsheet would (the sample plan
they export is ``tests/integration/conftest.py``'s). Under CI=true a missing LibreOffice
fails the run."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

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
def libreoffice(tmp_path_factory):
    """``libreoffice(paths, to, infilter=None) -> paths``: each file opened by LibreOffice
    headless (recalculating every formula) and saved in the format ``to`` ("xlsx",
    "pptx", "pdf"), all in one run."""
    soffice = shutil.which("soffice")
    if soffice is None:
        message = (
            "LibreOffice is missing: apt-get install libreoffice-calc-nogui "
            "libreoffice-impress-nogui (.ci/run does it)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    profile = tmp_path_factory.mktemp("lo-profile")
    (profile / "user").mkdir()
    (profile / "user" / "registrymodifications.xcu").write_text(RECALCULATE)

    def run(paths: list[Path], to: str, infilter: str | None = None) -> list[Path]:
        out = paths[0].parent / "converted"
        out.mkdir(exist_ok=True)
        reading = [f"--infilter={infilter}"] if infilter else []
        subprocess.run(
            [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", *reading,
             "--convert-to", to, "--outdir", str(out), *map(str, paths)],
            check=True, capture_output=True, timeout=60 + 30 * len(paths),
        )  # fmt: skip
        done = [out / f"{p.stem}.{to}" for p in paths]
        missing = [p.name for p in done if not p.exists()]
        assert not missing, f"LibreOffice wrote nothing for {missing} (is Impress installed?)"
        return done

    return run


@pytest.fixture(scope="session")
def recalculate(libreoffice):
    """``recalculate(path, infilter=None) -> path``: the workbook (or a CSV, read with the
    import filter ``infilter``) opened, recalculated and saved as XLSX by LibreOffice
    headless; given a list of paths, all of them in one LibreOffice run, and the list of
    results."""

    def run(path: Path | list[Path], infilter: str | None = None) -> Path | list[Path]:
        done = libreoffice(path if isinstance(path, list) else [path], "xlsx", infilter)
        return done if isinstance(path, list) else done[0]

    return run
