"""Trend by quarter from frozen snapshots (table ``snapshots``, written by the ``freeze`` command).

Each quarter's snapshot is the register as of the quarter's last instant (rebuilt from the
history, :mod:`carriermap.snapshots`); a quarter frozen again counts by its newest revision.
A snapshot row holds ``city_adcode``, ``quarter`` (``2026Q3``), ``frozen_at``, ``actor`` and
``carriers``: a JSON list of carrier records exactly as :meth:`Store.carriers` returns them.
Each quarter's figures are computed by the same functions as today's, so a frozen quarter and
the live table agree on what a figure means.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select

from carriermap.districts.metrics import SUM_COLUMNS, GroupBy, selected, unit_metrics
from carriermap.districts.targets import city_totals
from carriermap.filters import MapFilters
from carriermap.model import CARRIER_COLUMNS
from carriermap.snapshots import current_revision
from carriermap.store import schema

QUARTER = re.compile(r"^\d{4}Q[1-4]$")


@dataclass(frozen=True)
class Snapshot:
    """One frozen quarter of a city."""

    quarter: str
    frozen_at: str
    actor: str
    carriers: pd.DataFrame


def _frame(raw: str) -> pd.DataFrame:
    records = json.loads(raw) if raw else []
    frame = pd.DataFrame(records)
    for column in ("id", *CARRIER_COLUMNS):
        if column not in frame.columns:
            frame[column] = None
    for column in ("city_adcode", "district_adcode"):
        frame[column] = frame[column].map(lambda v: None if v is None or pd.isna(v) else str(v))
    return frame


def snapshots(engine, city_adcode: str) -> list[Snapshot]:
    """The city's snapshots, oldest quarter first (rows with a malformed quarter are skipped)."""
    table = schema.snapshots
    query = (select(table).where(table.c.city_adcode == str(city_adcode), current_revision(table))
             .order_by(table.c.quarter))
    with engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    return [Snapshot(row["quarter"], row["frozen_at"], row["actor"], _frame(row["carriers"]))
            for row in rows if QUARTER.match(str(row["quarter"]))]


def city_trend(snaps: list[Snapshot], city_adcode: str, selection: MapFilters | None = None) -> pd.DataFrame:
    """One row per quarter: the city-wide figures (those targets use) and the sums of areas and jobs,
    of the carriers ``selection`` (the map's filters) picks."""
    rows = []
    for snap in snaps:
        carriers = selected(snap.carriers, selection)
        active = carriers[carriers["status"] != "delisted"]
        sums = {c: float(pd.to_numeric(active[c], errors="coerce").sum()) for c in SUM_COLUMNS}
        rows.append({"quarter": snap.quarter, **city_totals(carriers, city_adcode), **sums,
                     "delisted": int((carriers["status"] == "delisted").sum())})
    return pd.DataFrame(rows)


def unit_trend(snaps: list[Snapshot], city_adcode: str, by: GroupBy, metric: str,
               selection: MapFilters | None = None) -> pd.DataFrame:
    """Long table ``quarter, unit, unit_code, value`` of one :func:`unit_metrics` column per quarter."""
    parts = []
    for snap in snaps:
        rows = unit_metrics(snap.carriers, city_adcode, by, selection)
        parts.append(pd.DataFrame({"quarter": snap.quarter, "unit": rows["unit"], "unit_code": rows["unit_code"],
                                   "value": rows[metric]}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["quarter", "unit", "unit_code", "value"])
