"""Bad input: every problem at once, with row and column as in the file, and nothing written."""

import pytest

from carriermap.formatting import zh_punctuation
from carriermap.importing import commit_import, plan_import
from carriermap.importing.reading import MAX_UNPACKED_BYTES  # noqa: F401 - documented cap exists
from tests.unit.import_helpers import HEADER_ZH, TIANHE, csv_bytes, geojson_bytes, problems_at, row, snapshot, xlsx_bytes

pytestmark = pytest.mark.both_backends  # SQLite and PostgreSQL + PostGIS (tests/pg.py)


def check_rejected(store, data, filename, expected, city="440100"):
    """Plan the file: it must have exactly the ``expected`` problems and leave the DB unchanged."""
    before = snapshot(store)
    plan = plan_import(data, filename, city=city, store=store)
    found = problems_at(plan)
    for where, key in expected.items():
        assert found.get(where) == key, (where, key, plan.errors("en"))
    assert not plan.ok
    for lang in ("zh", "en"):  # every message renders in both languages, with its parameters
        assert all(e["message"] and not e["message"].startswith(("import.", "error.")) for e in plan.errors(lang))
    with pytest.raises(ValueError):
        commit_import(store, plan, "test")
    assert snapshot(store) == before
    return plan


def test_empty_file(store):
    plan = check_rejected(store, b"", "empty.csv", {(None, None): "import.error.empty_file"})
    assert "empty" in plan.errors("en")[0]["message"]
    check_rejected(store, b"\xef\xbb\xbf\r\n  \n", "blank.csv", {(None, None): "import.error.empty_file"})


def test_header_only(store):
    plan = check_rejected(store, csv_bytes([]), "header.csv", {(1, None): "import.error.no_rows"})
    assert "no rows" in plan.errors("en")[0]["message"]


def test_png_renamed_csv(store):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
    plan = check_rejected(store, png, "photo.csv", {(None, None): "error.not_text"})
    assert "CSV, XLSX or GeoJSON" in plan.errors("en")[0]["message"]


def test_random_binary_without_magic_is_not_text(store):
    import random

    rng = random.Random(3)
    junk = bytes(rng.randrange(1, 256) for _ in range(5000))
    check_rejected(store, junk, "data.csv", {(None, None): "error.not_text"})


def test_missing_required_columns_named_in_the_files_language(store):
    header = [h for h in HEADER_ZH if h not in ("经度", "纬度", "地址")]  # no point and no address either
    rows = [[c for h, c in zip(HEADER_ZH, row("甲"), strict=True) if h in header]]
    plan = check_rejected(store, csv_bytes(rows, header), "nocoords.csv",
                          {(1, "经度"): "import.error.missing_column", (1, "纬度"): "import.error.missing_column"})
    assert "名称" in plan.errors("en")[0]["message"]  # the columns the file does have
    en = check_rejected(store, csv_bytes([["x", "incubator"]], ["name", "type"]), "en.csv",
                        {(1, "lon"): "import.error.missing_column", (1, "lat"): "import.error.missing_column"})
    assert len(en.problems) == 2


def test_unknown_type_and_level_list_the_allowed_values(store):
    plan = check_rejected(store, csv_bytes([row("甲", type_="孵化中心"), row("乙", level="超级")]), "codes.csv",
                          {(2, "类型"): "lists.error.unknown_label", (3, "级别"): "lists.error.unknown_label"})
    zh = {e["row"]: e for e in plan.errors("zh")}
    en = {e["row"]: e for e in plan.errors("en")}
    assert zh[2]["value"] == "孵化中心" and "孵化器" in zh[2]["message"] and "众创空间" in zh[2]["message"]
    assert "Incubator (incubator)" in en[2]["message"]
    assert "省级" in zh[3]["message"] and "National" in en[3]["message"]
    assert zh_punctuation("最接近的已知写法:孵化器") in zh[2]["message"]  # the nearest known labels come first


def test_text_where_a_number_belongs_negative_area_free_larger_than_total(store):
    plan = check_rejected(store, csv_bytes([row("甲", total="一千"), row("乙", total="-5", free=""),
                                            row("丙", total="100", free="200")]), "numbers.csv",
                          {(2, "孵化面积(平方米)"): "error.not_number", (3, "孵化面积(平方米)"): "error.negative",
                           (4, "可供面积(平方米)"): "error.free_exceeds_total"})
    values = {e["row"]: e["value"] for e in plan.errors("en")}
    assert values == {2: "一千", 3: "-5", 4: "200"}


def test_point_outside_the_city(store):
    plan = check_rejected(store, csv_bytes([row("淮北的点", lon="116.80", lat="33.95")]), "outside.csv",
                          {(2, "经度"): "import.error.outside_city"})
    assert "Guangzhou" in plan.errors("en")[0]["message"] and "广州市" in plan.errors("zh")[0]["message"]


