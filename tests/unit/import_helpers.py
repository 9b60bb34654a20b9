"""Building import files for the tests: CSV in any encoding, XLSX with title rows, GeoJSON."""

from __future__ import annotations

import io
import json

import openpyxl

HEADER_ZH = ["名称", "类型", "级别", "区县", "地址", "经度", "纬度", "孵化面积(平方米)", "可供面积(平方米)", "联系电话"]
# Points inside Guangzhou (WGS-84): Haizhu (440105) and Tianhe (440106).
HAIZHU = ("113.339581", "23.05967")
TIANHE = ("113.323373", "23.14005")


def row(name, type_="孵化器", level="国家级", district="", lon=HAIZHU[0], lat=HAIZHU[1], total="1000", free="100",
        contact="020-1234567", address=""):
    """One data row in the order of :data:`HEADER_ZH`."""
    return [name, type_, level, district, address, lon, lat, total, free, contact]


def csv_bytes(rows, header=HEADER_ZH, encoding="utf-8-sig") -> bytes:
    """A CSV file of ``rows`` under ``header`` in ``encoding``."""
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, header=HEADER_ZH, title_rows=(), notes=None, numbers=True) -> bytes:
    """An XLSX workbook: optional merged title rows, the header, an optional notes row, the rows.

    With ``numbers``, cells that look like numbers are written as numbers (as Excel stores them).
    """
    book = openpyxl.Workbook()
    sheet = book.active
    for title in title_rows:
        sheet.append([title])
        sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=len(header))
    sheet.append(header)
    if notes is not None:
        sheet.append(notes)
    for values in rows:
        sheet.append([_number(v) if numbers else v for v in values])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _number(value):
    if isinstance(value, str) and not value.startswith("0"):
        try:
            return int(value)
        except ValueError:
            try:
                return float(value)
            except ValueError:
                return value
    return value


def geojson_bytes(features, crs=None) -> bytes:
    """A FeatureCollection of ``(properties, [lon, lat])`` points."""
    document = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props, "geometry": {"type": "Point", "coordinates": coords}}
        for props, coords in features]}
    if crs:
        document["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def snapshot(store):
    """What the database holds, to compare before and after: data version and every carrier."""
    frame = store.carriers()
    return store.data_version(), frame.drop(columns=["industries"]).to_json(), list(frame["industries"])


def problems_at(plan):
    """``{(row, column): key}`` of a plan's problems."""
    return {(p.row, p.column): p.key for p in plan.problems}
