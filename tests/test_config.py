"""Production settings: no tracebacks for users, uploads capped at the update page's limit, the
server on localhost unless told otherwise, and the secrets file never committed."""

import re
import subprocess
import tomllib

import pytest
from streamlit import config as streamlit_config
from streamlit.testing.v1 import AppTest

from dashboard.paths import PROJECT_ROOT
from dashboard.update.parse import MAX_BYTES

CONFIG = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
NO_DETAILS = streamlit_config.ShowErrorDetailsConfigOptions.NONE.value


def test_users_never_see_error_details():
    assert CONFIG["client"]["showErrorDetails"] == NO_DETAILS == "none"


def test_upload_limit_is_the_update_pages_limit():
    assert CONFIG["server"]["maxUploadSize"] * 1024 * 1024 == MAX_BYTES  # Streamlit's MB = MiB


def test_data_grids_offer_no_export_of_their_own():
    # Streamlit's grid CSV writes cells as they are; the dashboard's own CSV is formula-safe.
    assert CONFIG["client"]["disableDataExport"] is True


def test_no_full_garbage_collection_after_each_run():
    assert CONFIG["runner"]["postScriptGC"] is False


def raise_with_a_path() -> None:
    raise KeyError("/srv/dashboard/src/secret_module.py")  # a TEST FIXTURE error


@pytest.fixture
def no_error_details():
    before = streamlit_config.get_option("client.showErrorDetails")
    streamlit_config.set_option("client.showErrorDetails", CONFIG["client"]["showErrorDetails"])
    yield
    streamlit_config.set_option("client.showErrorDetails", before)


def test_an_uncaught_error_shows_a_generic_message(no_error_details):
    at = AppTest.from_function(raise_with_a_path).run()
    [shown] = at.exception
    assert "secret_module" not in shown.message
    assert not shown.stack_trace and not shown.proto.type  # no traceback, not even "KeyError"
    assert "error" in shown.message.lower()


def test_scripts_run_listens_on_localhost_by_default():
    script = (PROJECT_ROOT / "scripts" / "run").read_text("utf-8")
    command = " ".join(script.split("\\\n")).split("exec ", 1)[1]
    address = re.search(r'--server\.address "\$\{DASHBOARD_ADDRESS:-([^}]*)\}"', command)
    assert address and address.group(1) == "127.0.0.1"
    # The default comes before the caller's own options, so a --server.address there wins.
    assert command.index("--server.address") < command.index('"$@"')


def test_scripts_run_and_the_replicas_start_the_server_without_nagle():
    script = (PROJECT_ROOT / "scripts" / "run").read_text("utf-8")
    replicas = (PROJECT_ROOT / "deploy" / "replicas.py").read_text("utf-8")
    assert "-m dashboard.serve run app.py" in script
    assert '"-m", "dashboard.serve", "run"' in replicas


@pytest.mark.parametrize("path", [".streamlit/secrets.toml", "data/history/audit.jsonl"])
def test_secrets_and_the_audit_log_are_never_committed(path):
    ignored = (PROJECT_ROOT / ".gitignore").read_text("utf-8").splitlines()
    assert ".streamlit/secrets.toml" in ignored
    check = subprocess.run(["git", "check-ignore", "-q", path], cwd=PROJECT_ROOT, check=False)
    assert check.returncode == 0, f"{path} is not git-ignored"
