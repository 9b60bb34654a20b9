"""Reading carrier files (CSV, XLSX, GeoJSON) into validated records.

The import issue extends this (Chinese headers, title rows, matching existing carriers,
dry runs); the contract stays: :func:`read_table` gives text cells, :func:`prepare` gives
records and every problem with the row and column as the user sees them, and nothing is
written unless there is no problem at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from carriermap.coords import normalise_crs, to_wgs84
from carriermap.model import CARRIER_COLUMNS, clean_carrier
from carriermap.placement import place


class ImportFileError(ValueError):
    """The file as a whole cannot be read (unknown kind, unreadable, empty)."""

    def __init__(self, key: str, **params: Any):
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass
class RowProblem:
    """A problem in the file: row and column as the user sees them, the value, a message key."""

    row: int
    column: str
    value: Any
    key: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class ImportPlan:
    """Validated records ready to write, or the problems that stop the import."""

    records: list[dict[str, Any]]
    problems: list[RowProblem]


def read_table(path: Path) -> tuple[pd.DataFrame, int]:
    """The file's cells as text, and the file row number of the first data row."""
    path = Path(path)
    if not path.is_file():
        raise ImportFileError("error.file_missing", path=str(path))
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ImportFileError("error.not_text", path=str(path))
        import io

        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        return frame, 2
    if suffix in (".xlsx", ".xlsm"):
        return pd.read_excel(path, dtype=str, keep_default_na=False), 2
    if suffix in (".geojson", ".json"):
        collection = json.loads(path.read_text(encoding="utf-8"))
        rows = []
        for feature in collection.get("features", []):
            lon, lat = feature["geometry"]["coordinates"][:2]
            rows.append({**feature.get("properties", {}), "lon": str(lon), "lat": str(lat)})
        return pd.DataFrame(rows, dtype=str), 1
    raise ImportFileError("error.unknown_file_kind", path=str(path))


def prepare(frame: pd.DataFrame, first_row: int, city_adcode: str | None = None) -> ImportPlan:
    """Validate every row; convert points to WGS-84; derive districts. Collects all problems."""
    records: list[dict[str, Any]] = []
    problems: list[RowProblem] = []
    for index, raw in enumerate(frame.to_dict("records")):
        row_number = first_row + index
        raw = {k: v for k, v in raw.items() if k in CARRIER_COLUMNS or k == "crs"}
        if city_adcode and not raw.get("city_adcode"):
            raw["city_adcode"] = city_adcode
        record, found = clean_carrier(raw)
        for problem in found:
            problems.append(RowProblem(row_number, problem.field, problem.value, problem.key, problem.params))
        if not found and raw.get("crs"):
            try:
                crs = normalise_crs(raw["crs"])
            except ValueError:
                problems.append(RowProblem(row_number, "crs", raw["crs"], "error.unknown_crs"))
                crs = "wgs84"
            lon, lat = to_wgs84(record["lon"], record["lat"], crs)
            record["lon"], record["lat"] = round(float(lon), 7), round(float(lat), 7)
        records.append(record)
    for index, found in place(records).items():
        for problem in found:
            problems.append(RowProblem(first_row + index, problem.field, problem.value, problem.key, problem.params))
    return ImportPlan(records, sorted(problems, key=lambda p: p.row))
