"""What changed: events from the history, the CLI export, and the review CLI."""

import csv
import io
import json
import subprocess
import sys
from datetime import datetime, timedelta

import pandas as pd
import pytest

from carriermap.auth import create_user
from carriermap.changes import events, recent_changes
from carriermap.freshness.age import LOCAL
from carriermap.permissions import User
from carriermap.review.settings import set_review_required
from carriermap.store import Store
from carriermap.versions import delist, edit_carrier

pytestmark = pytest.mark.both_backends
TODAY = datetime.now(LOCAL).date()  # the history's days are China's days


def run(args, env, check=True):
    result = subprocess.run([sys.executable, "-m", "carriermap", *args], capture_output=True, env=env, timeout=120)
    if check:
        assert result.returncode == 0, result.stderr.decode()
    return result


def test_events_of_one_change():
    before = {"status": "operating", "level": "municipal", "available_m2": 0}
    assert events(None, {"type": "incubator"}) == [("new", None, "incubator")]
    assert [e[0] for e in events(before, {**before, "status": "delisted"})] == ["delisted"]
    assert events(before, {**before, "level": "national"}) == [("level", "municipal", "national")]
    assert events(before, {**before, "available_m2": 300}) == [("free_space", 0, 300)]
    assert events({**before, "available_m2": 100}, {**before, "available_m2": 300}) == []


def test_recent_changes_leave_out_the_seed_and_undone_changes(store):
    ids = store.carriers("440100").query("level != 'national' and status == 'operating'")["id"].tolist()
    assert recent_changes(store, "440100", TODAY - timedelta(days=1)).empty  # the seed is not news
    delist(store, ids[0], actor="official")
    edit_carrier(store, ids[1], {"level": "national"}, actor="official")
    undone = edit_carrier(store, ids[2], {"level": "national"}, actor="official")
    store.undo(undone, actor="official")
    frame = recent_changes(store, "440100", TODAY - timedelta(days=1))
    assert frame["event"].tolist() == ["level", "delisted"]  # newest first
    assert frame["carrier_id"].tolist() == [ids[1], ids[0]]
    assert recent_changes(store, "440100", TODAY + timedelta(days=1)).empty
    assert recent_changes(store, "420100", TODAY - timedelta(days=1)).empty


def test_the_newest_events_are_read_in_batches_and_equal_the_head_of_all(store, monkeypatch):
    import carriermap.changes as changes

    ids = store.carriers("440100").query("status == 'operating'")["id"].tolist()[:12]
    for carrier_id in ids:  # some changes make no event (free space 100 → 300), others do
        edit_carrier(store, carrier_id, {"available_m2": 0}, actor="official")
        edit_carrier(store, carrier_id, {"available_m2": 250}, actor="official")
    everything = recent_changes(store, "440100", TODAY - timedelta(days=1))
    monkeypatch.setattr(changes, "READ_BATCH", 3)  # several batches, some with no event in them
    for limit in (1, 5, len(everything), len(everything) + 10):
        newest = recent_changes(store, "440100", TODAY - timedelta(days=1), limit=limit)
        pd.testing.assert_frame_equal(newest, everything.head(limit).reset_index(drop=True))


def test_changes_cli_json_and_csv(store, cli_env):
    carrier = store.carriers("440100").iloc[0]
    delist(store, int(carrier["id"]), actor="official")
    since = (TODAY - timedelta(days=1)).isoformat()
    payload = json.loads(run(["changes", "--city", "440100", "--since", since], cli_env).stdout)
    assert [(c["event"], c["carrier_id"]) for c in payload["changes"]] == [("delisted", int(carrier["id"]))]
    text = run(["changes", "--city", "440100", "--since", since, "--format", "csv"], cli_env).stdout.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["name"] == carrier["name"] and rows[0]["event"] == "delisted"
    bad = run(["--lang", "en", "changes", "--city", "440100", "--since", "yesterday"], cli_env, check=False)
    assert bad.returncode == 2 and "--since" in bad.stderr.decode()


def test_review_cli_lists_approves_and_rejects_as_an_account(store, cli_env, db_url):
    from carriermap.editing import quick_edit

    record = store.carrier(int(store.carriers("440100").query("district_adcode == '440106'").iloc[0]["id"]))
    create_user(store, "tianhe", "correct-horse-battery", "district_official", "440106")
    create_user(store, "haizhu", "correct-horse-battery", "district_official", "440105")
    set_review_required(store, User(1, "boss", "admin"), "440100", True)
    operator = User(9, "ops", "operator", str(record["id"]))
    first = quick_edit(store, operator, record["id"], {"available_m2": 123}, record["version"])
    second = quick_edit(store, operator, record["id"], {"contact": "x"}, record["version"])
    listed = json.loads(run(["review", "list", "--city", "440100"], cli_env).stdout)["reviews"]
    assert [r["id"] for r in listed] == [first.review_id, second.review_id]
    refused = run(["--lang", "en", "review", "approve", str(first.review_id), "--as", "haizhu"], cli_env, check=False)
    assert refused.returncode == 2 and "haizhu" in refused.stderr.decode()
    run(["review", "approve", str(first.review_id), "--as", "tianhe"], cli_env)
    run(["review", "reject", str(second.review_id), "--as", "tianhe", "--reason", "号码不对"], cli_env)
    reopened = Store.open(db_url)
    assert reopened.carrier(record["id"])["available_m2"] == 123
    everything = json.loads(run(["review", "list", "--city", "440100", "--state", "all"], cli_env).stdout)["reviews"]
    assert [(r["state"], r["reason"]) for r in everything] == [("approved", None), ("rejected", "号码不对")]
    reopened.engine.dispose()
