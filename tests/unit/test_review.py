"""Confirmations and review before publishing, in the library, on both backends."""

from datetime import UTC, datetime, timedelta

import pytest

from carriermap.editing import quick_edit, set_status, undo_changeset
from carriermap.freshness.age import confirmed_days
from carriermap.freshness.confirm import confirm
from carriermap.permissions import PermissionDenied, User
from carriermap.review.queue import PENDING, ReviewError, approve, get_review, reject, reviews
from carriermap.review.settings import review_required, set_review_required
from carriermap.snapshots import freeze, snapshot
from carriermap.store import UndoError

pytestmark = pytest.mark.both_backends

ADMIN = User(1, "boss", "admin")
CITY = User(2, "gz-city", "city_official", "440100")


def carrier_in_district(store):
    row = store.carriers("440100").query("status == 'operating' and district_adcode == '440106'").iloc[0]
    return store.carrier(int(row["id"]))


def people(record):
    operator = User(10, "ops", "operator", str(record["id"]))
    district = User(11, "tianhe", "district_official", record["district_adcode"])
    other_district = User(12, "haizhu", "district_official", "440105")
    return operator, district, other_district


def test_confirm_is_a_versioned_change_that_undo_reverses(store):
    record = carrier_in_district(store)
    operator, _, _ = people(record)
    later = datetime.now(UTC) + timedelta(seconds=2)
    result = confirm(store, operator, record["id"], record["version"], now=later)
    after = store.carrier(record["id"])
    assert after["confirmed_by"] == "ops" and after["confirmed_at"] == later.replace(microsecond=0).isoformat()
    assert after["available_m2"] == record["available_m2"] and after["version"] == record["version"] + 1
    assert store.history(record["id"], limit=1).iloc[0]["kind"] == "confirm"
    undo_changeset(store, operator, result.changeset_id)
    assert store.carrier(record["id"])["confirmed_by"] == record["confirmed_by"]


def test_confirm_outside_scope_is_refused(store):
    record = carrier_in_district(store)
    _, _, other = people(record)
    with pytest.raises(PermissionDenied):
        confirm(store, other, record["id"], record["version"])
    assert store.carrier(record["id"])["version"] == record["version"]


def test_an_edit_confirms_and_days_restart(store):
    record = carrier_in_district(store)
    operator, _, _ = people(record)
    quick_edit(store, operator, record["id"], {"contact": "020-1234"}, record["version"])
    frame = store.carriers("440100").set_index("id")
    assert frame.loc[record["id"], "confirmed_by"] == "ops"
    assert confirmed_days(frame.loc[[record["id"]]], datetime.now(UTC) + timedelta(days=40)).iloc[0] == 40


def test_review_is_off_by_default_and_only_the_city_official_switches_it(store):
    record = carrier_in_district(store)
    _, district, _ = people(record)
    assert review_required(store, "440100") is False
    with pytest.raises(PermissionDenied):
        set_review_required(store, district, "440100", True)
    set_review_required(store, CITY, "440100", True)
    assert review_required(store, "440100") and not review_required(store, "420100")


def test_operator_change_waits_for_the_district_official(store):
    record = carrier_in_district(store)
    operator, district, other = people(record)
    set_review_required(store, CITY, "440100", True)
    result = quick_edit(store, operator, record["id"], {"available_m2": 4321}, record["version"])
    assert result.review_id is not None
    assert store.carrier(record["id"])["available_m2"] == record["available_m2"]  # the public sees the old value
    pending = reviews(store, "440100")
    assert pending["actor"].tolist() == ["ops"] and pending["level"].tolist() == ["district"]
    for outsider in (operator, other):  # nobody approves their own change, nor outside their scope
        with pytest.raises(PermissionDenied):
            approve(store, outsider, result.review_id)
    approved = approve(store, district, result.review_id)
    published = store.carrier(record["id"])
    assert published["available_m2"] == 4321 and published["confirmed_by"] == "ops"
    assert get_review(store, result.review_id)["state"] == "approved"
    with pytest.raises(ReviewError):
        approve(store, district, result.review_id)
    # undoing the approval restores the carrier and makes the change pending again
    undo_changeset(store, district, approved.changeset_id)
    assert store.carrier(record["id"])["available_m2"] == record["available_m2"]
    assert get_review(store, result.review_id)["state"] == PENDING


def test_rejection_needs_a_reason_and_comes_back_with_it(store):
    record = carrier_in_district(store)
    operator, district, _ = people(record)
    set_review_required(store, CITY, "440100", True)
    result = quick_edit(store, operator, record["id"], {"contact": "13800000000"}, record["version"])
    with pytest.raises(ReviewError):
        reject(store, district, result.review_id, "  ")
    rejected = reject(store, district, result.review_id, "电话打不通,请核实")
    mine = reviews(store, "440100", state=None, actor="ops")
    assert mine["state"].tolist() == ["rejected"] and mine["reason"].tolist() == ["电话打不通,请核实"]
    assert store.carrier(record["id"])["contact"] == record["contact"]
    undo_changeset(store, district, rejected.changeset_id)
    assert get_review(store, result.review_id)["state"] == PENDING


