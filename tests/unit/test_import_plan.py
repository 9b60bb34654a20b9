"""Good input: encodings, XLSX with title rows, GeoJSON, coordinate systems, matching, re-import, undo."""

import io

import numpy as np
import pandas as pd
import pytest

from carriermap.coords import gcj02_to_wgs84, wgs84_to_gcj02
from carriermap.export import write_export
from carriermap.importing import commit_import, plan_import, template_bytes
from tests.unit.import_helpers import HAIZHU, HEADER_ZH, TIANHE, csv_bytes, geojson_bytes, row, snapshot, xlsx_bytes

pytestmark = pytest.mark.both_backends  # SQLite and PostgreSQL + PostGIS (tests/pg.py)

NAMES = ["珠江创新工场", "琶洲人工智能孵化器"]


def imported(store, data, filename, city="440100"):
    plan = plan_import(data, filename, city=city, store=store)
    assert plan.ok, plan.errors("en")
    changeset = commit_import(store, plan, "tester")
    return plan, changeset


def by_name(store, name):
    frame = store.carriers("440100")
    found = frame[frame["name"] == name]
    assert len(found) == 1, (name, len(found))
    return found.iloc[0]


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig"])
def test_csv_in_every_encoding_keeps_chinese_and_leading_zeros(store, encoding):
    rows = [row(NAMES[0], contact="0561-3012345"), row(NAMES[1], type_="众创空间", level="省级", lon=TIANHE[0],
                                                       lat=TIANHE[1])]
    plan, changeset = imported(store, csv_bytes(rows, encoding=encoding), "载体.csv")
    assert plan.counts == {"new": 2, "changed": 0, "unchanged": 0} and changeset is not None
    first, second = by_name(store, NAMES[0]), by_name(store, NAMES[1])
    assert first["contact"] == "0561-3012345"
    assert first["district_adcode"] == "440105" and second["district_adcode"] == "440106"
    assert second["type"] == "maker_space" and second["level"] == "provincial"


def test_utf8_that_gb18030_would_misread_is_read_as_utf8(store):
    data = csv_bytes([["海珠创新中心", "incubator", *HAIZHU]], ["name", "type", "lon", "lat"], encoding="utf-8")
    assert data.decode("gb18030") != data.decode("utf-8")  # the trap: GB18030 decodes UTF-8 without error
    plan = plan_import(data, "a.csv", city="440100", store=store)
    assert plan.encoding == "utf-8" and plan.rows[0].record["name"] == "海珠创新中心"


def test_xlsx_with_title_rows_and_notes_row_imports(store):
    data = xlsx_bytes([row(NAMES[0], contact="02012345678"), row(NAMES[1], lon=TIANHE[0], lat=TIANHE[1])],
                      title_rows=["2026 年广州市创新载体名录", "(截至 6 月 30 日)"],
                      notes=["必填", "必填,如 孵化器", "选填"] + ["选填"] * 7)
    plan, changeset = imported(store, data, "名录.xlsx")
    assert plan.header_row == 3 and plan.skipped_rows == [4] and plan.counts["new"] == 2
    assert [r.row for r in plan.rows] == [5, 6]
    assert by_name(store, NAMES[0])["total_area_m2"] == 1000.0
    assert by_name(store, NAMES[0])["contact"] == "02012345678"


def test_english_and_bilingual_headers_and_labels(store):
    header = ["名称 name", "type", "Level", "lon", "lat", "total_area_m2"]
    data = csv_bytes([["East Lab", "Incubator", "National", *HAIZHU, "500"]], header)
    plan, _ = imported(store, data, "en.csv")
    record = plan.rows[0].record
    assert record["type"] == "incubator" and record["level"] == "national" and record["total_area_m2"] == 500.0


def test_gcj02_points_are_stored_in_wgs84(store):
    lon, lat = (float(v) for v in wgs84_to_gcj02(113.339581, 23.05967))
    header = [*HEADER_ZH, "坐标系"]
    plan, _ = imported(store, csv_bytes([[*row("高德坐标载体", lon=repr(lon), lat=repr(lat)), "GCJ-02"]], header),
                       "gcj.csv")
    stored = by_name(store, "高德坐标载体")
    expected = gcj02_to_wgs84(lon, lat)
    assert abs(stored["lon"] - float(expected[0])) < 1e-6 and abs(stored["lat"] - float(expected[1])) < 1e-6
    assert abs(stored["lon"] - 113.339581) < 1e-6


