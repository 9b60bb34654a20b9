"""The column-wise XLSX writer: the same cells, of the same types, as the XlsxWriter export it replaced.

The baseline is the previous writer, kept in the benchmark (:func:`xlsxwriter_bytes`); both
workbooks are read back with openpyxl and compared cell by cell (value, type, bold header).
"""

import io
import re
import zipfile
from decimal import Decimal
from xml.etree import ElementTree

import numpy as np
import openpyxl
import pandas as pd
import pytest

from carriermap.bench.export_bench import xlsxwriter_bytes
from carriermap.export import to_xlsx_bytes
from carriermap.xlsx_writer import escape_text, sheet_names, write_xlsx

LONG = "长" * 40_000
EMOJI = "😀" * 20_000  # 40,000 UTF-16 units


def _tricky() -> pd.DataFrame:
    """Six rows of every kind of cell an export meets."""
    return pd.DataFrame({
        "int": [1, -2, 0, 2**40, 7, 123456789012345],
        "float": [0.1, 1e-7, 1e20, -0.0, np.nan, np.inf],
        "float2": [2.5, -np.inf, 3.0, 1e15, 12345.678, -1e-300],
        "Int64": pd.array([1, None, -3, 4, None, 6], dtype="Int64"),
        "bool": [True, False, True, False, True, False],
        "boolean": pd.array([True, None, False, True, None, False], dtype="boolean"),
        "when": pd.to_datetime(["2024-01-02", None, "2024-03-04 05:06:07", "2025-12-31", None, "2020-02-29"],
                               format="ISO8601"),
        "when_utc": pd.to_datetime(["2024-01-02T03:04:05Z"] * 3 + [None] * 3, utc=True),
        "category": pd.Categorical(["a", "=b", None, "a", "天河", "-c"]),
        "list": [["a", "b"], [], None, ["=x", "y"], [1, 2], "plain"],
        "text": ["天河区 科技园", "=1+1", "+1", "-2", "@SUM(A1)", " =1"],
        "text2": ["＝1", "a&b<c>\"d'", "tab\there\nnew\r\nline", "ctrl\x01\x1f end", "_x0041_ and _X00ff_", ""],
        "text3": [LONG, EMOJI, None, "  padded  ", "\u3000-x", "x" * 32_767],
        "mixed": [1, "a", 2.5, True, None, Decimal("1.50")],
        "int_objects": [2025, None, 2024, None, 1, 0],
        "float_objects": [1.5, None, np.nan, np.inf, 2.0, -0.0],
        "empty": [None] * 6,
        "str_dtype": pd.array(["x", None, "=y", "z&", " ", "w"], dtype="str"),
        "=header": [1, 2, 3, 4, 5, 6],
        "a&b<c>": ["", "", "", "", "", ""],
    })


def _sheets() -> dict[str, pd.DataFrame]:
    return {"carriers": _tricky(), "a much longer sheet name than Excel allows": _tricky().iloc[::-1],
            "空": pd.DataFrame({"only": pd.Series([], dtype=object)}), "中文 表": _tricky().head(2)}


