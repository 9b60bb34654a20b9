"""Exporting carriers: CSV (UTF-8 with BOM, for Excel), XLSX and GeoJSON.

One row per carrier with stable codes (so an export can be imported again), the district
name for people, WGS-84 coordinates, and every text cell neutralised against formulas.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Literal

import pandas as pd

from carriermap.boundaries import district_names
from carriermap.model import CARRIER_COLUMNS
from carriermap.safety import neutralise_cell

Format = Literal["csv", "xlsx", "geojson"]
FORMATS: tuple[str, ...] = ("csv", "xlsx", "geojson")
EXPORT_COLUMNS: tuple[str, ...] = ("id", "name", "type", "level", "status", "district", "district_adcode",
                                   "reporting_unit", "lon", "lat", "total_area_m2", "available_m2", "jobs",
                                   "is_sample")


def export_frame(carriers: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The carriers as export rows: the key columns first, then every other model field."""
    frame = carriers.copy()
    names = district_names(lang)
    frame["district"] = frame["district_adcode"].map(lambda code: names.get(code, code))
    frame["industries"] = frame["industries"].map(lambda items: ";".join(items) if isinstance(items, list) else items)
    rest = [c for c in (*CARRIER_COLUMNS, "updated_at", "version") if c not in EXPORT_COLUMNS]
    return frame[[*EXPORT_COLUMNS, *rest]].reset_index(drop=True)


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells cannot run as spreadsheet formulas."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise_cell).astype(object)
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with a BOM (Excel opens Chinese correctly), cells neutralised."""
    return neutralise_frame(frame).to_csv(index=False).encode("utf-8-sig")


def to_xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """An XLSX workbook, one sheet per frame; numbers stay numbers, text is neutralised."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for sheet, frame in sheets.items():
            neutralise_frame(frame).to_excel(writer, sheet_name=sheet[:31], index=False)
    return buffer.getvalue()


def to_geojson_bytes(frame: pd.DataFrame) -> bytes:
    """A GeoJSON FeatureCollection of points (WGS-84)."""
    features = []
    for record in frame.to_dict("records"):
        properties = {k: (None if isinstance(v, float) and pd.isna(v) else v) for k, v in record.items()
                      if k not in ("lon", "lat")}
        placed = not (pd.isna(record["lon"]) or pd.isna(record["lat"]))
        geometry = {"type": "Point", "coordinates": [record["lon"], record["lat"]]} if placed else None
        features.append({"type": "Feature", "properties": properties, "geometry": geometry})  # None: unplaced
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False,
                      default=str).encode("utf-8")


def write_export(carriers: pd.DataFrame, fmt: Format, path: Path | None, lang: str = "zh") -> bytes:
    """Export ``carriers`` as ``fmt``; write to ``path`` when given; return the bytes."""
    frame = export_frame(carriers, lang)
    if fmt == "csv":
        data = to_csv_bytes(frame)
    elif fmt == "xlsx":
        data = to_xlsx_bytes({"carriers": frame})
    elif fmt == "geojson":
        data = to_geojson_bytes(frame)
    else:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if path is not None:
        Path(path).write_bytes(data)
    return data
