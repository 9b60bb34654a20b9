"""Converting carrier records between Python, the database row and the JSON kept in versions."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from carriermap.model import CARRIER_COLUMNS

CONFIRMATION_COLUMNS: tuple[str, ...] = ("confirmed_at", "confirmed_by")
"""Kept with the record (and its versions) but not model fields: imports and exports of facts ignore them."""
VERSIONED_COLUMNS: tuple[str, ...] = ("id", *CARRIER_COLUMNS, *CONFIRMATION_COLUMNS, "updated_at", "version")


def utc_now() -> str:
    """The current time, UTC, ISO 8601 to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def to_row(record: dict[str, Any]) -> dict[str, Any]:
    """A cleaned record as database values (lists as JSON text)."""
    row = {name: record.get(name) for name in CARRIER_COLUMNS}
    # a record from before confirmations existed leaves them as they are
    row.update({name: record[name] for name in CONFIRMATION_COLUMNS if name in record})
    row["industries"] = json.dumps(list(record.get("industries") or []), ensure_ascii=False)
    return row


def from_row(row: dict[str, Any]) -> dict[str, Any]:
    """A database row as a record (industries as a list)."""
    record = dict(row)
    raw = record.get("industries")
    record["industries"] = json.loads(raw) if raw else []
    if "is_sample" in record and record["is_sample"] is not None:
        record["is_sample"] = bool(record["is_sample"])
    return record


def dumps(record: dict[str, Any] | None) -> str | None:
    """JSON of a whole record, as kept in ``changes.before``/``after``."""
    if record is None:
        return None
    return json.dumps({k: record.get(k) for k in VERSIONED_COLUMNS if k in record}, ensure_ascii=False,
                      sort_keys=True)


def loads(text: str | None) -> dict[str, Any] | None:
    """Inverse of :func:`dumps`."""
    return None if text is None else json.loads(text)


def differs(before: dict[str, Any], after: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """``{field: (before, after)}`` for every carrier field whose value changed."""
    return {
        name: (before.get(name), after.get(name))
        for name in CARRIER_COLUMNS
        if _normalise(before.get(name)) != _normalise(after.get(name))
    }


def confirmation_differs(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The confirmation columns (:data:`CONFIRMATION_COLUMNS`) whose value changed."""
    return [name for name in CONFIRMATION_COLUMNS if before.get(name) != after.get(name)]


def _normalise(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (list, tuple)):
        return list(value)
    return value
