"""Figures per district or reporting unit, and progress towards targets.

One function, :func:`unit_metrics`, feeds the districts page, the CLI ``metrics`` command
and the exports, so they always agree. Delisted carriers are excluded from every count and
reported apart in ``delisted``. Every function takes an optional selection
(:class:`carriermap.filters.MapFilters`, the map's filters): with ``types=("incubator",)``
Guangzhou's figures are the published 207 incubators, 21 national, 8.55 million m².
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd

from carriermap import codes, filters
from carriermap.boundaries import districts

GroupBy = Literal["district", "reporting_unit"]
GROUPINGS: tuple[str, ...] = ("district", "reporting_unit")
SUM_COLUMNS = ("total_area_m2", "available_m2", "tenants", "graduates", "jobs")
# The unit of carriers whose point lies in no district of the city (a stable code, labelled by the page).
UNASSIGNED = "unassigned"


def _unit_keys(carriers: pd.DataFrame, by: GroupBy, names: dict[str, str]) -> pd.Series:
    if by not in GROUPINGS:
        raise ValueError(f"unknown grouping {by!r}; use one of {', '.join(GROUPINGS)}")
    district = carriers["district_adcode"].map(names).fillna(UNASSIGNED).astype(object)
    if by == "district":
        return district
    unit = carriers["reporting_unit"].astype("string").str.strip().fillna("")
    return unit.where(unit != "", district).astype(object)


def selected(carriers: pd.DataFrame, selection: filters.MapFilters | None) -> pd.DataFrame:
    """The carriers a figure counts: those matching ``selection`` (delisted ones kept, to count them apart)."""
    if selection is None:
        return carriers
    return filters.apply(carriers, selection.counting_delisted())


def delisted(carriers: pd.DataFrame, city_adcode: str, by: GroupBy = "district",
             selection: filters.MapFilters | None = None) -> pd.DataFrame:
    """The city's delisted carriers (excluded from every count), with the ``unit`` they would count under."""
    carriers = selected(carriers, selection)
    gdf = districts(city_adcode)
    names = dict(zip(gdf["adcode"], gdf["name"], strict=True))
    frame = carriers[(carriers["city_adcode"] == str(city_adcode)) & (carriers["status"] == "delisted")].copy()
    frame["unit"] = _unit_keys(frame, by, names) if len(frame) else pd.Series(dtype=object)
    return frame.reset_index(drop=True)


# What is counted per unit: (carrier column, its codes, prefix of the output columns).
COUNTED: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("type", tuple(codes.CARRIER_TYPES), "type_"),
    ("level", tuple(codes.LEVELS), "level_"),
    ("specialisation", ("specialized",), ""),
    ("rating", tuple(codes.RATINGS), "rating_"),
)
# The columns a tally holds besides its keys: ``n``, one count per counted code, the sums.
COUNT_COLUMNS: tuple[str, ...] = tuple(f"{prefix}{value}" for _, values, prefix in COUNTED for value in values)
TALLY_KEYS = ("district_adcode", "reporting_unit", "is_delisted")
# ``unplaced``: carriers without a point (an address-only list), counted in their district all the same.
TALLY_COLUMNS = ("n", "unplaced", *COUNT_COLUMNS, *SUM_COLUMNS)
# What :func:`tallies` reads of each carrier (a caller may read only these, and ``city_adcode``).
USED_COLUMNS: tuple[str, ...] = ("district_adcode", "reporting_unit", "status", "lon", *(c for c, _, _ in COUNTED),
                                 *SUM_COLUMNS)


