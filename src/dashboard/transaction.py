"""One writer at a time, and all or nothing: the lock and the journal every change to data/ uses.

Every writer (an update's apply, a rollback, a build) holds an exclusive OS lock (flock) on
data/.lock for the whole operation, so a process that is killed releases it. A second writer
waits a little, then is refused: "another update is in progress; try again in a minute".
Checking an upload holds the same lock shared, so it never reads a half-written change.

Before a writer changes anything it copies each file it will change into data/.pending/<id>/
and then writes data/.journal (fsynced) listing those copies and the paths it will create. It
writes its files (each to a temporary file, then renamed), and removes the journal last: that
removal is the commit point. A writer that dies between the two leaves the journal behind; the
next writer (under the lock), and the app when it loads data (if no writer holds the lock),
put the copies back, delete what the writer created and any temporary files, then remove the
journal. data/ is then exactly the previous version.
"""

import fcntl
import json
import os
import shutil
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path

LOCK_FILE = ".lock"
JOURNAL_FILE = ".journal"
PENDING_DIR = ".pending"
WAIT_ENV = "DASHBOARD_LOCK_WAIT"  # seconds a writer waits for another (tests shorten it)
WAIT_SECONDS = 30.0
BUSY = "another update is in progress; try again in a minute"


class DataBusyError(RuntimeError):
    """Another writer held the lock for longer than a writer waits."""

    def __init__(self) -> None:
        super().__init__(BUSY)


def _wait_seconds(wait: float | None) -> float:
    if wait is not None:
        return wait
    try:
        return float(os.environ.get(WAIT_ENV) or WAIT_SECONDS)
    except ValueError:
        return WAIT_SECONDS