def test_swapped_longitude_and_latitude_are_named(store):
    plan = check_rejected(store, csv_bytes([row("反了", lon="23.05967", lat="113.339581")]), "swapped.csv",
                          {(2, "经度"): "error.swapped_lonlat"})
    assert "swapped" in plan.errors("en")[0]["message"]


def test_district_that_differs_from_the_point_names_both(store):
    plan = check_rejected(store, csv_bytes([row("错区", district="天河区")]), "district.csv",
                          {(2, "区县"): "import.error.district_mismatch"})
    message = plan.errors("zh")[0]["message"]
    assert "天河区" in message and "海珠区" in message
    assert "Haizhu" in plan.errors("en")[0]["message"]


def test_unknown_district_lists_the_citys_districts(store):
    plan = check_rejected(store, csv_bytes([row("无此区", district="火星区")]), "district.csv",
                          {(2, "区县"): "import.error.unknown_district"})
    assert "海珠区" in plan.errors("zh")[0]["message"]


def test_every_problem_is_reported_at_once(store):
    rows = [row("好的"), row("坏类型", type_="?"), row("坏面积", total="abc"), row("城外", lon="116.8", lat="33.95"),
            row("反了", lon="23.1", lat="113.3")]
    plan = check_rejected(store, csv_bytes(rows), "many.csv", {})
    assert sorted(p.row for p in plan.problems) == [3, 4, 5, 6]


@pytest.mark.parametrize("text, detail", [
    ('{"type": "FeatureCollection", "features": [', "line 1"),
    ('{"type": "Topology"}', "FeatureCollection"),
])
def test_invalid_geojson(store, text, detail):
    plan = check_rejected(store, text.encode(), "points.geojson", {(None, None): "import.error.invalid_geojson"})
    assert detail in plan.errors("en")[0]["message"]


def test_geojson_feature_that_is_not_a_point(store):
    data = geojson_bytes([({"name": "点", "type": "incubator"}, [113.3396, 23.0597])])
    data = data.replace(b'"Point"', b'"LineString"')
    plan = check_rejected(store, data, "lines.geojson", {(1, "coordinates (lon)"): "import.error.not_point"})
    assert len(plan.problems) == 1


def test_xlsx_rows_are_numbered_as_excel_shows_them(store):
    data = xlsx_bytes([row("好的"), row("坏的", total="很大")], title_rows=["2026 年广州市创新载体名录", "填报单位:示例"],
                      notes=["必填", "必填", "选填"] + ["选填"] * 7)
    plan = check_rejected(store, data, "list.xlsx", {(6, "孵化面积(平方米)"): "error.not_number"})
    assert plan.header_row == 3 and plan.skipped_rows == [4]


def test_xlsx_formula_without_saved_value(store):
    rows = [row("公式", total="=100*10")]
    check_rejected(store, xlsx_bytes(rows), "formula.xlsx", {(2, "孵化面积(平方米)"): "import.error.formula_without_value"})


def test_duplicate_rows_in_the_file(store):
    check_rejected(store, csv_bytes([row("同名"), row("同名", lon=TIANHE[0], lat=TIANHE[1])]), "dup.csv",
                   {(3, "名称"): "import.error.duplicate_row"})


def test_xml_bomb_is_refused(store):
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([row("甲")])))
    out = io.BytesIO()
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">'
            '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;">]>')
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/workbook.xml":
                body = content.split(b"?>", 1)[1] if content.startswith(b"<?xml") else content
                content = bomb.encode() + body
            target.writestr(item, content)
    check_rejected(store, out.getvalue(), "bomb.xlsx", {(None, None): "import.error.not_xlsx"})


def test_unpacked_size_is_capped(store, monkeypatch):
    from carriermap.importing import reading

    monkeypatch.setattr(reading, "MAX_UNPACKED_BYTES", 1000)
    check_rejected(store, xlsx_bytes([row("甲")]), "big.xlsx", {(None, None): "import.error.too_large"})


def test_legacy_xls_is_named(store):
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    plan = check_rejected(store, data, "old.xls", {(None, None): "import.error.legacy_xls"})
    assert ".xlsx" in plan.errors("en")[0]["message"]


def test_unknown_city_argument(store):
    check_rejected(store, csv_bytes([row("甲")]), "a.csv", {(None, None): "import.error.unknown_city"}, city="999999")


def test_every_message_key_used_by_the_importer_exists_in_both_languages():
    import re
    from pathlib import Path

    from carriermap.i18n import catalogue

    source = "".join(p.read_text(encoding="utf-8") for p in Path("src/carriermap/importing").glob("*.py"))
    keys = set(re.findall(r"\"((?:import\.error|error)\.[a-z_]+)\"", source))
    assert len(keys) > 15
    for lang in ("zh", "en"):
        assert keys <= set(catalogue(lang)), sorted(keys - set(catalogue(lang)))
