"""What-ifs in a real browser: from a change to the new headline value, and to the page
settled, for ten changes across the pages (issue 21).

Starts its own Streamlit server (with a store holding the sample plan and a copy with an
AI assistant on chat), drives Debian's Chromium through Playwright, and prints for each
what-if the milliseconds from the change (Enter pressed, a button clicked: the browser's
own event, after the driver has found the field) to the page's headline showing a new
value and to the page settled (the run finished, nothing stale), then p50 and p95 over
them. Targets: headline p50 <= 300 ms and p95 <= 1 s; no change
takes more than 3 s to settle. Also printed: the first open of the Volume forecast page in
a new session, on the fresh server (the sample's forecast made) and on the warm one
(target <= 5 s), and an own export of four channels from upload to its forecast shown
with progress on the way (target <= 15 s), with the server's CPU seconds beside the wall
times (the machine is
shared; ``--repeat`` runs the ten what-ifs again, each with new values).

    python benchmarks/bench_browser.py [--repeat 1]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planner import sample, store  # noqa: E402
from planner.scenario import Scenario  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, start_server  # noqa: E402

BASE, WITH_AI = "FY2027 base plan", "FY2027 with AI on chat"
HEADLINE_MS, SETTLED_MS, UPLOAD_S = (300, 1_000), 3_000, 15
PAGES = {
    "forecast": "Volume forecast",
    "staffing": "Staffing & capacity",
    "budget": "Budget",
    "org": "Org & career ladder",
    "review": "Finance review",
}

# In the page: the headline (a metric's value, or the first note after a section header)
# and whether the page has settled (no run under way, no stale element left). Read with
# textContent, which needs no layout: the watcher runs every frame and must not slow the
# page it measures.
WATCH = """
window.__bench = {
  current() {
    return [...document.querySelectorAll('[data-testid="stElementContainer"]')]
      .filter(e => !e.closest('[data-stale="true"]') && e.dataset.stale !== 'true');
  },
  headline(kind, text) {
    const shown = this.current();
    if (kind === 'metric') {
      const m = shown.map(e => e.querySelector('[data-testid="stMetric"]'))
        .find(m => m && m.textContent.includes(text));
      return m ? m.querySelector('[data-testid="stMetricValue"]').textContent : null;
    }
    const at = shown.findIndex(e => e.querySelector('h1, h2, h3')
      && e.textContent.includes(text));
    if (at < 0) return null;
    const note = shown.slice(at + 1).find(e => e.querySelector('[data-testid="stAlert"]'));
    return note ? note.textContent : null;
  },
  settled() {
    const running = document.querySelector('[data-testid="stStatusWidget"]');
    const stale = document.querySelector('[data-stale="true"]');
    return !stale && !(running && running.textContent.includes('Running'));
  },
  watch(kind, text, timeout) {
    // Timed from the change: the last Enter or click before the page starts its run (the
    // browser's own events, not the test driver finding the field). Done when the
    // headline changed and the page settled; a change that leaves the headline as it was
    // is done when its run ended and nothing ran for 500 ms after (a change may take two
    // runs: a button that reruns the app, then the page).
    const before = this.headline(kind, text);
    const begun = performance.now();
    let start = begun, sawRun = false;
    const mark = e => {
      if (!sawRun && (e.type === 'click' || e.key === 'Enter')) start = performance.now();
    };
    document.addEventListener('keydown', mark, true);
    document.addEventListener('click', mark, true);
    return new Promise(resolve => {
      let changed = null, calm = null;
      const done = result => {
        document.removeEventListener('keydown', mark, true);
        document.removeEventListener('click', mark, true);
        resolve(result);
      };
      const tick = () => {
        const now = performance.now();
        const value = this.headline(kind, text);
        if (changed === null && value !== null && value !== before) changed = now;
        const settled = this.settled();
        if (!settled) { sawRun = true; calm = null; } else if (calm === null) calm = now;
        if (settled && changed !== null && (sawRun || now - start > 150)) {
          done({before, after: value, headline: changed - start, settled: now - start});
        } else if (settled && changed === null && sawRun && now - calm > 500) {
          done({before, after: value, headline: calm - start, unchanged: true,
                settled: calm - start});
        } else if (now - begun > timeout) {
          done({before, after: value, settled: null,
                headline: changed === null ? null : changed - start});
        } else {
          requestAnimationFrame(tick);
        }
      };
      requestAnimationFrame(tick);
    });
  },
};
"""


def prepare_store(folder: Path) -> None:
    """The sample plan and a copy with an AI assistant answering 20% of chats from April."""
    scenario, tickets, history, organisation = sample.load_shipped()
    report = tickets.report
    saved = store.connect(f"sqlite:///{folder / 'planner.db'}")
    saved.save(scenario, parent=None, author="bench", history=history, report=report,
               organisation=organisation)  # fmt: skip
    data = scenario.model_dump(mode="json") | {"name": WITH_AI}
    data["demand"]["deflection"] = [{"channel": "chat", "start": "2027-04-01", "share": 0.2}]
    saved.save(Scenario.parse(data), parent=None, author="bench", history=history,
               report=report, organisation=organisation)  # fmt: skip


def settle(page, timeout: float = 300_000) -> None:
    page.wait_for_timeout(300)
    page.wait_for_function("() => window.__bench.settled()", timeout=timeout)


def go(page, name: str, kind: str, text: str) -> None:
    """Open the page and wait for its headline, with the run finished."""
    page.get_by_role("link", name=PAGES[name], exact=True).click()
    page.wait_for_timeout(300)
    page.wait_for_function(
        "([kind, text]) => window.__bench.headline(kind, text) !== null"
        " && window.__bench.settled()",
        arg=[kind, text],
        timeout=300_000,
    )


def measured(page, kind: str, text: str, act) -> dict:
    """Start watching the headline, make the change with ``act(page)``, and wait."""
    page.evaluate(f"() => {{ window.__run = window.__bench.watch({kind!r}, {text!r}, 30000); }}")
    act(page)
    return page.evaluate("window.__run")


def fill(label: str, change, nth: int = 0):
    """Type ``change(value now)`` into the ``nth`` visible number input called ``label``."""

    def act(page) -> None:
        box = page.get_by_role("spinbutton", name=label, exact=True).nth(nth)
        box.fill(f"{change(float(box.input_value().replace(',', ''))):g}")
        box.press("Enter")

    return act


def click(name: str):
    return lambda page: page.get_by_role("button", name=name).click()


def what_ifs(round_: int) -> list[tuple[str, str, str, str, object, object]]:
    """(what-if, page, headline kind, headline text, preparation, change)."""
    k = round_  # each round moves to values not seen before
    return [
        ("growth", "forecast", "note", "3. What will change?", None,
         fill("Extra growth (% a year)", lambda now: 12 + k)),
        ("service level", "staffing", "metric", "Peak gross FTE needed", phone_tab,
         fill("Service level target (%)", lambda now: now + 5)),
        ("handle time", "staffing", "metric", "Peak gross FTE needed", phone_tab,
         fill("Handle time (seconds)", lambda now: round(now * 1.2))),
        ("shrinkage", "staffing", "metric", "Peak gross FTE needed", open_shrinkage,
         fill("Sickness (%)", lambda now: now + 1)),
        ("hiring class", "staffing", "note", "6. Will we have them", None,
         click("Add these classes to the hiring plan")),
        ("burden", "budget", "metric", "Budget, Jan", None,
         fill("Burden on base pay (%)", lambda now: now + 2)),
        ("span rule", "org", "note", "3. Are spans healthy?", None,
         fill("Max", lambda now: now - 3)),
        ("scenario switch", "budget", "metric", "Budget, Jan", open_scenario(WITH_AI),
         click("Open the latest version")),
        ("AI deflection", "forecast", "note", "3. What will change?", open_deflection_share,
         type_share(25 + k)),
        ("compare", "review", "note", "Side by side", None, compare_with(BASE)),
    ]  # fmt: skip


def choose(page, label: str, name: str) -> None:
    """Pick ``name`` in the sidebar's select box ``label`` (opening it again when its list
    did not show)."""
    from playwright.sync_api import TimeoutError as Slow

    box = page.get_by_test_id("stSidebar").get_by_role("combobox", name=re.compile(label))
    for _ in range(3):
        box.click()
        option = page.get_by_role("option", name=name)
        try:
            option.wait_for(timeout=5_000)
        except Slow:
            page.keyboard.press("Escape")
            continue
        option.click()
        return
    raise RuntimeError(f"'{name}' is not offered in '{label}'")


def open_scenario(name: str):
    def prepare(page) -> None:
        opener = page.get_by_test_id("stSidebar").get_by_role("button", name=re.compile("Open the"))
        if not opener.is_visible():
            page.get_by_test_id("stSidebar").get_by_text("Open a saved scenario").click()
        choose(page, "Scenario", name)
        settle(page)

    return prepare


def compare_with(name: str):
    def act(page) -> None:
        choose(page, "Compare with", name)
        page.keyboard.press("Escape")

    return act


def phone_tab(page) -> None:
    page.get_by_role("tab", name="phone", exact=True).click()


def open_shrinkage(page) -> None:
    page.get_by_text("Paid hours, occupancy for deferred work, shrinkage").click()
    page.get_by_test_id("stPopoverButton").filter(has_text="Shrinkage:").click()


def open_deflection_share(page) -> None:
    """Open the editor of the AI deflection table's first share (the third column, 298 px
    into the grid at Streamlit's default widths): with nothing in the grid selected,
    select the cell (the grid is a canvas; its accessible copy says which cell is
    selected), then Enter, until the editor shows and stays open."""
    from playwright.sync_api import TimeoutError as Slow

    caption = page.get_by_text("AI deflection: share")
    editor = caption.locator("xpath=following::div[@data-testid='stDataFrame'][1]")
    editor.scroll_into_view_if_needed()
    share = editor.locator("#glide-cell-3-0")
    field = page.locator("input.gdg-input")
    for _ in range(10):
        settle(page)  # a run under way redraws the grid and closes its editor
        if share.get_attribute("aria-selected") != "true":
            box = editor.bounding_box()
            page.mouse.click(box["x"] + 298, box["y"] + 54)
            page.wait_for_timeout(200)
            continue
        page.keyboard.press("Enter")
        try:
            field.wait_for(timeout=3_000)
        except Slow:
            page.keyboard.press("Escape")
            continue
        settle(page)
        if field.is_visible():
            return
    raise RuntimeError("the AI deflection share did not open for editing")


def type_share(percent: int):
    """Put the share into the open cell editor and commit it with Enter."""

    def act(page) -> None:
        field = page.locator("input.gdg-input")
        field.fill(str(percent))
        field.press("Enter")

    return act


def first_open(browser, url: str, server: int) -> tuple[float, float]:
    """Wall and server CPU seconds from a new session opening the Volume forecast page to
    its accuracy section shown."""
    context = browser.new_context(viewport={"width": 1400, "height": 2400})
    page = context.new_page()
    page.set_default_timeout(600_000)
    cpu, start = _cpu(server), time.perf_counter()
    page.goto(url + "forecast")
    page.get_by_role("heading", name="2. How accurate").wait_for()
    wall = time.perf_counter() - start
    context.close()
    return wall, _cpu(server) - cpu


def own_export(folder: Path) -> Path:
    """The sample's tickets less their first 30 days: four channels and the same traits,
    but another history, which no forecast of the server has seen."""
    import pandas as pd

    tickets = pd.read_csv(ROOT / "sample_data" / "tickets_zendesk.csv.gz")
    created = pd.to_datetime(tickets["Created at"], utc=True)
    kept = tickets[created >= created.min() + pd.Timedelta(days=30)]
    path = folder / "our_tickets.csv.gz"
    kept.to_csv(path, index=False)
    return path


def upload_to_forecast(browser, url: str, server: int, export: Path) -> tuple[float, float, bool]:
    """Wall and server CPU seconds from an export chosen on the Ticket history page to its
    forecast of every channel shown on the Volume forecast page, and whether a progress
    bar was shown meanwhile."""
    context = browser.new_context(viewport={"width": 1400, "height": 2400})
    page = context.new_page()
    page.set_default_timeout(600_000)
    page.goto(url)
    page.get_by_text("Upload an export").click()
    cpu, start = _cpu(server), time.perf_counter()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(export)
    page.get_by_text("3. What the plan takes from your tickets").wait_for()
    page.get_by_role("link", name=PAGES["forecast"], exact=True).click()
    progress = page.get_by_test_id("stProgress")
    shown = False
    heading = page.get_by_role("heading", name="2. How accurate")
    while not heading.is_visible():
        shown = shown or progress.count() > 0
        page.wait_for_timeout(100)
    wall = time.perf_counter() - start
    context.close()
    return wall, _cpu(server) - cpu, shown


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _browser_cpu() -> float:
    """CPU seconds Chromium's processes have used so far."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        if "(chromium)" in text:
            fields = text.rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _short(text: str | None) -> str:
    """A headline as printed: its first 40 characters on one line."""
    return "-" if text is None else " ".join(text.split())[:40]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing: apt-get install chromium")
        return 1
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="bench-browser-"))
    prepare_store(folder)
    with start_server(folder) as url, sync_playwright() as playwright:
        server = _server_process()
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        cold = first_open(browser, url, server)
        warm = first_open(browser, url, server)
        print(f"first open of the Volume forecast page, fresh server: {cold[0]:.1f} s wall "
              f"({cold[1]:.1f} s server CPU); a new session on a warm server: {warm[0]:.1f} s "
              f"wall ({warm[1]:.1f} s CPU); target <= 5 s: "
              f"{'meets' if warm[0] <= 5 else 'MISSES'}")  # fmt: skip
        wall, cpu, shown = upload_to_forecast(browser, url, server, own_export(folder))
        print(
            f"an own export (4 channels, {wall:.1f} s wall, {cpu:.1f} s server CPU) from "
            f"upload to its forecast shown; progress shown: {'yes' if shown else 'NO'}; "
            f"target <= {UPLOAD_S} s: {'meets' if wall <= UPLOAD_S and shown else 'MISSES'}"
        )
        context = browser.new_context(viewport={"width": 1400, "height": 2400})
        context.add_init_script(WATCH)
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(url)
        settle(page)
        rows = []
        for round_ in range(args.repeat):
            for name, where, kind, text, prepare, act in what_ifs(round_):
                go(page, where, kind, text)
                if prepare is not None:
                    prepare(page)
                cpu, drawing = _cpu(server), _browser_cpu()
                result = measured(page, kind, text, act)
                result["cpu"] = (_cpu(server) - cpu) * 1000
                result["browser"] = (_browser_cpu() - drawing) * 1000
                rows.append((name, result))
                headline = result["headline"]
                settled = result["settled"]
                print(
                    f"{name:>16}: headline "
                    + ("did not change" if headline is None else f"{headline:6.0f} ms")
                    + (" (the same value)" if result.get("unchanged") else "")
                    + ", settled "
                    + ("> 30 s" if settled is None else f"{settled:6.0f} ms")
                    + f", server CPU {result['cpu']:6.0f} ms, browser CPU "
                    + f"{result['browser']:6.0f} ms; "
                    + f"{_short(result['before'])} -> {_short(result['after'])}"
                )
        browser.close()
    lost = [name for name, r in rows if r["headline"] is None and not r.get("unchanged")]
    headlines = [r["headline"] if r["headline"] is not None else 30_000 for _, r in rows]
    settles = [r["settled"] if r["settled"] is not None else 30_000 for _, r in rows]
    p50, p95 = statistics.median(headlines), percentile(headlines, 0.95)
    worst = max(settles)
    met = p50 <= HEADLINE_MS[0] and p95 <= HEADLINE_MS[1]
    print(f"headline: p50 {p50:.0f} ms (target <= {HEADLINE_MS[0]}), p95 {p95:.0f} ms (target "
          f"<= {HEADLINE_MS[1]}): {'meets' if met else 'MISSES'}")  # fmt: skip
    print(f"settled: p50 {statistics.median(settles):.0f} ms, slowest {worst:.0f} ms (target "
          f"<= {SETTLED_MS}): {'meets' if worst <= SETTLED_MS else 'MISSES'}")  # fmt: skip
    print(f"machine load (1, 5, 15 min): {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if lost:
        print(f"FAILED: the page never answered {', '.join(lost)} (the change did not land)")
        return 1
    return 0


def _server_process() -> int:
    """The process id of the Streamlit server this script started (its child running
    app.py)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes()
        except (OSError, ValueError):
            continue
        if parent == os.getpid() and b"app.py" in command:
            return int(stat.parent.name)
    raise RuntimeError("the Streamlit server's process was not found")


if __name__ == "__main__":
    sys.exit(main())
