"""One shared, read-only frame of a city's carriers per process, kept current by patching.

Every write is a new data version. Reading a whole city again after each one costs seconds at
100,000 carriers (and the process grew by one frame per cached version), so a process keeps
only the newest frame of each city and brings it up to date with what changed since:
:meth:`carriermap.store.Store.touched_since` names the carriers written after the frame's
version, those few rows are read and swapped in (:func:`patched`). A refresh that would touch
a large share of the city (a big import) reads the city whole instead, as does a database
whose version went backwards (a file put back from a backup).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
import pandas as pd

# Above this many touched carriers (or this share of the city) a whole read is cheaper than a
# patch; the count also keeps the id list inside SQLite's limit of bound values per statement.
PATCH_MAX_ROWS = 20_000
PATCH_MAX_SHARE = 0.25

T = TypeVar("T")


def patched(frame: pd.DataFrame, rows: pd.DataFrame, touched: list[int]) -> pd.DataFrame | None:
    """``frame`` with the ``touched`` carriers replaced by ``rows`` (those of them that are still in
    the city), ordered by id; None when ``rows`` cannot take ``frame``'s column types (read again).

    ``rows`` must have ``frame``'s columns (extra ones are dropped); a touched id missing from
    ``rows`` was removed or left the city and is dropped from the frame. A column of whole numbers
    that gets a blank becomes floats (and a boolean one objects), as a whole read would make it.
    """
    gone = frame["id"].isin(np.asarray(touched, dtype="int64"))
    if rows.empty:
        return frame[~gone].reset_index(drop=True) if gone.any() else frame  # e.g. a write in another city
    kept = frame[~gone]
    if set(frame.columns) - set(rows.columns):
        return None
    rows = rows[list(frame.columns)]
    types = {column: _type_taking(frame[column].dtype, rows[column]) for column in frame.columns}
    try:
        rows = rows.astype(types)
        kept = kept.astype({column: kind for column, kind in types.items() if kept[column].dtype != kind})
    except (TypeError, ValueError):
        return None
    merged = pd.concat([kept, rows], ignore_index=True)
    if list(merged.dtypes) != list(types.values()):
        return None
    return merged.sort_values("id", kind="stable", ignore_index=True)


def _type_taking(dtype: np.dtype, values: pd.Series) -> object:
    """``dtype``, or the type a whole read gives it once ``values`` bring blanks (integers → floats)."""
    if getattr(dtype, "kind", "") in "iu" and values.isna().any():
        return np.dtype("float64")
    if getattr(dtype, "kind", "") == "b" and values.isna().any():
        return np.dtype(object)
    return dtype


@dataclass
class _Entry:
    version: int
    frame: pd.DataFrame
    lock: threading.RLock = field(default_factory=threading.RLock)
    derived: dict[Hashable, tuple[object, Callable[[object], None] | None]] = field(default_factory=dict)

    def replace(self, version: int, frame: pd.DataFrame) -> None:
        """Take the new frame; what was derived from the old one goes (each ``drop`` hook called)."""
        for value, drop in self.derived.values():
            if drop is not None:
                drop(value)
        self.derived.clear()
        self.version, self.frame = version, frame


@dataclass
class RefreshCounts:
    """How the frames were brought up to date (for tests and the load bench)."""

    whole_reads: int = 0
    patches: int = 0
    patched_rows: int = 0


class SharedCarriers:
    """The newest carrier frame of each city of one database, shared by every session.

    ``read(city, ids)`` reads the city (``ids`` None) or those carriers of it, already prepared
    for the pages (flags added); ``touched_since(version)`` and ``data_version()`` are the
    store's. Thread-safe: one refresh per city at a time, the others wait and take its result.
    """

    def __init__(self, read: Callable[[str, list[int] | None], pd.DataFrame],
                 touched_since: Callable[[int], tuple[int, list[int]]], data_version: Callable[[], int]):
        self._read = read
        self._touched_since = touched_since
        self._data_version = data_version
        self._entries: dict[str, _Entry] = {}
        self._guard = threading.Lock()
        self.counts = RefreshCounts()

    def frame(self, city_adcode: str, version: int) -> pd.DataFrame:
        """The city's carriers as of data version ``version`` or newer (never older)."""
        entry = self._entry(city_adcode)
        with entry.lock:
            self._bring_up_to_date(city_adcode, entry, version)
            return entry.frame

    def derived(self, city_adcode: str, version: int, key: Hashable, build: Callable[[pd.DataFrame], T],
                drop: Callable[[T], None] | None = None) -> T:
        """``build(frame)`` for the city's frame of :meth:`frame`, made once per frame and shared
        (a view with samples hidden, the search index, the map's payload file). When the frame
        is replaced, the value is let go and ``drop(value)`` called (e.g. to retire a file)."""
        entry = self._entry(city_adcode)
        with entry.lock:
            self._bring_up_to_date(city_adcode, entry, version)
            if key not in entry.derived:
                entry.derived[key] = (build(entry.frame), drop)
            return entry.derived[key][0]  # type: ignore[return-value]

    def _entry(self, city_adcode: str) -> _Entry:
        with self._guard:
            return self._entries.setdefault(city_adcode, _Entry(version=-1, frame=pd.DataFrame()))

    def _bring_up_to_date(self, city_adcode: str, entry: _Entry, version: int) -> None:
        if entry.version == version:
            return
        if entry.version > version and self._data_version() >= entry.version:
            return  # another session already brought it further: newer is fine
        if 0 <= entry.version < version:
            now, touched = self._touched_since(entry.version)
            if len(touched) <= min(PATCH_MAX_ROWS, max(1, int(PATCH_MAX_SHARE * len(entry.frame)))):
                fresh = patched(entry.frame, self._read(city_adcode, touched), touched) if touched else entry.frame
                if fresh is not None:
                    self.counts.patches += 1
                    self.counts.patched_rows += len(touched)
                    entry.replace(now, fresh)
                    return
        self.counts.whole_reads += 1
        entry.replace(-1, pd.DataFrame())  # the old frame goes before the new one is read; a failed read leaves none
        now = self._data_version()
        entry.replace(now, self._read(city_adcode, None))
