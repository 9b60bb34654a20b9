"""Quarters as they were: a quarter frozen late equals the register at the quarter's last instant.

Time comes from an injected clock (no sleeps): the seeded register is dated 2026-06-30, edits are
made inside 2026Q3, then after it ended (China time), and only then is the quarter frozen.
"""

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert

from carriermap.asof import carriers_as_of
from carriermap.districts.trend import snapshots as trend_snapshots
from carriermap.model import clean_carrier
from carriermap.permissions import PermissionDenied, User
from carriermap.report.content import collect
from carriermap.snapshots import QuarterError, freeze, freeze_history, parse_quarter, refreeze, snapshot
from carriermap.store import Store, schema
from carriermap.store.repository import Update
from carriermap.versions import delist, edit_carrier
from tests.clock import Clock

ADMIN = User(1, "boss", "admin")
OFFICIAL = User(2, "gz", "city_official", "440100")
CITY = "440100"
# 2026Q3 ends at 2026-10-01 00:00 China time = 2026-09-30 16:00 UTC.
LAST_SECOND_OF_Q3 = datetime(2026, 9, 30, 15, 59, 59, tzinfo=UTC)
Q3_OVER = datetime(2026, 9, 30, 16, 0, 0, tzinfo=UTC)


def _comparable(frame) -> list[dict]:
    """Records as JSON values (numbers as floats), ordered by id: equal data compares equal."""
    rows = json.loads(frame.sort_values("id").to_json(orient="records", force_ascii=False))
    return [{k: (float(v) if isinstance(v, int) and not isinstance(v, bool) else v) for k, v in row.items()}
            for row in rows]


def _new(name: str, **fields) -> dict:
    record, problems = clean_carrier({"name": name, "type": "incubator", "city_adcode": CITY, "lon": 113.33,
                                      "lat": 23.12, **fields})
    assert problems == [], problems
    return record


@pytest.fixture
def timed(store):
    """The seeded store with a clock the test moves: (store, clock)."""
    clock = Clock(datetime(2026, 7, 15, 2, 0, tzinfo=UTC))
    return Store(store.engine, clock=clock), clock


def _edits_inside_q3(store, clock) -> dict:
    live = store.carriers(CITY)
    first, second, third = (int(i) for i in live["id"].iloc[:3])
    edit_carrier(store, first, {"available_m2": 111.0}, actor="a")
    created = store.apply(actor="a", kind="edit", city_adcode=CITY, inserts=[_new("Q3 新建孵化器")])
    clock.set(LAST_SECOND_OF_Q3)  # the quarter's last second still counts
    edit_carrier(store, second, {"jobs": 5}, actor="a")
    return {"first": first, "second": second, "third": third, "created": created.inserted[0]}


def _edits_after_q3(store, clock, ids: dict) -> None:
    clock.set(Q3_OVER)  # midnight in China: 2026Q4 has begun
    edit_carrier(store, ids["first"], {"available_m2": 999.0, "name": "十月改名"}, actor="b")
    clock.advance(days=3)
    delist(store, ids["third"], actor="b")
    clock.advance(days=5)
    imported = store.apply(actor="b", kind="import", city_adcode=CITY, inserts=[_new("十月导入")],
                           updates=[Update(ids["second"], {"tenants": 77})])
    clock.advance(days=1)
    store.undo(imported.changeset_id, actor="b")  # an undo after the end: the import is gone again
    clock.advance(days=1)
    store.apply(actor="b", kind="import", city_adcode=CITY, inserts=[_new("十一月导入")])
    clock.advance(days=2)
    created_in_q3 = [row for row in store.history(ids["created"]).to_dict("records") if row["action"] == "insert"]
    store.undo(int(created_in_q3[0]["changeset_id"]), actor="b")  # the Q3 creation deleted after the end
    clock.advance(days=1)
    # a carrier moved out of the city after the end (and one moved in) must be counted where it was
    outsider = int(store.carriers("420100")["id"].iloc[0])
    store.apply(actor="b", kind="edit", updates=[Update(ids["second"], {"city_adcode": "420100"}),
                                                 Update(outsider, {"city_adcode": CITY})])


@pytest.mark.both_backends
def test_quarter_frozen_late_equals_the_register_at_its_last_instant(timed):
    store, clock = timed
    ids = _edits_inside_q3(store, clock)
    as_it_was = store.carriers(CITY)  # read at the quarter's last second: the truth to reproduce
    _edits_after_q3(store, clock, ids)
    now = store.carriers(CITY)
    assert _comparable(now) != _comparable(as_it_was)

    assert _comparable(carriers_as_of(store, CITY, Q3_OVER)) == _comparable(as_it_was)
    assert _comparable(carriers_as_of(store, CITY, clock.now.replace(year=2027))) == _comparable(now)

    clock.set(datetime(2026, 11, 29, 9, 0, tzinfo=UTC))
    row = freeze(store, CITY, "2026Q3", "boss")
    assert row["as_of"] == Q3_OVER.isoformat()
    frozen = snapshot(store, CITY, "2026Q3")
    assert _comparable(frozen) == _comparable(as_it_was)
    named = frozen.set_index("id")
    assert named.loc[ids["first"], "available_m2"] == 111.0 and named.loc[ids["first"], "name"] != "十月改名"
    assert named.loc[ids["third"], "status"] != "delisted"
    assert ids["created"] in named.index and "十月导入" not in set(frozen["name"])
    # the trend and the quarterly report read the same quarter
    trend = {snap.quarter: snap.carriers for snap in trend_snapshots(store.engine, CITY)}
    assert len(trend["2026Q3"]) == len(as_it_was)
    report = collect(store, CITY, "2026Q3")
    assert len(report.carriers) == len(as_it_was)


