"""Reading the dashboard in headless Chromium as a board member would: the first screen answers
"how are we doing?", the Indicator page's chart is above the fold, the phone layout keeps the
two counties side by side, and printing gives the figures without the controls."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from dashboard.config import OVERVIEW_INDICATORS

from helpers.browser import wait_rendered

pytestmark = pytest.mark.browser
SCREENSHOT_DIR = os.environ.get("DASHBOARD_SCREENSHOTS")
PROJECTOR = (1280, 720)
DESKTOP = (1600, 900)
PHONE = (390, 844)


@contextmanager
def rendered(browser: Browser, url: str, size: tuple[int, int], **options) -> Iterator[Page]:
    """A fresh tab of the given size with the page loaded and every chart drawn."""
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    try:
        page = context.new_page()
        page.goto(url, wait_until="commit")
        wait_rendered(page)
        if SCREENSHOT_DIR:
            name = url.rsplit("/", 1)[-1].split("?")[0] or "overview"
            path = Path(SCREENSHOT_DIR) / f"{name}_{width}x{height}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(path))
        yield page
    finally:
        context.close()


def bottom(page: Page, selector: str) -> float:
    return page.locator(selector).first.evaluate("e => e.getBoundingClientRect().bottom")


@pytest.mark.parametrize("size", [PROJECTOR, DESKTOP], ids=str)
def test_the_first_screen_gives_every_headline_verdict(browser, base_url, size):
    with rendered(browser, base_url + "/", size) as page:
        rows = page.locator("table.verdicts tbody tr th[scope=row]")
        assert rows.count() == len(OVERVIEW_INDICATORS)
        last_row = page.locator("table.verdicts tbody tr").last
        assert last_row.evaluate("e => e.getBoundingClientRect().bottom") <= size[1]


@pytest.mark.parametrize("query", ["", "?indicator=cpp_subsequent_pct"], ids=["count", "percent"])
def test_the_indicator_chart_opens_whole_on_a_projector(browser, base_url, query):
    """Title and chart (axes and legend) above the fold at 1280x720; a percentage starts with
    the two counties and England, a count without England."""
    with rendered(browser, f"{base_url}/indicator{query}", PROJECTOR) as page:
        chart = '[data-testid="stVegaLiteChart"]'
        assert bottom(page, chart) <= PROJECTOR[1]
        legend = page.locator(f"{chart} .role-legend-label text").first.evaluate(
            "e => Array.from(e.closest('.role-legend').querySelectorAll("
            "'.role-legend-label text')).map(t => t.textContent)"
        )
        expected = ["Leicestershire", "Rutland"] + (["England"] if query else [])
        assert legend == expected
