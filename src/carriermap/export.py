"""Exporting carriers: CSV (UTF-8 with BOM, for Excel), XLSX and GeoJSON.

One row per carrier with stable codes (so an export can be imported again), the district
name for people, WGS-84 coordinates, and every text cell neutralised against formulas.

This module is the one path for every CSV and XLSX the product writes (downloads on every
page, the report workbook, the districts workbook, the import templates, and the CLI's
``export``/``metrics --format csv|xlsx``): :func:`to_csv_text`, :func:`to_csv_bytes` and
:func:`to_xlsx_bytes` all pass through :func:`neutralise_frame`, headers included.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from carriermap.boundaries import district_names
from carriermap.freshness.age import confirmed_days, utc_now
from carriermap.model import CARRIER_COLUMNS
from carriermap.safety import neutralise_cell, neutralise_series
from carriermap.xlsx_writer import write_xlsx

Format = Literal["csv", "xlsx", "geojson"]
FORMATS: tuple[str, ...] = ("csv", "xlsx", "geojson")
EXPORT_COLUMNS: tuple[str, ...] = ("id", "name", "type", "level", "status", "district", "district_adcode",
                                   "reporting_unit", "lon", "lat", "total_area_m2", "available_m2",
                                   "confirmed_at", "confirmed_days", "jobs", "is_sample")


def export_frame(carriers: pd.DataFrame, lang: str = "zh", now: datetime | None = None) -> pd.DataFrame:
    """The carriers as export rows: the key columns first, then every other model field.

    ``confirmed_at`` (ISO, UTC) and ``confirmed_days`` (whole days before ``now``; empty when
    never confirmed) say how current free space, rent and contact are. Who confirmed is an
    editor's account name and is not exported.
    """
    frame = carriers.copy()
    if "confirmed_at" not in frame:
        frame["confirmed_at"] = None
    frame["confirmed_days"] = confirmed_days(frame, now or utc_now())
    names = district_names(lang)
    frame["district"] = frame["district_adcode"].map(lambda code: names.get(code, code))
    frame["industries"] = frame["industries"].map(lambda items: ";".join(items) if isinstance(items, list) else items)
    rest = [c for c in (*CARRIER_COLUMNS, "updated_at", "version") if c not in EXPORT_COLUMNS]
    return frame[[*EXPORT_COLUMNS, *rest]].reset_index(drop=True)


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells and headers cannot run as spreadsheet formulas.

    Every column that is not numeric, boolean or a date (object, string, categorical, mixed)
    is neutralised (:func:`~carriermap.safety.neutralise_series`, one vectorised match per
    column); numbers stay numbers.
    """
    out = frame.copy(deep=False)
    out.columns = [neutralise_cell(column) for column in out.columns]
    for index in range(out.shape[1]):
        series = out.iloc[:, index]
        if not (pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series)
                or pd.api.types.is_datetime64_any_dtype(series)):
            out.isetitem(index, neutralise_series(series))
    return out


def to_csv_text(frame: pd.DataFrame) -> str:
    """CSV text (no BOM: for stdout and pipelines), cells and headers neutralised.

    Lines end in CRLF (RFC 4180), so a cell holding a lone CR or LF is quoted and cannot start a
    new row that begins with ``=``.
    """
    return neutralise_frame(frame).to_csv(index=False, lineterminator="\r\n")


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with a BOM (Excel opens Chinese correctly), cells neutralised."""
    return to_csv_text(frame).encode("utf-8-sig")


def to_xlsx_bytes(sheets: dict[str, pd.DataFrame], finish: Callable[[Any], None] | None = None) -> bytes:
    """An XLSX workbook, one sheet per frame; numbers stay numbers, text is neutralised.

    Without ``finish`` the sheets are written column-wise in blocks of rows by
    :func:`carriermap.xlsx_writer.write_xlsx` (100,000 carriers in seconds, in bounded memory),
    and text is never taken for a formula, a link or a number. ``finish`` receives the
    openpyxl workbook before it is saved (widths, images: small, formatted workbooks).
    """
    if finish is None:
        return write_xlsx({sheet: neutralise_frame(frame) for sheet, frame in sheets.items()})
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for sheet, frame in sheets.items():
            neutralise_frame(frame).to_excel(writer, sheet_name=sheet[:31], index=False)
        finish(writer.book)
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
