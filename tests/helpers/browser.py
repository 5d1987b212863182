"""Drive the real app in headless Chromium: start the server, open a page, wait for rendering."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The server's memory setting, as scripts/run starts it (see there).
SERVER_MALLOC_ARENA_MAX = "2"
# On a sub-path URL the Streamlit frontend first probes <path>/_stcore/health and host-config and
# gets a 404 before it finds the server root: benign, and not a problem with the page.
BENIGN_CONSOLE = ("/_stcore/health", "/_stcore/host-config")

# DOM signals of Streamlit 1.67 that mean "rendered" (see ../shared/tools/page_timing.py).
RENDERED_JS = """
() => {
  const q = (s) => Array.from(document.querySelectorAll(s));
  const app = document.querySelector('[data-testid="stApp"]');
  const state = app ? app.getAttribute('data-test-script-state') : null;
  const running = q('[data-testid="stStatusWidgetRunningIcon"], '
    + '[data-testid="stStatusWidgetRunningManIcon"]').length;
  const stale = q('[data-testid="stElementContainer"][data-stale="true"]').length;
  const skeletons = q('[data-testid="stSkeleton"], [data-testid="stAppSkeleton"]').length;
  const visible = (e) => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const charts = q('[data-testid="stVegaLiteChart"]').filter(visible);
  const drawn = charts.filter((c) => c.querySelector('svg.marks, canvas.marks'));
  const decks = q('[data-testid="stDeckGlJsonChart"]').filter(visible);
  const decksDrawn = decks.filter((d) => d.querySelector('canvas'));
  const images = q('[data-testid="stImage"] img, img.part-picture').filter(visible);
  const imagesDrawn = images.filter((i) => i.complete && i.naturalWidth > 0);
  const main = document.querySelector('[data-testid="stMainBlockContainer"]');
  const done = state === 'notRunning' && !!main;
  return {
    ready: done && !running && !stale && !skeletons && drawn.length === charts.length
      && decksDrawn.length === decks.length && imagesDrawn.length === images.length,
    charts: charts.length, drawn: drawn.length, decks: decksDrawn.length,
    images: imagesDrawn.length,
    exceptions: q('[data-testid="stException"]').map((e) => e.innerText.slice(0, 300)),
  };
}
"""


@contextmanager
def launch_chromium() -> Iterator[Browser]:
    """Debian's headless Chromium under Playwright, closed afterwards; fails the test (not the
    collection) when it is missing, so `pytest -m "not browser"` never needs it."""
    if not Path(CHROMIUM_PATH).exists():
        pytest.fail(f"{CHROMIUM_PATH} not found: install it with `apt-get install chromium`")
    from playwright.sync_api import sync_playwright  # only when a browser test runs

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class Server:
    """A running `streamlit run`: where to reach it, and its process (benchmarks read its RSS)."""

    url: str
    pid: int


@contextmanager
def running_server(
    project_root: Path, script: str = "app.py", timeout_s: float = 60
) -> Iterator[Server]:
    """`streamlit run <script>` on a free port, logging to a temporary file (a pipe nobody reads
    would fill and stall the server); always stopped afterwards."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "dashboard.serve",
        "run",
        script,
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
    ]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command,
            cwd=project_root,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            env=server_environment(project_root),
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            wait_until_healthy(process, base_url, log, timeout_s)
            yield Server(base_url, process.pid)
        finally:
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(process.pid, signal.SIGKILL)


def server_environment(project_root: Path) -> dict[str, str]:
    """The server imports `dashboard` from project_root/src, the code under test: the venv's
    editable install may point at another checkout (the main worktree)."""
    path = [str(project_root / "src"), os.environ.get("PYTHONPATH", "")]
    return {
        **os.environ,
        "MALLOC_ARENA_MAX": SERVER_MALLOC_ARENA_MAX,
        "PYTHONPATH": os.pathsep.join(part for part in path if part),
    }


