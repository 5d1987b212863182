"""The admin gate: a growing delay after wrong passwords (per session and per server), blank
passwords refused, and an append-only audit log of every sign-in, check, update and rollback.

Passwords and files here are TEST FIXTURES; the clock is a fake one the tests move by hand.
"""

import hashlib
import json
import threading
from datetime import UTC, datetime

import pytest

from dashboard.update import access
from dashboard.update.__main__ import main as update_cli
from dashboard.update.access import (
    BLANK_PASSWORD,
    PASSWORD_ENV,
    SWITCHED_OFF,
    SignInGate,
    Throttle,
    audit,
    audit_path,
    locked_out_message,
    password_matches,
    switched_off_reason,
)

from helpers.apptest import open_page

PAGE = "pages/data_update.py"
FIXTURE_PASSWORD = "test-fixture-password"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_delay_grows_after_the_free_tries_and_is_capped():
    clock = FakeClock()
    throttle = Throttle(free=3, base=2.0, cap=60.0, clock=clock)
    waits = []
    for _ in range(10):
        throttle.record("session", success=False)
        waits.append(throttle.wait_seconds("session"))
    assert waits == [0, 0, 0, 2, 4, 8, 16, 32, 60, 60]
    clock.now += 59
    assert throttle.wait_seconds("session") == 1
    clock.now += 1
    assert throttle.wait_seconds("session") == 0
    assert throttle.wait_seconds("another session") == 0


def test_a_right_password_clears_the_count_and_quiet_keys_are_forgotten():
    clock = FakeClock()
    throttle = Throttle(free=1, base=2.0, cap=60.0, forget_after=600, clock=clock)
    throttle.record("a", success=False)
    throttle.record("a", success=True)
    throttle.record("a", success=False)
    assert throttle.wait_seconds("a") == 0  # the count started again at the right password
    throttle.record("b", success=False)
    clock.now += 601
    throttle.record("c", success=False)
    assert set(throttle._failures) == {"c"}  # a and b were quiet for longer than forget_after


