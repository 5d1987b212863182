"""Whether data updates are switched on, the admin password check (constant time), the growing
delay after wrong passwords, and the append-only audit log of sign-ins and changes.

Reading the configured password needs Streamlit's secrets, so that lives in dashboard.admin.
Everything here is plain Python with an injectable clock, so it is tested without Streamlit.
"""

import hashlib
import hmac
import json
import math
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for the annotation: the page's sign-in need not load the build
    from dashboard.update.common import ChangePlan

PASSWORD_ENV = "DASHBOARD_ADMIN_PASSWORD"
PASSWORD_SECRET = "admin_password"
SWITCHED_OFF = (
    "Data updates are switched off on this server: no admin password is configured. To switch "
    f"them on, set `{PASSWORD_SECRET}` in `.streamlit/secrets.toml` or the environment variable "
    f"`{PASSWORD_ENV}`, then restart the app."
)
BLANK_PASSWORD = (
    "Data updates are switched off on this server: the admin password configured is blank "
    f"(only spaces), which anyone could guess. Set a real password as `{PASSWORD_SECRET}` in "
    f"`.streamlit/secrets.toml` or the environment variable `{PASSWORD_ENV}`, then restart the "
    "app."
)
AUDIT_ENV = "DASHBOARD_AUDIT_LOG"
AUDIT_FILE = "audit.jsonl"


def switched_off_reason(configured: str) -> str:
    """Why updates are off on this server, in words; "" when a usable password is configured."""
    if not configured:
        return SWITCHED_OFF
    if not configured.strip():
        return BLANK_PASSWORD
    return ""


def password_matches(entered: str, configured: str) -> bool:
    """Compare in constant time, so response time does not reveal how much of a guess is right.
    A blank or whitespace-only configured password matches nothing."""
    if not configured.strip():
        return False
    return hmac.compare_digest(entered.encode("utf-8"), configured.encode("utf-8"))


@dataclass
class _Failures:
    count: int = 0
    last: float = 0.0
    locked_until: float = 0.0


class Throttle:
    """Wrong passwords per key (a session, or the whole server): after `free` failures each
    further one locks the key for `base` seconds, doubling up to `cap`.

    A locked attempt is refused without checking the password and without sleeping, so a
    guesser learns nothing and no server thread is held. A key quiet for `forget_after`
    seconds starts afresh (which also bounds the memory many sessions can take). Thread-safe:
    every session's script runs in its own thread.
    """

    def __init__(
        self,
        *,
        free: int,
        base: float,
        cap: float,
        forget_after: float = 3600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.free, self.base, self.cap = free, base, cap
        self.forget_after = forget_after
        self.clock = clock
        self._lock = threading.Lock()
        self._failures: dict[str, _Failures] = {}

    def wait_seconds(self, key: str) -> float:
        """Seconds before `key` may try again; 0 when it may try now."""
        with self._lock:
            record = self._failures.get(key)
            return max(0.0, record.locked_until - self.clock()) if record else 0.0

    def record(self, key: str, success: bool) -> None:
        """Count a checked attempt: a right password clears the key, a wrong one may lock it."""
        with self._lock:
            now = self.clock()
            self._forget(now)
            if success:
                self._failures.pop(key, None)
                return
            record = self._failures.setdefault(key, _Failures())
            record.count += 1
            record.last = now
            beyond = record.count - self.free
            if beyond > 0:
                record.locked_until = now + min(self.cap, self.base * 2 ** (beyond - 1))

    def _forget(self, now: float) -> None:
        stale = [
            key
            for key, record in self._failures.items()
            if now - record.last > self.forget_after and now >= record.locked_until
        ]
        for key in stale:
            del self._failures[key]


SERVER_KEY = "server"


class SignInGate:
    """Both throttles together: one per browser session, one for the whole server (a guesser
    opening new sessions meets the server's, after more free tries than one person needs)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.session = Throttle(free=3, base=2.0, cap=300.0, clock=clock)
        self.server = Throttle(free=10, base=2.0, cap=300.0, clock=clock)

    def wait_seconds(self, session: str) -> int:
        """Whole seconds before this session may try again (0 = now)."""
        wait = max(self.session.wait_seconds(session), self.server.wait_seconds(SERVER_KEY))
        return math.ceil(wait)

    def record(self, session: str, success: bool) -> None:
        self.session.record(session, success)
        self.server.record(SERVER_KEY, success)


def locked_out_message(seconds: int) -> str:
    unit = "second" if seconds == 1 else "seconds"
    return f"Too many wrong passwords: try again in {seconds} {unit}."


# One gate per server process: module state survives reruns and is shared by every session.
SIGN_IN_GATE = SignInGate()


def audit_path(history: Path) -> Path:
    """The audit log: beside the update history (data/history/, not committed), unless
    DASHBOARD_AUDIT_LOG names another file (e.g. on storage the app cannot rewrite)."""
    return Path(os.environ.get(AUDIT_ENV) or history / AUDIT_FILE)


def file_digest(content: bytes) -> str:
    """The sha256 of a file's bytes, which says exactly which file was checked or applied."""
    return hashlib.sha256(content).hexdigest()


def plan_outcome(plan: "ChangePlan") -> str:
    """A checked file's outcome for the audit log, in a few words."""
    if not plan.rejected.empty:
        return f"refused: {len(plan.rejected)} problem(s)"
    return f"ready: {plan.summary()}" if plan.ready else "changes nothing"


def audit(
    path: Path,
    event: str,
    outcome: str,
    *,
    session: str = "",
    file_name: str = "",
    sha256: str = "",
    now: datetime | None = None,
) -> None:
    """Append one JSON line: when (UTC), what, which file and its sha256, and the outcome.

    The file is only ever opened for appending, and each line goes in one write(), so lines
    from sessions (or servers) writing at once never interleave and none is rewritten.
    """
    entry = {
        "time": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
        "event": event,
        "session": session,
        "file": file_name,
        "sha256": sha256,
        "outcome": outcome,
    }
    line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, line)
    finally:
        os.close(descriptor)