def wait_until_healthy(process: subprocess.Popen, base_url: str, log, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        if process.poll() is not None:
            log.seek(0)
            output = log.read().decode(errors="replace")
            raise RuntimeError(f"streamlit exited with {process.returncode}:\n{output}")
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                message = f"streamlit did not answer on {base_url} in {timeout_s}s"
                raise RuntimeError(message) from None
            time.sleep(0.2)


@contextmanager
def streamlit_server(project_root: Path, timeout_s: float = 60) -> Iterator[str]:
    """The app on a free port; yields its base URL."""
    with running_server(project_root, timeout_s=timeout_s) as server:
        yield server.url


@dataclass
class PageVisit:
    """What a person opening the page would have seen."""

    charts: int = 0
    drawn: int = 0
    decks: int = 0
    images: int = 0  # charts drawn on the server (sparklines), shown as SVG images (html_parts)
    exceptions: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    sidebar_text: str = ""
    body_text: str = ""


def open_page(
    browser: Browser,
    url: str,
    screenshot: Path | None = None,
    timeout_s: float = 60,
    settle_ms: int = 600,
) -> PageVisit:
    """Load url in a fresh context and wait until the script finished and every chart is drawn."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    visit = PageVisit()
    try:
        page: Page = context.new_page()
        page.on("console", lambda message: record_console(message, visit))
        page.on("pageerror", lambda error: visit.console_errors.append(f"pageerror: {error}"))
        page.on("requestfailed", lambda request: visit.failed_requests.append(request.url))
        page.goto(url, wait_until="commit")
        state = wait_rendered(page, timeout_s, settle_ms)
        visit.charts, visit.drawn, visit.decks = state["charts"], state["drawn"], state["decks"]
        visit.images = state["images"]
        visit.exceptions = state["exceptions"]
        visit.sidebar_text = page.locator('[data-testid="stSidebar"]').inner_text()
        visit.body_text = page.locator("body").inner_text()
        if screenshot:
            save_full_page(page, screenshot)
        return visit
    finally:
        context.close()


def wait_rendered(page: Page, timeout_s: float = 60, settle_ms: int = 500) -> dict:
    """Until the script has finished and every chart is drawn, and that has held settle_ms."""
    deadline = time.monotonic() + timeout_s
    ready_since = None
    while True:
        state = page.evaluate(RENDERED_JS)
        if state["ready"]:
            ready_since = ready_since or time.monotonic()
            if (time.monotonic() - ready_since) * 1000 >= settle_ms:
                return state
        else:
            ready_since = None
        if time.monotonic() > deadline:
            raise TimeoutError(f"{page.url} did not finish rendering: {state}")
        page.wait_for_timeout(100)


def record_console(message, visit: PageVisit) -> None:
    if message.type != "error":
        return
    location = (message.location or {}).get("url", "")
    if any(benign in location for benign in BENIGN_CONSOLE):
        return
    visit.console_errors.append(f"{message.text} [{location}]")


def save_full_page(page: Page, path: Path) -> None:
    """Streamlit scrolls inside stMain, so grow the viewport to the content before the shot."""
    height = page.evaluate(
        "() => Math.max(document.querySelector('[data-testid=\"stMain\"]')?.scrollHeight || 0,"
        " document.documentElement.scrollHeight)"
    )
    page.set_viewport_size({"width": 1600, "height": int(min(max(height, 1000), 12000))})
    page.wait_for_timeout(500)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)


IDLE_JS = (
    "() => document.querySelector('[data-testid=\"stApp\"]')"
    "?.getAttribute('data-test-script-state') === 'notRunning'"
)


def click_when_idle(page: Page, button: str) -> None:
    """Click once the rerun an upload started has finished: a click during that rerun is lost."""
    page.wait_for_timeout(300)
    page.wait_for_function(IDLE_JS)
    from playwright.sync_api import expect  # only when a browser test runs

    target = page.get_by_role("button", name=button)
    expect(target).to_be_enabled()
    target.click()
