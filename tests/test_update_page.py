"""AppTest for the Data update page: hidden and switched off without a password, a login,
and the whole flow (upload, check, confirm, new year on the Indicator page) on a data copy."""

import json
import os
import subprocess
import sys

from dashboard.navigation import PAGES
from dashboard.paths import PROJECT_ROOT
from dashboard.update.access import PASSWORD_ENV

from helpers.apptest import open_page
from helpers.update_fixtures import add_fixture_document, copy_data

PAGE = "pages/data_update.py"
TESTS = PROJECT_ROOT / "tests"


def test_page_is_registered_as_admin_only():
    [spec] = [page for page in PAGES if page.file == PAGE]
    assert spec.admin and spec.title == "Data update"


def test_without_password_updates_are_switched_off(monkeypatch):
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    at = open_page(PAGE)
    assert not at.exception
    assert "Data updates are switched off" in at.info[0].value
    assert PASSWORD_ENV in at.info[0].value
    assert not at.file_uploader and not at.text_input


def test_login_is_needed_and_wrong_password_refused(monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, "test-fixture-password")
    at = open_page(PAGE)
    assert not at.file_uploader
    at.text_input(key="update_password").input("wrong")
    at.button(key="update_sign_in").click().run()
    assert at.error[0].value == "That password is not right."
    at.text_input(key="update_password").input("test-fixture-password")
    at.button(key="update_sign_in").click().run()
    assert not at.exception
    assert at.file_uploader(key="update_file")
    assert at.button(key="update_check").disabled
    assert {b.label for b in at.get("download_button")} == {
        "Download the Excel template",
        "Download as CSV",
    }


def test_sources_page_says_when_the_data_was_built():
    at = open_page("pages/sources.py")
    assert not at.exception
    assert any(c.value.startswith("Data last built ") for c in at.caption)


def test_upload_confirm_and_see_the_new_year(tmp_path):
    dirs = copy_data(tmp_path / "data")
    add_fixture_document(dirs)
    env = {
        **os.environ,
        "DASHBOARD_DATA_DIR": str(dirs.root),
        PASSWORD_ENV: "test-fixture-password",
        "PYTHONPATH": os.pathsep.join([str(TESTS), str(PROJECT_ROOT / "src")]),
    }
    result = subprocess.run(
        [sys.executable, str(TESTS / "helpers" / "update_app_flow.py"), "test-fixture-password"],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["exceptions"] == []
    assert outcome["preview"] == [["report_cse_referrals", "rutland", "2025/26", 4.0]]
    assert outcome["success"][0].startswith("Updated: 1 new value(s), 0 revised.")
    assert "2025/26" in outcome["indicator_periods"]
    assert len(outcome["built"]) == 1
    assert outcome["history"] == [["update", "rutland.csv", 1]]
    assert (dirs.history / "log.csv").exists()
