"""The Data update page in headless Chromium: hidden and switched off without a password; with
one, a person signs in, uploads a row, checks, confirms and sees the new year (timed).

The server runs on a temporary copy of data/ (DASHBOARD_DATA_DIR); the row is a FIXTURE.
"""

import os
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page

from dashboard.paths import PROJECT_ROOT
from dashboard.update.access import PASSWORD_ENV

from helpers.browser import click_when_idle, open_page, save_full_page, streamlit_server
from helpers.update_fixtures import RUTLAND_CSE, add_fixture_document, copy_data, figures_csv

pytestmark = pytest.mark.browser
SCREENSHOT_DIR = os.environ.get("DASHBOARD_SCREENSHOTS")
PASSWORD = "test-fixture-password"


def shot(page: Page, name: str) -> None:
    if SCREENSHOT_DIR:
        save_full_page(page, Path(SCREENSHOT_DIR) / f"data_update_{name}.png")


def test_without_password_the_page_is_hidden_and_says_how_to_switch_on(browser, monkeypatch):
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    with streamlit_server(PROJECT_ROOT) as url:
        menu = open_page(browser, url)
        visit = open_page(browser, f"{url}/data_update")
    assert "Data update" not in menu.sidebar_text
    assert visit.exceptions == []
    assert "Data updates are switched off" in visit.body_text
    assert PASSWORD_ENV in visit.body_text


def test_add_a_year_through_the_page(browser, monkeypatch, tmp_path):
    dirs = copy_data(tmp_path / "data")
    add_fixture_document(dirs)
    upload = tmp_path / "rutland_cse_2025-26.csv"
    upload.write_bytes(figures_csv(RUTLAND_CSE))
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(dirs.root))
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    with streamlit_server(PROJECT_ROOT) as url:
        context = browser.new_context(viewport={"width": 1600, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(60_000)
        started = time.monotonic()
        page.goto(f"{url}/data_update")
        page.get_by_label("Admin password").fill(PASSWORD)
        shot(page, "login")
        page.get_by_role("button", name="Sign in").click()
        page.get_by_text("2. Upload and check").wait_for()
        page.locator('input[type="file"]').first.set_input_files(str(upload))
        click_when_idle(page, "Check the file")
        page.get_by_text("New values", exact=True).first.wait_for()
        page.wait_for_timeout(500)
        shot(page, "preview")
        click_when_idle(page, "Confirm and update the data")
        page.get_by_text("Updated: 1 new value(s)").wait_for()
        elapsed = time.monotonic() - started
        page.wait_for_timeout(500)
        shot(page, "history")
        assert "Data update" in page.locator('[data-testid="stSidebar"]').inner_text()
        bad = tmp_path / "bad_rows.csv"
        bad.write_bytes(figures_csv({**RUTLAND_CSE, "value": "-4", "period": "2025-26"}))
        page.locator('input[type="file"]').first.set_input_files(str(bad))
        page.get_by_text("bad_rows.csv").first.wait_for()
        click_when_idle(page, "Check the file")
        page.get_by_text("2 problem(s) found").wait_for()
        page.wait_for_timeout(500)
        shot(page, "refused")
        context.close()
        visit = open_page(browser, f"{url}/indicator?indicator=report_cse_referrals&areas=rutland")
    print(f"\nsign in -> upload -> check -> confirm took {elapsed:.1f} s in the browser")
    assert visit.exceptions == []
    assert "2025/26" in visit.body_text
    assert elapsed < 60