def test_city_comes_from_where_the_points_fall(store):
    plan = plan_import(csv_bytes([row("无城市参数")]), "a.csv", store=store)
    assert plan.ok and plan.city_adcode == "440100"


def test_geojson_points(store):
    data = geojson_bytes([({"名称": "GeoJSON 载体", "类型": "孵化器", "级别": "市级"}, [113.339581, 23.05967])])
    plan, _ = imported(store, data, "points.geojson")
    assert plan.kind == "geojson" and by_name(store, "GeoJSON 载体")["district_adcode"] == "440105"


def test_geojson_that_says_gcj02(store):
    lon, lat = (float(v) for v in wgs84_to_gcj02(113.339581, 23.05967))
    data = geojson_bytes([({"name": "GCJ 点", "type": "incubator"}, [lon, lat])], crs="GCJ-02")
    imported(store, data, "gcj.geojson")
    assert abs(by_name(store, "GCJ 点")["lon"] - 113.339581) < 1e-6


def test_reimport_of_the_same_file_changes_nothing(store):
    data = xlsx_bytes([row(NAMES[0]), row(NAMES[1], lon=TIANHE[0], lat=TIANHE[1])], title_rows=["名录"])
    imported(store, data, "a.xlsx")
    before = snapshot(store)
    plan, changeset = imported(store, data, "a.xlsx")
    assert plan.counts == {"new": 0, "changed": 0, "unchanged": 2} and changeset is None
    assert snapshot(store) == before


def test_export_of_a_city_reimports_unchanged(store):
    carriers = store.carriers("440100")
    for fmt, name in (("csv", "export.csv"), ("xlsx", "export.xlsx"), ("geojson", "export.geojson")):
        data = write_export(carriers, fmt, None)
        plan = plan_import(data, name, city="440100", store=store)
        assert plan.ok, (fmt, plan.errors("en")[:3])
        assert plan.counts == {"new": 0, "changed": 0, "unchanged": len(carriers)}, fmt


def test_same_name_updates_instead_of_twin_and_blank_cells_keep_values(store):
    imported(store, csv_bytes([row(NAMES[0], total="1000", free="100", contact="020-1")]), "a.csv")
    count = len(store.carriers())
    plan, _ = imported(store, csv_bytes([row(NAMES[0], total="1000", free="300", contact="")]), "b.csv")
    assert plan.counts == {"new": 0, "changed": 1, "unchanged": 0}
    assert set(plan.rows[0].changes) == {"available_m2"}
    assert len(store.carriers()) == count
    carrier = by_name(store, NAMES[0])
    assert carrier["available_m2"] == 300.0 and carrier["contact"] == "020-1"


def test_near_point_with_similar_name_updates(store):
    imported(store, csv_bytes([row("海珠人工智能孵化基地")]), "a.csv")
    count = len(store.carriers())
    # about 11 m north, name with a suffix added
    plan, _ = imported(store, csv_bytes([row("海珠人工智能孵化基地(二期)", lat="23.05977", free="50")]), "b.csv")
    assert plan.counts["changed"] == 1 and len(store.carriers()) == count
    # far away, same-ish name: a new carrier
    plan = plan_import(csv_bytes([row("海珠人工智能孵化基地三期", lon=TIANHE[0], lat=TIANHE[1])]), "c.csv",
                       city="440100", store=store)
    assert plan.counts["new"] == 1


def test_undo_of_an_import_removes_added_and_restores_changed(store):
    existing = store.carriers("440100").iloc[0]
    original = store.carrier(int(existing["id"]))
    count = len(store.carriers())
    rows = [row(existing["name"], type_=existing["type"], level=existing["level"], lon=str(float(existing["lon"])),
                lat=str(float(existing["lat"])), total="99999", free="1", contact="新电话"),
            row(NAMES[1], lon=TIANHE[0], lat=TIANHE[1])]
    plan, changeset = imported(store, csv_bytes(rows), "a.csv")
    assert plan.counts == {"new": 1, "changed": 1, "unchanged": 0}, plan.preview()
    assert store.carrier(int(existing["id"]))["contact"] == "新电话"
    store.undo(changeset, actor="tester")
    restored = store.carrier(int(existing["id"]))
    for name in original:
        if name not in ("version", "updated_at"):
            assert restored[name] == original[name], name
    assert NAMES[1] not in set(store.carriers("440100")["name"])
    assert len(store.carriers()) == count
    history = store.history(int(existing["id"]))
    assert list(history["kind"])[:2] == ["undo", "import"]


