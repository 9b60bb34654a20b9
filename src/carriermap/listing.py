"""The carrier list, one page at a time: sort keys, page arithmetic and the page's rows.

A city can hold 100,000 carriers or more; a visitor reads a page of them. Sorting and slicing
happen on the server over the shared, read-only frame, and only the page's rows are turned
into the list view and sent to the browser. Pure functions, no Streamlit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

PAGE_SIZE = 50
SORT_KEYS: tuple[str, ...] = ("name", "type", "level", "district_adcode", "available_m2", "total_area_m2", "jobs")
NUMERIC_KEYS = frozenset({"available_m2", "total_area_m2", "jobs"})


@dataclass(frozen=True)
class ListPage:
    """One page of the list: its rows (in display order), which page it is and how many there are."""

    rows: pd.DataFrame
    number: int
    count: int
    total: int

    @property
    def first(self) -> int:
        """1-based position of the page's first row in the whole list (0 when empty)."""
        return 0 if self.total == 0 else (self.number - 1) * PAGE_SIZE + 1

    @property
    def last(self) -> int:
        """1-based position of the page's last row."""
        return self.first + len(self.rows) - 1 if len(self.rows) else 0


def page_count(total: int, size: int = PAGE_SIZE) -> int:
    """How many pages ``total`` rows make (at least one, so an empty list has page 1 of 1)."""
    return max(1, math.ceil(total / size))


def clamp_page(number: object, total: int, size: int = PAGE_SIZE) -> int:
    """A valid 1-based page number from anything (URL text, a stale widget value)."""
    try:
        value = int(str(number).strip())
    except (TypeError, ValueError):
        return 1
    return min(max(value, 1), page_count(total, size))


def sort_order(carriers: pd.DataFrame, key: str, descending: bool = False) -> np.ndarray:
    """Row positions of ``carriers`` sorted by ``key`` (ties and blanks by id, blanks last)."""
    if key not in SORT_KEYS or key not in carriers.columns or carriers.empty:
        key = "id"
    ids = carriers["id"].to_numpy()
    if key in NUMERIC_KEYS or key == "id":
        values = pd.to_numeric(carriers[key], errors="coerce").to_numpy(dtype=float)
        missing = np.isnan(values)
        primary = np.where(missing, 0.0, -values if descending else values)
    else:
        text = carriers[key].astype("str")  # the string engine ranks 100,000 names in ~30 ms
        missing = (text.isna() | (text == "")).to_numpy(dtype=bool)
        ranks = text.rank(method="dense").to_numpy(dtype=float)
        ranks = np.where(missing, 0.0, ranks)
        primary = -ranks if descending else ranks
    return np.lexsort((ids, primary, missing))


def page_of(carriers: pd.DataFrame, key: str, descending: bool, number: object, size: int = PAGE_SIZE) -> ListPage:
    """The rows of page ``number`` of ``carriers`` sorted by ``key``; only those rows are copied."""
    total = len(carriers)
    page = clamp_page(number, total, size)
    if total == 0:
        return ListPage(carriers.iloc[0:0], 1, 1, 0)
    order = sort_order(carriers, key, descending)
    start = (page - 1) * size
    return ListPage(carriers.iloc[order[start:start + size]], page, page_count(total, size), total)
