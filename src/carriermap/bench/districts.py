"""Bench: district figures and the report workbook at scale (the page recomputes both on each view).

The bundled Wuhan records are repeated to the asked size (ids and names made unique), so the
mix of types, levels and units is real; the workbook is the one the page offers for download.
"""

from __future__ import annotations

import time

import pandas as pd

from carriermap.cities import get_city
from carriermap.districts.metrics import unit_metrics
from carriermap.districts.table import workbook

CITY = "420100"


def _carriers(size: int) -> pd.DataFrame:
    from carriermap.store import Store

    store = Store.open()
    base = store.carriers(CITY)
    repeats = -(-size // len(base))
    frame = pd.concat([base] * repeats, ignore_index=True).iloc[:size].copy()
    frame["id"] = range(1, len(frame) + 1)
    frame["name"] = frame["name"] + "#" + frame["id"].astype(str)
    return frame, store.targets(CITY)


def _time(func, *args) -> float:
    start = time.perf_counter()
    func(*args)
    return round(time.perf_counter() - start, 3)


def run(options) -> list[dict]:
    """Rows ``{case, carriers, seconds}`` for 1k/10k/100k carriers (1k/10k with ``--quick``)."""
    sizes = (1_000, 10_000) if getattr(options, "quick", False) else (1_000, 10_000, 100_000)
    city = get_city(CITY)
    out = []
    for size in sizes:
        carriers, targets = _carriers(size)
        out.append({"case": "unit_metrics (grouped, ours)", "carriers": size,
                    "seconds": _time(unit_metrics, carriers, CITY, "reporting_unit")})
        out.append({"case": "XLSX workbook (2 views + targets)", "carriers": size,
                    "seconds": _time(workbook, carriers, targets, city, "zh")})
    return out
