"""The register as it was: a city's carriers at a past instant, rebuilt from the history.

Every write keeps the whole record before and after (:mod:`carriermap.store.repository`), so
the state at an instant is the live data rolled back through every change made at or after
it, newest first: an insert is taken out, an update or a delete puts the ``before`` record
back. Frozen quarters (:mod:`carriermap.snapshots`) and targets judged at their deadline
(:mod:`carriermap.districts.targets`) both use :func:`carriers_as_of`.

Quarters end at midnight in China (UTC+8, no daylight saving since 1991): the last instant
of 2026Q3 is just before 2026-10-01 00:00 +08:00.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

import pandas as pd
from sqlalchemy import select

from carriermap.model import CARRIER_FIELDS
from carriermap.store import Store, schema
from carriermap.store.records import VERSIONED_COLUMNS

CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")
_NUMERIC = {spec.name for spec in CARRIER_FIELDS if spec.kind in ("float", "int", "year")}


def end_of_day(day: date) -> datetime:
    """The instant a day ends in China (midnight +08:00 of the next day), as an aware datetime."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=CHINA)


def start_of_day(day: date) -> datetime:
    """Midnight +08:00 at the start of ``day``."""
    return datetime.combine(day, time(0), tzinfo=CHINA)


def _stamp(instant: datetime) -> str:
    """``instant`` written as change sets write their time (UTC ISO 8601, seconds), for comparing."""
    if instant.tzinfo is None:
        raise ValueError("an instant needs a time zone")
    return instant.astimezone(UTC).replace(microsecond=0).isoformat()


def _later_changes(store: Store, instant: datetime):
    """Every change made at or after ``instant``, newest first (``carrier_id, action, before``)."""
    cs, ch = schema.changesets, schema.changes
    query = (select(ch.c.carrier_id, ch.c.action, ch.c.before).join(cs, cs.c.id == ch.c.changeset_id)
             .where(cs.c.created_at >= _stamp(instant)).order_by(ch.c.id.desc()))
    with store.engine.connect() as connection:
        yield from connection.execute(query)


def carriers_as_of(store: Store, city_adcode: str, instant: datetime) -> pd.DataFrame:
    """The city's carriers as they stood just before ``instant`` (an aware datetime), shaped like
    :meth:`Store.carriers` (every column, ``industries`` as lists, ordered by id).

    Changes made at or after ``instant`` are rolled back, whoever made them (edits, imports,
    delistings, undos), including carriers that moved into or out of the city since.
    """
    city_adcode = str(city_adcode)
    live = store.carriers(city_adcode)
    records: dict[int, dict[str, Any]] = {}
    for row in live.astype(object).where(pd.notna(live), None).to_dict("records"):
        records[int(row["id"])] = row
    for carrier_id, action, before in _later_changes(store, instant):
        if action == "insert":
            records.pop(int(carrier_id), None)
        else:  # update or delete: the record as it was before this change
            records[int(carrier_id)] = json.loads(before)
    kept = [r for _, r in sorted(records.items()) if str(r.get("city_adcode")) == city_adcode]
    return _frame(kept, list(live.columns) or list(VERSIONED_COLUMNS))


def _frame(records: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(records, columns=columns)
    if frame.empty:
        return frame
    for column in columns:
        if column in _NUMERIC:
            frame[column] = pd.to_numeric(frame[column], errors="coerce")
    frame["id"] = frame["id"].astype("int64")
    frame["industries"] = frame["industries"].map(lambda items: list(items) if isinstance(items, list) else [])
    frame["is_sample"] = frame["is_sample"].fillna(False).astype(bool)
    return frame.reset_index(drop=True)


def first_record_at(store: Store, city_adcode: str) -> datetime | None:
    """When the register first held a carrier of the city (the change set that inserted it), or None."""
    cs, ch = schema.changesets, schema.changes
    needle = json.dumps({"city_adcode": str(city_adcode)}, ensure_ascii=False)[1:-1]  # as records.dumps writes it
    query = (select(cs.c.created_at, ch.c.after).join(cs, cs.c.id == ch.c.changeset_id)
             .where(ch.c.action == "insert", ch.c.after.like(f"%{needle}%")).order_by(ch.c.id))
    with store.engine.connect() as connection:
        for created_at, after in connection.execute(query):
            if str(json.loads(after).get("city_adcode")) == str(city_adcode):
                return datetime.fromisoformat(created_at)
    return None