def test_formula_like_text_is_kept_and_neutralised_on_export(store):
    imported(store, csv_bytes([row("=HYPERLINK(\"http://x\")", contact="+86 20 1234", address="@home")]), "a.csv")
    carrier = by_name(store, "=HYPERLINK(\"http://x\")")
    assert carrier["contact"] == "+86 20 1234" and carrier["address"] == "@home"
    exported = pd.read_csv(io.BytesIO(write_export(store.carriers("440100"), "csv", None)), dtype=str)
    cell = exported[exported["name"].str.contains("HYPERLINK", na=False)].iloc[0]
    assert cell["name"].startswith("'=") and cell["contact"].startswith("'+") and cell["address"].startswith("'@")


def test_template_is_recognised_and_imports_when_filled(store):
    for lang in ("zh", "en"):
        for fmt in ("xlsx", "csv"):
            plan = plan_import(template_bytes(fmt, lang), f"template.{fmt}", city="440100", store=store)
            assert [p.key for p in plan.problems] == ["import.error.no_rows"], (fmt, lang)
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(template_bytes("xlsx", "zh")))
    sheet = book.active
    assert sheet.cell(2, 1).value == "名称" and sheet.cell(2, 6).value == "经度"
    sheet.append(["模板填写的载体", "孵化器", "国家级", "海珠区", "", 113.339581, 23.05967, "WGS-84", 1000, 10])
    buffer = io.BytesIO()
    book.save(buffer)
    plan, _ = imported(store, buffer.getvalue(), "filled.xlsx")
    assert plan.skipped_rows == [3] and plan.counts["new"] == 1


def test_ten_thousand_rows_in_one_change_set(empty_store):
    from carriermap.bench.import_bench import sample_file

    store = empty_store
    plan, changeset = imported(store, sample_file(10_000), "big.csv")
    assert plan.counts["new"] == 10_000 and len(store.carriers()) == 10_000
    assert list(store.changesets()["changes"]) == [10_000]
    assert np.all(store.carriers()["district_adcode"].notna())


def test_a_first_row_that_mentions_an_example_is_data_not_notes(store):
    plan = plan_import(csv_bytes([row("示例孵化器(选填信息齐全)"), row(NAMES[1], lon=TIANHE[0], lat=TIANHE[1])]),
                       "a.csv", city="440100", store=store)
    assert plan.ok and plan.skipped_rows == [] and plan.counts["new"] == 2


def test_xlsx_with_an_instructions_sheet_first(store):
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([row("第二个工作表的载体")], title_rows=["名录"])))
    notes = book.create_sheet("填写说明", 0)
    notes.append(["请按模板填写,一行一个载体。"])
    buffer = io.BytesIO()
    book.save(buffer)
    plan, _ = imported(store, buffer.getvalue(), "two_sheets.xlsx")
    assert plan.sheet == "Sheet" and plan.counts["new"] == 1 and plan.rows[0].row == 3


def test_commit_after_someone_else_edited_writes_nothing(store):
    from carriermap.store import ConflictError
    from carriermap.versions import edit_carrier

    carrier = store.carriers("440100").iloc[0]
    data = csv_bytes([row(carrier["name"], type_=carrier["type"], lon=str(carrier["lon"]), lat=str(carrier["lat"]),
                          total="", free="", contact="新的"), row(NAMES[0])])
    plan = plan_import(data, "a.csv", city="440100", store=store)
    assert plan.counts == {"new": 1, "changed": 1, "unchanged": 0}
    edit_carrier(store, carrier["id"], {"contact": "别人改的"}, actor="other")
    before = snapshot(store)
    with pytest.raises(ConflictError):
        commit_import(store, plan, "tester")
    assert snapshot(store) == before


def test_renamed_carrier_in_an_export_updates_by_id_but_a_foreign_numbering_does_not(store):
    carrier = store.carriers("440100").iloc[0]
    header = ["id", "name", "type", "lon", "lat"]
    renamed = csv_bytes([[str(carrier["id"]), carrier["name"] + "(更名)", carrier["type"], str(carrier["lon"]),
                          str(carrier["lat"])]], header)
    plan = plan_import(renamed, "export.csv", city="440100", store=store)
    assert plan.counts["changed"] == 1 and plan.rows[0].carrier_id == carrier["id"]
    foreign = csv_bytes([[str(carrier["id"]), "完全不同的载体", "incubator", *TIANHE]], header)
    plan = plan_import(foreign, "mine.csv", city="440100", store=store)
    assert plan.counts == {"new": 1, "changed": 0, "unchanged": 0}