def test_throttle_counts_every_failure_from_many_threads():
    throttle = Throttle(free=1000, base=1.0, cap=5.0)
    threads = [
        threading.Thread(target=lambda: [throttle.record("k", False) for _ in range(100)])
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert throttle._failures["k"].count == 800


def test_new_sessions_meet_the_server_wide_delay():
    clock = FakeClock()
    gate = SignInGate(clock=clock)
    for number in range(10):  # one guess from each of ten new sessions: within the free tries
        gate.record(f"session-{number}", success=False)
    assert gate.wait_seconds("session-new") == 0
    gate.record("session-10", success=False)
    assert gate.wait_seconds("session-new") == 2
    gate.record("session-11", success=False)
    assert gate.wait_seconds("session-new") == 4
    clock.now += 4
    assert gate.wait_seconds("session-new") == 0


def test_lockout_message_is_plain_words():
    assert locked_out_message(30) == "Too many wrong passwords: try again in 30 seconds."
    assert locked_out_message(1) == "Too many wrong passwords: try again in 1 second."


@pytest.mark.parametrize("configured", [" ", "   ", "\t\n", "\u00a0"])
def test_a_blank_password_switches_updates_off(configured):
    assert switched_off_reason(configured) == BLANK_PASSWORD
    assert not password_matches(configured, configured)
    assert not password_matches("", configured)


def test_no_password_and_a_real_one():
    assert switched_off_reason("") == SWITCHED_OFF
    assert switched_off_reason(FIXTURE_PASSWORD) == ""
    assert switched_off_reason(" padded ") == ""


def test_audit_log_appends_one_json_line_per_event_and_never_rewrites(tmp_path):
    path = tmp_path / "history" / "audit.jsonl"
    content = b"TEST FIXTURE file"
    when = datetime(2026, 4, 1, 9, 30, tzinfo=UTC)
    digest = hashlib.sha256(content).hexdigest()
    audit(path, "check", "ready", session="s1", file_name="f.csv", sha256=digest, now=when)
    first = path.read_bytes()
    audit(path, "sign-in", "refused: wrong password", session="s2")
    assert path.read_bytes().startswith(first)
    lines = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    assert lines[0] == {
        "time": "2026-04-01T09:30:00+00:00",
        "event": "check",
        "session": "s1",
        "file": "f.csv",
        "sha256": digest,
        "outcome": "ready",
    }
    assert datetime.fromisoformat(lines[1]["time"]).utcoffset().total_seconds() == 0
    assert lines[1]["file"] == "" and lines[1]["sha256"] == ""


def test_audit_lines_from_many_threads_never_interleave(tmp_path):
    path = tmp_path / "audit.jsonl"
    outcome = "x" * 3000

    def write(number: int) -> None:
        for _ in range(50):
            audit(path, "sign-in", outcome, session=f"thread-{number}")

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lines = path.read_text("utf-8").splitlines()
    assert len(lines) == 400
    assert all(json.loads(line)["outcome"] == outcome for line in lines)


def test_audit_log_sits_beside_the_history_unless_configured(tmp_path, monkeypatch):
    monkeypatch.delenv(access.AUDIT_ENV)
    assert audit_path(tmp_path) == tmp_path / "audit.jsonl"
    monkeypatch.setenv(access.AUDIT_ENV, str(tmp_path / "elsewhere.jsonl"))
    assert audit_path(tmp_path) == tmp_path / "elsewhere.jsonl"


def read_log(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def test_command_line_checks_and_rollbacks_are_audited(tmp_path, monkeypatch, capsys):
    log = tmp_path / "audit.jsonl"
    monkeypatch.setenv(access.AUDIT_ENV, str(log))
    upload = tmp_path / "fixture.csv"
    upload.write_bytes(b"not,the,template\n1,2,3\n")
    assert update_cli([str(upload)]) == 1
    assert update_cli(["--rollback", "no-such-version"]) == 1
    check, undo = read_log(log)
    assert (check["event"], check["file"], check["session"]) == (
        "check",
        "fixture.csv",
        "command line",
    )
    assert check["sha256"] == hashlib.sha256(upload.read_bytes()).hexdigest()
    assert check["outcome"].startswith("refused: 1 problem")
    assert undo["event"] == "rollback" and undo["outcome"].startswith("refused no-such-version")


def sign_in(at, password: str):
    at.text_input(key="update_password").input(password)
    return at.button(key="update_sign_in").click().run()


def test_page_refuses_a_blank_password(monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, "   ")
    at = open_page(PAGE)
    assert not at.exception
    assert at.info[0].value == BLANK_PASSWORD
    assert not at.text_input


def test_page_locks_out_after_wrong_passwords_and_audits_each_try(tmp_path, monkeypatch):
    log = tmp_path / "audit.jsonl"
    monkeypatch.setenv(access.AUDIT_ENV, str(log))
    monkeypatch.setenv(PASSWORD_ENV, FIXTURE_PASSWORD)
    clock = FakeClock()
    monkeypatch.setattr(access, "SIGN_IN_GATE", SignInGate(clock=clock))
    at = open_page(PAGE)
    for _ in range(3):
        assert sign_in(at, "wrong").error[0].value == "That password is not right."
    assert sign_in(at, "wrong").error[0].value == locked_out_message(2)
    # While locked, even the right password is not checked.
    assert sign_in(at, FIXTURE_PASSWORD).error[0].value == locked_out_message(2)
    assert not at.file_uploader
    clock.now += 2
    sign_in(at, FIXTURE_PASSWORD)
    assert not at.exception and at.file_uploader(key="update_file")
    outcomes = [(entry["event"], entry["outcome"]) for entry in read_log(log)]
    assert outcomes == [
        *[("sign-in", "refused: wrong password")] * 4,
        ("sign-in", "refused: locked out for 2 s"),
        ("sign-in", "signed in"),
    ]
    assert len({entry["session"] for entry in read_log(log)}) == 1
