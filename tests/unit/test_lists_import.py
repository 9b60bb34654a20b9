"""A real-shaped list (JSON array, addresses only, mixed type words, several cities) goes in; the queue places it."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from carriermap.districts.metrics import unit_metrics
from carriermap.districts.metrics_sql import unit_metrics_from_store
from carriermap.importing import commit_import, plan_import
from carriermap.location import placed_mask, state_of
from carriermap.permissions import PermissionDenied, User
from carriermap.placing import PlacingError, place_carrier, queue
from carriermap.space.search import NearbySearch, Needs
from tests.unit.import_helpers import csv_bytes

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "incubators_address_only.json"
ADMIN = User(1, "admin", "admin")
OTHER_CITIES = {22, 23, 24, 25, 26}  # 深圳 ×2, 佛山, 北京, 武汉


def _plan(store):
    return plan_import(FIXTURE, city="440100", store=store)


def test_every_row_of_the_list_is_accounted_for(store):
    plan = _plan(store)
    assert plan.ok, plan.errors("en")
    records = json.loads(FIXTURE.read_text(encoding="utf-8"))
    planned = {row.row for row in plan.rows}
    refused = {problem.row for problem in plan.refused}
    assert refused == OTHER_CITIES and planned | refused == set(range(1, len(records) + 1))
    assert plan.placement_counts == {"placed": 0, "unplaced": 23, "unlocated": 2}
    by_row = {row.row: row.record for row in plan.rows}
    assert by_row[1]["district_adcode"] == "440106" and by_row[1]["type"] == "incubator"
    assert by_row[1]["specialisation"] == "comprehensive"  # 综合孵化器
    assert by_row[3]["district_adcode"] == "440112"  # 萝岗区 is 黄埔区 now
    assert by_row[15]["district_adcode"] == "440106"  # 天河区黄埔大道西 stays in 天河区
    assert by_row[12]["level"] == "national_cultivation"  # 国家级孵化器培育单位
    assert by_row[13]["type"] == "maker_space" and by_row[13]["level"] == "national"  # 备案众创空间
    assert by_row[21]["district_adcode"] is None  # 科技路1号: flagged, district unknown
    assert by_row[2]["operator"] == "广州某生物科技有限公司" and by_row[2]["industries"] == ["生物医药"]
    messages = {e["row"]: e["message"] for e in plan.refusals("en")}
    assert "北京市海淀区" in messages[25] and "Guangzhou" in messages[25]
    assert plan.ignored_hints("en") == ['Column "序号" is a row number: not imported (not needed).']


def test_unplaced_carriers_count_in_their_district_and_are_never_offered_by_find_space(store):
    commit_import(store, _plan(store), actor="t")
    carriers = store.carriers("440100")
    new = carriers[carriers["name"].str.contains("测试")]
    assert len(new) == 25 and not placed_mask(new).any()
    rows = unit_metrics(carriers, "440100").set_index("unit_code")
    assert rows.loc["440106", "unplaced"] == len(new[new["district_adcode"] == "440106"]) > 0
    assert rows["unplaced"].sum() == 25
    assert unit_metrics_from_store(store, "440100").equals(unit_metrics(carriers, "440100"))
    carriers.loc[carriers["name"].str.contains("测试"), "available_m2"] = 500.0  # free space, but no point
    search = NearbySearch(carriers)
    found = search.search(113.33, 23.12, Needs(radius_m=100_000))
    assert not set(found["id"]) & set(new["id"])


def test_address_only_rows_never_unplace_a_placed_carrier(store):
    placed = store.carriers("440100").iloc[0]
    data = csv_bytes([[placed["name"], "孵化器", "广州市天河区某路1号"]], ["名称", "类型", "地址"])
    plan = plan_import(data, "again.csv", city="440100", store=store)
    assert plan.ok and plan.rows[0].action == "changed" and set(plan.rows[0].changes) == {"address"}


def test_a_file_without_coordinates_or_addresses_is_refused(store):
    plan = plan_import(csv_bytes([["甲", "孵化器"]], ["名称", "类型"]), "bare.csv", city="440100", store=store)
    assert not plan.ok and {p.key for p in plan.problems} == {"import.error.missing_column"}


def test_the_queue_places_a_carrier_as_one_undoable_change(store):
    commit_import(store, _plan(store), actor="t")
    waiting = queue(ADMIN, store.carriers("440100"))
    assert list(waiting["placement"][:2]) == ["unlocated", "unlocated"]  # the flagged ones first
    target = waiting[waiting["district_adcode"] == "440106"].iloc[0]
    version = int(target["version"])
    # 113.3245,23.1190 copied from Amap (GCJ-02) lies in 天河区; stored in WGS-84
    result = place_carrier(store, ADMIN, int(target["id"]), 113.3245, 23.1190, crs="gcj02",
                           expected_version=version)
    record = store.carrier(int(target["id"]))
    assert state_of(record) == "placed" and record["district_adcode"] == "440106"
    assert record["lon"] == pytest.approx(113.3190889, abs=1e-6)
    assert int(target["id"]) not in set(queue(ADMIN, store.carriers("440100"))["id"])
    store.undo(result.changeset_id, actor="t")
    assert state_of(store.carrier(int(target["id"]))) == "unplaced"


def test_placing_is_refused_outside_the_city_and_outside_the_editors_scope(store):
    commit_import(store, _plan(store), actor="t")
    waiting = queue(ADMIN, store.carriers("440100"))
    haizhu = waiting[waiting["district_adcode"] == "440105"].iloc[0]
    with pytest.raises(PlacingError) as outside:
        place_carrier(store, ADMIN, int(haizhu["id"]), 114.05, 22.55)  # Shenzhen
    assert "深圳" in outside.value.message("zh")
    official = User(2, "hz", "district_official", "440105")
    assert set(queue(official, store.carriers("440100"))["district_adcode"]) == {"440105"}
    with pytest.raises(PermissionDenied):
        place_carrier(store, official, int(haizhu["id"]), 113.323373, 23.14005)  # a point in 天河区
    assert state_of(store.carrier(int(haizhu["id"]))) == "unplaced"


def test_cli_imports_the_list_and_accounts_for_every_row(cli_env):
    result = subprocess.run([sys.executable, "-m", "carriermap", "--lang", "en", "import", str(FIXTURE),
                             "--city", "440100", "--format", "json"], capture_output=True, env=cli_env, timeout=300)
    assert result.returncode == 0, result.stderr.decode()
    report = json.loads(result.stdout)
    assert report["new"] == 25 and report["unplaced"] == 23 and report["unlocated"] == 2 and report["written"]
    assert sorted(r["row"] for r in report["refused"]) == sorted(OTHER_CITIES)


def test_the_map_lists_unplaced_carriers_instead_of_drawing_them(store, tmp_path):
    from carriermap.mapview.carrier_layer import write_payload
    from carriermap.mapview.fitting import points_bounds
    from carriermap.unplaced_view import unplaced_frame

    commit_import(store, _plan(store), actor="t")
    carriers = store.carriers("440100")
    listed = unplaced_frame(carriers, "en")
    assert len(listed) == 25 and list(listed.columns) == ["Name", "Type", "District", "Address", "Location"]
    assert listed["Location"].iloc[0] == "unplaced (district unknown)"  # flagged ones first
    assert "district unknown" in set(listed["District"])
    west, south, east, north = points_bounds(carriers)
    assert all(v == v for v in (west, south, east, north))  # NaN-free: unplaced rows have no point
    name, drawn_ids = write_payload(carriers, {}, tmp_path)
    assert "NaN" not in (tmp_path / name).read_text(encoding="utf-8")
    assert not set(drawn_ids) & set(carriers.loc[~placed_mask(carriers), "id"])
