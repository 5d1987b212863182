"""Two replicas sharing data/ behind nginx (deploy/): a person uploads and confirms a new year
through the proxy, and a session already open on each replica sees the new figures on its next
run, whichever replica took the upload.

The replicas run on a temporary copy of data/ (DASHBOARD_DATA_DIR); the row is a FIXTURE.
"""

import asyncio
import sys
import threading

import pytest

from dashboard.paths import PROJECT_ROOT
from dashboard.update.access import PASSWORD_ENV

from helpers.browser import click_when_idle
from helpers.update_fixtures import RUTLAND_CSE, add_fixture_document, copy_data, figures_csv

sys.path[:0] = [str(PROJECT_ROOT / "deploy"), str(PROJECT_ROOT / "bench")]
from bench_load import Tally, connect, run_page  # noqa: E402
from replicas import deployment, free_port  # noqa: E402

pytestmark = pytest.mark.browser
PASSWORD = "test-fixture-password"
QUERY = "indicator=report_cse_referrals&areas=rutland"
NEW_PERIOD = RUTLAND_CSE["period"]


async def page_text(socket) -> str:
    """Run the Indicator page on an open session; every element it drew, as text."""
    elements: list[str] = []
    tally = Tally()
    await run_page(socket, "indicator", 60, tally, QUERY, elements)
    assert tally.errors == {} and tally.reruns_ms
    return "\n".join(elements)


class OpenSession(threading.Thread):
    """A board member's session on one replica: the page before the update, then, when told,
    the same page again on the same session."""

    def __init__(self, url: str, updated: threading.Event) -> None:
        super().__init__(daemon=True)
        self.url, self.updated = url, updated
        self.opened = threading.Event()
        self.before = self.after = ""

    def run(self) -> None:
        asyncio.run(self.visit())

    async def visit(self) -> None:
        async with connect(self.url) as socket:
            self.before = await page_text(socket)
            self.opened.set()
            await asyncio.to_thread(self.updated.wait, 240)
            self.after = await page_text(socket)


def test_an_update_through_the_proxy_reaches_every_replica(browser, tmp_path):
    dirs = copy_data(tmp_path / "data")
    add_fixture_document(dirs)
    upload = tmp_path / "rutland_cse_2025-26.csv"
    upload.write_bytes(figures_csv(RUTLAND_CSE))
    env = {"DASHBOARD_DATA_DIR": str(dirs.root), PASSWORD_ENV: PASSWORD}
    with deployment(2, f"127.0.0.1:{free_port()}", env) as (proxy, servers):
        updated = threading.Event()
        sessions = [OpenSession(url, updated) for url, _ in servers]
        for session in sessions:
            session.start()
            assert session.opened.wait(120)
        context = browser.new_context(viewport={"width": 1600, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(f"{proxy}/data_update")
        page.get_by_label("Admin password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_text("2. Upload and check").wait_for()
        page.locator('input[type="file"]').first.set_input_files(str(upload))  # via nginx
        click_when_idle(page, "Check the file")
        page.get_by_text("New values", exact=True).first.wait_for()
        click_when_idle(page, "Confirm and update the data")
        page.get_by_text("Updated: 1 new value(s)").wait_for()
        context.close()
        updated.set()
        for session in sessions:
            session.join(120)
    for session in sessions:
        assert NEW_PERIOD not in session.before
        assert NEW_PERIOD in session.after, "a replica kept serving the old data"
