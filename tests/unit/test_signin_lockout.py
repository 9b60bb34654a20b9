"""Sign-in lockout under attack: at most five passwords verified per name per 15 minutes,
however many threads and processes guess at once, on SQLite and on PostgreSQL."""

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from carriermap import auth
from carriermap.auth import AuthError, authenticate, create_user, locked_until
from carriermap.cli import main as cli_main
from tests.unit.signin_worker import guess

pytestmark = pytest.mark.both_backends
PASSWORD = "correct-horse-battery"
WORKER = Path(__file__).with_name("signin_worker.py")


def test_eight_threads_verify_at_most_five_passwords_and_stay_locked(store, db_url):
    create_user(store, "hz", PASSWORD, "district_official", "440105")
    outcome = guess(db_url, "hz", threads=8, tries=6)
    assert outcome["verified"] <= auth.MAX_FAILURES, outcome
    assert outcome["locked"] >= 8 * 6 - auth.MAX_FAILURES
    with pytest.raises(AuthError) as locked:  # the right password does not get in during the lock
        authenticate(store, "hz", PASSWORD)
    assert locked.value.key == "data.error.locked"
    assert locked_until(store, "hz") is not None


def test_two_processes_of_four_threads_verify_at_most_five_passwords(store, db_url):
    create_user(store, "hz", PASSWORD, "district_official", "440105")
    workers = [subprocess.Popen([sys.executable, str(WORKER), db_url, "hz", "4", "5"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    try:
        for worker in workers:
            assert json.loads(worker.stdout.readline() or "{}") == {"ready": True}, worker.stderr.read()
        for worker in workers:  # both start guessing at the same moment
            worker.stdin.write("go\n")
            worker.stdin.flush()
        outcomes = [json.loads(worker.stdout.readline() or "{}") for worker in workers]
    finally:
        for worker in workers:
            worker.wait(timeout=120)
    assert sum(o["verified"] for o in outcomes) <= auth.MAX_FAILURES, outcomes
    assert sum(o["locked"] for o in outcomes) >= 2 * 4 * 5 - auth.MAX_FAILURES
    with pytest.raises(AuthError) as locked:
        authenticate(store, "hz", PASSWORD)
    assert locked.value.key == "data.error.locked"


class Clock:
    def __init__(self):
        self.now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    def __call__(self):
        return self.now


def test_five_spread_out_guesses_then_a_sixth_is_refused_within_any_fifteen_minutes(store):
    clock = Clock()
    create_user(store, "ops", PASSWORD, "operator", "2")
    for _ in range(4):  # four guesses at 9:00
        with pytest.raises(AuthError):
            authenticate(store, "ops", "wrong", now=clock)
    clock.now += timedelta(minutes=14, seconds=59)
    with pytest.raises(AuthError) as fifth:  # the fifth within 15 minutes locks, counted before verifying
        authenticate(store, "ops", "wrong", now=clock)
    assert fifth.value.key == "data.error.locked"
    clock.now += timedelta(minutes=1)  # the first four are older than 15 minutes now, the lock is not
    with pytest.raises(AuthError) as still:
        authenticate(store, "ops", PASSWORD, now=clock)
    assert still.value.key == "data.error.locked"


def test_one_address_guessing_many_names_is_throttled_other_addresses_are_not(store, monkeypatch):
    monkeypatch.setattr(auth, "MAX_PER_ADDRESS", 6)
    create_user(store, "boss", PASSWORD, "admin")
    outcomes = []
    for index in range(8):  # a different name each time: the per-name window never fills
        try:
            authenticate(store, f"guess{index}", "wrong", address="203.0.113.9")
        except AuthError as error:
            outcomes.append(error.key)
    assert outcomes[:5] == ["data.error.bad_credentials"] * 5
    assert outcomes[-1] == "data.error.locked"
    with pytest.raises(AuthError) as refused:  # even the right password, from that address
        authenticate(store, "boss", PASSWORD, address="203.0.113.9")
    assert refused.value.key == "data.error.locked"
    token, user = authenticate(store, "boss", PASSWORD, address="198.51.100.7")
    assert token and user.name == "boss"


def test_admin_unlocks_and_disables_from_the_command_line(store, db_url, capsys):
    create_user(store, "hz", PASSWORD, "district_official", "440105")
    for _ in range(5):
        with pytest.raises(AuthError):
            authenticate(store, "hz", "wrong")
    assert cli_main(["--database", db_url, "user", "unlock", "hz"]) == 0
    assert json.loads(capsys.readouterr().out) == {"name": "hz", "unlocked": True}
    token, _ = authenticate(store, "hz", PASSWORD)
    assert auth.session_user(store, token) is not None
    assert cli_main(["--database", db_url, "user", "disable", "hz"]) == 0
    assert auth.session_user(store, token) is None  # the open session ends at once
    with pytest.raises(AuthError) as refused:
        authenticate(store, "hz", PASSWORD)
    assert refused.value.key == "data.error.bad_credentials"
