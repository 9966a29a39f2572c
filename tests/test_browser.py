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


NOTEBOOK_STEMS = ["01_prices_and_context", "02_claims_ledger", "03_the_13pct_move",
                  "04_earnings_events", "05_scorecard"]
#: Cell texts a table written for people never shows.
MACHINE_TEXTS = {"None", "nan", "NaN", "NaT", "<NA>", "inf", "-inf"}
#: nbconvert's alternative text for an image nobody described.
NO_DESCRIPTION = "No description has been provided for this image"


@pytest.mark.parametrize("stem", NOTEBOOK_STEMS)
def test_pages_read_as_written_for_people(browser, reports, stem):
    """No None/nan cell, no horizontal overflow at 1280 px, every figure titled (issue 10)."""
    import re

    page, problems, remote = open_page(browser, reports["out"] / f"{stem}.html")
    try:
        assert problems == [] and remote == [], (problems, remote)
        cells = page.eval_on_selector_all("td, th", "cells => cells.map(c => c.innerText.trim())")
        machine = sorted({text for text in cells if text in MACHINE_TEXTS
                          or re.search(r"\b(?:nan|None|NaT)\b", text)
                          or re.fullmatch(r"[-+]?\d+(?:\.\d+)?e[-+]\d+%?", text)})
        assert machine == [], f"{stem}: table cells written for machines: {machine}"
        width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], f"{stem}: the page scrolls sideways at 1280 px ({width})"
        alts = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.getAttribute('alt') || '')")
        untitled = [index for index, alt in enumerate(alts) if not alt or alt == NO_DESCRIPTION
                    or alt == "figure without a title"]
        assert untitled == [], f"{stem}: figures {untitled} have no title (alt texts {alts})"
        code = page.locator(".jp-InputArea-editor")
        assert code.count() == 0, f"{stem}: code cells are shown although hidden by default"
    finally:
        page.close()


def test_every_index_link_resolves(browser, reports):
    page, problems, _ = open_page(browser, reports["out"] / "index.html")
    try:
        hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        assert hrefs, "the index links nothing"
        for href in hrefs:
            from urllib.parse import unquote, urlparse

            path = Path(unquote(urlparse(href).path))
            assert href.startswith("file:") and path.is_file(), f"index links a missing file {href}"
            target, target_problems, _ = open_page(browser, path)
            try:
                title = target.title()
                assert target_problems == [] and title, f"{href} did not open cleanly: {target_problems}"
            finally:
                target.close()
    finally:
        page.close()
