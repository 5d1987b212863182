"""All-or-nothing data changes (issue 16, item 1): kill -9 at random moments of applies,
rollbacks and builds, two writers at once, plans confirmed after the data changed, a full disk.

Every change is made on a temporary copy of data/ (helpers.update_fixtures.copy_data) by a
worker process (helpers.atomic_worker) that forks one process per change, so the test can
SIGKILL it at any moment; the rows added are FIXTURES.
"""

import contextlib
import errno
import json
import os
import queue
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from dashboard import data as data_loaders
from dashboard import transaction
from dashboard.build import pipeline
from dashboard.paths import PROJECT_ROOT
from dashboard.transaction import BUSY, JOURNAL_FILE, LOCK_FILE, PENDING_DIR, writing
from dashboard.update import apply as apply_module
from dashboard.update.__main__ import main as update_cli
from dashboard.update.apply import CHANGED, UpdateError, apply_plan, read_history
from dashboard.update.common import DataDirs
from dashboard.update.plan import plan_update

from helpers.atomic_worker import KILL_LOOP, fixture_upload
from helpers.update_fixtures import FIXTURE_DOCUMENT, copy_data, data_files

TESTS = PROJECT_ROOT / "tests"
KILLS = 50  # kills that landed (the process died of SIGKILL), at least
SEED = 16
TIMEOUT = 120  # seconds for one worker job: a hang is a failure, not a stuck CI run


@dataclass
class Outcome:
    pid: int
    code: int  # -9: killed
    output: str


class Worker:
    """helpers.atomic_worker in a subprocess, on one data copy."""

    def __init__(self, root: Path) -> None:
        self.root = root
        env = {
            **os.environ,
            "DASHBOARD_DATA_DIR": str(root),
            "PYTHONPATH": os.pathsep.join([str(TESTS), str(PROJECT_ROOT / "src")]),
        }
        self.process = subprocess.Popen(
            [sys.executable, str(TESTS / "helpers" / "atomic_worker.py"), str(root)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            cwd=PROJECT_ROOT,
            text=True,
            bufsize=1,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        assert self.line() == "ready"

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.strip())
        self.lines.put("worker ended")

    def line(self) -> str:
        line = self.lines.get(timeout=TIMEOUT)
        assert line != "worker ended", "the worker process ended"
        return line

    def run(self, *jobs: list, kill_after: float | None = None) -> list[Outcome]:
        """Run jobs at once; with kill_after, SIGKILL the first that many seconds after it
        starts to write. Returns each job's exit code and output."""
        self.process.stdin.write(json.dumps(jobs) + "\n")
        self.process.stdin.flush()
        codes: dict[int, int] = {}
        killed = kill_after is None
        self.armed_for = 0.0  # seconds from the first write to the end (the last job's)
        armed = time.monotonic()
        while True:
            line = self.line()
            if line.startswith("armed "):
                armed = time.monotonic()
            if line.startswith("armed ") and not killed:
                time.sleep(kill_after)
                with contextlib.suppress(ProcessLookupError):  # it may have finished first
                    os.kill(int(line.split()[1]), signal.SIGKILL)
                killed = True
            elif line.startswith("exit "):
                _, pid, code = line.split()
                codes[int(pid)] = int(code)
                self.armed_for = time.monotonic() - armed
            elif line == "done":
                break
        outcomes = []
        for pid, code in codes.items():
            path = self.root.parent / f"out-{pid}.txt"
            outcomes.append(Outcome(pid, code, path.read_text() if path.exists() else ""))
            path.unlink(missing_ok=True)
        return outcomes

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=TIMEOUT)


@pytest.fixture(scope="module")
def worker(tmp_path_factory):
    dirs = copy_data(tmp_path_factory.mktemp("atomic") / "data")
    worker = Worker(dirs.root)
    [setup] = worker.run(["setup"])
    assert setup.code == 0, setup.output
    yield worker
    worker.close()


