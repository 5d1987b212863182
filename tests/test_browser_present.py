"""Presenting in headless Chromium: slides that fit each projector size, the clicker's keys,
stepping through slides, downloading a pack and a chart."""

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
FOUR = f"{THREE},cpp_rate"
# A 13-year chart with a legend; a chart with two legends (areas, markers) whose latest figure
# is old; a series of one period (2015/16), shown as figures.
FIT_SLIDES = "cin_rereferral_pct,report_cse_referrals,school_contacts_referred_pct"
PROJECTOR_SIZES = [(1280, 720), (1366, 768), (1600, 900), (1920, 1080)]
FOOTER_TEXT = "Figures come from two families"  # app.py's footer
LABEL_SLACK = 4  # px: a text's box (ascent and descent) may pass its glyphs' edge

# Every part of the slide, each text of the chart (axis labels and titles, legend labels), the
# page's scroll height, and whether the frame's footer, menu or header shows.
SLIDE_BOXES_JS = (
    """
() => {
  const box = (e) => {
    const r = e.getBoundingClientRect();
    return {top: r.top, bottom: r.bottom, left: r.left, right: r.right};
  };
  const all = (s) => Array.from(document.querySelectorAll(s));
  const shown = (e) => e.getBoundingClientRect().height > 0;
  const chart = '[data-testid="stVegaLiteChart"]';
  const parts = {
    heading: '.st-key-present_slide_heading h2',
    chart: `${chart} svg.marks, ${chart} canvas.marks`,
    legend: `${chart} .role-legend`,
    sentences: '.st-key-present_slide_text p',
    figures: '.st-key-present_figures [data-testid="stMetric"]',
    caption: '.st-key-present_foot [data-testid="stCaptionContainer"] p',
    counter: '.st-key-present_nav',
  };
  const labels = `${chart} .role-axis-label text, ${chart} .role-axis-title text, `
    + `${chart} .role-legend-label text, ${chart} .role-legend-title text`;
  return {
    parts: Object.fromEntries(Object.entries(parts).map(([n, s]) => [n, all(s).map(box)])),
    labels: all(labels).map((e) => ({text: e.textContent, ...box(e)})),
    scroll: Math.max(document.documentElement.scrollHeight,
      document.querySelector('[data-testid="stMain"]').scrollHeight),
    chrome: all('[data-testid="stSidebar"], header[data-testid="stHeader"], .st-key-present_mode')
      .filter(shown).length,
    footer: document.body.innerText.includes('"""
    + FOOTER_TEXT
    + """'),
  };
}
"""
)


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


def wait_for_counter(page: Page, number: int, count: int) -> None:
    """Until the slide counter says `Slide number of count` and the slide is drawn."""
    page.wait_for_function(
        "text => document.querySelector('.st-key-present_nav')?.innerText.includes(text)",
        arg=f"Slide {number} of {count}",
    )
    wait_rendered(page)


def outside(boxes: dict, width: int, height: int) -> list[str]:
    """What of the slide lies beyond the screen, or of the chart's text beyond the chart."""
    problems = [
        f"{name} {box}"
        for name, found in boxes["parts"].items()
        for box in found
        if box["bottom"] > height or box["right"] > width or box["top"] < 0 or box["left"] < 0
    ]
    for svg in boxes["parts"]["chart"]:
        problems += [
            f"label {label}"
            for label in boxes["labels"]
            if label["left"] < svg["left"] - LABEL_SLACK
            or label["right"] > svg["right"] + LABEL_SLACK
            or label["top"] < svg["top"] - LABEL_SLACK
            or label["bottom"] > svg["bottom"] + LABEL_SLACK
        ]
    return problems


@pytest.mark.parametrize(("width", "height"), PROJECTOR_SIZES, ids=lambda size: str(size))
def test_slides_fit_the_screen(browser, base_url, width, height):
    """The summary of what changed since the last meeting, two chart slides and a one-figure
    slide, each whole on one screen: nothing below the fold or off the side, no label cut, no
    footer or menu; an old latest figure is named."""
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        page.goto(f"{base_url}/present?present=1&indicators={FIT_SLIDES}", wait_until="commit")
        wait_for_counter(page, 1, 4)
        for number in (1, 2, 3, 4):
            if number > 1:
                page.keyboard.press("ArrowRight")
                wait_for_counter(page, number, 4)
            boxes = page.evaluate(SLIDE_BOXES_JS)
            if SCREENSHOT_DIR:
                name = f"present-fit-{width}x{height}-{number}.png"
                page.screenshot(path=str(Path(SCREENSHOT_DIR) / name))
            parts = boxes["parts"]
            chart = number in (2, 3)
            wanted = ["heading", "sentences", "caption", "counter"]
            if number > 1:
                wanted += ["chart", "legend"] if chart else ["figures"]
            assert all(parts[name] for name in wanted), {n: len(parts[n]) for n in wanted}
            heading = page.locator(".st-key-present_slide_heading").inner_text()
            if number == 1:
                assert "Since the last meeting" in heading and not parts["chart"]
            elif chart:
                assert len(boxes["labels"]) > 6  # the chart's text is drawn as SVG text
            else:
                assert not parts["chart"]  # one period: figures, not a lone dot on a chart
            assert ("latest figure: 2015/16" in heading) == (number > 2)
            assert outside(boxes, width, height) == []
            assert boxes["scroll"] <= height
            assert boxes["chrome"] == 0 and not boxes["footer"]
    finally:
        context.close()


