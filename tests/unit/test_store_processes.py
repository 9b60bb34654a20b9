"""Several app processes on one database: each sees the others' changes; concurrent edits never get lost."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from carriermap.store.repository import Update

pytestmark = pytest.mark.both_backends
WORKER = Path(__file__).with_name("store_worker.py")


class Worker:
    """Another OS process with its own store (engine, connection pool) on the same database."""

    def __init__(self, url: str):
        self.process = subprocess.Popen([sys.executable, str(WORKER), url], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert self.answer() == {"ready": True}

    def send(self, line: str) -> None:
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def answer(self) -> dict:
        line = self.process.stdout.readline()
        assert line, self.process.stderr.read()
        return json.loads(line)

    def ask(self, line: str) -> dict:
        self.send(line)
        return self.answer()

    def close(self) -> None:
        self.send("quit")
        self.process.wait(timeout=60)


def test_a_change_through_one_process_is_seen_by_another(store, db_url):
    carrier_id = int(store.carriers("340600").iloc[0]["id"])
    other = Worker(db_url)
    try:
        before = other.ask(f"read {carrier_id}")
        store.apply(actor="editor", kind="edit", updates=[Update(carrier_id, {"contact": "0561-1234567"})])
        after = other.ask(f"read {carrier_id}")
    finally:
        other.close()
    assert after["contact"] == "0561-1234567" and after["version"] == before["version"] + 1
    assert after["data_version"] > before["data_version"]  # the page caches key on it: they refresh


def test_two_writers_to_one_carrier_one_wins_nothing_lost(store, db_url):
    carrier_id = int(store.carriers("340600").iloc[0]["id"])
    version = store.carrier(carrier_id)["version"]
    writers = {name: Worker(db_url) for name in ("alice", "bob")}
    try:
        for name, worker in writers.items():  # both start writing at once, from the same version
            worker.send(f"write {carrier_id} {version} {name}")
        outcomes = {name: worker.answer() for name, worker in writers.items()}
    finally:
        for worker in writers.values():
            worker.close()
    winners = [name for name, o in outcomes.items() if o["outcome"] == "ok"]
    losers = [name for name, o in outcomes.items() if o["outcome"] == "conflict"]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert outcomes[losers[0]]["current"] == winners[0]  # the loser is shown what the winner wrote
    final = store.carrier(carrier_id)
    assert final["contact"] == winners[0] and final["version"] == version + 1
    history = store.history(carrier_id)
    assert list(history["actor"][:1]) == winners and losers[0] not in set(history["actor"])