def test_report_of_an_ended_quarter_not_frozen_uses_the_history(timed):
    store, clock = timed
    ids = _edits_inside_q3(store, clock)
    as_it_was = store.carriers(CITY)
    _edits_after_q3(store, clock, ids)
    report = collect(store, CITY, "2026Q3")
    assert _comparable(report.carriers) == _comparable(as_it_was)
    assert "2026Q3" in report.source_note


def test_quarters_before_the_register_or_not_ended_are_refused(timed):
    store, clock = timed
    clock.set(datetime(2026, 11, 29, tzinfo=UTC))
    for quarter in ("1900Q1", "2026Q1"):  # the register was filled on 2026-06-30
        with pytest.raises(QuarterError) as refused:
            freeze(store, CITY, quarter, "boss")
        assert refused.value.key == "figures.error.before_register"
    with pytest.raises(QuarterError) as early:
        freeze(store, CITY, "2026Q4", "boss")
    assert early.value.key == "data.error.quarter_not_over"
    clock.set(Q3_OVER.replace(second=0) - (Q3_OVER - LAST_SECOND_OF_Q3))  # one second before China midnight
    with pytest.raises(QuarterError):
        freeze(store, CITY, "2026Q3", "boss")
    clock.set(Q3_OVER)
    assert freeze(store, CITY, "2026Q2", "boss")["quarter"] == "2026Q2"  # the seed fell inside Q2


def test_an_admin_refreezes_with_a_reason_and_the_old_snapshot_is_kept(timed):
    store, clock = timed
    ids = _edits_inside_q3(store, clock)
    as_it_was = store.carriers(CITY)
    _edits_after_q3(store, clock, ids)
    # a quarter frozen the old way: today's live data labelled 2026Q3 (what the issue found)
    wrong = json.loads(store.carriers(CITY).to_json(orient="records", force_ascii=False))
    with store.engine.begin() as connection:
        connection.execute(insert(schema.snapshots).values(
            city_adcode=CITY, quarter="2026Q3", frozen_at="2026-11-29T01:00:00+00:00", actor="old",
            carriers=json.dumps(wrong, ensure_ascii=False)))
    with pytest.raises(QuarterError) as again:
        freeze(store, CITY, "2026Q3", "boss")
    assert again.value.key == "figures.error.already_frozen"
    with pytest.raises(PermissionDenied):
        refreeze(store, CITY, "2026Q3", OFFICIAL, "fix")
    with pytest.raises(QuarterError) as no_reason:
        refreeze(store, CITY, "2026Q3", ADMIN, "   ")
    assert no_reason.value.key == "figures.error.refreeze_reason"
    with pytest.raises(QuarterError):
        refreeze(store, CITY, "2025Q4", ADMIN, "never frozen")

    clock.set(datetime(2026, 12, 1, tzinfo=UTC))
    row = refreeze(store, CITY, parse_quarter("2026Q3"), ADMIN, "Q3 copied live data on 29 Nov")
    assert row["revision"] == 2
    assert _comparable(snapshot(store, CITY, "2026Q3")) == _comparable(as_it_was)
    history = freeze_history(store, CITY)
    assert history[["quarter", "revision", "actor", "reason"]].to_dict("records") == [
        {"quarter": "2026Q3", "revision": 2, "actor": "boss", "reason": "Q3 copied live data on 29 Nov"},
        {"quarter": "2026Q3", "revision": 1, "actor": "old", "reason": None},
    ]
    assert history["carriers"].tolist() == [len(as_it_was), len(wrong)]
    trend = trend_snapshots(store.engine, CITY)
    assert [s.quarter for s in trend] == ["2026Q3"] and len(trend[0].carriers) == len(as_it_was)


def test_freeze_cli_refuses_a_second_freeze_and_refreezes_with_a_reason(cli_env):
    import subprocess
    import sys

    def run(*args):
        return subprocess.run([sys.executable, "-m", "carriermap", "freeze", "--city", CITY, *args],
                              capture_output=True, env=cli_env, timeout=120)

    first = run("--quarter", "2026Q2")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["as_of"] == "2026-06-30T16:00:00+00:00"
    again = run("--quarter", "2026Q2")
    assert again.returncode == 2 and "2026Q2" in again.stderr.decode()
    early = run("--quarter", "2025Q4")
    assert early.returncode == 2 and "2025Q4" in early.stderr.decode()
    fixed = run("--quarter", "2026Q2", "--reason", "重新核对", "--actor", "admin1")
    assert fixed.returncode == 0, fixed.stderr
    assert json.loads(fixed.stdout)["revision"] == 2
    history = json.loads(run("--history").stdout)["freezes"]
    assert [(h["revision"], h["reason"]) for h in history] == [(2, "重新核对"), (1, None)]
