"""Writing a minimal XLSX workbook ourselves, column by column, in bounded memory.

A cell-by-cell writer spends its time in Python per cell (100,000 carriers are about four
million cells). Here each column of a block of rows becomes its cells' XML in a few steps
over the whole column (blanks and kinds found by numpy and pandas, numbers formatted by one
``map``, text escaped in one pass over the joined column, one f-string a cell), the block is
joined into ``<row>`` elements and streamed into the zip part, so memory stays bounded by
the block size whatever the number of rows.

The workbook is plain OOXML: one sheet part per frame, inline strings (no shared-string
table), one bold font for the header row. What a cell becomes:

* numbers: ``<v>`` with an integer's digits, or a float's shortest repr (it reads back
  as the same double); integral floats below 1e16 are written without ``.0``, as Excel
  and XlsxWriter write them, so a reader sees an integer;
* booleans: ``t="b"``;
* text: an inline string, XML-escaped; characters XML 1.0 forbids (C0 controls but tab
  and LF; CR too, which XML would turn into LF; U+FFFE, U+FFFF, lone surrogates) become
  Excel's ``_xHHHH_`` escape, and literal ``_xHHHH_`` text gets ``_x005F`` before it, as
  Excel and XlsxWriter do, so it reads back unchanged. Text longer than Excel's limit of
  32,767 UTF-16 units is cut there (never inside a character above U+FFFF), as XlsxWriter
  does; Excel refuses to open a workbook with a longer cell;
* blanks (None, NaN, NA, NaT, infinities): no cell at all.

What each value *is* (neutralised text, lists joined, other objects as text) is decided by
:func:`cell_value`; the caller prepares the frame (formula neutralising is not done here).
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from xml.sax.saxutils import quoteattr

import numpy as np
import pandas as pd
from openpyxl.utils import get_column_letter

MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
MAX_TEXT_UNITS = 32_767
MAX_SHEET_NAME = 31
BLOCK_ROWS = 4_096
COMPRESSLEVEL = 1

_SEPARATOR = "\uffff"  # never left in escaped text, so it can join and split a column's cells
_ILLEGAL_CHARACTERS = r"\x00-\x08\x0b-\x1f\ufffe\ud800-\udfff"  # and U+FFFF, the separator
_ILLEGAL = re.compile(rf"[{_ILLEGAL_CHARACTERS}\uffff]")
_ILLEGAL_BUT_SEPARATOR = re.compile(rf"[{_ILLEGAL_CHARACTERS}]")
_NEEDS_ESCAPE = re.compile(rf"[&<>{_ILLEGAL_CHARACTERS}\uffff]|_x[0-9a-fA-F]{{4}}_")
_MARKUP_OR_ILLEGAL_BUT_SEPARATOR = re.compile(rf"[&<>{_ILLEGAL_CHARACTERS}]")
_LITERAL_ESCAPE = re.compile(r"_x[0-9a-fA-F]{4}_")
_INVALID_SHEET_CHARACTERS = re.compile(r"[\[\]:*?/\\]")

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def cell_value(value: object) -> object:
    """What a cell holds: a bool, an int, a finite float or text; None for a blank.

    Lists and tuples become their items joined with ``;``; any other object its ``str``.
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return ";".join(map(str, value))
    return str(value)


def truncate_text(text: str) -> str:
    """``text`` cut to Excel's 32,767 UTF-16 units, never inside a character above U+FFFF."""
    if len(text) <= MAX_TEXT_UNITS // 2 or len(text.encode("utf-16-le", "surrogatepass")) <= 2 * MAX_TEXT_UNITS:
        return text
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > MAX_TEXT_UNITS:
            return text[:index]
    return text


def escape_text(text: str) -> str:
    """Text ready for a ``<t>`` element: ``_xHHHH_`` escapes for illegal characters, ``& < >`` escaped."""
    return _escape(text, _ILLEGAL) if _NEEDS_ESCAPE.search(text) else text