def _acquire(root: Path, mode: int, wait: float | None) -> int:
    """Open data/.lock and flock it (LOCK_EX or LOCK_SH), polling until `wait` runs out."""
    root.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(root / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + _wait_seconds(wait)
    while True:
        try:
            fcntl.flock(descriptor, mode | fcntl.LOCK_NB)
            return descriptor
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(descriptor)
                raise DataBusyError() from None
            time.sleep(0.05)


def _fsync_path(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _copy_durably(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)
    _fsync_path(target)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def temporaries(root: Path) -> list[Path]:
    """Temporary files a writer leaves if it dies mid-write (".<name>.<random>.tmp")."""
    pending = root / PENDING_DIR
    return [path for path in root.rglob(".*.tmp") if path.is_file() and pending not in path.parents]


def _recover(root: Path) -> bool:
    """Undo a writer that died (the caller holds the lock): put back the copies, delete what it
    created and every temporary file, remove the journal. Safe to repeat if itself interrupted:
    a copy is moved back by rename, and one already moved back is simply missing."""
    journal = root / JOURNAL_FILE
    pending = root / PENDING_DIR
    if not journal.exists():
        if pending.exists():  # a commit whose tidying-up was cut short, or an unfinished begin
            shutil.rmtree(pending, ignore_errors=True)
            for path in temporaries(root):  # the journal itself, killed while being written
                path.unlink(missing_ok=True)
        return False
    record = json.loads(journal.read_text(encoding="utf-8"))
    saved = pending / record["id"]
    for relative in record["backups"]:
        copy = saved / relative
        if copy.exists():
            (root / relative).parent.mkdir(parents=True, exist_ok=True)
            os.replace(copy, root / relative)
    for relative in record["created"]:
        _remove(root / relative)
    for path in temporaries(root):
        path.unlink(missing_ok=True)
    journal.unlink()
    _fsync_path(root)
    shutil.rmtree(pending, ignore_errors=True)
    return True


def interrupted(root: Path) -> bool:
    """Whether a writer left a journal (or its copies) behind: two stats, cheap for readers."""
    return (root / JOURNAL_FILE).exists() or (root / PENDING_DIR).exists()


def recover_if_interrupted(root: Path) -> bool:
    """For readers (the app loading data, the history list): if a writer died mid-change and
    no writer holds the lock now, undo its change. Never waits; True when something was undone.
    A data directory the app cannot write to is left as it is."""
    if not interrupted(root):
        return False
    try:
        descriptor = _acquire(root, fcntl.LOCK_EX, wait=0)
    except (DataBusyError, OSError):
        return False
    try:
        return _recover(root)
    finally:
        os.close(descriptor)


class Transaction:
    """One writer's change: `begin` before the first write, then the context manager commits
    (removes the journal) or, on an exception, undoes."""

    def __init__(self, root: Path, operation: str) -> None:
        self.root = root
        self.operation = operation
        self.id = f"{operation}-{uuid.uuid4().hex[:12]}"
        self.begun = False
        self._touched: list[str] = []

    @property
    def pending(self) -> Path:
        return self.root / PENDING_DIR / self.id

    def begin(self, changing: Iterable[str], creating: Iterable[str] = ()) -> None:
        """Copy every existing file in `changing` (paths relative to data/), then write the
        journal; `changing` paths that do not exist yet and `creating` (files or folders) are
        deleted if the change is undone. Nothing may be written before this returns."""
        if self.begun:
            raise RuntimeError("a transaction begins once")
        changing = sorted(set(changing))
        backups = [relative for relative in changing if (self.root / relative).is_file()]
        created = sorted(
            {relative for relative in changing if not (self.root / relative).exists()}
            | {relative for relative in creating if not (self.root / relative).exists()}
        )
        for relative in backups:
            _copy_durably(self.root / relative, self.pending / relative)
        record = {
            "operation": self.operation,
            "id": self.id,
            "pid": os.getpid(),
            "begun": datetime.now(UTC).isoformat(timespec="seconds"),
            "backups": backups,
            "created": created,
        }
        temporary = self.root / f".{JOURNAL_FILE}.{self.id}.tmp"
        with temporary.open("w", encoding="utf-8") as out:
            json.dump(record, out, indent=1)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, self.root / JOURNAL_FILE)
        _fsync_path(self.root)
        self.begun = True
        self._touched = [*backups, *created]

    def commit(self) -> None:
        """Make the written files durable, then remove the journal: the change is done."""
        if self.begun:
            for relative in self._touched:
                path = self.root / relative
                for written in [path] if path.is_file() else path.rglob("*"):
                    if written.is_file():
                        _fsync_path(written)
            (self.root / JOURNAL_FILE).unlink()
            _fsync_path(self.root)
        shutil.rmtree(self.pending, ignore_errors=True)

    def undo(self) -> None:
        if self.begun:
            _recover(self.root)
        else:  # copies were being made: nothing in data/ has changed
            shutil.rmtree(self.pending, ignore_errors=True)
            with suppress(OSError):
                (self.root / PENDING_DIR).rmdir()


@contextmanager
def writing(root: Path, operation: str, wait: float | None = None) -> Iterator[Transaction]:
    """Hold the writer lock; undo a dead writer's change first; commit or undo this one."""
    descriptor = _acquire(root, fcntl.LOCK_EX, wait)
    try:
        _recover(root)
        transaction = Transaction(root, operation)
        try:
            yield transaction
        except BaseException:
            transaction.undo()
            raise
        transaction.commit()
    finally:
        os.close(descriptor)  # releases the lock (as the death of the process would)


@contextmanager
def reading(root: Path, wait: float | None = None) -> Iterator[None]:
    """Hold the lock shared while reading several files that must be of one version (checking
    an upload): writers wait until this ends. A dead writer's change is undone first."""
    deadline = time.monotonic() + _wait_seconds(wait)
    while True:
        descriptor = _acquire(root, fcntl.LOCK_SH, max(0.0, deadline - time.monotonic()))
        try:
            if not interrupted(root):
                yield
                return
        finally:
            os.close(descriptor)
        exclusive = _acquire(root, fcntl.LOCK_EX, max(0.0, deadline - time.monotonic()))
        try:
            _recover(root)
        finally:
            os.close(exclusive)