def tallies(carriers: pd.DataFrame, city_adcode: str) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Step one of :func:`unit_metrics`: the city's carriers tallied per (district, reporting unit, delisted).

    Returns the tallies (:data:`TALLY_KEYS`, ``n``, :data:`COUNT_COLUMNS`, :data:`SUM_COLUMNS`
    as floats, NaN skipped) and the dtype each sum would have had in a plain pandas sum over
    the active carriers (so both routes give identical frames). A database computes the same
    tallies with one ``GROUP BY`` (:mod:`carriermap.districts.metrics_sql`).
    """
    frame = carriers.loc[carriers["city_adcode"] == str(city_adcode), list(USED_COLUMNS)]
    is_delisted = (frame["status"] == "delisted").to_numpy()
    parts = {"district_adcode": frame["district_adcode"], "reporting_unit": frame["reporting_unit"],
             "is_delisted": is_delisted, "n": 1, "unplaced": frame["lon"].isna().astype("int64")}
    for column, values, prefix in COUNTED:
        cells = frame[column].astype(object)
        parts.update({f"{prefix}{value}": (cells == value).astype("int64") for value in values})
    dtypes: dict[str, Any] = {}
    for column in SUM_COLUMNS:
        numbers = pd.to_numeric(frame[column], errors="coerce")
        dtypes[column] = pd.to_numeric(frame.loc[~is_delisted, column], errors="coerce").dtype
        parts[column] = numbers.astype("float64")
    wide = pd.DataFrame(parts, index=frame.index)
    grouped = wide.groupby(list(TALLY_KEYS), dropna=False, sort=False)[list(TALLY_COLUMNS)].sum()
    return grouped.reset_index(), dtypes


def metrics_from_tallies(tally: pd.DataFrame, city_adcode: str, by: GroupBy = "district",
                         sum_dtypes: dict[str, Any] | None = None) -> pd.DataFrame:
    """Step two of :func:`unit_metrics`: tallies (from pandas or from SQL) to one row per unit."""
    if by not in GROUPINGS:
        raise ValueError(f"unknown grouping {by!r}; use one of {', '.join(GROUPINGS)}")
    gdf = districts(city_adcode)
    names = dict(zip(gdf["adcode"], gdf["name"], strict=True))
    areas = dict(zip(gdf["name"], gdf["area_km2"], strict=True))
    tally = tally.copy()
    tally["unit"] = _unit_keys(tally, by, names) if len(tally) else pd.Series(dtype=object)
    is_delisted = tally["is_delisted"].astype(bool)
    units = list(gdf["name"])
    units += sorted(set(tally["unit"]) - set(units) - {UNASSIGNED})
    units += [UNASSIGNED] if (tally["unit"] == UNASSIGNED).any() else []
    out = pd.DataFrame({"unit": units})
    code_of = {name: code for code, name in names.items()}
    out["unit_code"] = out["unit"].map(lambda u: code_of.get(u, u))
    active = tally[~is_delisted].groupby("unit")[list(TALLY_COLUMNS)].sum()

    def counts(column: str) -> pd.Series:
        return out["unit"].map(active[column]).fillna(0).astype(int)

    out["carriers"] = counts("n")
    out["unplaced"] = counts("unplaced")
    for column, values, prefix in COUNTED:
        for value in values:
            out[f"{prefix}{value}"] = counts(f"{prefix}{value}")
        if column == "level":
            out["national"] = out[[f"level_{lv}" for lv in codes.NATIONAL_LEVELS]].sum(axis=1)
        if column == "specialisation":
            out["specialized_share"] = (out["specialized"] / out["carriers"].where(out["carriers"] > 0)).round(4)
    for column in SUM_COLUMNS:
        sums = active[column].astype((sum_dtypes or {}).get(column, "float64"))
        out[column] = out["unit"].map(sums).fillna(0).round(2)
    out["area_km2"] = out["unit"].map(areas)
    out["per_100km2"] = (out["carriers"] / out["area_km2"] * 100).round(2)
    delisted = tally[is_delisted].groupby("unit")["n"].sum()
    out["delisted"] = out["unit"].map(delisted).fillna(0).astype(int)
    return out


def unit_metrics(carriers: pd.DataFrame, city_adcode: str, by: GroupBy = "district",
                 selection: filters.MapFilters | None = None) -> pd.DataFrame:
    """One row per admin district (``by="district"``) or reporting unit of the city.

    Columns: ``unit`` (zh name), ``unit_code`` (district adcode, or the unit's name for a
    zone; :data:`UNASSIGNED` for carriers in no district), ``carriers``, ``type_<code>`` and
    ``level_<code>`` counts, ``national``,
    ``specialized``, ``specialized_share``, ``rating_A/B/C``, sums of areas, tenants,
    graduates and jobs, ``area_km2`` (equal-area projection; zones have none),
    ``per_100km2`` and ``delisted``. Every district of the city has a row, with zeros
    where it has no carrier. ``carriers`` plus ``delisted`` over all rows is the number of
    the city's carriers (every record is counted once).

    Two steps (:func:`tallies`, :func:`metrics_from_tallies`); on a large database,
    :func:`carriermap.districts.metrics_sql.unit_metrics_from_store` does the first in SQL and gives
    the same frame. ``selection`` (the map's filters) limits which carriers are counted.
    """
    tally, dtypes = tallies(selected(carriers, selection), city_adcode)
    return metrics_from_tallies(tally, city_adcode, by, dtypes)


TOTAL = "total"


def total_row(rows: pd.DataFrame) -> dict[str, Any]:
    """The "all units" row of :func:`unit_metrics` output: sums, with share and density recomputed.

    ``unit`` and ``unit_code`` are :data:`TOTAL`; ``area_km2`` sums the districts' areas
    (zones have none, so the city's area is counted once).
    """
    out: dict[str, Any] = {"unit": TOTAL, "unit_code": TOTAL}
    for column in rows.columns:
        if column not in out and pd.api.types.is_numeric_dtype(rows[column]):
            out[column] = rows[column].sum()
    carriers = out.get("carriers", 0)
    out["specialized_share"] = round(out["specialized"] / carriers, 4) if carriers else np.nan
    area = rows["area_km2"].sum()
    out["area_km2"] = round(area, 2) if area else np.nan
    out["per_100km2"] = round(carriers / area * 100, 2) if area else np.nan
    return {k: (v.item() if hasattr(v, "item") else v) for k, v in out.items()}
