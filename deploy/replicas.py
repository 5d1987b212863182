"""Two (or more) dashboard servers sharing data/, behind nginx with sticky sessions.

One Streamlit process runs every session's script on one core; a board meeting where everyone
opens the dashboard at once needs more than one process. This starts N replicas on loopback
ports and nginx (the Debian package) in front of them, each browser kept on one replica by a
cookie (deploy/nginx.conf), and stops them all on Ctrl-C.

    .venv/bin/python deploy/replicas.py                     # http://127.0.0.1:8080, 2 replicas
    .venv/bin/python deploy/replicas.py --replicas 3 --listen 0.0.0.0:8080
    .venv/bin/python deploy/replicas.py --load 50 --seconds 60   # 50 sessions, 1 vs 2 replicas

A replica notices data changed by another (an update applied through it) on its next run: the
build rewrites data/build_info.json last, and `dashboard.data.reload_if_rebuilt` compares it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).with_name("nginx.conf")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_healthy(url: str, timeout_s: float = 90) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response,
        ):
            if response.status == 200:
                return
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer in {timeout_s:.0f} s")
        time.sleep(0.2)


def stop(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


@contextlib.contextmanager
def running_replica(
    script: Path = ROOT / "app.py", port: int | None = None, env: Mapping[str, str] | None = None
) -> Iterator[tuple[str, int]]:
    """`streamlit run` as scripts/run starts it, on loopback: (url, pid), stopped afterwards."""
    port = port or free_port()
    environment = {
        **os.environ,
        **(env or {}),
        "MALLOC_ARENA_MAX": "2",
        "PYTHONPATH": str(ROOT / "src"),
    }
    command = [sys.executable, "-m", "dashboard.serve", "run", str(script)]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    command += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url)
        yield url, process.pid
    finally:
        stop(process)


def nginx_config(run_dir: Path, listen: str, upstreams: list[str]) -> str:
    servers = "\n".join(f"        server {upstream} max_fails=0;" for upstream in upstreams)
    return (
        TEMPLATE.read_text(encoding="utf-8")
        .replace("@RUN_DIR@", str(run_dir))
        .replace("@LISTEN@", listen)
        .replace("@UPSTREAMS@", servers)
    )


@contextlib.contextmanager
def running_nginx(listen: str, upstreams: list[str]) -> Iterator[str]:
    """nginx on `listen` (host:port) in front of `upstreams` (host:port each): its URL."""
    run_dir = Path(tempfile.mkdtemp(prefix="dashboard-nginx-"))
    config = run_dir / "nginx.conf"
    config.write_text(nginx_config(run_dir, listen, upstreams), encoding="utf-8")
    process = subprocess.Popen(
        [NGINX, "-p", str(run_dir), "-c", str(config), "-e", str(run_dir / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    host, port = listen.rsplit(":", 1)
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{port}"
    try:
        try:
            wait_healthy(url, 30)
        except RuntimeError:
            log = run_dir / "error.log"
            detail = log.read_text(encoding="utf-8")[-2000:] if log.exists() else ""
            raise RuntimeError(f"nginx did not start on {listen}:\n{detail}") from None
        yield url
    finally:
        stop(process)
        shutil.rmtree(run_dir, ignore_errors=True)


@contextlib.contextmanager
def deployment(
    replicas: int, listen: str, env: Mapping[str, str] | None = None
) -> Iterator[tuple[str, list[tuple[str, int]]]]:
    """N replicas and nginx: (the proxy's URL, [(replica url, pid), ...])."""
    with contextlib.ExitStack() as stack:
        servers = [stack.enter_context(running_replica(env=env)) for _ in range(replicas)]
        upstreams = [url.removeprefix("http://") for url, _ in servers]
        proxy = stack.enter_context(running_nginx(listen, upstreams))
        yield proxy, servers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--listen", default="127.0.0.1:8080", help="nginx's host:port")
    parser.add_argument("--load", type=int, help="run this many load sessions (1 vs N replicas)")
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    if args.load:
        sys.path.insert(0, str(ROOT / "bench"))
        from bench_load import load_through

        for replicas in sorted({1, args.replicas}):
            with deployment(replicas, args.listen) as (proxy, servers):
                result = load_through(proxy, [pid for _, pid in servers], args.load, args.seconds)
            print(json.dumps({"replicas": replicas, **result}), flush=True)
        return
    with deployment(args.replicas, args.listen) as (proxy, servers):
        print(f"Dashboard on {proxy} (nginx) over {', '.join(url for url, _ in servers)}")
        print("Ctrl-C stops them all.", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()


if __name__ == "__main__":
    main()
