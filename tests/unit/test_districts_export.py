"""The districts table for a report: localised headers, numbers as numbers, safe cells, same as the CLI."""

import io
import json
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest

from carriermap.cities import get_city
from carriermap.districts.metrics import unit_metrics
from carriermap.districts.table import class_labels, column_header, csv, format_value, table, workbook

WUHAN = get_city("420100")


def _sheet_rows(data: bytes, sheet: str) -> list[dict]:
    ws = openpyxl.load_workbook(io.BytesIO(data))[sheet]
    values = list(ws.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def test_workbook_has_one_sheet_per_view_with_zh_headers_and_numbers(store):
    data = workbook(store.carriers("420100"), store.targets("420100"), WUHAN, "zh")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["按行政区", "按统计单位", "目标", "说明", "示例值统计"]
    sheet = book["按统计单位"]
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == ["区县/单位", "载体总数（家）", "其中待定位（家）", "国家级（家）"]  # unplaced counted, said apart
    assert "孵化器（家）" in headers and "专业型占比（%）" in headers and "载体密度（家/百km²）" in headers
    rows = _sheet_rows(data, "按统计单位")
    zone = next(r for r in rows if r["区县/单位"] == "东湖高新区")
    assert isinstance(zone["载体总数（家）"], int) and isinstance(zone["孵化总面积（m²）"], (int, float))
    assert rows[-1]["区县/单位"] == "合计"
    share_column = headers.index("专业型占比（%）") + 1
    assert sheet.cell(row=2, column=share_column).number_format == "0.0"  # a percentage number (39.3), not 0.393
    notes = [r[1] for r in book["说明"].iter_rows(min_row=2, values_only=True)]
    assert any("示例" in (n or "") for n in notes)


def test_workbook_in_english_names_units_in_english(store):
    data = workbook(store.carriers("420100"), store.targets("420100"), WUHAN, "en")
    rows = _sheet_rows(data, "By reporting unit")
    names = {r["District / unit"] for r in rows}
    assert {"East Lake High-tech Zone", "Jiang'an", "Hongshan", "Total"} <= names
    assert not any("区" in name for name in names)


def test_workbook_matches_the_cli_numbers(store, cli_env):
    data = workbook(store.carriers("420100"), store.targets("420100"), WUHAN, "zh")
    for by, sheet in (("district", "按行政区"), ("reporting_unit", "按统计单位")):
        result = subprocess.run([sys.executable, "-m", "carriermap", "metrics", "--city", "420100", "--by", by,
                                 "--format", "json"], capture_output=True, env=cli_env, check=True, timeout=120)
        cli = {r["unit"]: r for r in json.loads(result.stdout)["rows"]}
        rows = {r["区县/单位"]: r for r in _sheet_rows(data, sheet)}
        assert set(cli) == set(rows) - {"合计"}
        for unit, expected in cli.items():
            for column in ("carriers", "national", "jobs", "total_area_m2", "specialized_share", "delisted"):
                value = expected[column] * 100 if column == "specialized_share" else expected[column]  # percent
                assert rows[unit][column_header(column)] == pytest.approx(value, abs=0.051), (unit, column)


def test_targets_sheet_shows_current_gap_and_sample_flag(store):
    data = workbook(store.carriers("420100"), store.targets("420100"), WUHAN, "zh")
    targets = _sheet_rows(data, "目标")
    city = next(r for r in targets if r["范围"] == "全市" and r["指标"] == "载体总数")
    assert city["目标值"] == 600 and city["差距"] == 600 - city["目前值"] and city["截止日期"] == "2025-12-31"
    assert city["状态"] == "已逾期" and city["截止时值\uff08进行中为目前值\uff09"] is None  # no register data from 2025
    assert city["示例"] is True and city["其中示例记录"] == city["计入记录数"] > 0  # counted from invented records
    assert any(r["范围"] == "东湖高新区" and r["示例"] is True for r in targets)


def test_csv_has_a_bom_and_neutralised_text(store):
    carriers = store.carriers("340600")
    carriers.loc[carriers.index[0], "reporting_unit"] = "=HYPERLINK(\"http://x\")"
    rows = unit_metrics(carriers, "340600", "reporting_unit")
    data = csv(rows, get_city("340600"), "zh")
    assert data.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert frame.columns[0] == "区县/单位"
    assert "'=HYPERLINK(\"http://x\")" in set(frame["区县/单位"])
    assert frame["载体总数（家）"].dtype.kind == "i"


def test_xlsx_text_cells_are_neutralised(store):
    carriers = store.carriers("340600")
    carriers.loc[carriers.index[0], "reporting_unit"] = "@SUM(A1)"
    data = workbook(carriers, store.targets("340600"), get_city("340600"), "zh")
    units = [r["区县/单位"] for r in _sheet_rows(data, "按统计单位")]
    assert "'@SUM(A1)" in units and "@SUM(A1)" not in units


def test_page_table_hides_breakdowns_nobody_has_but_keeps_totals(store):
    rows = unit_metrics(store.carriers("420100"), "420100", "reporting_unit")
    shown = table(rows, WUHAN, "zh", hide_empty=True)
    assert "type_nursery" not in shown.columns and "type_incubator" in shown.columns
    assert "rating_A" not in shown.columns  # no Wuhan carrier is rated in the data
    assert shown.iloc[-1]["unit"] == "合计" and shown.iloc[-1]["carriers"] == rows["carriers"].sum()


def test_formatting_for_people():
    assert format_value(85729, "people") == "85,729"
    assert format_value(0.39812, "share") == "39.8%"
    assert format_value(float("nan"), "density") == "—"
    assert class_labels([10, 25.5], "count") == ["≤ 10", "10 – 26"]



def test_screen_table_formats_figures_and_marks_missing_ones(store):
    from carriermap.districts.table import OVERVIEW, screen_table

    rows = unit_metrics(store.carriers("420100"), "420100", "reporting_unit")
    html = screen_table(table(rows, WUHAN, "zh", columns=OVERVIEW), "zh").to_html()
    jobs = f"{int(rows['jobs'].sum()):,}"  # the total row, with a thousands separator
    assert "载体密度（家/百km²）" in html and "39.8%" in html and f">{jobs}<" in html
    assert "—" in html  # 东湖高新区 has no land area, hence no density
    assert "nan" not in html.lower().replace("nanshan", "")


def test_headers_carry_units_in_each_language():
    assert column_header("carriers", "zh") == "载体总数（家）"
    assert column_header("carriers", "en") == "Carriers"
    assert column_header("type_incubator", "en") == "Incubator"
    assert column_header("per_100km2", "en") == "Density (per 100 km²)"
    assert column_header("unit", "zh") == "区县/单位"


def test_delisted_rows_name_units_and_types_in_the_language(store):
    from carriermap.districts.metrics import delisted
    from carriermap.districts.table import delisted_rows

    gone = delisted(store.carriers("420100"), "420100", "reporting_unit")
    rows = delisted_rows(gone, WUHAN, "en")
    assert len(rows) == 23 and list(rows.columns) == ["name", "unit", "type"]
    assert "East Lake High-tech Zone" in set(rows["unit"]) and "Maker space" in set(rows["type"])
