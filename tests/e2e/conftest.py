"""A real Streamlit server and Debian's Chromium, driven by Playwright (shared/TESTING.md)."""

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = Path(os.environ.get("PLANNER_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
OUTPUT = ROOT / "test-output"
# While a run is under way, Streamlit keeps the previous run's elements, marked stale, beside
# the new ones: a test reads only the current ones.
CURRENT = '[data-testid="stElementContainer"]:not([data-stale="true"])'
METRIC = f'{CURRENT} [data-testid="stMetric"]'


def metric_value(page, label: str) -> float:
    """The number shown by the current metric whose label is ``label``."""
    metric = page.locator(METRIC).filter(has_text=label)
    return float(metric.get_by_test_id("stMetricValue").inner_text().split()[0])


def wait_for_metric_above(page, label: str, before: float, timeout: int = 60_000) -> None:
    page.wait_for_function(
        """([selector, label, before]) => {
            const m = [...document.querySelectorAll(selector)]
                .find(e => e.innerText.includes(label));
            return m && parseFloat(m.querySelector('[data-testid="stMetricValue"]').innerText)
                > before;
        }""",
        arg=[METRIC, label, before],
        timeout=timeout,
    )


def after_rerun(page, action, timeout: int = 180_000) -> None:
    """Do ``action`` (a key press, a click) and wait until the run of the script it started
    has finished: the app marks its state on ``stApp`` (running, then notRunning), and an
    observer set up before the action sees the run begin however short it is."""
    page.evaluate(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            window.plannerRan = false;
            new MutationObserver(() => {
                if (app.dataset.testScriptState === "running") window.plannerRan = true;
            }).observe(app, {attributes: true, attributeFilter: ["data-test-script-state"]});
        }"""
    )
    action()
    page.wait_for_function(
        "() => window.plannerRan && document.querySelector('[data-testid=\"stApp\"]')"
        ".dataset.testScriptState === 'notRunning'",
        timeout=timeout,
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@contextlib.contextmanager
def start_server(folder: Path):
    """A Streamlit server on a free port with its own store in ``folder``; yields its URL."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PLANNER_DB"] = str(folder / "planner.db")
    process = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", "app.py",
            "--server.headless", "true", "--server.address", "127.0.0.1",
            "--server.port", str(port), "--browser.gatherUsageStats", "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.3)
    else:
        process.terminate()
        pytest.fail("the Streamlit server did not start within 60 s")
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    with start_server(tmp_path_factory.mktemp("store")) as url:
        yield url


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 2400})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(server)
    yield page
    context.close()


@pytest.fixture
def screenshot_dir() -> Path:
    OUTPUT.mkdir(exist_ok=True)
    return OUTPUT