def fixture_rows(root: Path) -> frozenset[str]:
    """The kill-loop FIXTURE rows the data holds; the sources, the Parquet tables and
    build_info.json must agree (read by the app's own loaders, which undo a dead writer)."""
    built = data_loaders.read_observations(root / "observations.parquet")
    in_tables = set(built.loc[built["breakdown"].str.startswith(KILL_LOOP), "breakdown"])
    path = root / "sources" / "figures" / FIXTURE_DOCUMENT.replace(".txt", ".csv")
    figures = pd.read_csv(path, dtype=str, keep_default_na=False) if path.exists() else None
    in_sources = set() if figures is None else set(figures["breakdown"])
    in_sources = {breakdown for breakdown in in_sources if breakdown.startswith(KILL_LOOP)}
    assert in_sources == in_tables, "the sources and the Parquet tables disagree"
    info = data_loaders.read_build_info(root / "build_info.json")
    for name, rows in info.rows.items():
        assert pq.read_metadata(root / f"{name}.parquet").num_rows == rows, name
    return frozenset(in_sources)


def assert_one_clean_version(root: Path) -> list[str]:
    """No journal, no copies, no temporary files; the log lists exactly the snapshots kept.
    Returns the versions, newest first."""
    assert not (root / JOURNAL_FILE).exists()
    assert not (root / PENDING_DIR).exists()
    assert [str(p.relative_to(root)) for p in root.rglob("*.tmp")] == []
    versions = [change.version for change in read_history(DataDirs(root))]
    history = root / "history"
    kept = {path.name for path in history.iterdir() if path.is_dir()} if history.exists() else set()
    assert sorted(versions) == sorted(kept)
    return versions


def state_of(worker: Worker) -> tuple[frozenset[str], list[str]]:
    return fixture_rows(worker.root), assert_one_clean_version(worker.root)


def test_kill_loop(worker):
    """At least KILLS kill -9 at random moments of applies, rollbacks and builds: afterwards
    data/ is always entirely the version before or after the change, history and sources agree,
    nothing applied is lost, the app's loaders read it and rollback still works."""
    rng = random.Random(SEED)
    root = worker.root
    rows, versions = state_of(worker)
    assert rows == frozenset() and versions == []
    # What the data held before the change that made each version (rolling back returns to it).
    states: dict[str, frozenset[str]] = {}
    number = 0

    def expected_after(job: list, before: frozenset[str]) -> frozenset[str]:
        if job[0] == "apply":
            return before | {f"{KILL_LOOP} {job[1]}"}
        if job[0] == "rollback":
            return states[job[1]]
        return before

    # Each operation's typical duration from its first write to its end, measured first.
    typical: dict[str, float] = {}
    for job in (["apply", 0], ["build"], ["rollback", None]):
        if job[0] == "rollback":
            job[1] = versions[0]
        before = rows
        [outcome] = worker.run(job)
        typical[job[0]] = worker.armed_for
        assert outcome.code == 0, outcome.output
        rows, now = state_of(worker)
        assert rows == expected_after(job, before)
        if len(now) > len(versions):
            states[now[0]] = before
        versions = now
    number = 1
    kills = completed = 0
    recoveries = {"loaders": 0, "history command": 0, "next writer": 0}
    killed = {"apply": 0, "rollback": 0, "build": 0}
    undone = 0  # kills that left a change to undo (a journal, copies or temporary files)
    while kills < KILLS:
        assert kills + completed < 4 * KILLS, "kills are not landing"
        choice = rng.choices(["apply", "rollback", "build"], weights=[5, 3, 2])[0]
        if choice == "apply":
            job = ["apply", number]
            number += 1
        elif choice == "rollback" and versions:
            job = ["rollback", rng.choice(versions)]
        else:
            job = ["build"]
        before, after = rows, expected_after(job, rows)
        kill = rng.random() < 0.85
        delay = rng.uniform(0, typical[job[0]]) if kill else None
        [outcome] = worker.run(job, kill_after=delay)
        assert outcome.code in (0, -signal.SIGKILL), outcome.output
        assert "Traceback" not in outcome.output, outcome.output
        if outcome.code == 0:
            completed += 1
        else:
            kills += 1
            killed[job[0]] += 1
            undone += transaction.interrupted(root) or bool(list(root.rglob("*.tmp")))
            way = rng.choice(list(recoveries))
            recoveries[way] += 1
            if way == "loaders":  # the app starting: its data loaders undo the dead writer
                data_loaders.read_build_info(root / "build_info.json")
            elif way == "history command":
                [listed] = worker.run(["history"])
                assert listed.code == 0 and "Traceback" not in listed.output
            else:  # the next writer undoes it under the lock, then does its own work
                [rebuilt] = worker.run(["build"])
                assert rebuilt.code == 0, rebuilt.output
        rows, now = state_of(worker)
        committed = len(now) == len(versions) + 1
        assert len(now) in (len(versions), len(versions) + 1)
        if outcome.code == 0:
            assert rows == after, f"{job}: reported success but the data is not its result"
            assert committed or job[0] == "build"
        else:
            assert rows in (before, after), f"{job}: killed, left neither version"
            if job[0] == "apply":
                assert committed == (rows == after)
        if committed:
            assert job[0] != "build"
            states[now[0]] = before
        versions = now
    print(
        f"\nkill loop: {kills} kills {killed}, {undone} left a change to undo, {completed} "
        f"completed; recovered by {recoveries}; seconds of writing: {typical}"
    )
    # The tables are exactly what the sources build to, and rollback works to the first version.
    [verified] = worker.run(["verify"])
    assert json.loads(verified.output) == {"differing": []}
    first = versions[-1]
    [undone] = worker.run(["rollback", first])
    assert undone.code == 0, undone.output
    rows, versions = state_of(worker)
    assert rows == states[first] == frozenset()
    # Every snapshot is a whole version: its sources and tables agree and hold what they should.
    for version in versions:
        if version in states:
            assert fixture_rows(root / "history" / version) == states[version], version


