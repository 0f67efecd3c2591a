"""Journey: a file whose name, headers and queue names are Markdown and HTML, and an author
name that is a phishing link, go through the Data page, the save conflict and the other
pages: everything shows as the text it is; no link, image or script comes of it, and no
request leaves for the addresses in it."""

import re

import pandas as pd
import pytest

pytestmark = pytest.mark.browser
TRAP = "127.0.0.1:8999"  # nothing listens here: a request to it is markup that ran
NAME = f"![t](http:{TRAP}) [sign in](https:evil.example).csv"
AUTHOR = f"[Session expired: sign in again](https:evil.example/login) ![t](http://{TRAP}/a.png)"
QUEUES = [
    f"![q](http://{TRAP}/q.png)",
    "[Billing](https:evil.example/b)",
    f"<img src=http://{TRAP}/i.png onerror=alert(1)>",
    "<script>alert(1)</script>",
    "Ana-Maria 14:49 *bold* _it_",
]


@pytest.fixture(scope="module")
def crafted(tmp_path_factory):
    rows = [
        {"Ticket ID": i, "Created at": f"2026-{1 + i % 10:02d}-{1 + i % 27:02d} {8 + i % 9}:00",
         "Via": "Email", "Group": QUEUES[i % len(QUEUES)],
         f"![h](http://{TRAP}/h.png)": "x"}
        for i in range(3_000)
    ]  # fmt: skip
    path = tmp_path_factory.mktemp("hostile") / NAME
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_user_text_is_never_markup_and_nothing_is_fetched(page, crafted, screenshot_dir):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.get_by_text("Tickets kept", exact=True).wait_for()
    page.get_by_text("Upload an export").click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(crafted)
    page.get_by_text("3. What the plan takes from your tickets").wait_for(timeout=180_000)
    # the file's name is shown as itself, without escape backslashes
    page.get_by_text(NAME, exact=False).first.wait_for()
    page.screenshot(path=screenshot_dir / "hostile-data.png", full_page=True)

    # an author name that is a phishing link, then the other pages draw with all of it
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("textbox", name="Your name").fill(AUTHOR)
    sidebar.get_by_role("textbox", name="Your name").press("Enter")
    for page_name in ("Budget", "Org & career ladder", "Finance review"):
        page.get_by_role("link", name=page_name).click()
        page.wait_for_timeout(8_000)
    page.screenshot(path=screenshot_dir / "hostile-review.png", full_page=True)

    body = page.locator("[data-testid=stMain]")
    links = body.locator("a").evaluate_all("els => els.map(e => e.href)")
    assert not [href for href in links if "evil" in href or "8999" in href]
    images = page.locator("img").evaluate_all("els => els.map(e => e.src)")
    assert not [src for src in images if "8999" in src]
    scripts = page.locator("script").evaluate_all("els => els.map(e => e.textContent)")
    assert not [s for s in scripts if "alert(1)" in s]
    assert not [url for url in requests if "8999" in url or "evil.example" in url]
    assert not re.search(r"\\[-:.()\[\]!]", body.inner_text())  # no visible escapes
