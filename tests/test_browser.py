"""Open the rendered reports in headless Chromium (system browser, never a downloaded one).

Marked ``browser``; skipped with a reason when /usr/bin/chromium or Playwright is missing.
Reuses the reports rendered for tests/test_notebooks.py (one render per session).
"""

from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"headless Chromium not found at {CHROMIUM}"),
]


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    from test_notebooks import shared_reports

    return shared_reports(tmp_path_factory)


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def open_page(browser, path: Path):
    """Load a local report; collect console errors, page errors and any network request."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    remote: list[str] = []
    page.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}")
            if msg.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("request", lambda request: remote.append(request.url)
            if not request.url.startswith(("file:", "data:")) else None)
    page.goto(path.as_uri(), wait_until="load")
    return page, problems, remote


def test_index_opens_cleanly_and_links_every_report(browser, reports, tmp_path_factory):
    page, problems, remote = open_page(browser, reports["out"] / "index.html")
    try:
        assert problems == [], f"index.html logged errors: {problems}"
        assert remote == [], f"index.html requested remote resources: {remote}"
        hrefs = page.eval_on_selector_all("#reports a", "links => links.map(a => a.getAttribute('href'))")
        assert hrefs == [p.name for p in reports["paths"][:-1]], f"index links {hrefs}"
        assert page.locator("#babaresearch-stamp").count() == 1, "index.html has no stamp"
        page.screenshot(path=str(tmp_path_factory.mktemp("screens") / "index.png"), full_page=True)
    finally:
        page.close()


@pytest.mark.parametrize("stem, min_images", [("01_prices_and_context", 4), ("05_scorecard", 0)])
def test_report_renders_images_and_tables(browser, reports, tmp_path_factory, stem, min_images):
    page, problems, remote = open_page(browser, reports["out"] / f"{stem}.html")
    try:
        assert problems == [], f"{stem}.html logged errors: {problems}"
        assert remote == [], f"{stem}.html requested remote resources: {remote}"
        sizes = page.eval_on_selector_all(
            "img", "imgs => imgs.map(i => [i.complete, i.naturalWidth, i.naturalHeight])")
        assert len(sizes) >= min_images, f"{stem}: expected at least {min_images} figures, got {len(sizes)}"
        broken = [index for index, (complete, width, height) in enumerate(sizes)
                  if not complete or width == 0 or height == 0]
        assert broken == [], f"{stem}: images {broken} did not decode (zero natural size)"
        if stem == "05_scorecard":
            table = page.locator("table#scorecard")
            assert table.count() == 1 and table.is_visible(), "the scorecard table is not shown"
            assert table.locator("tbody tr").count() >= 1, "the scorecard table is empty"
        page.screenshot(path=str(tmp_path_factory.mktemp("screens") / f"{stem}.png"), full_page=True)
    finally:
        page.close()
