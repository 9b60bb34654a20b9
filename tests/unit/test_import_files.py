"""Files as offices save them: the active sheet (not a stale hidden one), UTF-16 "Unicode text",
mixed encodings named by line, web pages saved as .xls, Excel serial dates, absurdly nested GeoJSON."""

import io

import openpyxl
import pytest

from carriermap.cli import main
from carriermap.importing import plan_import
from tests.unit.import_helpers import HEADER_ZH, TIANHE, csv_bytes, row

pytestmark = pytest.mark.both_backends


def _book(sheets, active, hidden=()) -> bytes:
    """A workbook of ``{title: rows}`` (first row the header) with ``active`` chosen and ``hidden`` sheets."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for values in rows:
            sheet.append(values)
        if title in hidden:
            sheet.sheet_state = "hidden"
    book.active = list(sheets).index(active)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


STALE = [HEADER_ZH, row("旧孵化器甲"), row("旧孵化器乙", lon=TIANHE[0], lat=TIANHE[1])]
FRESH = [HEADER_ZH, row("新孵化器丙")]


def test_a_hidden_stale_sheet_in_front_is_not_read_the_active_one_is(store):
    data = _book({"旧数据": STALE, "2026年": FRESH}, active="2026年", hidden=("旧数据",))
    plan = plan_import(data, "list.xlsx", city="440100", store=store)
    assert plan.ok, plan.errors("en")
    assert plan.sheet == "2026年" and [r.record["name"] for r in plan.rows] == ["新孵化器丙"]


def test_a_notes_sheet_left_active_passes_to_the_one_data_sheet(store):
    data = _book({"说明": [["填表说明"], ["请勿修改表头"]], "数据": FRESH}, active="说明")
    plan = plan_import(data, "list.xlsx", city="440100", store=store)
    assert plan.ok and plan.sheet == "数据"


def test_two_candidate_sheets_behind_a_notes_sheet_ask_instead_of_guessing(store):
    data = _book({"说明": [["填表说明"]], "2025年": STALE, "2026年": FRESH}, active="说明")
    plan = plan_import(data, "list.xlsx", city="440100", store=store)
    assert [p.key for p in plan.problems] == ["import.error.hidden_sheets"]
    message = plan.errors("en")[0]["message"]
    assert "2025年" in message and "2026年" in message and "说明" in message


def test_the_cli_says_which_sheet_it_read(db_url, tmp_path, capsys):
    path = tmp_path / "list.xlsx"
    path.write_bytes(_book({"旧数据": STALE, "2026年": FRESH}, active="2026年", hidden=("旧数据",)))
    assert main(["--database", db_url, "--lang", "en", "import", str(path), "--city", "440100", "--dry-run"]) == 0
    assert 'Read sheet "2026年"' in capsys.readouterr().out


def test_utf16_unicode_text_from_excel_is_read(store):
    text = "\r\n".join("\t".join(cells) for cells in (HEADER_ZH, row("新孵化器丁"), row("新孵化器戊"))) + "\r\n"
    for data in ("\ufeff" + text).encode("utf-16-le"), ("\ufeff" + text).encode("utf-16-be"):
        plan = plan_import(data, "unicode.txt", city="440100", store=store)
        assert plan.ok, plan.errors("en")
        assert plan.encoding == "utf-16" and [r.record["name"] for r in plan.rows] == ["新孵化器丁", "新孵化器戊"]


def test_a_file_mixing_utf8_and_gbk_names_the_first_bad_line(store):
    data = csv_bytes([row("新孵化器己"), row("新孵化器庚")], encoding="utf-8") + \
        csv_bytes([row("新孵化器辛")], encoding="gbk").split(b"\r\n", 1)[1]
    plan = plan_import(data, "mixed.csv", city="440100", store=store)
    assert [p.key for p in plan.problems] == ["import.error.bad_encoding"]
    assert plan.problems[0].params["line"] == 4
    assert "4" in plan.errors("en")[0]["message"] and "UTF-8" in plan.errors("en")[0]["message"]


def test_one_stray_latin1_byte_names_its_line(store):
    data = csv_bytes([row("新孵化器壬"), row("Café incubator")], encoding="utf-8")
    data = data.replace("Café".encode(), "Caf\xe9".encode("latin-1"))
    plan = plan_import(data, "stray.csv", city="440100", store=store)
    assert [p.key for p in plan.problems] == ["import.error.bad_encoding"]
    assert plan.problems[0].params["line"] == 3 and plan.problems[0].params["byte"] == "0xE9"


@pytest.mark.parametrize("page", [
    b"<html><head><meta charset='utf-8'></head><body><table><tr><td>\xe5\x90\x8d\xe7\xa7\xb0</td></tr></table>",
    b"\xef\xbb\xbf  <table border=1><tr><th>name</th></tr></table>",
    "<!DOCTYPE html><html><table></table></html>".encode("utf-16"),
], ids=["html", "table", "utf16"])
def test_an_html_table_saved_as_xls_is_recognised_and_explained(store, page):
    plan = plan_import(page, "export.xls", city="440100", store=store)
    assert [p.key for p in plan.problems] == ["import.error.html_xls"]
    assert "HTML" in plan.errors("en")[0]["message"] and ".xlsx" in plan.errors("en")[0]["message"]


def test_excel_serial_dates_in_a_date_column_become_dates(store):
    header = [*HEADER_ZH, "认定日期"]
    data = _book({"数据": [header, [*row("新孵化器癸"), 45292]]}, active="数据")
    plan = plan_import(data, "dates.xlsx", city="440100", store=store)
    assert plan.ok, plan.errors("en")
    assert plan.rows[0].record["level_notice_date"] == "2024-01-01"


@pytest.mark.parametrize("depth", [5_000, 200_000])
def test_deeply_nested_geojson_is_a_clear_error_not_a_crash(store, depth):
    data = ('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"x": '
            + "[" * depth + "]" * depth + '}, "geometry": {"type": "Point", "coordinates": [113.3, 23.1]}}]}').encode()
    plan = plan_import(data, "deep.geojson", city="440100", store=store)
    assert [p.key for p in plan.problems] == ["import.error.too_deep"]
