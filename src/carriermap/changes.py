"""What changed in a city: new carriers, delistings, level changes and newly free space, from the history.

Read from the change sets (never from a snapshot): every published write keeps the whole record
before and after, so each event names its carrier, when, and the value before and after (who
made a change is an editor's account name and is not part of this public list). Seeding, undo
change sets and change sets that were undone are left out (they are corrections, not news);
so are review steps that publish nothing. Dates are calendar days in China Standard Time (UTC+8).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import select

from carriermap.freshness.age import LOCAL
from carriermap.store import Store, schema
from carriermap.store.records import loads

EVENTS: tuple[str, ...] = ("new", "delisted", "level", "free_space")
CHANGE_COLUMNS: tuple[str, ...] = ("at", "event", "carrier_id", "name", "before", "after", "changeset_id")
_SKIPPED_KINDS = ("seed", "undo", "submit", "reject")
# Changes read at a time when only the newest events are wanted (:func:`recent_changes`).
READ_BATCH = 500


def _utc_start(day: date) -> str:
    """The first moment of a local (UTC+8) calendar day, as the UTC ISO text the history keeps."""
    return datetime.combine(day, time(0), tzinfo=LOCAL).astimezone(UTC).isoformat()


def _free(value: Any) -> bool:
    try:
        return value is not None and float(value) > 0
    except (TypeError, ValueError):
        return False


def events(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[tuple[str, Any, Any]]:
    """The news in one change of one carrier: ``(event, before, after)`` for each of :data:`EVENTS`."""
    if after is None:
        return []
    if before is None:
        return [("new", None, after.get("type"))]
    out: list[tuple[str, Any, Any]] = []
    if after.get("status") == "delisted" and before.get("status") != "delisted":
        out.append(("delisted", before.get("status"), "delisted"))
    if after.get("level") != before.get("level"):
        out.append(("level", before.get("level"), after.get("level")))
    if _free(after.get("available_m2")) and not _free(before.get("available_m2")):
        out.append(("free_space", before.get("available_m2"), after.get("available_m2")))
    return out


def recent_changes(store: Store, city_adcode: str, since: date, until: date | None = None,
                   limit: int | None = None) -> pd.DataFrame:
    """Events in the city from local day ``since`` up to and including ``until`` (default: now), newest first.

    Columns :data:`CHANGE_COLUMNS`; ``before``/``after`` hold codes or numbers (labels are the caller's).
    With ``limit``, only the newest ``limit`` events: the history is read newest first,
    :data:`READ_BATCH` changes at a time, until there are enough (the day of a 100,000-row import
    would otherwise be read whole after every later edit).
    """
    cs, ch = schema.changesets, schema.changes
    query = (select(ch.c.id, ch.c.changeset_id, ch.c.carrier_id, ch.c.before, ch.c.after, cs.c.created_at)
             .join(cs, cs.c.id == ch.c.changeset_id)
             .where(cs.c.city_adcode == str(city_adcode), cs.c.created_at >= _utc_start(since),
                    cs.c.undone_by.is_(None), cs.c.kind.not_in(_SKIPPED_KINDS))
             .order_by(ch.c.id.desc()))
    if until is not None:
        query = query.where(cs.c.created_at < _utc_start(until + timedelta(days=1)))
    lines: list[dict[str, Any]] = []
    with store.engine.connect() as conn:
        below = None
        while limit is None or len(lines) < limit:
            batch = query if limit is None else query.limit(READ_BATCH)
            if below is not None:
                batch = batch.where(ch.c.id < below)
            rows = conn.execute(batch).mappings().all()
            for row in rows:
                before, after = loads(row["before"]), loads(row["after"])
                for event, old, new in events(before, after):
                    lines.append({"at": row["created_at"], "event": event, "carrier_id": int(row["carrier_id"]),
                                  "name": (after or {}).get("name"), "before": old, "after": new,
                                  "changeset_id": int(row["changeset_id"])})
            if limit is None or len(rows) < READ_BATCH:
                break
            below = rows[-1]["id"]
    if limit is not None:
        lines = lines[:limit]
    return pd.DataFrame(lines, columns=list(CHANGE_COLUMNS))