def test_withdrawing_a_submission_and_its_order(store):
    record = carrier_in_district(store)
    operator, district, _ = people(record)
    set_review_required(store, CITY, "440100", True)
    first = quick_edit(store, operator, record["id"], {"available_m2": 10}, record["version"])
    undo_changeset(store, operator, first.changeset_id)
    assert get_review(store, first.review_id)["state"] == "withdrawn"
    second = quick_edit(store, operator, record["id"], {"available_m2": 20}, record["version"])
    reject(store, district, second.review_id, "no")
    with pytest.raises(UndoError):  # decided: undo the decision first
        undo_changeset(store, operator, second.changeset_id)


def test_district_official_level_or_status_change_goes_to_the_city(store):
    record = carrier_in_district(store)
    _, district, _ = people(record)
    set_review_required(store, CITY, "440100", True)
    direct = quick_edit(store, district, record["id"], {"available_m2": 77}, record["version"])
    assert direct.review_id is None and store.carrier(record["id"])["available_m2"] == 77
    fresh = store.carrier(record["id"])
    waiting = set_status(store, district, record["id"], "delisted", fresh["version"], reason="已迁出")
    assert waiting.review_id is not None and store.carrier(record["id"])["status"] == "operating"
    with pytest.raises(PermissionDenied):  # a district official does not review city-level changes
        approve(store, User(13, "tianhe-2", "district_official", record["district_adcode"]), waiting.review_id)
    approve(store, CITY, waiting.review_id)
    assert store.carrier(record["id"])["status"] == "delisted"


def test_freeze_uses_approved_data_only(store):
    record = carrier_in_district(store)
    operator, district, _ = people(record)
    set_review_required(store, CITY, "440100", True)
    approved = quick_edit(store, operator, record["id"], {"contact": "020-0000"}, record["version"])
    approve(store, district, approved.review_id)
    quick_edit(store, operator, record["id"], {"available_m2": 1}, store.carrier(record["id"])["version"])
    freeze(store, "440100", "2026Q4", "boss", now=datetime(2027, 1, 2, tzinfo=UTC))
    frozen = snapshot(store, "440100", "2026Q4").set_index("id")
    assert frozen.loc[record["id"], "contact"] == "020-0000"  # approved: in the quarter's figures
    assert frozen.loc[record["id"], "available_m2"] == record["available_m2"]  # still pending: not


def test_an_import_goes_through_review_like_a_quick_edit(store):
    from carriermap.editing import import_plan, import_review_rows
    from carriermap.i18n import label
    from carriermap.importer import plan_import
    from tests.unit.import_helpers import csv_bytes, row

    haizhu = store.carriers("440100").query("status == 'operating' and district_adcode == '440105'")
    free_row, level_row = (store.carrier(int(i)) for i in haizhu[haizhu["level"] != "national"]["id"].iloc[:2])
    official = User(12, "haizhu", "district_official", "440105")
    set_review_required(store, CITY, "440100", True)

    def only(record, **cells):  # name, type and point as stored; other blank cells keep the stored values
        return row(record["name"], **{"type_": label("type", record["type"], "zh"), "level": "",
                                      "lon": str(record["lon"]), "lat": str(record["lat"]), "total": "", "free": "",
                                      "contact": "", **cells})

    plan = plan_import(csv_bytes([row("海珠待审孵化器"), only(free_row, free="555"), only(level_row, level="国家级")]),
                       "upload.csv", city="440100", store=store)
    assert plan.ok, plan.errors("en")
    waiting = {item.row: item for item in import_review_rows(store, official, plan)}
    assert sorted(waiting) == [2, 4]  # the new carrier's level and the level change; not the free space
    assert waiting[2].carrier_id is None and waiting[2].values == {"level": "national"} and waiting[2].level == "city"
    assert waiting[4].carrier_id == level_row["id"] and waiting[4].values == {"level": "national"}
    assert import_review_rows(store, ADMIN, plan) == []  # a city official's or admin's import is published at once

    changeset = import_plan(store, official, plan)
    assert changeset is not None and store.carrier(free_row["id"])["available_m2"] == 555  # published at once
    assert store.carrier(level_row["id"])["level"] == level_row["level"]  # the public still sees the old level
    new = store.carriers("440100").query("name == '海珠待审孵化器'").iloc[0]
    assert new["level"] == "unrated"  # listed, but its level waits for the city official
    pending = reviews(store, "440100")
    assert sorted(pending["carrier_id"]) == sorted([int(new["id"]), int(level_row["id"])])
    assert set(pending["kind"]) == {"import"} and set(pending["level"]) == {"city"}
    assert set(pending["actor"]) == {"haizhu"}
    with pytest.raises(PermissionDenied):  # the district official does not review their own level changes
        approve(store, official, int(pending["id"].iloc[0]))
    for review_id in pending["id"]:
        approve(store, CITY, int(review_id))
    assert store.carrier(level_row["id"])["level"] == "national"
    assert store.carrier(int(new["id"]))["level"] == "national"


def test_an_import_with_review_off_publishes_everything(store):
    from carriermap.editing import import_plan, import_review_rows
    from carriermap.importer import plan_import
    from tests.unit.import_helpers import csv_bytes, row

    official = User(12, "haizhu", "district_official", "440105")
    plan = plan_import(csv_bytes([row("海珠直接发布孵化器")]), "upload.csv", city="440100", store=store)
    assert import_review_rows(store, official, plan) == []
    import_plan(store, official, plan)
    assert store.carriers("440100").query("name == '海珠直接发布孵化器'").iloc[0]["level"] == "national"
    assert reviews(store, "440100").empty
