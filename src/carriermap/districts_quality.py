"""Data quality per district or reporting unit, and the "chase list" an official works through by phone.

Per unit (the same units as the districts page: admin districts or reporting units), counting
carriers that are not delisted: the share with every field the quarterly report needs
(:data:`REPORT_FIELDS`), the share confirmed within the city's ``quality_days``, unplaced
carriers (no point, or a point in no district of the city), pending reviews, and the listing
unconfirmed for longest. A city total comes last. Rows are ordered best first (share confirmed,
then share complete), so a district with stale data ranks lower. Day counts take ``now``.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from datetime import datetime

import numpy as np
import openpyxl
import pandas as pd

from carriermap.boundaries import district_names, districts
from carriermap.export import to_xlsx_bytes
from carriermap.freshness.age import confirmed_days
from carriermap.freshness.settings import CitySettings
from carriermap.i18n import t

REPORT_FIELDS: tuple[str, ...] = ("name", "type", "level", "status", "specialisation", "address", "total_area_m2",
                                  "available_m2", "tenants", "jobs", "contact")
"""What the quarterly report counts and lists for every carrier (``rating`` is optional: not every carrier is rated)."""
TOTAL, UNPLACED = "total", "unassigned"
QUALITY_COLUMNS: tuple[str, ...] = ("unit", "unit_code", "carriers", "complete_share", "confirmed_share", "unplaced",
                                    "pending_reviews", "oldest_days", "oldest_name", "oldest_id")
CHASE_COLUMNS: tuple[str, ...] = ("id", "name", "unit", "contact", "operator", "address", "confirmed_days", "missing")


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or (isinstance(value, str)
                                                                                   and not value.strip())


def _blank_column(values: pd.Series) -> np.ndarray:
    """:func:`_blank` of every value of a column, by the column engine (no Python loop per row)."""
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return values.isna().to_numpy(dtype=bool)
    text = values.astype("str")
    return (text.isna() | (text.str.strip() == "")).to_numpy(dtype=bool)


def _blank_matrix(carriers: pd.DataFrame) -> np.ndarray:
    """One row per carrier, one column per report field it has: True where the value is blank."""
    present = [c for c in REPORT_FIELDS if c in carriers]
    if not present:
        return np.zeros((len(carriers), 0), dtype=bool)
    return np.column_stack([_blank_column(carriers[c]) for c in present]).reshape(len(carriers), len(present))


def missing_fields(carriers: pd.DataFrame) -> pd.Series:
    """For each carrier, the report fields it lacks (a list, empty when complete).

    Worked out column by column: rows share a handful of patterns of missing fields, so each
    pattern's list is built once (a city of 100,000 carriers in a fraction of a second).
    """
    present = [c for c in REPORT_FIELDS if c in carriers]
    if carriers.empty or not present:
        return pd.Series([[] for _ in range(len(carriers))], index=carriers.index, dtype=object)
    pattern = _blank_matrix(carriers).astype(np.int64) @ (np.int64(1) << np.arange(len(present), dtype=np.int64))
    names = {int(code): [c for k, c in enumerate(present) if code >> k & 1] for code in np.unique(pattern)}
    return pd.Series([list(names[int(code)]) for code in pattern], index=carriers.index, dtype=object)


def is_unplaced(carriers: pd.DataFrame, city_adcode: str) -> pd.Series:
    """Carriers with no point (lon/lat missing) or a point in no district of the city."""
    lon = pd.to_numeric(carriers["lon"], errors="coerce")
    lat = pd.to_numeric(carriers["lat"], errors="coerce")
    known = set(districts(city_adcode)["adcode"])
    return lon.isna() | lat.isna() | ~carriers["district_adcode"].isin(known)


def unit_keys(carriers: pd.DataFrame, city_adcode: str, by: str) -> pd.DataFrame:
    """``unit`` (zh name, or :data:`UNPLACED`) and ``unit_code`` (district adcode or the unit's name) per carrier."""
    names = district_names("zh")
    unplaced = is_unplaced(carriers, city_adcode)
    district = carriers["district_adcode"].map(names).where(~unplaced, UNPLACED).astype(object)
    codes = carriers["district_adcode"].where(~unplaced, UNPLACED).astype(object)
    if by == "reporting_unit":
        unit = carriers["reporting_unit"].astype("string").str.strip().fillna("")
        zone = unit != ""
        district = district.where(~zone, unit).astype(object)
        codes = codes.where(~zone, unit).astype(object)
    return pd.DataFrame({"unit": district, "unit_code": codes}, index=carriers.index)


def annotate(carriers: pd.DataFrame, city_adcode: str, by: str, settings: CitySettings, now: datetime) -> pd.DataFrame:
    """The carriers that count (not delisted), slimmed to what the table and the chase list use, with
    their unit, completeness, days since confirmed, recency and placement.

    The expensive part of :func:`quality_table` and :func:`chase_list`: a page may work it out once
    per data version and pass it to both as ``annotated`` (read-only: they never change it).
    """
    active = carriers[carriers["status"] != "delisted"]
    keep = [c for c in ("id", "name", "contact", "operator", "address") if c in active]
    frame = active[keep].copy()
    for column in ("contact", "operator", "address"):
        if column not in frame:
            frame[column] = None
    frame[["unit", "unit_code"]] = unit_keys(active, city_adcode, by)
    frame["complete"] = ~_blank_matrix(active).any(axis=1)
    frame["confirmed_days"] = confirmed_days(active, now)
    frame["recent"] = frame["confirmed_days"] <= settings.quality_days
    frame["unplaced"] = is_unplaced(active, city_adcode)
    return frame


def _summary(group: pd.DataFrame, unit: str, code: str) -> dict:
    stale = group[~group["recent"]]
    oldest = stale.assign(_age=stale["confirmed_days"].fillna(math.inf)).sort_values("_age", kind="stable").tail(1)
    count = len(group)
    return {"unit": unit, "unit_code": code, "carriers": count,
            "complete_share": float(group["complete"].mean()) if count else math.nan,
            "confirmed_share": float(group["recent"].mean()) if count else math.nan,
            "unplaced": int(group["unplaced"].sum()), "pending_reviews": 0,
            "oldest_days": float(oldest["confirmed_days"].iloc[0]) if len(oldest) else math.nan,
            "oldest_name": oldest["name"].iloc[0] if len(oldest) else None,
            "oldest_id": int(oldest["id"].iloc[0]) if len(oldest) else None}


def quality_table(carriers: pd.DataFrame, city_adcode: str, by: str, settings: CitySettings, now: datetime,
                  pending: Mapping[int, int] | None = None, *, annotated: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per unit with carriers (columns :data:`QUALITY_COLUMNS`), best first, then the city total.

    ``pending`` maps carrier id → pending reviews (:func:`carriermap.review.queue.pending_counts`);
    ``annotated`` is :func:`annotate` of ``carriers`` when the caller has it already.
    ``oldest_days`` is NaN both when every carrier is recent and when the oldest was never
    confirmed (then ``oldest_name`` is set): read the name to tell them apart.
    """
    if annotated is None:
        annotated = annotate(carriers, city_adcode, by, settings, now)
    return with_pending(unit_quality(annotated), annotated, pending)


def unit_quality(annotated: pd.DataFrame) -> pd.DataFrame:
    """:func:`quality_table` of :func:`annotate`'s frame with no pending review counted (``pending_reviews`` 0).

    Everything here moves only with the data and the hour, so a page may keep it per data version
    and add the pending reviews (which write no change set) on each run with :func:`with_pending`.
    """
    groups = annotated.groupby(["unit", "unit_code"], sort=False)
    out = pd.DataFrame([_summary(group, unit, code) for (unit, code), group in groups], columns=list(QUALITY_COLUMNS))
    if not out.empty:
        out = out.sort_values(["confirmed_share", "complete_share", "carriers"], ascending=[False, False, False],
                              kind="stable", na_position="last")
    total = pd.DataFrame([_summary(annotated, TOTAL, TOTAL)], columns=list(QUALITY_COLUMNS))
    return pd.concat([out, total], ignore_index=True) if not out.empty else total


def with_pending(table: pd.DataFrame, annotated: pd.DataFrame, pending: Mapping[int, int] | None) -> pd.DataFrame:
    """A copy of ``table`` (from :func:`unit_quality`, the total last) with ``pending_reviews`` per unit and in
    total: the reviews of ``pending`` (carrier id → count) on the carriers of ``annotated``."""
    out = table.copy()
    counts = {int(k): int(v) for k, v in (pending or {}).items() if v}
    ids = annotated["id"].astype("int64")
    mine = ids.isin(list(counts))
    per_unit = ids[mine].map(counts).groupby([annotated["unit"][mine], annotated["unit_code"][mine]]).sum()
    keys = pd.MultiIndex.from_arrays([out["unit"], out["unit_code"]])
    out["pending_reviews"] = per_unit.reindex(keys, fill_value=0).to_numpy(dtype="int64")
    out.loc[out.index[-1], "pending_reviews"] = int(per_unit.sum())
    return out


def chase_list(carriers: pd.DataFrame, city_adcode: str, by: str, unit_code: str | None, settings: CitySettings,
               now: datetime, *, annotated: pd.DataFrame | None = None) -> pd.DataFrame:
    """Carriers of one unit (``None``: every unit) with stale or missing data, oldest confirmation first.

    Columns :data:`CHASE_COLUMNS`; ``missing`` lists field codes, ``confirmed_days`` is NaN
    when never confirmed.
    """
    frame = annotate(carriers, city_adcode, by, settings, now) if annotated is None else annotated
    if unit_code is not None:
        frame = frame[frame["unit_code"] == unit_code]
    frame = frame[~frame["recent"] | ~frame["complete"]]
    frame = frame.assign(_age=frame["confirmed_days"].fillna(math.inf)).sort_values("_age", ascending=False,
                                                                                      kind="stable")
    frame["missing"] = missing_fields(carriers.loc[frame.index])
    return frame[list(CHASE_COLUMNS)].reset_index(drop=True)


def unit_name(unit: str, code: str, lang: str, zones: Mapping[str, str] | None = None) -> str:
    """A unit's display name in ``lang`` (the total and unplaced rows from the catalogue)."""
    if code in (TOTAL, UNPLACED):
        return t(f"quality.unit.{code}", lang)
    if lang == "zh":
        return unit
    return district_names("en").get(code) or (zones or {}).get(unit, unit)


def display_table(table: pd.DataFrame, lang: str, zones: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The quality table for people: unit names in ``lang``, headers in ``lang``, shares as percentages."""
    out = pd.DataFrame({
        "unit": [unit_name(u, c, lang, zones) for u, c in zip(table["unit"], table["unit_code"], strict=True)],
        "carriers": table["carriers"],
        "complete_share": (table["complete_share"] * 100).round(1),
        "confirmed_share": (table["confirmed_share"] * 100).round(1),
        "unplaced": table["unplaced"],
        "pending_reviews": table["pending_reviews"],
        "oldest_name": table["oldest_name"].astype(object).where(table["oldest_name"].notna(), None),
        "oldest_days": table["oldest_days"],
    })
    return out.rename(columns={c: t(f"quality.col.{c}", lang) for c in out.columns})


def display_chase(chase: pd.DataFrame, lang: str, zones: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The chase list for people: field names instead of codes, headers in ``lang``."""
    out = chase.copy()
    out["missing"] = out["missing"].map(lambda names: ("、" if lang == "zh" else ", ").join(
        t(f"quality.field.{n}", lang) for n in names))
    out["confirmed_days"] = out["confirmed_days"].astype("float64")
    return out.rename(columns={c: t(f"quality.chase.{c}", lang) for c in out.columns})


NO_VALUE = "—"
"""What the screen shows where a quality or chase cell has no value (the XLSX leaves the cell blank)."""


def _text(value) -> str:
    return NO_VALUE if _blank(value) else str(value)


def on_screen(shown: pd.DataFrame, percent_columns: tuple[str, ...] = (), day_columns: tuple[str, ...] = ()):
    """``shown`` (from :func:`display_table` or :func:`display_chase`) for ``st.dataframe``: a cell
    without a value reads :data:`NO_VALUE` (never ``None`` or ``nan``), shares ``12.5%``, days whole
    numbers.

    ``st.dataframe`` draws a missing cell as ``None`` whatever the styler says, so a column with a
    missing cell is turned into text here (it then sorts as text); a full column stays numbers
    underneath and sorts as numbers.
    """
    def number(pattern: str):
        def show(value) -> str:
            if _blank(value):
                return NO_VALUE
            return value if isinstance(value, str) else pattern.format(value)  # a column already made text

        return show

    formats = {c: _text for c in shown.columns}
    formats.update({c: number("{:.1f}%") for c in percent_columns})
    formats.update({c: number("{:.0f}") for c in day_columns})
    out = shown.copy()
    for column in out.columns:
        if out[column].map(_blank).any():
            out[column] = pd.Series([formats[column](v) for v in out[column]], index=out.index, dtype=object)
    return out.style.hide(axis="index").format(formats)


def add_sheets(workbook: bytes, sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """``workbook`` (XLSX bytes) with ``sheets`` appended (text neutralised against formulas)."""
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    extra = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(dict(sheets))))
    for source in extra.worksheets:
        target = book.create_sheet(source.title)
        for row in source.iter_rows(values_only=True):
            target.append(list(row))
        target.freeze_panes = "B2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
