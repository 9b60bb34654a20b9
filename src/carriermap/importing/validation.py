"""Turning the rows of a file into clean carrier records, collecting every problem at once.

Each value goes through :func:`carriermap.model.clean_carrier` (codes or zh/en labels,
numbers, cross checks such as free area ≤ total and swapped coordinates). Points are
converted to WGS-84 in one vectorised call per coordinate system; the city comes from the
caller, a city column, or where most points fall; the admin district is derived from the
point (:func:`carriermap.placement.place`) and a district named in the file that disagrees
is reported with both names.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from openpyxl.utils import get_column_letter

from carriermap import codes
from carriermap.boundaries import districts, locate
from carriermap.cities import UnknownCityError, get_city
from carriermap.coords import normalise_crs, to_wgs84
from carriermap.i18n import labels
from carriermap.importing import addresses, synonyms
from carriermap.importing.headers import (
    REQUIRED_COLUMNS,
    ColumnMap,
    find_header_row,
    header_text,
    is_notes_row,
    map_columns,
)
from carriermap.importing.problems import RowProblem
from carriermap.importing.reading import RawTable
from carriermap.model import CARRIER_COLUMNS, FIELDS_BY_NAME, clean_carrier, is_blank
from carriermap.placement import place

_PENDING_CITY = "pending"
_FORMULA_PREFIXES = ("=", "+", "-", "@")


@dataclass
class Row:
    """One data row of the file: its number, the cleaned record and which fields it filled."""

    number: int
    record: dict[str, Any]
    present: set[str]
    carrier_id: int | None = None
    ok: bool = True
    version: int | None = None  # the carrier's version when the file was exported (its ``version`` column)
    updated_at: str | None = None  # the carrier's ``updated_at`` when the file was exported


@dataclass
class Validated:
    """The rows of a file after validation, and what was found on the way."""

    columns: ColumnMap | None = None
    header_row: int | None = None
    rows: list[Row] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    skipped_rows: list[int] = field(default_factory=list)
    city_adcode: str | None = None
    reported: set[tuple[int | None, str | int | None]] = field(default_factory=set)
    refused: list[RowProblem] = field(default_factory=list)  # rows left out with a reason (other city)


def unneutralise(text: str) -> str:
    """Undo the apostrophe an export puts before ``= + - @`` (so an export re-imports as it was)."""
    if len(text) > 1 and text[0] == "'" and text[1] in _FORMULA_PREFIXES:
        return text[1:]
    return text


def validate(table: RawTable, city: str | None = None, lang: str = "zh") -> Validated:
    """Validate every row of ``table``; ``city`` (an adcode) overrides where the points fall."""
    out = Validated()
    if city:
        try:
            out.city_adcode = get_city(city).adcode
        except UnknownCityError as error:
            out.problems.append(RowProblem(None, None, city, "import.error.unknown_city",
                                           {"city": error.adcode, "known": ", ".join(error.known)}))
            return out
    if table.header is not None:
        header_index, header, body, numbers = None, table.header, table.rows, table.row_numbers
    else:
        header_index = find_header_row(table.rows)
        if header_index is None:
            out.problems.append(_no_header(lang))
            return out
        header = table.rows[header_index]
        body, numbers = table.rows[header_index + 1:], table.row_numbers[header_index + 1:]
        out.header_row = table.row_numbers[header_index]
    columns = out.columns = map_columns(header, table.fixed, lang)
    out.problems.extend(_resolve_columns(table.problems, columns, out.header_row))
    out.reported = {(problem.row, problem.column) for problem in out.problems}
    for index, name in columns.duplicates:
        out.problems.append(RowProblem(out.header_row, header[index], header[index], "import.error.duplicate_column",
                                       {"first": columns.column_name(name)}))
    missing = addresses.missing_columns(columns)
    for name in missing:
        out.problems.append(RowProblem(out.header_row, header_text(name, columns.lang), None,
                                       "import.error.missing_column",
                                       {"found": ", ".join(h for h in header if h) or "-"}))
    if missing or columns.duplicates:
        return out
    for position, (cells, number) in enumerate(zip(body, numbers, strict=True)):
        if not any(cells):
            continue
        if position == 0 and header_index is not None and is_notes_row(cells, columns):
            out.skipped_rows.append(number)
            continue
        out.rows.append(_clean_row(cells, number, columns, table.crs, out))
    if not out.rows:
        out.problems.append(RowProblem(out.header_row, None, None, "import.error.no_rows"))
        return out
    _convert_points(out)
    votes = addresses.parse_rows(out.rows, out.city_adcode)
    _assign_city(out, votes)
    _place(out)
    addresses.settle_unplaced(out, _district_lookup)
    for row in out.rows:
        row.record.pop("_district_text", None)
        addresses.drop_helpers(row)
    return out


def _no_header(lang: str) -> RowProblem:
    expected = {f"expected_{code}": ", ".join(header_text(n, code) for n in REQUIRED_COLUMNS) for code in ("zh", "en")}
    return RowProblem(None, None, None, "import.error.no_header", expected)


def _resolve_columns(problems: list[RowProblem], columns: ColumnMap, header_row: int | None) -> list[RowProblem]:
    """Reader problems carry column indexes: name them by the header (drop ones above the header)."""
    resolved = []
    for problem in problems:
        if header_row is not None and problem.row is not None and problem.row <= header_row:
            continue
        column = problem.column
        if isinstance(column, int):
            column = columns.header[column] if column < len(columns.header) else get_column_letter(column + 1)
        resolved.append(RowProblem(problem.row, column, problem.value, problem.key, problem.params))
    return resolved


def _cell(cells: list[str], columns: ColumnMap, name: str) -> str:
    index = columns.fields.get(name)
    return unneutralise(cells[index].strip()) if index is not None and index < len(cells) else ""


def _clean_row(cells: list[str], number: int, columns: ColumnMap, file_crs: str | None, out: Validated) -> Row:
    raw = {name: _cell(cells, columns, name) for name in columns.fields if name in CARRIER_COLUMNS}
    present = {name for name, value in raw.items() if not is_blank(value)}
    unknown_labels = synonyms.apply_synonyms(raw, present)
    raw["city_adcode"] = out.city_adcode or raw.get("city_adcode") or _PENDING_CITY
    district_text = _cell(cells, columns, "district") or raw.get("district_adcode", "")
    raw["district_adcode"] = None
    record, found = clean_carrier(raw)
    row = Row(number, record, present)
    record["_district_text"] = district_text
    record["_locality"] = _cell(cells, columns, "locality")
    for name, text, nearest in unknown_labels:
        out.problems.append(RowProblem(number, columns.column_name(name), text, "lists.error.unknown_label",
                                       {"value": text, "nearest": "、".join(nearest), **_allowed_labels(name)}))
        out.reported.add((number, columns.column_name(name)))
        row.ok = False
    record["_crs"] = file_crs or "wgs84"
    crs_text = _cell(cells, columns, "crs")
    if crs_text:
        try:
            record["_crs"] = normalise_crs(crs_text)
        except ValueError:
            out.problems.append(RowProblem(number, columns.column_name("crs"), crs_text, "error.unknown_crs"))
            row.ok = False
    id_text = _cell(cells, columns, "id")
    if id_text:
        try:
            row.carrier_id = int(float(id_text))
        except ValueError:
            out.problems.append(RowProblem(number, columns.column_name("id"), id_text, "error.not_integer"))
            row.ok = False
    version_text = _cell(cells, columns, "version")
    if version_text:
        try:
            row.version = int(float(version_text))
        except (ValueError, OverflowError):
            out.problems.append(RowProblem(number, columns.column_name("version"), version_text, "error.not_integer"))
            row.ok = False
    row.updated_at = _cell(cells, columns, "updated_at") or None
    for problem in found:
        cell = problem.field if problem.field not in ("lat", "lon") else "lon"  # a point is one cell to the reader
        if {(number, columns.column_name(problem.field)), (number, columns.column_name(cell))} & out.reported:
            row.ok = False
            continue  # the reader already said what is wrong with this cell (e.g. not a point)
        key, params = problem.key, problem.params
        if key == "error.unknown_code":
            key, params = "import.error.unknown_code", _allowed_labels(problem.field)
        value = raw.get(problem.field) if problem.field in present else problem.value
        out.problems.append(RowProblem(number, columns.column_name(problem.field), value, key, params))
        row.ok = False
    return row


def _allowed_labels(name: str) -> dict[str, str]:
    """The allowed values of a coded field as ``label (code)``, in zh and en."""
    vocabulary = FIELDS_BY_NAME[name].vocabulary or name
    return {f"allowed_{lang}": sep.join(f"{text} ({code})" for code, text in
                                        labels(vocabulary, codes.VOCABULARIES[vocabulary], lang).items())
            for lang, sep in (("zh", "、"), ("en", ", "))}


def _has_point(row: Row) -> bool:
    return isinstance(row.record.get("lon"), float) and isinstance(row.record.get("lat"), float) and row.ok


def _convert_points(out: Validated) -> None:
    """GCJ-02 / BD-09 points to WGS-84, one vectorised call per coordinate system."""
    by_crs: dict[str, list[Row]] = {}
    for row in out.rows:
        if _has_point(row):
            by_crs.setdefault(row.record["_crs"], []).append(row)
    for crs, rows in by_crs.items():
        if crs == "wgs84":
            continue
        lon, lat = to_wgs84([r.record["lon"] for r in rows], [r.record["lat"] for r in rows], crs)
        for row, x, y in zip(rows, np.round(lon, 7), np.round(lat, 7), strict=True):
            row.record["lon"], row.record["lat"] = float(x), float(y)


def _assign_city(out: Validated, address_votes: Counter | None = None) -> None:
    """The city of every row: the caller's, the file's column, or where most points (and addresses) fall."""
    if out.city_adcode:
        return
    pending = [row for row in out.rows if row.record.get("city_adcode") == _PENDING_CITY]
    if not pending:
        cities = Counter(row.record["city_adcode"] for row in out.rows)
        out.city_adcode = cities.most_common(1)[0][0]
        return
    located = [row for row in pending if _has_point(row)]
    _, city = locate([r.record["lon"] for r in located], [r.record["lat"] for r in located])
    votes = Counter(c for c in city if c is not None) + (address_votes or Counter())
    if not votes:
        out.problems.append(RowProblem(None, None, None, "import.error.no_city" if located
                                       else "lists.error.no_city_in_file"))
        for row in pending:
            row.ok = False
        return
    out.city_adcode = votes.most_common(1)[0][0]
    for row in pending:
        row.record["city_adcode"] = out.city_adcode


def _district_lookup(city_adcode: str) -> tuple[dict[str, str], set[str]]:
    """Spellings of the city's districts (adcode, zh/en name, zh name without 区/县/市) → adcode; zones."""
    lookup: dict[str, str] = {}
    for item in districts(city_adcode).itertuples():
        for spelling in (item.adcode, item.name, item.name_en, item.name.rstrip("区县市")):
            lookup[str(spelling).strip().lower()] = item.adcode
    try:
        zones = {zone.name for zone in get_city(city_adcode).zones} | {z.name_en for z in get_city(city_adcode).zones}
    except UnknownCityError:
        zones = set()
    return lookup, zones


