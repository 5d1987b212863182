"""The worker test_update_atomic.py kills: one forked process per data change, on a temporary
copy of data/ (argv[1]); every row it adds is a FIXTURE.

Started once; it imports the dashboard and builds the national and official tables once (their
raw files are never changed by the operations run here), and every build in a forked process
reuses them. That only skips reading files nothing changes: each apply, rollback and build
still reads the sources, validates, writes every Parquet file, build_info.json, the sources,
the snapshot and the log exactly as the command line does. A forked process starts in
milliseconds, where a fresh Python takes seconds to import pandas, so the kill loop fits in CI.

Protocol: one JSON list of jobs per line on stdin, each [operation, *arguments]. For each job
the worker forks and prints "pid <pid>"; the child prints "armed <pid>" when it starts to write
(an apply: after its check), writes its own output to out-<pid>.txt beside the data copy, and
exits with the command's exit code. When all have ended: "exit <pid> <code>" for each (-9 when
killed), then "done".
"""

import io
import json
import os
import sys
import traceback
from pathlib import Path

import pandas as pd

from dashboard.build import __main__ as build_cli
from dashboard.build import pipeline
from dashboard.update import __main__ as update_cli
from dashboard.update.common import DataDirs
from dashboard.update.plan import plan_update

from helpers.update_fixtures import RUTLAND_CSE, add_fixture_document, figures_csv

KILL_LOOP = "TEST FIXTURE kill loop"


def fixture_row(number: int) -> dict[str, str]:
    """A made-up Rutland 2025/26 CSE figure, told apart by its breakdown."""
    return {**RUTLAND_CSE, "breakdown": f"{KILL_LOOP} {number}", "note": "TEST FIXTURE"}


def fixture_upload(number: int) -> bytes:
    return figures_csv(fixture_row(number))


def say(line: str) -> None:
    """One line to the test in one write(), so the worker's and children's lines never mix."""
    os.write(1, f"{line}\n".encode())


def armed() -> None:
    say(f"armed {os.getpid()}")


def op_setup(root: Path) -> int:
    add_fixture_document(DataDirs(root))
    return 0


def op_apply(root: Path, number: int) -> int:
    upload = root.parent / f"kill-loop-{number}.csv"
    upload.write_bytes(fixture_upload(number))
    real = update_cli.apply_plan

    def apply_when_armed(plan, dirs):
        armed()
        return real(plan, dirs)

    update_cli.apply_plan = apply_when_armed
    return update_cli.main([str(upload), "--data-dir", str(root), "--yes"])


def op_rollback(root: Path, version: str) -> int:
    armed()
    return update_cli.main(["--rollback", version, "--data-dir", str(root)])


def op_build(root: Path) -> int:
    armed()
    dirs = DataDirs(root)
    return build_cli.main(
        [
            "--out-dir",
            str(root),
            "--sources-dir",
            str(dirs.sources),
            "--documents-dir",
            str(dirs.documents),
            "--raw-official-dir",
            str(dirs.raw_official),
            "--raw-national-dir",
            str(dirs.raw_national),
        ]
    )


def op_history(root: Path) -> int:
    return update_cli.main(["--history", "--data-dir", str(root)])


def op_verify(root: Path) -> int:
    """The built tables on disk are exactly what the sources build to now."""
    tables = pipeline.build_tables(DataDirs(root).inputs())
    differing = [
        name
        for name, frame in tables.items()
        if not pd.read_parquet(root / f"{name}.parquet").equals(
            frame[list(pipeline.TABLE_COLUMNS[name])].reset_index(drop=True)
        )
    ]
    print(json.dumps({"differing": differing}))
    return 0


def op_stale(root: Path, first: int, second: int) -> int:
    """Two admin sessions check a file each against the same data, then confirm in turn."""
    from dashboard.update.apply import UpdateError, apply_plan

    dirs = DataDirs(root)
    plans = [plan_update(f"session-{n}.csv", fixture_upload(n), dirs) for n in (first, second)]
    outcome = {"versions": [plan.data_version for plan in plans]}
    outcome["first"] = apply_plan(plans[0], dirs)
    try:
        outcome["second"] = apply_plan(plans[1], dirs)
    except UpdateError as error:
        outcome["second_refused"] = str(error)
    print(json.dumps(outcome))
    return 0


OPERATIONS = {
    "setup": op_setup,
    "apply": op_apply,
    "rollback": op_rollback,
    "build": op_build,
    "history": op_history,
    "verify": op_verify,
    "stale": op_stale,
}


def cache_unchanging_tables(root: Path) -> None:
    dirs = DataDirs(root)
    national = pipeline.build_national(dirs.raw_national)
    official = pipeline.build_official_observations(dirs.raw_official)
    pipeline.build_national = lambda _: national.copy()
    pipeline.build_official_observations = lambda _: official.copy()


def run_child(root: Path, job: list) -> int:
    output = (root.parent / f"out-{os.getpid()}.txt").open("w", buffering=1)
    sys.stdout = sys.stderr = output
    try:
        return int(OPERATIONS[job[0]](root, *job[1:]))
    except BaseException:  # an exception here is a test failure: the test reads the output
        traceback.print_exc()
        return 99
    finally:
        output.flush()


def main(root: Path) -> None:
    cache_unchanging_tables(root)
    say("ready")
    for line in io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8"):
        children = []
        for job in json.loads(line):
            pid = os.fork()
            if pid == 0:
                os._exit(run_child(root, job))
            children.append(pid)
            say(f"pid {pid}")
        for pid in children:
            _, status = os.waitpid(pid, 0)
            say(f"exit {pid} {os.waitstatus_to_exitcode(status)}")
        say("done")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
