"""Provenance per value: the bundled data, the details panel and list, edits, imports, exports,
aggregates (districts table, XLSX, quarterly report)."""

import csv
import io
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from carriermap import carrier_view, provenance
from carriermap.cities import get_city
from carriermap.districts.table import workbook
from carriermap.editing import quick_edit
from carriermap.export import write_export
from carriermap.importer import commit_import, plan_import
from carriermap.invented import invented_by_unit, invented_count, invented_note
from carriermap.paths import CARRIERS_FILE
from carriermap.permissions import User
from carriermap.versions import edit_carrier
from tests.unit.import_helpers import csv_bytes, row

SEEDS = Path(__file__).resolve().parents[4] / "shared" / "seeds"
NAMED = {"淮海壹号众创空间", "矿山机电众创空间", "易创众创空间", "宝创众创空间", "淮北师范大学绘梦空间"}
ADMIN = User(1, "boss", "admin")


def _bundled() -> list[dict]:
    with CARRIERS_FILE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _huaibei(store) -> pd.DataFrame:
    return store.carriers("340600")


def _record(store, name: str) -> dict:
    frame = _huaibei(store)
    return frame[frame["name"] == name].iloc[0].to_dict()


def test_every_bundled_carrier_says_where_each_value_comes_from():
    for record in _bundled():
        mapping = provenance.parse(record["provenance"])
        assert mapping, record["name"]
        # every field with a value has an entry: its own or the "*" one
        assert all(provenance.entry(mapping, f) for f in provenance.tracked_fields() if record.get(f)), record["name"]
        assert (record["is_sample"] == "true") == provenance.sample_flag(record), record["name"]


def test_named_huaibei_spaces_have_real_names_and_industries_and_invented_levels_and_places():
    named = [r for r in _bundled() if r["name"] in NAMED]
    assert len(named) == 5
    seed = (next(SEEDS.glob("002_*.txt")).read_text(encoding="utf-8") if SEEDS.is_dir() else None)
    for record in named:
        mapping = provenance.parse(record["provenance"])
        for field in ("name", "industries", "type"):
            found = provenance.entry(mapping, field)
            assert found["kind"] == "seed" and found["ref"].startswith("seed 002"), (record["name"], field)
            if seed is not None:
                assert found["quote"] in seed  # the sentence is the text's, word for word
        assert record["name"] in provenance.entry(mapping, "name")["quote"]
        for field in ("level", "reporting_unit", "district_adcode", "address", "contact", "total_area_m2", "lon"):
            assert provenance.is_invented(mapping, field), (record["name"], field)
    unnamed = [r for r in _bundled() if r["city_adcode"] == "340600" and r["name"] not in NAMED]
    assert all(provenance.is_invented(r["provenance"], "name") for r in unnamed)


def test_details_panel_marks_each_value_not_the_whole_record(store):
    record = _record(store, "淮海壹号众创空间")
    html = carrier_view.details_html(record, "zh")
    assert "此记录为演示用虚构数据" not in html  # the old whole-record banner
    marks = {field: carrier_view.source_mark(record, field, "zh") for field in ("name", "industries", "level",
                                                                                "contact", "address")}
    assert marks["name"][0] == marks["industries"][0] == "seed"
    assert marks["level"] == marks["contact"] == marks["address"] == ("invented", "示例(虚构)")
    assert html.count("cm-mark-invented") >= 6 and html.count("cm-mark-seed") >= 3
    assert "淮海壹号众创空间构建电子商务产业链" in html  # the source sentence is shown
    invented = carrier_view.details_html(_record(store, "相山示例众创空间"), "en")
    assert "Every value of this record is illustrative" in invented and "cm-mark-seed" not in invented


def test_list_names_the_illustrative_values(store):
    frame = carrier_view.list_frame(_huaibei(store), "zh").set_index("名称")
    assert frame.loc["相山示例众创空间", "示例值"] == "全部"
    assert frame.loc["淮海壹号众创空间", "示例值"].split("、")[0] == "级别"
    assert "名称" not in frame.loc["淮海壹号众创空间", "示例值"]


