"""Where a carrier is known to be: placed (a point), unplaced (a district, no point) or unlocated.

A list that gives addresses and no coordinates still belongs in the register: such a
carrier is stored **unplaced** — ``lon``/``lat`` empty, its district parsed from the
address — and counts in its district's figures. One whose district could not be told
either is **unlocated** (flagged for an editor). Neither is drawn as a point or offered by
find space until an editor places it (:mod:`carriermap.placing`). The state is derived from
the record itself, so it can never disagree with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import pandas as pd

State = Literal["placed", "unplaced", "unlocated"]
STATES: tuple[str, ...] = ("placed", "unplaced", "unlocated")


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value is pd.NA


def state_of(record: Mapping[str, Any]) -> State:
    """The placement state of one record."""
    if not _missing(record.get("lon")) and not _missing(record.get("lat")):
        return "placed"
    district = record.get("district_adcode")
    return "unlocated" if _missing(district) or str(district).strip() == "" else "unplaced"


def placed_mask(carriers: pd.DataFrame) -> pd.Series:
    """True for the rows that have a point (the only ones drawn on a map or found by distance)."""
    if carriers.empty or "lon" not in carriers or "lat" not in carriers:
        return pd.Series(False, index=carriers.index, dtype=bool)
    return carriers["lon"].notna() & carriers["lat"].notna()


def states(carriers: pd.DataFrame) -> pd.Series:
    """The placement state of each row of a carriers frame."""
    placed = placed_mask(carriers)
    district = carriers["district_adcode"] if "district_adcode" in carriers else pd.Series(None, index=carriers.index)
    known = district.notna() & (district.astype("string").str.strip() != "")
    out = pd.Series("unlocated", index=carriers.index, dtype=object)
    out[known.fillna(False).astype(bool)] = "unplaced"
    out[placed] = "placed"
    return out


def needing_location(carriers: pd.DataFrame) -> pd.DataFrame:
    """The carriers without a point (unplaced and unlocated), unlocated first, then by name."""
    frame = carriers[~placed_mask(carriers)].copy()
    frame["placement"] = states(frame)
    first = frame["placement"].map({"unlocated": 0, "unplaced": 1}).fillna(2)
    return frame.assign(_first=first).sort_values(["_first", "name"], kind="stable").drop(columns="_first")
