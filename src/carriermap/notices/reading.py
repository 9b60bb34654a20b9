"""The rows of a notice file: a name each, and what else it says (locality, operator, address, type).

Notices come as the spreadsheets, JSON arrays or CSV files the importer reads
(:func:`carriermap.importing.reading.read_source`), with headers in their own words (名称,
单位名称, 所在地, 运营主体 …, see :mod:`carriermap.importing.headers`), or as plain text with
one name per line (copied from the PDF of the notice). Title lines above the header are
passed over; a row without a name is skipped and listed.
"""

from __future__ import annotations

from dataclasses import dataclass

from carriermap.importing.headers import field_for_header, find_header_row, map_columns
from carriermap.importing.problems import ImportFileError
from carriermap.importing.reading import RawTable, read_source

_FIELDS = ("name", "locality", "address", "operator", "type", "district")


@dataclass(frozen=True)
class NoticeRow:
    """One recognised name as the notice gives it (``row`` numbered as in the file)."""

    row: int
    name: str
    locality: str = ""
    address: str = ""
    operator: str = ""
    type: str = ""
    district: str = ""


def _plain_lines(table: RawTable) -> list[NoticeRow]:
    """One name per line (a list copied from a PDF): numbering such as ``1.`` or ``12、`` removed."""
    import re

    out = []
    for cells, number in zip(table.rows, table.row_numbers, strict=True):
        text = " ".join(c for c in cells if c).strip()
        text = re.sub(r"^\s*\d+\s*[.、)\]]?\s*", "", text)
        if text and field_for_header(text) is None:  # a lone 名称 header line is not a name
            out.append(NoticeRow(number, text))
    return out


def read_notice(data: bytes, filename: str = "") -> tuple[list[NoticeRow], list[int]]:
    """The named rows of a notice file and the numbers of rows skipped for having no name.

    Raises :class:`ImportFileError` for a file that cannot be read or has no name column.
    """
    table = read_source(data, filename)
    if table.header is not None:
        header, body, numbers = table.header, table.rows, table.row_numbers
    else:
        index = find_header_row(table.rows)
        if index is None:
            names_only = all(len([c for c in row if c]) <= 1 for row in table.rows)
            if names_only:
                return _plain_lines(table), []
            raise ImportFileError("lists.notice.no_name_column", path=filename)
        header, body, numbers = table.rows[index], table.rows[index + 1:], table.row_numbers[index + 1:]
    columns = map_columns(header, table.fixed)
    if "name" not in columns.fields:
        raise ImportFileError("lists.notice.no_name_column", path=filename)
    rows, skipped = [], []
    for cells, number in zip(body, numbers, strict=True):
        if not any(cells):
            continue
        values = {name: (cells[columns.fields[name]].strip() if name in columns.fields
                         and columns.fields[name] < len(cells) else "") for name in _FIELDS}
        if not values["name"]:
            skipped.append(number)
            continue
        rows.append(NoticeRow(number, **values))
    return rows, skipped