def test_editor_change_of_an_invented_value_clears_that_field_only(store):
    record = _record(store, "淮海壹号众创空间")
    quick_edit(store, ADMIN, int(record["id"]), {"contact": "0561-3000000"}, int(record["version"]))
    saved = store.carrier(int(record["id"]))
    contact = provenance.entry(saved["provenance"], "contact")
    assert contact["kind"] == "editor" and contact["ref"] == "boss" and contact["at"]
    assert provenance.is_invented(saved["provenance"], "level")  # untouched fields stay marked
    assert provenance.kind_of(saved["provenance"], "name") == "seed"
    assert saved["is_sample"]  # still holds invented values
    assert "contact" not in provenance.invented_fields(saved)


def test_record_with_no_invented_value_left_is_no_longer_a_sample(store):
    record = _record(store, "淮海壹号众创空间")
    values = {name: record[name] for name in provenance.invented_fields(record)}
    edit_carrier(store, int(record["id"]), values, actor="editor")  # confirmed as they are: no change, no mark
    assert store.carrier(int(record["id"]))["is_sample"]
    changed = {"level": "provincial", "reporting_unit": "相山区", "address": "相山区人民路1号", "lon": 116.79,
               "lat": 33.96, "specialisation": "specialized", "rating": None, "available_m2": 10,
               "rent_cny_m2_month": None, "tenants": 3, "graduates": 1, "jobs": 5, "operator_kind": "investor",
               "contact": "0561-1", "established_year": 2016, "total_area_m2": 1000}
    edit_carrier(store, int(record["id"]), changed, actor="editor")
    saved = store.carrier(int(record["id"]))
    left = provenance.invented_fields(saved)
    if left:  # values the editor did not change (e.g. the derived district when the point stayed in it)
        edit_carrier(store, int(record["id"]), {name: None for name in left if name != "district_adcode"},
                     actor="editor")
        saved = store.carrier(int(record["id"]))
    assert provenance.invented_fields(saved) == [] and saved["is_sample"] is False


def test_import_file_is_the_source_of_what_it_brings(store):
    plan = plan_import(csv_bytes([row("出处测试孵化器")]), "季度报表.csv", city="440100", store=store)
    commit_import(store, plan, actor="boss")
    new = store.carriers("440100").set_index("name").loc["出处测试孵化器"]
    found = provenance.entry(new["provenance"], "level")
    assert found["kind"] == "import" and found["ref"] == "季度报表.csv" and not new["is_sample"]
    # a second file changes one value: only that field names the second file
    plan = plan_import(csv_bytes([row("出处测试孵化器", free="5")]), "更正.csv", city="440100", store=store)
    commit_import(store, plan, actor="boss")
    again = store.carriers("440100").set_index("name").loc["出处测试孵化器"]
    assert provenance.entry(again["provenance"], "available_m2")["ref"] == "更正.csv"
    assert provenance.entry(again["provenance"], "level")["ref"] == "季度报表.csv"


def test_export_keeps_provenance_per_value(store):
    data = write_export(_huaibei(store), "csv", None)
    frame = pd.read_csv(io.BytesIO(data), dtype=str).set_index("name")
    kept = json.loads(frame.loc["易创众创空间", "provenance"])
    assert kept["industries"]["kind"] == "seed" and kept["*"]["kind"] == "invented"


def test_invented_count_per_field_and_unit(store):
    frame = _huaibei(store)
    assert invented_count(frame, "name") == 3  # the three unnamed spaces
    assert invented_count(frame, "industries") == 3
    assert invented_count(frame, "level") == 8  # which two are national is not in the text
    table = invented_by_unit(frame, "340600", "reporting_unit").set_index("unit")
    assert table.loc["total", "carriers"] == 8 and table.loc["total", "invented_records"] == 3
    assert table.loc["淮北高新区", "invented_records"] == 1
    note = invented_note(frame, "zh")
    assert "3 家载体为示例记录" in note and "级别 5 项" in note


