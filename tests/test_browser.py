"""Every page, opened in headless Chromium as a person would: charts render, no error shows."""

import os
from pathlib import Path

import pytest

from dashboard.navigation import DEFAULT_PAGE, PAGES
from dashboard.paths import PROJECT_ROOT

from helpers.browser import open_page, streamlit_server

pytestmark = pytest.mark.browser
# Set DASHBOARD_SCREENSHOTS=some/dir to keep a full-page PNG of every page visited.
SCREENSHOT_DIR = os.environ.get("DASHBOARD_SCREENSHOTS")


def page_url(base_url: str, url_path: str) -> str:
    return base_url + ("/" if url_path == DEFAULT_PAGE.url_path else f"/{url_path}")


DASHBOARD_PAGES = [page for page in PAGES if not page.admin]  # admin pages: test_browser_update
# Pages that open without a chart (slide 1 is the summary in words; the pack starts with nothing
# chosen) are also opened as a person continues: with indicators chosen.
CHOSEN = {"present": "?indicators=cla_rate&slide=2", "briefing": "?indicators=cla_rate"}
TEXT_ONLY = {"accessibility"}  # the accessibility statement: words, no chart


@pytest.mark.parametrize("page", DASHBOARD_PAGES, ids=[page.url_path for page in DASHBOARD_PAGES])
def test_page_renders_its_charts_without_errors(page, base_url, browser):
    screenshot = Path(SCREENSHOT_DIR) / f"{page.url_path}.png" if SCREENSHOT_DIR else None
    if page.url_path in CHOSEN:
        first = open_page(browser, page_url(base_url, page.url_path))
        assert first.exceptions == [] and first.console_errors == []
    url = page_url(base_url, page.url_path) + CHOSEN.get(page.url_path, "")
    visit = open_page(browser, url, screenshot)
    assert visit.exceptions == []
    assert visit.console_errors == []
    assert visit.failed_requests == []
    if page.url_path not in TEXT_ONLY:
        assert visit.charts + visit.decks + visit.images > 0, "no chart or map was drawn"
    assert visit.drawn == visit.charts


def test_deep_link_as_a_new_servers_first_request_gets_the_full_frame(browser):
    # A fresh server: a shared link must not run the page bare (no menu, no footer).
    with streamlit_server(PROJECT_ROOT) as fresh_url:
        visit = open_page(browser, f"{fresh_url}/indicator?indicator=cla_rate")
    assert visit.exceptions == []
    assert "Themes" in visit.sidebar_text
    assert "Open Government Licence" in visit.body_text


def test_bad_url_parameter_shows_a_note_not_an_error(base_url, browser):
    visit = open_page(browser, f"{base_url}/indicator?indicator=not_a_real_indicator")
    assert visit.exceptions == []
    assert visit.console_errors == []
    assert visit.drawn > 0


def test_indicator_draws_intervals_and_the_funnel_plot(base_url, browser):
    """The interval bars and every authority's point reach the screen, not only the spec."""
    visit = open_page(browser, f"{base_url}/indicator?indicator=cpp_subsequent_pct&band=rutland")
    assert visit.exceptions == []
    assert visit.console_errors == []
    assert visit.charts >= 2 and visit.drawn == visit.charts
    assert "Against England and every English authority" in visit.body_text
    assert "95% interval" in visit.body_text
    assert "rank 1 = the lowest value" in visit.body_text
