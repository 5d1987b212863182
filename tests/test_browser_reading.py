"""Reading the dashboard in headless Chromium as a board member would: the first screen answers
"how are we doing?", the Indicator page's chart is above the fold, the phone layout keeps the
two counties side by side, and printing gives the figures without the controls."""

import io
import os
import re
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


# What must never reach paper: the labels of controls.
CONTROL_LABELS = [
    "Download",
    "Show the table behind this chart",
    "Show 95% intervals",
    "Show events",
    "Change the chart",
    "Choose areas",
]


def printed_text(page: Page) -> tuple[str, int]:
    """The page printed to A4 by Chromium, read back with pypdf: its text and page count."""
    from pypdf import PdfReader

    page.emulate_media(media="print")
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    if SCREENSHOT_DIR:
        (Path(SCREENSHOT_DIR) / f"printed_{len(reader.pages)}.pdf").write_bytes(
            page.pdf(format="A4")
        )
    first = reader.pages[0].extract_text()
    assert len(first.strip()) > 200, "the first printed page is (nearly) blank"
    return "\n".join(sheet.extract_text() for sheet in reader.pages), len(reader.pages)


@pytest.mark.parametrize(
    ("path", "values"),
    [
        (
            "/indicator?indicator=cpp_subsequent_pct&table=1",
            ["Counts behind each figure and its 95% interval", "About this indicator"],
        ),
        ("/", ["Against England", "Each indicator in detail"]),
        ("/theme_front_door", ["Source:"]),
        ("/theme_workforce_training", ["Allegations referred to the LADO"]),
    ],
    ids=["indicator", "overview", "theme", "theme with panels"],
)
def test_printing_gives_the_figures_without_the_controls(browser, base_url, path, values):
    with rendered(browser, base_url + path, DESKTOP) as page:
        text, pages = printed_text(page)
    flat = " ".join(text.split())
    for value in values + ["Leicestershire", "Rutland"]:
        assert value in flat
    # The figures themselves reach paper (a grid drawn on a canvas would print none).
    assert len(re.findall(r"\b\d[\d,]*(\.\d)?%?", flat)) > 50
    for label in CONTROL_LABELS:
        assert label not in flat, f"{label!r} printed"
    assert "×" not in text  # no chip's close cross
    assert "…" not in text  # no chart title or subtitle cut short on paper
    assert pages >= 1


NO_SIDEWAYS_SCROLL_JS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  return Math.max(document.documentElement.scrollWidth, main.scrollWidth);
}"""


def test_on_a_phone_the_two_counties_sit_side_by_side(browser, base_url):
    with rendered(browser, base_url + "/", PHONE) as page:
        assert page.locator("table.verdicts").first.is_hidden()
        first_row = page.locator("table.verdicts-phone tbody tr:nth-child(2) td")
        assert first_row.count() == 2
        left, right = (first_row.nth(i).bounding_box() for i in range(2))
        assert abs(left["y"] - right["y"]) < 2 and left["x"] < right["x"]
        assert right["x"] + right["width"] <= PHONE[0]
        assert page.evaluate(NO_SIDEWAYS_SCROLL_JS) <= PHONE[0] + 1


def test_on_a_phone_the_indicator_chart_keeps_its_title_and_legend(browser, base_url):
    with rendered(browser, base_url + "/indicator?indicator=cpp_subsequent_pct", PHONE) as page:
        chart = page.locator('[data-testid="stVegaLiteChart"]').first
        box = chart.bounding_box()
        texts = chart.locator(".role-title text, .role-legend-label text")
        assert texts.count() >= 3
        for index in range(texts.count()):
            text = texts.nth(index).bounding_box()
            assert (
                text["x"] >= box["x"] - 4
                and text["x"] + text["width"] <= box["x"] + box["width"] + 4
            )
