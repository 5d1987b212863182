"""Apply a ChangePlan: keep the previous data as a version, write the sources, rebuild; roll back.

Each update copies the sources, document texts, official files and built tables into
history/<version>/ (version = UTC time), so the version holds the data as it was before that
update and rolling back to it undoes the update. history/log.csv says what each update or
rollback did. Both run as one transaction (dashboard.transaction): under the writer lock, with a
journal, so an update or rollback that fails or is killed at any moment leaves the data, the
snapshots and the log exactly as they were. An update is refused if the data changed after its
file was checked, since its new file contents were computed from the data as it was then.
"""

import csv
import hashlib
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
from dashboard.transaction import DataBusyError, recover_if_interrupted, writing
from dashboard.update.common import LIVE_DATA, ChangePlan, DataDirs

TRACKED_DIRS = ("sources", "documents", "raw/official")
TRACKED_FILES = (*(f"{name}.parquet" for name in TABLE_COLUMNS), BUILD_INFO_JSON.name)
LOG_FILE = "log.csv"
SUMMARY_ROWS = 5  # new values named in the log; the rest are counted
HISTORY_COLUMNS = ["When (UTC)", "What", "File", "New values", "Revised values", "Summary"]
HISTORY_COLUMNS += ["Version"]
LOG_COLUMNS = ["version", "when", "action", "file", "new", "revised", "summary"]


CHANGED = "the data changed since you checked this file: check it again"
WRITE_FAILED = "the data could not be written ({reason}); the change was undone, nothing changed"


class UpdateError(ValueError):
    """An update or rollback that cannot be done (nothing was changed)."""


def write_failed(error: OSError) -> UpdateError:
    """A disk error in words, without paths or internal detail (e.g. a full disk)."""
    return UpdateError(WRITE_FAILED.format(reason=error.strerror or "a disk error"))


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


def data_version(dirs: DataDirs) -> str:
    """A digest of every file an update reads or may change: equal digests, equal data."""
    digest = hashlib.sha256()
    for relative in sorted(tracked_files(dirs.root)):
        digest.update(relative.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256((dirs.root / relative).read_bytes()).digest())
    return digest.hexdigest()


def write_atomically(target: Path, content: bytes) -> None:
    """Temporary file in the same folder, then rename: readers see the old or the new file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
    )
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
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


def log_path(dirs: DataDirs) -> str:
    return str((dirs.history / LOG_FILE).relative_to(dirs.root))


def apply_plan(plan: ChangePlan, dirs: DataDirs = LIVE_DATA, now: datetime | None = None) -> str:
    """Write the plan's files and rebuild; return the version that undoes it.

    All or nothing, under the writer lock: refused (nothing written) if the data is not the
    version the plan was checked against, because its file contents were computed from that."""
    if not plan.ready:
        raise UpdateError("this upload has refused rows or changes nothing; nothing was written")
    try:
        with writing(dirs.root, "apply") as transaction:
            if plan.data_version != data_version(dirs):
                raise UpdateError(CHANGED)
            now = now or datetime.now(UTC)
            version = new_version(dirs, now)
            transaction.begin(
                [*plan.file_writes, *TRACKED_FILES, log_path(dirs)],
                creating=[str((dirs.history / version).relative_to(dirs.root))],
            )
            snapshot(dirs, version)
            for relative, content in plan.file_writes.items():
                write_atomically(dirs.root / relative, content)
            write_tables(build_tables(dirs.inputs()), dirs.root)
            log_change(dirs, update_change(plan, version, now))
    except DataBusyError as error:
        raise UpdateError(str(error)) from None
    except OSError as error:
        raise write_failed(error) from None
    return version


def update_change(plan: ChangePlan, version: str, now: datetime) -> Change:
    named = [column for column in ("Indicator", "Area", "Period") if column in plan.new]
    added = "; ".join(
        " ".join(str(part) for part in rec.values())
        for rec in plan.new[named or list(plan.new)].head(SUMMARY_ROWS).to_dict("records")
    ) + ("; ..." if len(plan.new) > SUMMARY_ROWS else "")
    return Change(
        version,
        now.astimezone(UTC).isoformat(timespec="seconds"),
        "update",
        plan.upload_name,
        len(plan.new),
        len(plan.revised),
        f"{plan.summary()}" + (f": {added}" if added else ""),
    )


def rollback(version: str, dirs: DataDirs = LIVE_DATA, now: datetime | None = None) -> str:
    """Return the data to a version; the state before the rollback is kept as a new version."""
    try:
        with writing(dirs.root, "rollback") as transaction:
            if version not in {change.version for change in read_history(dirs)}:
                raise UpdateError(f"no version {version!r} in the history; see the history list")
            now = now or datetime.now(UTC)
            current = new_version(dirs, now)
            transaction.begin(
                [
                    *tracked_files(dirs.root),
                    *tracked_files(dirs.history / version),
                    log_path(dirs),
                ],
                creating=[str((dirs.history / current).relative_to(dirs.root))],
            )
            snapshot(dirs, current)
            restore(dirs, version)
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
    except DataBusyError as error:
        raise UpdateError(str(error)) from None
    except OSError as error:
        raise write_failed(error) from None
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
    """Every update and rollback, newest first (after undoing a change a killed writer left)."""
    recover_if_interrupted(dirs.root)
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