def test_two_writers_at_once(worker):
    """Two applies of different rows at the same moment: each is applied or refused with a
    clear message, never lost silently; what is applied is all there, once each."""
    for first, second in ((901, 902), (903, 904), (905, 906)):
        rows, versions = state_of(worker)
        outcomes = worker.run(["apply", first], ["apply", second])
        applied = set()
        for number, outcome in zip((first, second), outcomes, strict=True):
            assert "Traceback" not in outcome.output, outcome.output
            if outcome.code == 0:
                assert "Applied." in outcome.output
                applied.add(f"{KILL_LOOP} {number}")
            else:
                assert outcome.code == 1
                assert f"Not applied: {CHANGED}." in outcome.output or BUSY in outcome.output
        assert applied, "neither writer applied"
        now_rows, now = state_of(worker)
        assert now_rows == rows | applied
        assert len(now) == len(versions) + len(applied)


def test_plans_checked_before_a_change_are_refused(worker):
    """Two admin sessions check a file each, then confirm one after the other: the second is
    refused (its new file contents were computed from data that has since changed)."""
    rows, versions = state_of(worker)
    [outcome] = worker.run(["stale", 911, 912])
    assert outcome.code == 0, outcome.output
    result = json.loads(outcome.output)
    assert result["versions"][0] == result["versions"][1]
    assert result["second_refused"] == CHANGED
    assert "second" not in result
    now_rows, now = state_of(worker)
    assert now_rows == rows | {f"{KILL_LOOP} 911"}
    assert now[0] == result["first"] and len(now) == len(versions) + 1


@pytest.fixture(scope="module")
def quick_builds(worker):
    """As in the worker: the national and official tables (never changed here) built once."""
    dirs = DataDirs(worker.root)
    national = pipeline.build_national(dirs.raw_national)
    official = pipeline.build_official_observations(dirs.raw_official)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline, "build_national", lambda _: national.copy())
        patch.setattr(pipeline, "build_official_observations", lambda _: official.copy())
        yield