def keydown_listeners(page: Page) -> int:
    """The slides' key listeners on the document, as DevTools lists them (Streamlit's widgets add
    and remove their own as they are drawn)."""
    cdp = page.context.new_cdp_session(page)
    try:
        # An object group makes DevTools return each listener's function (to tell ours apart).
        document = cdp.send(
            "Runtime.evaluate", {"expression": "document", "objectGroup": "listeners"}
        )["result"]
        found = cdp.send("DOMDebugger.getEventListeners", {"objectId": document["objectId"]})
        return sum(
            listener["type"] == "keydown"
            and "present_exit" in listener.get("handler", {}).get("description", "")
            for listener in found["listeners"]
        )
    finally:
        cdp.detach()


def test_clicker_keys_move_between_slides_and_escape_leaves(page, base_url):
    page.goto(f"{base_url}/present?present=1&indicators={FOUR}", wait_until="commit")
    wait_for_counter(page, 1, 5)
    listeners = keydown_listeners(page)
    assert listeners == 1
    for key, number in [("ArrowRight", 2), ("ArrowLeft", 1), ("PageDown", 2), ("PageUp", 1)]:
        page.keyboard.press(key)
        wait_for_counter(page, number, 5)
    page.get_by_role("button", name="Next").click()
    wait_for_counter(page, 2, 5)
    page.keyboard.press("Space")  # one step, though the Next button just clicked has focus
    wait_for_counter(page, 3, 5)
    page.keyboard.press("ArrowLeft")
    wait_for_counter(page, 2, 5)
    page.keyboard.press("Escape")
    page.get_by_role("heading", name="Presentation").wait_for()
    wait_rendered(page)
    assert "present=1" not in page.url
    assert page.get_by_text(FOOTER_TEXT).is_visible()
    # Out of presentation mode the keys are the page's own again: typing stays typing.
    page.get_by_role("combobox").first.press("ArrowRight")
    page.keyboard.press("Space")
    page.wait_for_timeout(500)
    assert "Slide 2 of 5" in page.locator(".st-key-present_nav").inner_text()
    # Back to presenting: the script runs again but attaches nothing more; one key, one step.
    page.keyboard.press("Escape")  # close the picker's menu
    wait_rendered(page)
    page.get_by_text("Presentation mode", exact=True).click()
    page.locator(".st-key-present_exit").wait_for()
    wait_for_counter(page, 2, 5)
    assert keydown_listeners(page) == listeners
    page.keyboard.press("ArrowRight")
    wait_for_counter(page, 3, 5)
    page.wait_for_timeout(500)
    wait_rendered(page)
    assert "Slide 3 of 5" in page.locator(".st-key-present_nav").inner_text()


def test_steps_through_three_slides(page, base_url):
    page.goto(f"{base_url}/present?present=1&indicators={THREE}&slide=2", wait_until="commit")
    state = wait_rendered(page)
    assert state["exceptions"] == [] and state["drawn"] == 1
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    headings = [slide_heading(page)]
    shot(page, "present-slide-2.png")
    for number in (3, 4):
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
    assert "Slide 4 of 4" in page.locator("body").inner_text()
    page.get_by_role("button", name="Previous").click()
    page.wait_for_url("**slide=3**")


def test_briefing_pack_downloads_a_pptx_with_every_slide(page, base_url):
    page.goto(f"{base_url}/briefing?indicators={THREE}", wait_until="commit")
    wait_rendered(page)
    shot(page, "briefing.png")
    started = time.monotonic()
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="Download the pack: 6 slides (PowerPoint)").click()
    path = download.value.path()
    print(f"3-indicator pack downloaded in {time.monotonic() - started:.1f} s")
    assert download.value.suggested_filename == "safeguarding-briefing_3-indicators.pptx"
    deck = Presentation(io.BytesIO(Path(path).read_bytes()))
    assert len(deck.slides) == 6  # title, since the last meeting, three indicators, sources


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
