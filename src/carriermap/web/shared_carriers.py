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
# Up to this many edited carriers are changed cell by cell in a frame sharing the unchanged columns.
IN_PLACE_MAX_ROWS = 500

T = TypeVar("T")


@dataclass(frozen=True)
class Patched:
    """A patched frame and the columns whose values changed (None: rows came or went, take all as changed)."""

    frame: pd.DataFrame
    changed: frozenset[str] | None


def patched(frame: pd.DataFrame, rows: pd.DataFrame, touched: list[int]) -> Patched | None:
    """``frame`` (ordered by id) with the ``touched`` carriers replaced by ``rows`` (those of them that
    are still in the city), ordered by id; None when ``rows`` cannot take ``frame``'s column types.

    ``rows`` must have ``frame``'s columns (extra ones are dropped); a touched id missing from
    ``rows`` was removed or left the city and is dropped from the frame. A column of whole numbers
    that gets a blank becomes floats (and a boolean one objects), as a whole read would make it.
    Edits of carriers already there and new carriers with the highest ids (the usual writes)
    copy only the columns whose values changed; anything else rebuilds the frame.
    """
    ids = frame["id"].to_numpy(dtype="int64")
    gone = np.isin(ids, np.asarray(touched, dtype="int64"))
    if rows.empty:  # removed, left the city, or written in another city
        return Patched(frame[~gone].reset_index(drop=True), None) if gone.any() else Patched(frame, frozenset())
    if frame.empty or set(frame.columns) - set(rows.columns):
        return None  # an empty frame's columns have no types to keep: read the city whole
    types = {column: _type_taking(frame[column].dtype, rows[column]) for column in frame.columns}
    try:
        rows = rows[list(frame.columns)].astype(types).sort_values("id", ignore_index=True)
        widened = {column: kind for column, kind in types.items() if frame[column].dtype != kind}
        frame = frame.astype(widened) if widened else frame
    except (TypeError, ValueError):
        return None
    row_ids = rows["id"].to_numpy(dtype="int64")
    known = np.isin(row_ids, ids)
    removed = gone.sum() > known.sum()
    appended = row_ids[~known]
    if (not removed and known.sum() <= IN_PLACE_MAX_ROWS
            and (appended.size == 0 or ids.size == 0 or appended[0] > ids[-1])):
        edited, changed = _edited_in_place(frame, rows[known].reset_index(drop=True),
                                           np.searchsorted(ids, row_ids[known]), rows[~known].reset_index(drop=True))
        return Patched(edited, None if appended.size else changed | frozenset(widened))
    merged = pd.concat([frame[~gone], rows], ignore_index=True)
    if list(merged.dtypes) != list(types.values()):
        return None
    return Patched(merged.sort_values("id", kind="stable", ignore_index=True), None)


def _edited_in_place(frame: pd.DataFrame, edited: pd.DataFrame, positions: np.ndarray,
                     appended: pd.DataFrame) -> tuple[pd.DataFrame, frozenset[str]]:
    """A new frame sharing ``frame``'s columns, except those whose values at ``positions`` differ from
    ``edited`` (copied and changed), with ``appended`` at the end; and the names of the changed columns."""
    out, changed = frame.copy(deep=False), set()
    for column in frame.columns:
        series, new = frame[column], edited[column].tolist()
        if all(_same(series.iat[int(p)], value) for p, value in zip(positions, new, strict=True)):
            continue
        values = series.copy()
        for position, value in zip(positions, new, strict=True):
            values.iat[int(position)] = value
        out[column] = values
        changed.add(column)
    if appended.empty:
        return out, frozenset(changed)
    return pd.concat([out, appended], ignore_index=True), frozenset(changed)


def _same(old: object, new: object) -> bool:
    """True when a cell keeps its value (two blanks are the same; lists compare by content)."""
    if old is new:
        return True
    old_blank, new_blank = _blank(old), _blank(new)
    if old_blank or new_blank:
        return old_blank and new_blank
    try:
        return bool(old == new)
    except (TypeError, ValueError):
        return False


def _blank(value: object) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value)


def _type_taking(dtype: np.dtype, values: pd.Series) -> object:
    """``dtype``, or the type a whole read gives it once ``values`` bring blanks (integers → floats)."""
    if getattr(dtype, "kind", "") in "iu" and values.isna().any():
        return np.dtype("float64")
    if getattr(dtype, "kind", "") == "b" and values.isna().any():
        return np.dtype(object)
    return dtype


@dataclass(frozen=True)
class _Derived:
    value: object
    drop: Callable[[object], None] | None
    depends: frozenset[str] | None


@dataclass
class _Entry:
    version: int
    frame: pd.DataFrame
    lock: threading.RLock = field(default_factory=threading.RLock)
    derived: dict[Hashable, _Derived] = field(default_factory=dict)

    def replace(self, version: int, frame: pd.DataFrame, changed: frozenset[str] | None = None) -> None:
        """Take the new frame. What was derived from the old one goes (its ``drop`` hook called)
        unless it depends only on columns not in ``changed`` (None: every column changed)."""
        for key, made in list(self.derived.items()):
            if changed is not None and made.depends is not None and not made.depends & changed:
                continue
            if made.drop is not None:
                made.drop(made.value)
            del self.derived[key]
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
                drop: Callable[[T], None] | None = None, depends: tuple[str, ...] | None = None) -> T:
        """``build(frame)`` for the city's frame of :meth:`frame`, made once and shared (a view with
        samples hidden, the search index, the map's payload file).

        When the frame is replaced, the value is let go and ``drop(value)`` called (e.g. to retire
        a file), unless it names the columns it ``depends`` on and none of them changed (an edit
        of free space keeps the map's payload of ids, points and types)."""
        entry = self._entry(city_adcode)
        with entry.lock:
            self._bring_up_to_date(city_adcode, entry, version)
            if key not in entry.derived:
                entry.derived[key] = _Derived(build(entry.frame), drop,
                                              None if depends is None else frozenset(depends))
            return entry.derived[key].value  # type: ignore[return-value]

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
                fresh = (patched(entry.frame, self._read(city_adcode, touched), touched) if touched
                         else Patched(entry.frame, frozenset()))
                if fresh is not None:
                    self.counts.patches += 1
                    self.counts.patched_rows += len(touched)
                    entry.replace(now, fresh.frame, fresh.changed)
                    return
        self.counts.whole_reads += 1
        entry.replace(-1, pd.DataFrame())  # the old frame goes before the new one is read; a failed read leaves none
        now = self._data_version()
        entry.replace(now, self._read(city_adcode, None))
