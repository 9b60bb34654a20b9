"""Figures per district or reporting unit, and progress towards targets.

One function, :func:`unit_metrics`, feeds the districts page, the CLI ``metrics`` command
and the exports, so they always agree. Delisted carriers are excluded from every count and
reported apart in ``delisted``.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd

from carriermap import codes
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


def delisted(carriers: pd.DataFrame, city_adcode: str, by: GroupBy = "district") -> pd.DataFrame:
    """The city's delisted carriers (excluded from every count), with the ``unit`` they would count under."""
    gdf = districts(city_adcode)
    names = dict(zip(gdf["adcode"], gdf["name"], strict=True))
    frame = carriers[(carriers["city_adcode"] == str(city_adcode)) & (carriers["status"] == "delisted")].copy()
    frame["unit"] = _unit_keys(frame, by, names) if len(frame) else pd.Series(dtype=object)
    return frame.reset_index(drop=True)


def _add_counts(out: pd.DataFrame, active: pd.DataFrame, column: str, values: tuple[str, ...],
                prefix: str) -> pd.DataFrame:
    """Add ``<prefix><value>`` columns: per unit, how many active carriers have ``column == value``."""
    table = pd.crosstab(active["unit"], active[column].astype(object)) if len(active) else pd.DataFrame()
    for value in values:
        counts = table[value] if value in table.columns else pd.Series(dtype="int64")
        out[f"{prefix}{value}"] = out["unit"].map(counts).fillna(0).astype(int)
    return out


def unit_metrics(carriers: pd.DataFrame, city_adcode: str, by: GroupBy = "district") -> pd.DataFrame:
    """One row per admin district (``by="district"``) or reporting unit of the city.

    Columns: ``unit`` (zh name), ``unit_code`` (district adcode, or the unit's name for a
    zone; :data:`UNASSIGNED` for carriers in no district), ``carriers``, ``type_<code>`` and
    ``level_<code>`` counts, ``national``,
    ``specialized``, ``specialized_share``, ``rating_A/B/C``, sums of areas, tenants,
    graduates and jobs, ``area_km2`` (equal-area projection; zones have none),
    ``per_100km2`` and ``delisted``. Every district of the city has a row, with zeros
    where it has no carrier. ``carriers`` plus ``delisted`` over all rows is the number of
    the city's carriers (every record is counted once).
    """
    gdf = districts(city_adcode)
    names = dict(zip(gdf["adcode"], gdf["name"], strict=True))
    areas = dict(zip(gdf["name"], gdf["area_km2"], strict=True))
    used = ["district_adcode", "reporting_unit", "status", "type", "level", "specialisation", "rating", *SUM_COLUMNS]
    frame = carriers.loc[carriers["city_adcode"] == str(city_adcode), used].copy()
    frame["unit"] = _unit_keys(frame, by, names)
    active = frame[frame["status"] != "delisted"]
    units = list(gdf["name"])
    units += sorted(set(frame["unit"]) - set(units) - {UNASSIGNED})
    units += [UNASSIGNED] if (frame["unit"] == UNASSIGNED).any() else []
    out = pd.DataFrame({"unit": units})
    code_of = {name: code for code, name in names.items()}
    out["unit_code"] = out["unit"].map(lambda u: code_of.get(u, u))
    grouped = active.groupby("unit")
    out["carriers"] = out["unit"].map(grouped.size()).fillna(0).astype(int)
    for column, values, prefix in (("type", codes.CARRIER_TYPES, "type_"), ("level", codes.LEVELS, "level_")):
        out = _add_counts(out, active, column, values, prefix)
    out["national"] = out[[f"level_{lv}" for lv in codes.NATIONAL_LEVELS]].sum(axis=1)
    out = _add_counts(out, active, "specialisation", ("specialized",), "")
    out["specialized_share"] = (out["specialized"] / out["carriers"].where(out["carriers"] > 0)).round(4)
    out = _add_counts(out, active, "rating", codes.RATINGS, "rating_")
    for column in SUM_COLUMNS:
        sums = pd.to_numeric(active[column], errors="coerce").groupby(active["unit"]).sum()
        out[column] = out["unit"].map(sums).fillna(0).round(2)
    out["area_km2"] = out["unit"].map(areas)
    out["per_100km2"] = (out["carriers"] / out["area_km2"] * 100).round(2)
    delisted = frame[frame["status"] == "delisted"].groupby("unit").size()
    out["delisted"] = out["unit"].map(delisted).fillna(0).astype(int)
    return out


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


def city_totals(carriers: pd.DataFrame, city_adcode: str) -> dict[str, Any]:
    """City-wide figures of the active (not delisted) carriers, for targets and headlines."""
    frame = carriers[(carriers["city_adcode"] == str(city_adcode)) & (carriers["status"] != "delisted")]
    count = len(frame)
    return {
        "carriers": count,
        "national": int(frame["level"].isin(codes.NATIONAL_LEVELS).sum()),
        "specialized_share": round(float((frame["specialisation"] == "specialized").sum() / count), 4) if count else 0.0,
        "maker_spaces": int((frame["type"] == "maker_space").sum()),
        "incubators": int((frame["type"] == "incubator").sum()),
    }


def target_progress(carriers: pd.DataFrame, targets: pd.DataFrame, city_adcode: str) -> list[dict[str, Any]]:
    """Each target of the city with its current value, the gap and progress (0–1).

    A target's ``unit`` is None for the whole city, else a district adcode, a district name
    or a reporting unit name; its current value is computed from the carriers of that unit.
    """
    out = []
    city_targets = targets[targets["city_adcode"] == str(city_adcode)]
    gdf = districts(city_adcode)
    names = dict(zip(gdf["adcode"], gdf["name"], strict=True))
    frame = carriers[carriers["city_adcode"] == str(city_adcode)]
    for target in city_targets.to_dict("records"):
        unit = target.get("unit")
        unit = None if unit is None or (isinstance(unit, float) and np.isnan(unit)) or unit == "" else str(unit)
        subset = frame
        if unit is not None:
            unit_name = names.get(unit, unit)
            subset = frame[_unit_keys(frame, "reporting_unit", names) == unit_name]
        current = city_totals(subset, city_adcode).get(target["metric"], 0)
        value = float(target["value"])
        out.append({
            "metric": target["metric"], "unit": unit, "target": value, "current": current,
            "year": int(target["year"]), "gap": round(max(value - current, 0), 4),
            "progress": round(min(current / value, 1.0), 4) if value else 1.0,
            "source": target.get("source"), "is_sample": bool(target.get("is_sample")),
        })
    return out
