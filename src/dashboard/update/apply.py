"""Apply a ChangePlan: keep the previous data as a version, write the sources, rebuild; roll back.

Each update first copies the sources, document texts, official files and built tables into
history/<version>/ (version = UTC time), so the version holds the data as it was before that
update and rolling back to it undoes the update. Every file is written to a temporary file and
renamed into place; if anything fails the version is restored, so the data is never half
changed. history/log.csv says what each update or rollback did.
"""

import csv
import io
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from dashboard.build.pipeline import TABLE_COLUMNS, build_tables, write_tables
from dashboard.paths import BUILD_INFO_JSON
from dashboard.update.common import LIVE_DATA, ChangePlan, DataDirs

TRACKED_DIRS = ("sources", "documents", "raw/official")
TRACKED_FILES = (*(f"{name}.parquet" for name in TABLE_COLUMNS), BUILD_INFO_JSON.name)
LOG_FILE = "log.csv"
SUMMARY_ROWS = 5  # new values named in the log; the rest are counted
HISTORY_COLUMNS = ["When (UTC)", "What", "File", "New values", "Revised values", "Summary"]
HISTORY_COLUMNS += ["Version"]
LOG_COLUMNS = ["version", "when", "action", "file", "new", "revised", "summary"]


class UpdateError(ValueError):
    """An update or rollback that cannot be done (nothing was changed)."""


@dataclass(frozen=True)
class Change:
    """One line of the history log."""

    version: str
    when: str
    action: str
    file: str
    new: int
    revised: int
    summary: str


def tracked_files(root: Path) -> set[str]:
    """Paths (relative to root) of every file an update may change."""
    found = {name for name in TRACKED_FILES if (root / name).is_file()}
    for folder in TRACKED_DIRS:
        found |= {
            str(path.relative_to(root)) for path in (root / folder).rglob("*") if path.is_file()
        }
    return found


def write_atomically(target: Path, content: bytes) -> None:
    """Temporary file in the same folder, then rename: readers see the old or the new file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
    )
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def new_version(dirs: DataDirs, now: datetime) -> str:
    """A UTC timestamp id, made unique if two changes fall in one second."""
    base = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    version, number = base, 1
    while (dirs.history / version).exists():
        number += 1
        version = f"{base}-{number}"
    return version


def snapshot(dirs: DataDirs, version: str) -> Path:
    """Copy every file an update may change into history/<version>/."""
    target = dirs.history / version
    for relative in sorted(tracked_files(dirs.root)):
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(dirs.root / relative, destination)
    return target


def restore(dirs: DataDirs, version: str) -> None:
    """Make the tracked files those of a version: rewrite changed ones, remove added sources."""
    saved = dirs.history / version
    wanted = tracked_files(saved)
    for relative in sorted(wanted):
        content = (saved / relative).read_bytes()
        live = dirs.root / relative
        if not live.is_file() or live.read_bytes() != content:
            write_atomically(live, content)
    # A built table the version lacks is newer than the version (national.parquet arrived after
    # some servers' history began); it is built from files updates never change, so it stays.
    for relative in tracked_files(dirs.root) - wanted - set(TRACKED_FILES):
        (dirs.root / relative).unlink()


def apply_plan(plan: ChangePlan, dirs: DataDirs = LIVE_DATA, now: datetime | None = None) -> str:
    """Write the plan's files and rebuild; return the version that undoes it."""
    if not plan.ready:
        raise UpdateError("this upload has refused rows or changes nothing; nothing was written")
    now = now or datetime.now(UTC)
    version = new_version(dirs, now)
    snapshot(dirs, version)
    try:
        for relative, content in plan.file_writes.items():
            write_atomically(dirs.root / relative, content)
        write_tables(build_tables(dirs.inputs()), dirs.root)
    except BaseException:
        restore(dirs, version)
        shutil.rmtree(dirs.history / version)
        raise
    named = [column for column in ("Indicator", "Area", "Period") if column in plan.new]
    added = "; ".join(
        " ".join(str(part) for part in rec.values())
        for rec in plan.new[named or list(plan.new)].head(SUMMARY_ROWS).to_dict("records")
    ) + ("; ..." if len(plan.new) > SUMMARY_ROWS else "")
    log_change(
        dirs,
        Change(
            version,
            now.astimezone(UTC).isoformat(timespec="seconds"),
            "update",
            plan.upload_name,
            len(plan.new),
            len(plan.revised),
            f"{plan.summary()}" + (f": {added}" if added else ""),
        ),
    )
    return version


def rollback(version: str, dirs: DataDirs = LIVE_DATA, now: datetime | None = None) -> str:
    """Return the data to a version; the state before the rollback is kept as a new version."""
    if version not in {change.version for change in read_history(dirs)}:
        raise UpdateError(f"no version {version!r} in {dirs.history}; see the history list")
    now = now or datetime.now(UTC)
    current = new_version(dirs, now)
    snapshot(dirs, current)
    try:
        restore(dirs, version)
    except BaseException:
        restore(dirs, current)
        shutil.rmtree(dirs.history / current)
        raise
    log_change(
        dirs,
        Change(
            current,
            now.astimezone(UTC).isoformat(timespec="seconds"),
            "rollback",
            "",
            0,
            0,
            f"returned the data to version {version}; {current} holds the data before this",
        ),
    )
    return current


def log_change(dirs: DataDirs, change: Change) -> None:
    path = dirs.history / LOG_FILE
    old = path.read_bytes() if path.exists() else b""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if not old:
        writer.writerow(LOG_COLUMNS)
    writer.writerow([getattr(change, column) for column in LOG_COLUMNS])
    write_atomically(path, old + buffer.getvalue().encode("utf-8"))


def read_history(dirs: DataDirs = LIVE_DATA) -> list[Change]:
    """Every update and rollback, newest first."""
    path = dirs.history / LOG_FILE
    if not path.exists():
        return []
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    changes = [
        Change(
            rec["version"],
            rec["when"],
            rec["action"],
            rec["file"],
            int(rec["new"]),
            int(rec["revised"]),
            rec["summary"],
        )
        for rec in frame.to_dict("records")
    ]
    return changes[::-1]


def history_table(changes: list[Change]) -> pd.DataFrame:
    """The log as the Sources and Data update pages show it."""
    return pd.DataFrame(
        [
            {
                "When (UTC)": change.when.replace("T", " ").removesuffix("+00:00"),
                "What": change.action,
                "File": change.file,
                "New values": change.new,
                "Revised values": change.revised,
                "Summary": change.summary,
                "Version": change.version,
            }
            for change in changes
        ],
        columns=[
            "When (UTC)",
            "What",
            "File",
            "New values",
            "Revised values",
            "Summary",
            "Version",
        ],
    )
