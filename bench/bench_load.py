"""Many board members at once, as the server sees them: protocol-level clients over Streamlit's
websocket (`/_stcore/stream`), no browsers, so the clients cost the machine's cores little and
the server's own cost shows.

Each client opens a session, asks for a random page, waits until the script has finished, pauses
0-2 s and asks for another page, for `--seconds`. Reported per session count: errors (an
exception on a page, a dropped connection, no answer within `--timeout`), the rerun time from
request to "script finished" (p50, p95), the server's memory (RSS, peak while the clients run
and a while after they have all gone) and the same for the bare reference page under the same
load. One JSON object per line; nothing is asserted.

    .venv/bin/python bench/bench_load.py --sessions 10 20 50 100 --seconds 60
    .venv/bin/python bench/bench_load.py --url http://127.0.0.1:8080 --sessions 50  # via nginx
    .venv/bin/python bench/bench_load.py --per-page 15   # one session, each page 15 times
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import statistics
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "bench" / "baseline_app.py"
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "deploy")]
from replicas import running_replica  # noqa: E402

from dashboard.navigation import DEFAULT_PAGE, PAGES  # noqa: E402

DASHBOARD_PAGES = [page.url_path for page in PAGES if not page.admin]
AFTER_CLOSE_S = 10  # how long after the last client leaves memory is read again


@dataclass
class Tally:
    """What every client saw, pooled."""

    reruns_ms: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


def rerun(page: str, query: str = "") -> bytes:
    """A request to run one page from its start, as the browser sends it on a new URL."""
    message = BackMsg()
    message.rerun_script.query_string = query
    message.rerun_script.page_name = "" if page == DEFAULT_PAGE.url_path else page
    return message.SerializeToString()


async def run_page(
    socket,
    page: str,
    timeout_s: float,
    tally: Tally,
    query: str = "",
    elements: list[str] | None = None,
) -> None:
    """Run `page` on an open session until its script finishes (a run cut short by the frame's
    own rerun is not the end); `elements` collects what it drew, as text."""
    started = time.perf_counter()
    await socket.send(rerun(page, query))
    deadline = started + timeout_s
    while True:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            tally.error("timeout")
            return
        raw = await asyncio.wait_for(socket.recv(), remaining)
        message = ForwardMsg()
        message.ParseFromString(raw)
        kind = message.WhichOneof("type")
        if kind == "delta" and elements is not None:
            elements.append(str(message.delta.new_element))
        if kind == "delta" and message.delta.new_element.WhichOneof("type") == "exception":
            tally.error(f"exception on {page or 'overview'}")
        elif kind == "script_finished":
            if message.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                continue
            tally.reruns_ms.append((time.perf_counter() - started) * 1000)
            return


async def client(
    url: str, pages: list[str], seconds: float, timeout_s: float, tally: Tally, seed: int
) -> None:
    """One board member: random pages with 0-2 s pauses until the time is up."""
    picker = random.Random(seed)
    stop = time.perf_counter() + seconds
    try:
        async with connect(url, timeout_s) as socket:
            while time.perf_counter() < stop:
                await run_page(socket, picker.choice(pages), timeout_s, tally)
                await asyncio.sleep(picker.uniform(0, 2))
    except (OSError, TimeoutError, websockets.WebSocketException) as error:
        tally.error(type(error).__name__)


def connect(url: str, timeout_s: float = 60):
    """A websocket to the app as a browser opens it: behind nginx, first the page (which sets
    the cookie that keeps this client on one replica), then the stream with that cookie."""
    with urllib.request.urlopen(url + "/_stcore/health", timeout=timeout_s) as response:
        cookies = [value.split(";", 1)[0] for value in response.headers.get_all("Set-Cookie") or []]
    return websockets.connect(
        url.replace("http", "ws", 1) + "/_stcore/stream",
        subprotocols=["streamlit"],
        origin=url,
        max_size=None,
        open_timeout=timeout_s,
        additional_headers={"Cookie": "; ".join(cookies)} if cookies else None,
    )


def total_rss_mb(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        with contextlib.suppress(psutil.Error):
            total += psutil.Process(pid).memory_info().rss / 2**20
    return total


def sample_memory(pids: list[int], peak: list[float], stop: threading.Event) -> None:
    while not stop.is_set():
        peak[0] = max(peak[0], total_rss_mb(pids))
        stop.wait(0.5)


def load(url: str, pids: list[int], sessions: int, pages: list[str], args) -> dict:
    """`sessions` clients for `args.seconds` against `url`; memory summed over `pids`."""
    tally = Tally()
    peak = [0.0]
    stop = threading.Event()
    if pids:
        threading.Thread(target=sample_memory, args=(pids, peak, stop), daemon=True).start()

    async def everyone() -> None:
        await asyncio.gather(
            *(
                client(url, pages, args.seconds, args.timeout, tally, seed)
                for seed in range(sessions)
            )
        )

    started = time.perf_counter()
    asyncio.run(everyone())
    elapsed = time.perf_counter() - started
    stop.set()
    after = None
    if pids:
        time.sleep(AFTER_CLOSE_S)
        after = round(total_rss_mb(pids))
    times = sorted(tally.reruns_ms)
    return {
        "sessions": sessions,
        "seconds": round(elapsed, 1),
        "reruns": len(times),
        "errors": sum(tally.errors.values()),
        "error_kinds": tally.errors,
        "p50_ms": round(statistics.median(times)) if times else None,
        "p95_ms": round(times[int(0.95 * (len(times) - 1))]) if times else None,
        "rss_peak_mb": round(peak[0]) if pids else None,
        "rss_after_close_mb": after,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[10, 20, 50, 100])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--timeout", type=float, default=60, help="per rerun, seconds")
    parser.add_argument("--url", help="an app already running (e.g. behind nginx): load it only")
    parser.add_argument("--pid", type=int, nargs="*", default=[], help="its server PIDs (RSS)")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--port", type=int, default=8599)
    parser.add_argument(
        "--per-page", type=int, metavar="N", help="one session: each page N times in a row"
    )
    args = parser.parse_args()
    if args.per_page:
        with running_replica(ROOT / "app.py", args.port) as (url, _pid):
            asyncio.run(warm(url, DASHBOARD_PAGES, args.timeout))
            asyncio.run(per_page(url, args.per_page, args.timeout))
        return
    if args.url:
        for sessions in args.sessions:
            result = load(args.url, args.pid, sessions, DASHBOARD_PAGES, args)
            print(json.dumps({"app": args.url, **result}), flush=True)
        return
    targets = [("dashboard", ROOT / "app.py", DASHBOARD_PAGES)]
    if not args.no_baseline:
        targets.append(("baseline", BASELINE, [DEFAULT_PAGE.url_path]))
    for name, script, pages in targets:
        for sessions in args.sessions:
            # A fresh server for each load, so memory after close is this load's alone.
            with running_replica(script, args.port) as (url, pid):
                asyncio.run(warm(url, pages, args.timeout))
                result = load(url, [pid], sessions, pages, args)
            print(json.dumps({"app": name, **result}), flush=True)


async def per_page(url: str, times: int, timeout_s: float) -> None:
    """Each page `times` times back to back on one session: where a rerun's time goes."""
    async with connect(url, timeout_s) as socket:
        for page in DASHBOARD_PAGES:
            tally = Tally()
            for _ in range(times):
                await run_page(socket, page, timeout_s, tally)
            times_ms = sorted(tally.reruns_ms)
            result = {
                "page": page or DEFAULT_PAGE.title,
                "p50_ms": round(statistics.median(times_ms), 1) if times_ms else None,
                "min_ms": round(times_ms[0], 1) if times_ms else None,
                "errors": sum(tally.errors.values()),
            }
            print(json.dumps(result), flush=True)


async def warm(url: str, pages: list[str], timeout_s: float = 60) -> None:
    """Every page once, so caches filled by the first visitor are not counted as load."""
    async with connect(url, timeout_s) as socket:
        for page in pages:
            await run_page(socket, page, timeout_s, Tally())


def load_through(proxy: str, pids: list[int], sessions: int, seconds: float) -> dict:
    """A load through a proxy in front of replicas (deploy/replicas.py --load): each replica
    warmed first through the proxy, memory summed over the replicas."""
    args = argparse.Namespace(seconds=seconds, timeout=60)
    for _ in range(2 * len(pids)):
        asyncio.run(warm(proxy, DASHBOARD_PAGES))
    return load(proxy, pids, sessions, DASHBOARD_PAGES, args)


if __name__ == "__main__":
    main()