def test_invented_count_of_old_records_follows_their_sample_flag():
    old = pd.DataFrame([{"name": "a", "level": "national", "is_sample": True, "provenance": None},
                        {"name": "b", "level": "national", "is_sample": False, "provenance": None}])
    assert invented_count(old, "level") == 1 and invented_count(old, "name") == 1


def test_districts_workbook_says_how_many_values_are_invented(store):
    book = openpyxl.load_workbook(io.BytesIO(workbook(_huaibei(store), store.targets("340600"),
                                                      get_city("340600"), "zh")))
    sheet = book["示例值统计"]
    rows = [[cell.value for cell in line] for line in sheet.iter_rows()]
    totals = [r for r in rows if r[1] == "合计"]
    assert len(totals) == 2 and all(r[2] == 8 and r[3] == 3 for r in totals)  # both views
    notes = [cell.value for cell in book["说明"]["B"]]
    assert any("3 家载体为示例记录" in str(v) for v in notes)


def test_quarterly_report_counts_invented_values(store):
    from carriermap.report.content import collect

    data = collect(store, "340600", "2026Q3", lang="en")
    assert "3 carriers are sample records" in data.invented_note
    assert int(data.invented.iloc[-1]["of which sample records"]) == 3


def test_bad_provenance_is_refused_with_a_clear_message():
    from carriermap.model import FIELDS_BY_NAME, clean_value

    _, problem = clean_value(FIELDS_BY_NAME["provenance"], '{"level": {"kind": "guess"}}')
    assert problem is not None and problem.key == "error.bad_provenance"
    with pytest.raises(provenance.ProvenanceError):
        provenance.make_entry("rumour", "x")


def test_a_level_given_with_its_notice_comes_from_the_notice(store):
    record = _record(store, "易创众创空间")
    edit_carrier(store, int(record["id"]), {"level": "national", "level_notice": "国科火字〔2017〕1号",
                                            "level_notice_date": "2017-01-05"}, actor="editor")
    saved = store.carrier(int(record["id"]))
    level = provenance.entry(saved["provenance"], "level")
    assert level["kind"] == "notice" and level["ref"] == "国科火字〔2017〕1号" and level["by"] == "editor: editor"
    assert carrier_view.source_mark(saved, "level", "zh") == ("notice", "认定文件:国科火字〔2017〕1号")
    assert provenance.kind_of(saved["provenance"], "level_notice") == "editor"


def test_upgrade_marks_existing_sample_carriers_invented_and_leaves_others_unsourced(blank_db_url):
    from sqlalchemy import text

    from carriermap.store import Store
    from carriermap.store.engine import make_engine
    from carriermap.store.migrate import upgrade

    engine = make_engine(blank_db_url)
    upgrade(engine, "0005")
    with engine.begin() as connection:
        for name, sample in (("旧示例", True), ("旧记录", False)):
            connection.execute(text(
                "INSERT INTO carriers (name, type, city_adcode, lon, lat, is_sample, updated_at, version) "
                "VALUES (:name, 'incubator', '440100', 113.3, 23.1, :sample, '2026-01-01T00:00:00+00:00', 1)"),
                {"name": name, "sample": sample})
    engine.dispose()
    store = Store.open(blank_db_url, seed=False)
    frame = store.carriers().set_index("name")
    assert provenance.is_invented(frame.loc["旧示例", "provenance"], "level")
    assert provenance.parse(frame.loc["旧记录", "provenance"]) == {}  # no source was recorded: none is claimed
    record = frame.reset_index().iloc[1].to_dict()
    assert carrier_view.source_mark(record, "type", "en") == ("unsourced", "Source not recorded")
    store.engine.dispose()
