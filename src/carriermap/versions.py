"""Versioned edits of carriers: edit, delist, relist, and the history people read.

Every change is a change set in the store (who, when, kind, the whole record before and
after), so each can be shown and undone (:meth:`carriermap.store.Store.undo`). Delisting
keeps the carrier: its status becomes ``delisted`` (seed 003: stopped carriers are delisted,
not deleted) and relisting brings it back.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from carriermap.model import CARRIER_COLUMNS, Problem, clean_carrier
from carriermap.placement import place

CHANGE_COLUMNS: tuple[str, ...] = ("changeset_id", "created_at", "actor", "kind", "carrier_id", "name", "action",
                                   "field", "before", "after", "undone_by")


class EditRejected(ValueError):
    """An edit whose values do not validate; nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(f"{p.field}: {p.key}" for p in problems))
        self.problems = problems


def apply_edit(store, current: dict[str, Any], values: dict[str, Any], *, actor: str,
               expected_version: int | None = None, kind: str = "edit", guard=None, reason: str | None = None):
    """Validate ``values`` against the stored record ``current`` and write them as one change set.

    The one write path of every single-carrier edit (quick edits, delist/relist, CLI). A moved
    point gets its district derived again. Raises :class:`EditRejected` with every problem,
    or :class:`carriermap.store.ConflictError` when ``expected_version`` is stale. Returns the
    store's :class:`~carriermap.store.repository.ChangeSetResult` (no change set when the values
    equal the stored ones). ``guard`` is the store's write guard (see :meth:`Store.apply`).
    ``reason`` (e.g. why a carrier was delisted) is kept with the change set.
    """
    from carriermap.history_view import with_reason
    from carriermap.store.repository import Update

    carrier_id = int(current["id"])
    changed = prepare_edit(current, values)
    return store.apply(actor=actor, kind=kind, city_adcode=current["city_adcode"],
                       summary=with_reason(f"{kind} #{carrier_id}: {', '.join(sorted(values))}", reason),
                       updates=[Update(carrier_id, changed, expected_version=expected_version)], guard=guard)


def prepare_edit(current: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """The cleaned values an edit of ``current`` would write (district derived again for a moved point).

    Raises :class:`EditRejected` with every problem; writes nothing. Shared by
    :func:`apply_edit` and the review of a proposed change (:mod:`carriermap.review`).
    """
    unknown = sorted(set(values) - set(CARRIER_COLUMNS))
    if unknown:
        raise EditRejected([Problem(name, values[name], "error.unknown_field") for name in unknown])
    record, problems = clean_carrier({**current, **values})
    if not problems and ({"lon", "lat"} & set(values) or "district_adcode" in values):
        record["district_adcode"] = None
        problems = place([record]).get(0, [])
    if problems:
        raise EditRejected(problems)
    return {name: record[name] for name in (*values, "district_adcode") if name in record}


def edit_carrier(store, carrier_id: int, values: dict[str, Any], *, actor: str,
                 expected_version: int | None = None, kind: str = "edit") -> int | None:
    """Change some fields of one carrier (see :func:`apply_edit`); return the change set id or None."""
    current = store.carrier(int(carrier_id))
    return apply_edit(store, current, values, actor=actor, expected_version=expected_version, kind=kind).changeset_id


def delist(store, carrier_id: int, *, actor: str, expected_version: int | None = None) -> int | None:
    """Mark a carrier delisted (kept, with its history); return the change set id."""
    return edit_carrier(store, carrier_id, {"status": "delisted"}, actor=actor,
                        expected_version=expected_version, kind="delist")


def relist(store, carrier_id: int, *, actor: str, expected_version: int | None = None) -> int | None:
    """Bring a delisted carrier back to operating; return the change set id."""
    return edit_carrier(store, carrier_id, {"status": "operating"}, actor=actor,
                        expected_version=expected_version, kind="relist")


def field_changes(store, *, carrier_id: int | None = None, changeset_id: int | None = None,
                  limit: int = 500) -> pd.DataFrame:
    """The history as one line per changed field (newest first): who, when, what, before → after.

    An inserted or removed carrier is one line with ``field`` empty.
    """
    history = store.history(carrier_id, limit=limit, changeset_id=changeset_id)
    lines: list[dict[str, Any]] = []
    for change in history.to_dict("records"):
        before, after = change["before"] or {}, change["after"] or {}
        base = {name: change.get(name) for name in ("changeset_id", "created_at", "actor", "kind", "carrier_id",
                                                    "action", "undone_by")}
        base["name"] = after.get("name") or before.get("name")
        if change["action"] != "update":
            lines.append({**base, "field": None, "before": None, "after": None})
            continue
        for name in change["fields"]:
            lines.append({**base, "field": name, "before": before.get(name), "after": after.get(name)})
    frame = pd.DataFrame(lines, columns=list(CHANGE_COLUMNS))
    frame["undone_by"] = frame["undone_by"].astype(object).where(frame["undone_by"].notna(), None)
    return frame
