"""Targets say what they count, fall due at the end of their year (China time), and are judged on the
register as of the deadline: met, overdue, or open; progress from invented records is marked sample."""

import json
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, insert

from carriermap.districts.targets import store_target_progress
from carriermap.model import clean_carrier
from carriermap.snapshots import freeze
from carriermap.store import Store, schema
from carriermap.store.repository import Update
from tests.clock import Clock

CITY = "340600"  # Huaibei: 8 maker spaces in the seeded register (2026-06-30)
NEW_YEAR_2027 = datetime(2026, 12, 31, 16, 0, tzinfo=UTC)  # 2027-01-01 00:00 China time


def _target(store, metric, value, year, *, unit=None, is_sample=False):
    with store.engine.begin() as connection:
        connection.execute(insert(schema.targets).values(city_adcode=CITY, unit=unit, metric=metric, value=value,
                                                         year=year, source="test", is_sample=is_sample))


def _maker_space(store, name, *, is_sample=False):
    record, problems = clean_carrier({"name": name, "type": "maker_space", "city_adcode": CITY, "lon": 116.79,
                                      "lat": 33.96, "is_sample": is_sample})
    assert problems == [], problems
    return store.apply(actor="t", kind="edit", city_adcode=CITY, inserts=[record]).inserted[0]


@pytest.fixture
def timed(store):
    with store.engine.begin() as connection:
        connection.execute(delete(schema.targets).where(schema.targets.c.city_adcode == CITY))
    clock = Clock(datetime(2026, 8, 1, tzinfo=UTC))
    return Store(store.engine, clock=clock), clock


def _only(progress, metric):
    (item,) = [p for p in progress if p["metric"] == metric]
    return item


def test_open_then_met_by_the_deadline_from_the_history(timed):
    store, clock = timed
    _target(store, "maker_spaces", 10, 2026)
    item = _only(store_target_progress(store, CITY), "maker_spaces")
    assert (item["status"], item["evidence"], item["current"], item["deadline"]) == ("open", "live", 8, "2026-12-31")
    assert item["types"] == ["maker_space"] and item["levels"] == []
    clock.set(datetime(2026, 12, 31, 15, 59, 59, tzinfo=UTC))  # 23:59:59 on 31 December, China time
    _maker_space(store, "年底新空间一", is_sample=False)
    _maker_space(store, "年底新空间二", is_sample=False)
    clock.set(NEW_YEAR_2027)
    _maker_space(store, "新年才登记", is_sample=False)  # too late for 2026
    for carrier_id in store.carriers(CITY)["id"].iloc[:3]:  # delisted after the deadline: still counted then
        store.apply(actor="t", kind="delist", updates=[Update(int(carrier_id), {"status": "delisted"})])
    clock.advance(days=30)
    item = _only(store_target_progress(store, CITY), "maker_spaces")
    assert (item["status"], item["evidence"], item["current"]) == ("met", "history", 10)
    assert item["current_now"] == 8  # 11 registered, 3 delisted since
    assert item["sample_records"] == 8 and item["counted"] == 10 and item["is_sample"]  # the seeded 8 are invented


def test_overdue_when_short_at_the_deadline_and_judged_on_a_frozen_quarter(timed):
    store, clock = timed
    _target(store, "maker_spaces", 9, 2026)
    clock.set(datetime(2027, 1, 5, tzinfo=UTC))
    freeze(store, CITY, "2026Q4", "boss")
    _maker_space(store, "一月补登")  # the live count reaches 9 after the deadline: still overdue
    item = _only(store_target_progress(store, CITY), "maker_spaces")
    assert (item["status"], item["evidence"], item["current"], item["current_now"]) == ("overdue", "snapshot", 8, 9)
    assert item["gap"] == 1


def test_a_real_target_counted_from_real_records_only_is_not_sample(timed):
    store, clock = timed
    _target(store, "maker_spaces", 2, 2027)
    _target(store, "carriers", 5, 2027, unit="相山区", is_sample=True)
    progress = store_target_progress(store, CITY, hide_samples=True)
    assert [p["metric"] for p in progress] == ["maker_spaces"]  # a sample target is hidden with the samples
    _maker_space(store, "真实空间")
    item = _only(store_target_progress(store, CITY, hide_samples=True), "maker_spaces")
    assert (item["current"], item["sample_records"], item["is_sample"]) == (1, 0, False)
    mixed = _only(store_target_progress(store, CITY), "maker_spaces")
    assert (mixed["current"], mixed["sample_records"], mixed["is_sample"]) == (9, 8, True)


def test_cli_targets_say_what_they_count_and_how_many_records_are_invented(cli_env):
    out = subprocess.run([sys.executable, "-m", "carriermap", "metrics", "--city", "420100"], capture_output=True,
                         env=cli_env, check=True, timeout=120).stdout
    targets = {(t["metric"], t["unit"]): t for t in json.loads(out)["targets"]}
    national = targets[("national", None)]
    assert national["levels"] == ["national"] and national["deadline"] == "2025-12-31"
    assert national["status"] == "overdue" and national["current"] is None  # the register starts in 2026
    assert national["is_sample"] and national["sample_records"] == national["counted"] > 0