def _escape(text: str, illegal: re.Pattern[str]) -> str:
    """:func:`escape_text` without the check whether anything needs escaping."""
    text = _LITERAL_ESCAPE.sub(r"_x005F\g<0>", text)
    text = illegal.sub(lambda match: f"_x{ord(match.group()):04X}_", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_texts(texts: list[str]) -> list[str]:
    """:func:`truncate_text` then :func:`escape_text` of every item, as one pass over the joined column when it can."""
    if texts and max(map(len, texts)) > MAX_TEXT_UNITS // 2:
        texts = [truncate_text(text) for text in texts]
    joined = _SEPARATOR.join(texts)
    if joined.count(_SEPARATOR) != max(len(texts) - 1, 0):  # some text holds the separator itself
        return [escape_text(text) for text in texts]
    if not (_MARKUP_OR_ILLEGAL_BUT_SEPARATOR.search(joined) or ("_x" in joined and _LITERAL_ESCAPE.search(joined))):
        return texts
    return _escape(joined, _ILLEGAL_BUT_SEPARATOR).split(_SEPARATOR)


def float_texts(values: np.ndarray) -> list[str]:
    """Each float as ``<v>`` text: its shortest repr, integral values below 1e16 as integers.

    Only finite values may be passed.
    """
    integral = (np.abs(values) < 1e16) & (values == np.trunc(values))
    if integral.all():
        return list(map(str, values.astype(np.int64).tolist()))
    if not integral.any():
        return list(map(repr, values.tolist()))
    out = np.empty(len(values), dtype=object)
    out[integral] = _objects(list(map(str, values[integral].astype(np.int64).tolist())))
    out[~integral] = _objects(list(map(repr, values[~integral].tolist())))
    return out.tolist()


def _objects(items: list[object]) -> np.ndarray:
    """``items`` as a one-dimensional object array (numpy never looks inside them)."""
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


def sheet_names(names: Sequence[object]) -> list[str]:
    """Valid, distinct sheet names: at most 31 characters, none of ``[]:*?/\\``, no apostrophe at an end.

    Invalid characters become ``_``; an empty name becomes ``SheetN``; a name equal (case
    ignored) to an earlier one gets `` (2)``, `` (3)``… within the 31 characters.
    """
    result: list[str] = []
    seen: set[str] = set()
    for number, name in enumerate(names, start=1):
        base = _INVALID_SHEET_CHARACTERS.sub("_", str(name))[:MAX_SHEET_NAME].strip("'") or f"Sheet{number}"
        candidate, copy = base, 1
        while candidate.casefold() in seen:
            copy += 1
            suffix = f" ({copy})"
            candidate = base[:MAX_SHEET_NAME - len(suffix)].rstrip("'") + suffix
        seen.add(candidate.casefold())
        result.append(candidate)
    return result


_TEXT = ('" t="inlineStr"><is><t>', "</t></is></c>")
_PADDED_TEXT = ('" t="inlineStr"><is><t xml:space="preserve">', "</t></is></c>")  # leading or trailing space kept
_NUMBER = ('"><v>', "</v></c>")
_BOOLEAN = ('" t="b"><v>', "</v></c>")
_Part = tuple[np.ndarray, tuple[str, str], list[str]]  # which rows of the block, the tags around the value, the values


@dataclass(frozen=True)
class _Column:
    """One column's values, converted once: the kind decides how a block of it becomes cells."""

    kind: str  # "boolean", "integer", "float" or "object"
    values: np.ndarray | pd.Series
    present: np.ndarray


def _column(series: pd.Series) -> _Column:
    """The column as the array its cells are made from (the same rules for every block)."""
    present = series.notna().to_numpy(dtype=bool)
    if pd.api.types.is_bool_dtype(series):
        return _Column("boolean", series.to_numpy(dtype=bool, na_value=False), present)
    if pd.api.types.is_integer_dtype(series) and not (
            pd.api.types.is_unsigned_integer_dtype(series) and series.dtype.itemsize == 8):
        return _Column("integer", series.to_numpy(dtype=np.int64, na_value=0), present)
    if pd.api.types.is_numeric_dtype(series):
        values = series.to_numpy(dtype="float64", na_value=np.nan)
        return _Column("float", values, np.isfinite(values))
    return _Column("object", series, present)  # converted block by block: Python strings cost memory


def _typed_parts(kind: str, values: np.ndarray, where: np.ndarray) -> list[_Part]:
    """The cells of ``values[where]``, all of one ``kind`` (``boolean``, ``integer``, ``float`` or ``text``)."""
    if not where.any():
        return []
    chosen = values[where]
    if kind == "boolean":
        return [(where, _BOOLEAN, ["1" if value else "0" for value in chosen.tolist()])]
    if kind == "integer":
        return [(where, _NUMBER, list(map(str, chosen.tolist())))]
    if kind == "float":
        return [(where, _NUMBER, float_texts(chosen.astype("float64")))]
    return _text_parts(where, escape_texts(chosen.tolist()))


def _text_parts(where: np.ndarray, texts: list[str]) -> list[_Part]:
    """Text cells; those with leading or trailing white space say so (``xml:space``), as XlsxWriter writes them."""
    stripped = list(map(str.strip, texts))
    if stripped == texts:
        return [(where, _TEXT, texts)]
    padded = np.array([text != plain for text, plain in zip(texts, stripped, strict=True)], dtype=bool)
    rows = np.flatnonzero(where)
    parts = []
    for chosen, tags in ((~padded, _TEXT), (padded, _PADDED_TEXT)):
        subset = np.zeros_like(where)
        subset[rows[chosen]] = True
        parts.append((subset, tags, [text for text, keep in zip(texts, chosen.tolist(), strict=True) if keep]))
    return parts


_INFERRED = {"string": "text", "empty": "text", "integer": "integer", "boolean": "boolean", "floating": "float"}


def _object_parts(values: np.ndarray) -> list[_Part]:
    """The cells of an object column's block: one kind at once when the column has one, else as :func:`cell_value` says."""
    present = ~pd.isna(values)
    kind = _INFERRED.get(pd.api.types.infer_dtype(values[present], skipna=False))
    if kind == "float":
        present &= np.isfinite(values.astype("float64", copy=False), where=present)
    if kind is not None:
        return _typed_parts(kind, values, present)
    cells = _objects([cell_value(value) for value in values])
    kinds = np.array([_kind(cell) for cell in cells.tolist()], dtype=object)
    return [part for kind in ("text", "boolean", "integer", "float") for part in _typed_parts(kind, cells, kinds == kind)]


def _kind(value: object) -> str:
    """The kind of a :func:`cell_value` result: ``text``, ``boolean``, ``integer``, ``float`` or ``""`` (blank)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool):
        return "boolean"
    return "integer" if isinstance(value, int) else "float"


def _block_cells(column: _Column, start: int, stop: int, prefix: str, numbers: list[str]) -> list[str]:
    """The cell elements of rows ``start:stop`` of one column (``""`` for a blank)."""
    if column.kind == "object":
        parts = _object_parts(column.values.iloc[start:stop].to_numpy(dtype=object))
    else:
        parts = _typed_parts(column.kind, column.values[start:stop], column.present[start:stop])
    if len(parts) == 1 and parts[0][0].all():
        _, (head, tail), texts = parts[0]
        return [f"{prefix}{number}{head}{text}{tail}" for number, text in zip(numbers, texts, strict=True)]
    cells = [""] * (stop - start)
    for where, (head, tail), texts in parts:
        for index, text in zip(np.flatnonzero(where).tolist(), texts, strict=True):
            cells[index] = f"{prefix}{numbers[index]}{head}{text}{tail}"
    return cells


def _header_row(columns: Sequence[object]) -> str:
    """Row 1: each column name as bold text (an empty name is a bold blank, as XlsxWriter writes it)."""
    cells = []
    for index, name in enumerate(columns):
        text, reference = str(cell_value(name)), f'<c r="{get_column_letter(index + 1)}1"'
        cells.append(f"{reference} s=\"1\"/>" if text == "" else
                     f"{reference} s=\"1\"{_PADDED_TEXT[0][1:]}{escape_texts([text])[0]}{_PADDED_TEXT[1]}")
    return f'<row r="1">{"".join(cells)}</row>'


def sheet_xml(frame: pd.DataFrame, block_rows: int = BLOCK_ROWS) -> Iterator[str]:
    """The worksheet part for ``frame`` (header row, then one row per record), in pieces of ``block_rows`` rows."""
    rows, width = frame.shape
    if rows + 1 > MAX_ROWS or width > MAX_COLUMNS:
        raise ValueError(f"a sheet holds at most {MAX_ROWS - 1} rows and {MAX_COLUMNS} columns, not {rows} × {width}")
    last = f"{get_column_letter(width)}{rows + 1}" if width else "A1"
    yield (f'{_DECLARATION}<worksheet xmlns="{_MAIN}" xmlns:r="{_DOC_RELS}"><dimension ref="A1:{last}"/>'
           f"<sheetData>{_header_row(list(frame.columns))}")
    columns = [_column(frame.iloc[:, index]) for index in range(width)]
    prefixes = [f'<c r="{get_column_letter(index + 1)}' for index in range(width)]
    for start in range(0, rows if width else 0, block_rows):
        stop = min(start + block_rows, rows)
        numbers = list(map(str, range(start + 2, stop + 2)))
        opens = [f'<row r="{number}">' for number in numbers]
        cells = [_block_cells(column, start, stop, prefix, numbers)
                 for column, prefix in zip(columns, prefixes, strict=True)]
        yield "".join(chain.from_iterable(zip(opens, *cells, ["</row>"] * len(numbers), strict=True)))
    yield "</sheetData></worksheet>"


def _package_parts(names: Sequence[str]) -> dict[str, str]:
    """Every part but the sheets: content types, relationships, workbook and styles."""
    sheets = range(1, len(names) + 1)
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
                        f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for n in sheets)
    content_types = (
        f'{_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{overrides}</Types>")
    root_rels = (f'{_DECLARATION}<Relationships xmlns="{_PACKAGE_RELS}"><Relationship Id="rId1" '
                 f'Type="{_DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    entries = "".join(f"<sheet name={quoteattr(name)} sheetId=\"{n}\" r:id=\"rId{n}\"/>"
                      for n, name in zip(sheets, names, strict=True))
    workbook = (f'{_DECLARATION}<workbook xmlns="{_MAIN}" xmlns:r="{_DOC_RELS}"><bookViews><workbookView/>'
                f"</bookViews><sheets>{entries}</sheets></workbook>")
    links = "".join(f'<Relationship Id="rId{n}" Type="{_DOC_RELS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                    for n in sheets)
    workbook_rels = (f'{_DECLARATION}<Relationships xmlns="{_PACKAGE_RELS}">{links}<Relationship '
                     f'Id="rId{len(names) + 1}" Type="{_DOC_RELS}/styles" Target="styles.xml"/></Relationships>')
    font = '<sz val="11"/><name val="Calibri"/><family val="2"/>'  # no theme part: no theme colour or scheme
    styles = (
        f'{_DECLARATION}<styleSheet xmlns="{_MAIN}">'
        f'<fonts count="2"><font>{font}</font><font><b/>{font}</font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>")
    return {"[Content_Types].xml": content_types, "_rels/.rels": root_rels, "xl/workbook.xml": workbook,
            "xl/_rels/workbook.xml.rels": workbook_rels, "xl/styles.xml": styles}


def write_xlsx(sheets: Mapping[object, pd.DataFrame], *, block_rows: int = BLOCK_ROWS,
               compresslevel: int = COMPRESSLEVEL) -> bytes:
    """An XLSX workbook with one sheet per frame (in order), the header row bold, cells typed as the module says."""
    names = sheet_names(list(sheets))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as archive:
        for name, text in _package_parts(names).items():
            archive.writestr(name, text)
        for number, frame in enumerate(sheets.values(), start=1):
            with archive.open(f"xl/worksheets/sheet{number}.xml", "w") as part:
                for piece in sheet_xml(frame, block_rows):
                    part.write(piece.encode("utf-8"))
    return buffer.getvalue()