def _place(out: Validated) -> None:
    """Derive each point's district; report points outside the city and districts that disagree."""
    rows = [row for row in out.rows if _has_point(row) and row.record.get("city_adcode") != _PENDING_CITY]
    columns = out.columns
    found = place([row.record for row in rows])
    for index in found:  # place() reports a point outside its city (the district is ours to check)
        row = rows[index]
        row.ok = False
        city_code = str(row.record.get("city_adcode"))
        try:
            names = {"city_zh": get_city(city_code).name, "city_en": get_city(city_code).name_en}
        except UnknownCityError:
            names = {"city_zh": city_code, "city_en": city_code}
        out.problems.append(RowProblem(row.number, columns.column_name("lon"), row.record["lon"],
                                       "import.error.outside_city",
                                       {"lon": row.record["lon"], "lat": row.record["lat"], **names}))
    lookups: dict[str, tuple[dict[str, str], set[str]]] = {}
    all_names = {code: dict(zip(districts().adcode, districts()[col], strict=True))
                 for code, col in (("zh", "name"), ("en", "name_en"))}
    for row in rows:
        text = row.record.pop("_district_text", "")
        row.record.pop("_crs", None)
        derived = row.record.get("district_adcode")
        if not text or not row.ok or not derived:
            continue
        city_code = row.record["city_adcode"]
        lookup, zones = lookups.setdefault(city_code, _district_lookup(city_code))
        column = columns.column_name("district" if "district" in columns.fields else "district_adcode")
        if text in zones:
            if "reporting_unit" not in row.present:
                row.record["reporting_unit"] = text
                row.present.add("reporting_unit")
            continue
        given = lookup.get(text.strip().lower())
        if given is None:
            allowed = {f"allowed_{code}": sep.join(sorted({all_names[code][a] for a in lookup.values()}))
                       for code, sep in (("zh", "、"), ("en", ", "))}
            out.problems.append(RowProblem(row.number, column, text, "import.error.unknown_district", allowed))
            row.ok = False
        elif given != derived:
            out.problems.append(RowProblem(row.number, column, text, "import.error.district_mismatch",
                                           {"given": text, "found_zh": all_names["zh"][derived],
                                            "found_en": all_names["en"][derived]}))
            row.ok = False
    for row in out.rows:  # rows without a usable point keep ``_district_text`` for their address
        row.record.pop("_crs", None)
