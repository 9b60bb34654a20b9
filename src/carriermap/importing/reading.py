"""Reading an uploaded file into rows of text cells, whatever its kind and encoding.

Files as people have them: CSV in UTF-8 (with or without BOM) or GBK/GB18030, XLSX with
title rows and merged cells, GeoJSON points. Every cell comes back as text (so codes such as
``0561…`` keep their zeros) together with the row number the user sees in the file.

The kind is decided from the bytes, not only the name: a PNG renamed ``.csv`` is refused,
an XLSX renamed ``.csv`` is read as XLSX. Strict UTF-8 is tried before GB18030, which
decodes UTF-8 bytes into mojibake without any error. XLSX files are zips: their unpacked
size is capped before anything is parsed, and openpyxl parses them with ``defusedxml``
(pinned in requirements.txt), which refuses entity-expansion bombs.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from carriermap.importing import encodings
from carriermap.importing.encodings import is_utf16, refuse_html
from carriermap.importing.problems import ImportFileError, RowProblem
from carriermap.importing.sheets import choose_sheet

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
_BINARY_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"BM", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf",
                 b"\x00\x00\x01\x00", b"RIFF", b"II*\x00", b"MM\x00*")
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls / .doc
_ZIP_MAGIC = b"PK\x03\x04"


@dataclass
class RawTable:
    """Every row of one sheet as text cells, with the row numbers the user sees.

    ``header`` is None when the header row is still to be found among ``rows`` (CSV, XLSX);
    GeoJSON gives it directly, with ``fixed`` mapping synthetic columns (the point's
    coordinates) to their fields.
    """

    kind: str
    rows: list[list[str]]
    row_numbers: list[int]
    header: list[str] | None = None
    fixed: dict[int, str] = field(default_factory=dict)
    sheet: str | None = None
    encoding: str | None = None
    crs: str | None = None
    problems: list[RowProblem] = field(default_factory=list)


def read_source(data: bytes, filename: str = "") -> RawTable:
    """Read ``data`` (the file's bytes; ``filename`` hints the kind) into a :class:`RawTable`.

    Raises :class:`ImportFileError` when the file as a whole cannot be used (empty, binary,
    too large, a legacy ``.xls``, invalid GeoJSON, …).
    """
    name = PurePath(filename or "").name
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError("import.error.too_large", limit_mb=MAX_FILE_BYTES // 2**20)
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ImportFileError("import.error.empty_file", path=name)
    if data.startswith(_ZIP_MAGIC):
        return read_xlsx(data, name)
    if data.startswith(_OLE2_MAGIC):
        raise ImportFileError("import.error.legacy_xls", path=name)
    refuse_html(data, name)  # a web page saved as .xls: explained, not "unreadable"
    if data.startswith(_BINARY_MAGIC) or (b"\x00" in data[:4096] and not is_utf16(data)):
        raise ImportFileError("error.not_text", path=name)
    text, encoding = decode_text(data, name)
    suffix = PurePath(name).suffix.lower()
    if suffix in (".geojson", ".json") or text.lstrip().startswith(("{", "[")):
        try:
            return read_json(text, name)
        except RecursionError as error:  # nested deeper than the parser (or a property's dump) can follow
            raise ImportFileError("import.error.too_deep", path=name, limit=sys.getrecursionlimit()) from error
    table = read_csv_text(text)
    table.encoding = encoding
    return table


def decode_text(data: bytes, name: str = "") -> tuple[str, str]:
    """Decode text bytes: UTF-16 with a BOM, strict UTF-8 (BOM or not), then GB18030 (a superset of
    GBK); a file mixing encodings is refused naming its first bad line (:mod:`.encodings`)."""
    return encodings.decode_text(data, name)


def read_csv_text(text: str) -> RawTable:
    """Rows of a CSV text (comma, semicolon or tab separated, sniffed from the first lines)."""
    sample = "\n".join(text.splitlines()[:20])
    delimiter = max((",", "\t", ";"), key=sample.count) if sample else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, numbers = [], []
    try:
        for number, row in enumerate(reader, start=1):
            rows.append([cell.strip() for cell in row])
            numbers.append(number)
    except csv.Error as error:
        raise ImportFileError("import.error.bad_csv", row=len(numbers) + 1, error=str(error)) from error
    return RawTable(kind="csv", rows=rows, row_numbers=numbers)


def _check_zip(data: bytes, name: str) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise ImportFileError("error.not_text", path=name) from error
    with archive:
        members = archive.infolist()
        unpacked = sum(member.file_size for member in members)
        packed = sum(member.compress_size for member in members) or 1
        if not any(member.filename == "xl/workbook.xml" for member in members):
            raise ImportFileError("import.error.not_xlsx", path=name)
    if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_COMPRESSION_RATIO:
        raise ImportFileError("import.error.too_large", limit_mb=MAX_UNPACKED_BYTES // 2**20)


def cell_text(value: Any) -> str:
    """A spreadsheet cell as text: whole floats without ``.0``, dates as ISO, None as ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def read_xlsx(data: bytes, name: str = "") -> RawTable:
    """The sheet of an XLSX workbook the user means (:func:`.sheets.choose_sheet`), as text.

    Formulas: the value Excel saved with the file is used; a formula saved without a value
    (written by a program, never opened in Excel) is reported per cell, not read as empty.
    """
    import openpyxl
    import openpyxl.xml

    if not openpyxl.xml.DEFUSEDXML:  # pragma: no cover - defusedxml is pinned; refuse rather than risk
        raise ImportFileError("import.error.not_xlsx", path=name)
    _check_zip(data, name)
    from carriermap.importing.headers import find_header_row

    try:
        formulas_book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        try:
            # The active sheet (or the one visible sheet with a header when a "说明" sheet is active).
            sheet_name, (rows, formula_cells) = choose_sheet(
                formulas_book, _sheet_cells, lambda rows: find_header_row(rows) is not None, name)
        finally:
            formulas_book.close()
    except ImportFileError:
        raise
    except Exception as error:  # openpyxl and defusedxml raise many kinds for a damaged or hostile workbook
        raise ImportFileError("import.error.not_xlsx", path=name) from error
    problems: list[RowProblem] = []
    if formula_cells:
        values_book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            cached = [list(row) for row in values_book[sheet_name].iter_rows(values_only=True)]
        except Exception as error:  # pragma: no cover - the same parts parsed a moment ago
            raise ImportFileError("import.error.not_xlsx", path=name) from error
        finally:
            values_book.close()
        for r, c in formula_cells:
            value = cached[r][c] if r < len(cached) and c < len(cached[r]) else None
            if value is None:
                problems.append(RowProblem(r + 1, c, "=…", "import.error.formula_without_value"))
            rows[r][c] = cell_text(value)
    return RawTable(kind="xlsx", rows=rows, row_numbers=list(range(1, len(rows) + 1)), sheet=sheet_name,
                    problems=problems)


def _sheet_cells(sheet) -> tuple[list[list[str]], list[tuple[int, int]]]:
    """A sheet's cells as text, and the (row, column) indexes of formula cells (values filled in later)."""
    rows: list[list[str]] = []
    formula_cells: list[tuple[int, int]] = []
    for r, row in enumerate(sheet.iter_rows()):
        cells = []
        for c, cell in enumerate(row):
            if getattr(cell, "data_type", None) == "f":
                formula_cells.append((r, c))
                cells.append("")
            else:
                cells.append(cell_text(getattr(cell, "value", None)))
        rows.append(cells)
    return rows, formula_cells


def read_json(text: str, name: str = "") -> RawTable:
    """A JSON file: a GeoJSON FeatureCollection, or an array of records (:mod:`.records`)."""
    from carriermap.importing.records import read_records, records_in

    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        return read_geojson(text, name)  # says where the JSON is broken
    records = records_in(document)
    return read_records(records, name) if records is not None else read_geojson(text, name)


def read_geojson(text: str, name: str = "") -> RawTable:
    """Point features of a GeoJSON FeatureCollection (or one Feature) as rows.

    The row number is the feature's position (1 = first feature). Coordinates are WGS-84
    unless the file says otherwise in its (legacy) ``crs`` member or a ``crs`` property.
    """
    try:
        document = json.loads(text)
    except RecursionError as error:  # "[[[[…" nested thousands deep
        raise ImportFileError("import.error.too_deep", path=name, limit=sys.getrecursionlimit()) from error
    except json.JSONDecodeError as error:
        raise ImportFileError("import.error.invalid_geojson", path=name,
                              detail=f"line {error.lineno}, column {error.colno}: {error.msg}") from error
    if isinstance(document, dict) and document.get("type") == "Feature":
        document = {"type": "FeatureCollection", "features": [document]}
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection" \
            or not isinstance(document.get("features"), list):
        raise ImportFileError("import.error.invalid_geojson", path=name, detail="no FeatureCollection")
    crs = _geojson_crs(document.get("crs"), name)
    from carriermap.importing.headers import field_for_header

    keys: list[str] = []
    for feature in document["features"]:
        for key in (feature.get("properties") or {}) if isinstance(feature, dict) else ():
            if key not in keys and field_for_header(str(key)) not in ("lon", "lat"):
                keys.append(key)
    header = [*keys, "coordinates (lon)", "coordinates (lat)"]
    fixed = {len(keys): "lon", len(keys) + 1: "lat"}
    rows, numbers, problems = [], [], []
    for number, feature in enumerate(document["features"], start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        lon = lat = ""
        if geometry is None:
            pass  # a feature without geometry: an unplaced carrier (its address says where)
        elif not isinstance(geometry, dict) or geometry.get("type") != "Point":
            kind = geometry.get("type") if isinstance(geometry, dict) else geometry
            problems.append(RowProblem(number, len(keys), str(kind), "import.error.not_point"))
        else:
            coordinates = geometry.get("coordinates")
            if isinstance(coordinates, list) and len(coordinates) >= 2:
                lon, lat = cell_text(coordinates[0]), cell_text(coordinates[1])
            else:
                problems.append(RowProblem(number, len(keys), str(coordinates), "import.error.not_point"))
        values = [cell_text(_scalar((properties or {}).get(key))) for key in keys]
        rows.append([*values, lon, lat])
        numbers.append(number)
    return RawTable(kind="geojson", rows=rows, row_numbers=numbers, header=header, fixed=fixed, crs=crs,
                    problems=problems)


def _scalar(value: Any) -> Any:
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _geojson_crs(member: Any, name: str) -> str | None:
    """The coordinate system a legacy ``crs`` member names (None: WGS-84, the GeoJSON default)."""
    if member is None:
        return None
    text = json.dumps(member).lower()
    if "gcj" in text:
        return "gcj02"
    if "bd09" in text or "baidu" in text:
        return "bd09"
    if "4326" in text or "crs84" in text or "wgs" in text:
        return None
    raise ImportFileError("import.error.geojson_crs", path=name, crs=json.dumps(member, ensure_ascii=False))
