"""Scope through every write path: the record is checked before and after each change, and the
fields an editor may change depend on the role (import, quick edit, status, undo, freeze)."""

import pytest

from carriermap.editing import freeze_quarter, guard_for, import_plan, quick_edit, set_status, undo_changeset
from carriermap.importer import plan_import
from carriermap.permissions import ChangeDenied, PermissionDenied, User, check_change, editable_fields, in_scope
from carriermap.versions import apply_edit
from tests.unit.import_helpers import HEADER_ZH, csv_bytes, row

pytestmark = pytest.mark.both_backends

XIANGSHAN = User(2, "xs", "district_official", "340603")  # 相山区, Huaibei
HIGH_TECH_ZONE = User(4, "gx", "district_official", "淮北高新区")
HUAIBEI = User(3, "hb", "city_official", "340600")
LIESHAN_POINT = ("116.870563", "33.833830")  # in 烈山区 (340604)
XIANGSHAN_POINT = ("116.779519", "33.984220")  # in 相山区 (340603)


def _carrier(store, name):
    frame = store.carriers("340600")
    return frame[frame["name"] == name].iloc[0].to_dict()


def _plan(store, rows, header=HEADER_ZH, city="340600"):
    plan = plan_import(csv_bytes(rows, header=header), "upload.csv", city=city, store=store)
    assert plan.ok, plan.errors("en")
    return plan


def _refused(store, user, plan):
    version = store.data_version()
    with pytest.raises(PermissionDenied):
        import_plan(store, user, plan)
    assert store.data_version() == version  # nothing written


def test_official_cannot_claim_another_districts_carrier_by_naming_their_unit(store):
    lieshan = _carrier(store, "矿山机电众创空间")
    plan = _plan(store, [row("矿山机电众创空间", lon=LIESHAN_POINT[0], lat=LIESHAN_POINT[1]) + ["340603"]],
                 header=[*HEADER_ZH, "统计单位"])
    _refused(store, XIANGSHAN, plan)
    assert store.carrier(int(lieshan["id"]))["reporting_unit"] == lieshan["reporting_unit"]


def test_official_cannot_move_a_point_into_or_out_of_their_district(store):
    lieshan = _carrier(store, "矿山机电众创空间")
    into = _plan(store, [row("矿山机电众创空间", lon=XIANGSHAN_POINT[0], lat=XIANGSHAN_POINT[1])])
    _refused(store, XIANGSHAN, into)
    assert store.carrier(int(lieshan["id"]))["district_adcode"] == "340604"
    own = _carrier(store, "易创众创空间")
    out = _plan(store, [row("易创众创空间", lon=LIESHAN_POINT[0], lat=LIESHAN_POINT[1])])
    _refused(store, XIANGSHAN, out)
    assert store.carrier(int(own["id"]))["district_adcode"] == "340603"


def test_own_unit_in_a_file_of_another_city_pulls_nothing_into_scope(store):
    guangzhou = [*HEADER_ZH, "统计单位"]
    _refused(store, XIANGSHAN, _plan(store, [row("他市孵化器甲") + ["340603"]], header=guangzhou, city="440100"))
    _refused(store, HIGH_TECH_ZONE, _plan(store, [row("他市孵化器乙") + ["淮北高新区"]], header=guangzhou,
                                          city="440100"))


def test_a_zone_named_as_the_district_does_not_pull_a_carrier_into_the_zone(store):
    xiangshan = _carrier(store, "易创众创空间")
    plan = _plan(store, [row("易创众创空间", district="淮北高新区", lon=str(xiangshan["lon"]),
                             lat=str(xiangshan["lat"]))])
    _refused(store, HIGH_TECH_ZONE, plan)
    assert store.carrier(int(xiangshan["id"]))["reporting_unit"] == "相山区"


def test_zone_official_still_imports_into_their_zone(store):
    zone = _carrier(store, "高新区示例众创空间")
    plan = _plan(store, [row("高新区示例众创空间", lon=str(zone["lon"]), lat=str(zone["lat"]), free="5")])
    assert import_plan(store, HIGH_TECH_ZONE, plan) is not None
    assert store.carrier(int(zone["id"]))["available_m2"] == 5


def test_operator_fields_are_limited_whatever_the_write_path(store):
    carrier = _carrier(store, "易创众创空间")
    operator = User(9, "ops", "operator", str(int(carrier["id"])))
    moved = {**carrier, "lon": float(LIESHAN_POINT[0]), "lat": float(LIESHAN_POINT[1]), "district_adcode": "340604"}
    assert {p.field for p in check_change(operator, carrier, moved)} >= {"lon", "lat", "district_adcode"}
    for field, value in (("level", "national"), ("reporting_unit", "淮北高新区"), ("status", "suspended")):
        problems = check_change(operator, carrier, {**carrier, field: value})
        assert [p.key for p in problems] == ["permission.error.field_not_allowed"], field
    assert check_change(operator, carrier, {**carrier, "contact": "0561-1"}) == []
    assert {"level", "district_adcode", "reporting_unit", "lon", "lat", "status"}.isdisjoint(editable_fields(operator))
    version = store.data_version()
    with pytest.raises(ChangeDenied):  # the library write path itself refuses, not only the page
        apply_edit(store, carrier, {"level": "national"}, actor="ops", guard=guard_for(operator))
    assert store.data_version() == version


def test_operator_cannot_undo_an_officials_suspension(store):
    carrier = _carrier(store, "易创众创空间")
    operator = User(9, "ops", "operator", str(int(carrier["id"])))
    suspended = set_status(store, HUAIBEI, int(carrier["id"]), "suspended", int(carrier["version"]))
    with pytest.raises(PermissionDenied):
        undo_changeset(store, operator, suspended.changeset_id)
    assert store.carrier(int(carrier["id"]))["status"] == "suspended"
    own = quick_edit(store, operator, int(carrier["id"]), {"contact": "0561-7654321"},
                     store.carrier(int(carrier["id"]))["version"])
    undo_changeset(store, operator, own.changeset_id)  # their own edit they may undo
    assert store.carrier(int(carrier["id"]))["contact"] == carrier["contact"]


def test_scope_is_tied_to_the_city_and_the_real_district(store):
    lieshan = _carrier(store, "矿山机电众创空间")
    assert not in_scope(XIANGSHAN, {**lieshan, "reporting_unit": "340603"})
    assert not in_scope(HIGH_TECH_ZONE, {**lieshan, "city_adcode": "440100", "reporting_unit": "淮北高新区"})
    assert in_scope(HIGH_TECH_ZONE, {**lieshan, "reporting_unit": "淮北高新区"})


def test_freeze_needs_the_citys_official(store):
    with pytest.raises(PermissionDenied):
        freeze_quarter(store, XIANGSHAN, "340600", "2026Q3")
    assert freeze_quarter(store, HUAIBEI, "340600", "2026Q3")["quarter"] == "2026Q3"
