"""Memory of the app across uploads (issue 17): the same ~40 MB export uploaded ten times
in one browser session, the server's resident memory (RSS) printed after each; then the
session is closed and the memory printed again. Target: after the first upload, memory
stays flat (each upload replaces the last; nothing of it is kept but its counts).

Drives a real Streamlit server with Debian's Chromium (shared/TESTING.md).

    python benchmarks/bench_upload_memory.py [--uploads 10]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def write_export(path: Path, rows: int = 420_000) -> Path:
    rng = np.random.default_rng(1)
    created = pd.Timestamp("2024-01-01") + pd.to_timedelta(
        rng.integers(0, 700 * 86_400, rows), unit="s"
    )
    pd.DataFrame(
        {
            "Ticket ID": np.arange(rows),
            "Created at": created.strftime("%Y-%m-%d %H:%M:%S"),
            "Via": rng.choice(["Email", "Phone", "Chat"], rows),
            "Group": rng.choice(["Billing", "Tech", "Sales"], rows),
            "Subject": ["Cannot sign in to the dashboard"] * rows,
        }
    ).to_csv(path, index=False)
    return path


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main(uploads: int) -> None:
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="bench-upload-"))
    export = write_export(folder / "tickets.csv")
    print(f"export: {export.stat().st_size / 1e6:.1f} MB")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PLANNER_DB"] = str(folder / "planner.db")
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port),
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        time.sleep(5)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            context = browser.new_context(viewport={"width": 1400, "height": 2000})
            page = context.new_page()
            page.set_default_timeout(300_000)
            page.goto(f"http://127.0.0.1:{port}/")
            page.get_by_text("Tickets kept", exact=True).wait_for()
            print(f"sample loaded: {rss_mb(server.pid):,.0f} MB")
            page.get_by_text("Upload an export").click()
            for i in range(uploads):
                start = time.perf_counter()
                dropzone = '[data-testid="stFileUploaderDropzoneInput"]'
                page.wait_for_function(f"() => document.querySelectorAll('{dropzone}').length == 1")
                named = export.with_name(f"tickets_{i + 1}.csv")  # the same bytes, its own name
                if not named.exists():
                    named.hardlink_to(export)
                page.locator(dropzone).set_input_files(named)
                # read, then the uploader is replaced by an empty one (its bytes forgotten)
                page.wait_for_function(
                    "() => !document.querySelector('[data-testid=\"stFileUploaderFile\"]')"
                )
                page.wait_for_function(
                    "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
                )
                page.get_by_text(f"tickets_{i + 1}.csv: csv").wait_for()
                took = time.perf_counter() - start
                print(f"upload {i + 1:2d}: {rss_mb(server.pid):,.0f} MB ({took:.1f} s)")
            context.close()
            browser.close()
        time.sleep(3)
        print(f"session closed: {rss_mb(server.pid):,.0f} MB")
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--uploads", type=int, default=10)
    main(parser.parse_args().uploads)