def _read(data: bytes) -> list[tuple[str, list[list[tuple[str, object]]], list[bool]]]:
    """Each sheet: title, cells as (type name, value), and which header cells are bold."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    out = []
    for sheet in book.worksheets:
        rows = [[(type(cell.value).__name__, cell.value) for cell in row] for row in sheet.iter_rows()]
        bold = [bool(cell.font and cell.font.b) for cell in next(sheet.iter_rows(max_row=1), ())]
        out.append((sheet.title, rows, bold))
    return out


def test_cells_types_and_bold_header_match_the_previous_xlsxwriter_export():
    sheets = _sheets()
    ours, theirs = _read(to_xlsx_bytes(sheets)), _read(xlsxwriter_bytes(sheets))
    assert [title for title, _, _ in ours] == [title for title, _, _ in theirs]
    for (title, rows, bold), (_, old_rows, old_bold) in zip(ours, theirs, strict=True):
        assert rows == old_rows, title
        assert bold == old_bold and all(bold), title


def test_text_is_escaped_truncated_and_kept_as_text():
    frame = _tricky()
    title, rows, _ = _read(to_xlsx_bytes({"t": frame}))[0]
    cells = {header[1]: [row[index][1] for row in rows[1:]] for index, header in enumerate(rows[0])}
    assert cells["text2"][1] == "a&b<c>\"d'" and cells["text2"][3] == "ctrl_x0001__x001F_ end"
    assert cells["text2"][2] == "tab\there\nnew_x000D_\nline"  # Excel shows a CR; openpyxl leaves the escape
    assert cells["text"][1] == "'=1+1" and cells["'=header"] == [1, 2, 3, 4, 5, 6]
    assert cells["text3"][0] == "长" * 32_767 and cells["text3"][1] == "😀" * 16_383
    assert cells["text3"][3] == "  padded  " and cells["text3"][5] == "x" * 32_767
    assert cells["list"][0] == "a;b" and cells["list"][4] == "1;2" and cells["mixed"][5] == "1.50"
    assert cells["float"][:4] == [0.1, 1e-7, 1e20, 0] and cells["float"][4:] == [None, None]


def test_escapes_read_back_as_the_text_excel_would_show():
    assert escape_text("ctrl\x01 and _x0041_ & <b> \r\ufffe\ud800") == (
        "ctrl_x0001_ and _x005F_x0041_ &amp; &lt;b&gt; _x000D__xFFFE__xD800_")
    texts = pd.Series(["lone \ud800 surrogate", "bom \ufeff ok", "sep \uffff x"], dtype=object)  # Arrow refuses \ud800
    data = write_xlsx({"s": pd.DataFrame({"t": texts})})
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "lone _xD800_ surrogate" in xml and "bom \ufeff ok" in xml and "sep _xFFFF_ x" in xml


def test_floats_round_trip_exactly_and_integers_stay_integers():
    rng = np.random.default_rng(7)
    edges = [0.1 + 0.2, 1 / 3, 2**53 + 2.0, 1e16, 5e-324, 1.7976931348623157e308]
    floats = np.concatenate([rng.uniform(-180, 180, 500), edges])
    frame = pd.DataFrame({"f": floats, "i": np.arange(len(floats), dtype=np.int64) * 10**12})
    rows = list(openpyxl.load_workbook(io.BytesIO(write_xlsx({"s": frame}))).active.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == floats.tolist()
    assert all(type(row[1]) is int for row in rows) and [row[1] for row in rows] == frame["i"].tolist()


def test_workbook_is_a_valid_package_with_every_required_part():
    data = to_xlsx_bytes(_sheets())
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    names = set(archive.namelist())
    assert {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
            *(f"xl/worksheets/sheet{n}.xml" for n in range(1, 5))} <= names
    for name in names:
        ElementTree.fromstring(archive.read(name))  # well-formed XML
    assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in archive.infolist())
    workbook = archive.read("xl/workbook.xml").decode("utf-8")
    assert re.findall(r'<sheet name="([^"]*)"', workbook)[1] == "a much longer sheet name than E"


def test_small_blocks_write_the_same_sheet_as_one_block():
    frame = _tricky()
    assert _read(write_xlsx({"s": frame}, block_rows=2)) == _read(write_xlsx({"s": frame}, block_rows=4096))


def test_sheet_names_are_valid_distinct_and_escaped():
    assert sheet_names(["a/b:c", "'quoted'", "", "A/B:C", "x" * 40, "x" * 31 + "y"]) == [
        "a_b_c", "quoted", "Sheet3", "A_B_C (2)", "x" * 31, "x" * 27 + " (2)"]
    data = write_xlsx({"R&D <1>": pd.DataFrame({"a": [1]}), "Q\"1\"": pd.DataFrame({"a": [2]})})
    assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames == ["R&D <1>", "Q\"1\""]


def test_empty_and_columnless_frames_and_size_limits():
    data = write_xlsx({"none": pd.DataFrame(), "header": pd.DataFrame(columns=["a", ""])})
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book["header"]["A1"].value == "a" and book["header"]["A1"].font.b and book["header"].max_row == 1
    with pytest.raises(ValueError):
        write_xlsx({"wide": pd.DataFrame(np.zeros((1, 16_385)))})
