"""Presenting in headless Chromium: step through three slides, download a pack and a chart."""

import io
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from pptx import Presentation

from helpers.browser import save_full_page, wait_rendered

pytestmark = pytest.mark.browser
SCREENSHOT_DIR = os.environ.get("DASHBOARD_SCREENSHOTS")
THREE = "cpp_subsequent_pct,cin_rereferral_pct,cla_rate"


@pytest.fixture(scope="module")
def page(browser: Browser) -> Iterator[Page]:
    """One tab that accepts downloads, kept across this module's steps."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, accept_downloads=True)
    yield context.new_page()
    context.close()


def slide_heading(page: Page) -> str:
    return page.locator(".st-key-present_slide_heading h2").inner_text()


def shot(page: Page, name: str) -> None:
    if SCREENSHOT_DIR:
        save_full_page(page, Path(SCREENSHOT_DIR) / name)


def test_steps_through_three_slides(page, base_url):
    page.goto(f"{base_url}/present?present=1&indicators={THREE}", wait_until="commit")
    state = wait_rendered(page)
    assert state["exceptions"] == [] and state["drawn"] == 1
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    headings = [slide_heading(page)]
    shot(page, "present-slide-1.png")
    for number in (2, 3):
        page.get_by_role("button", name="Next").click()
        page.wait_for_url(f"**slide={number}**")
        wait_rendered(page)
        page.wait_for_function(
            "previous => document.querySelector('.st-key-present_slide_heading h2')"
            "?.innerText !== previous",
            arg=headings[-1],
        )
        headings.append(slide_heading(page))
        shot(page, f"present-slide-{number}.png")
    assert len(set(headings)) == 3
    assert page.get_by_role("button", name="Next").is_disabled()
    assert "Slide 3 of 3" in page.locator("body").inner_text()
    page.get_by_role("button", name="Previous").click()
    page.wait_for_url("**slide=2**")


def test_briefing_pack_downloads_a_pptx_with_every_slide(page, base_url):
    page.goto(f"{base_url}/briefing?indicators={THREE}", wait_until="commit")
    wait_rendered(page)
    shot(page, "briefing.png")
    started = time.monotonic()
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="Download the pack: 3 slides (PowerPoint)").click()
    path = download.value.path()
    print(f"3-indicator pack downloaded in {time.monotonic() - started:.1f} s")
    assert download.value.suggested_filename == "safeguarding-briefing_3-indicators.pptx"
    deck = Presentation(io.BytesIO(Path(path).read_bytes()))
    assert len(deck.slides) == 5


def test_a_chart_downloads_as_png(page, base_url):
    page.goto(f"{base_url}/indicator?indicator=cpp_subsequent_pct", wait_until="commit")
    wait_rendered(page)
    page.get_by_text("Download", exact=True).first.click()  # the downloads under the chart
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Chart as PNG (slides)").first.click()
    assert download.value.suggested_filename.endswith(".png")
    assert Path(download.value.path()).read_bytes().startswith(b"\x89PNG")


def test_printing_hides_the_menu_and_buttons(page, base_url):
    page.goto(f"{base_url}/compare", wait_until="commit")
    wait_rendered(page)
    assert page.locator('[data-testid="stSidebar"]').is_visible()
    page.emulate_media(media="print")
    try:
        assert not page.locator('[data-testid="stSidebar"]').is_visible()
        assert not page.locator('[data-testid="stExpander"]').first.is_visible()
        assert page.locator('[data-testid="stVegaLiteChart"]').first.is_visible()
        if SCREENSHOT_DIR:
            page.pdf(path=str(Path(SCREENSHOT_DIR) / "compare-print.pdf"), format="A4")
    finally:
        page.emulate_media(media="screen")