@pytest.fixture
def copy(worker, quick_builds, tmp_path) -> DataDirs:
    """A fresh copy of the worker's data (fixture document registered), for in-process tests."""
    shutil.copytree(worker.root, tmp_path / "data", ignore=shutil.ignore_patterns(LOCK_FILE))
    return DataDirs(tmp_path / "data")


def test_a_second_writer_waits_then_is_told(copy, monkeypatch, tmp_path, capsys):
    plan = plan_update("f.csv", fixture_upload(921), copy)
    assert plan.ready
    before = data_files(copy.root)
    monkeypatch.setenv("DASHBOARD_LOCK_WAIT", "0.3")
    with writing(copy.root, "build"):  # another writer holds the lock
        started = time.monotonic()
        with pytest.raises(UpdateError, match=re.escape(BUSY)):
            apply_plan(plan, copy)
        assert 0.3 <= time.monotonic() - started < 5
        upload = tmp_path / "f.csv"
        upload.write_bytes(fixture_upload(921))
        assert update_cli([str(upload), "--data-dir", str(copy.root), "--yes"]) == 1
        assert BUSY in capsys.readouterr().err
    assert data_files(copy.root) == before
    apply_plan(plan, copy)  # once the lock is free, it goes through
    assert f"{KILL_LOOP} 921" in fixture_rows(copy.root)


@pytest.mark.parametrize("failing", ["backup", "snapshot", "sources", "tables"])
def test_full_disk_undoes_everything_and_says_so(copy, monkeypatch, tmp_path, capsys, failing):
    """No space left at any step: a plain message, no traceback, data/ and history unchanged,
    no partial snapshot, journal, copies or temporary files."""
    before = data_files(copy.root)
    history = read_history(copy)
    upload = tmp_path / "f.csv"
    upload.write_bytes(fixture_upload(931))

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "/somewhere/.x.tmp")

    targets = {
        "backup": (transaction, "_copy_durably"),
        "snapshot": (shutil, "copy2"),
        "sources": (apply_module, "write_atomically"),
        "tables": (pd.DataFrame, "to_parquet"),
    }
    module, name = targets[failing]
    original = getattr(module, name)
    calls = []

    def fail_later(*args, **kwargs):  # the second call fails: something is half written
        calls.append(1)
        if len(calls) == 2:
            full()
        return original(*args, **kwargs)

    if failing == "snapshot":  # only while the snapshot is copied (backups use copy2 too)
        snapshot = apply_module.snapshot

        def partial_snapshot(dirs, version):
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(shutil, "copy2", fail_later)
                return snapshot(dirs, version)

        monkeypatch.setattr(apply_module, "snapshot", partial_snapshot)
    else:
        monkeypatch.setattr(module, name, fail_later)
    assert update_cli([str(upload), "--data-dir", str(copy.root), "--yes"]) == 1
    err = capsys.readouterr().err
    assert calls, "the step was not reached"
    assert "Traceback" not in err and "/somewhere" not in err
    assert "could not be written (No space left on device); the change was undone" in err
    monkeypatch.undo()
    assert data_files(copy.root) == before
    assert read_history(copy) == history
    assert_one_clean_version(copy.root)


def test_a_writer_killed_while_writing_its_journal_leaves_nothing_behind(tmp_path):
    """Copies made, the journal half written (its temporary file), then SIGKILL: the next
    reader removes both, and data/ is as it was."""
    root = tmp_path / "data"
    root.mkdir()
    (root / "fixture.csv").write_text("FIXTURE\n", encoding="utf-8")
    (root / PENDING_DIR / "apply-fixture").mkdir(parents=True)
    (root / PENDING_DIR / "apply-fixture" / "fixture.csv").write_text("FIXTURE\n")
    (root / f".{JOURNAL_FILE}.apply-fixture.tmp").write_text('{"operation": "apply"')
    transaction.recover_if_interrupted(root)
    assert sorted(path.name for path in root.iterdir()) == [LOCK_FILE, "fixture.csv"]
