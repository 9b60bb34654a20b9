"""Edits an editor makes on the data page: quick edits, delist/relist and undo.

Each function checks the user's scope (:mod:`carriermap.permissions`), validates with the
model, refuses edits dated in a frozen quarter (:func:`carriermap.snapshots.refuse_if_frozen`)
and writes one versioned change set through :meth:`Store.apply` with the version the editor
saw: if someone else saved in between, :class:`carriermap.store.ConflictError` is raised
(holding the new record) and nothing is written.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select

from carriermap.model import FIELDS_BY_NAME, Problem, clean_value
from carriermap.permissions import PermissionDenied, User, can_change_status, can_edit, can_undo, require_edit
from carriermap.snapshots import refuse_if_frozen
from carriermap.store import NotFoundError, Store, schema
from carriermap.store.records import loads
from carriermap.store.repository import ChangeSetResult
from carriermap.versions import EditRejected, apply_edit

QUICK_FIELDS: tuple[str, ...] = ("available_m2", "rent_cny_m2_month", "contact")
STATUS_KINDS = {"delisted": "delist", "operating": "relist", "suspended": "edit"}


class EditError(EditRejected):
    """Values that do not validate; ``problems`` name each field, value and message key."""


def _today(as_of: date | datetime | None) -> date | datetime:
    return as_of if as_of is not None else datetime.now(UTC)


def validate_quick(values: dict[str, Any]) -> None:
    """Refuse fields a quick edit may not change (only free space, rent and contact)."""
    unknown = [name for name in values if name not in QUICK_FIELDS]
    if unknown:
        raise EditError([Problem(name, values[name], "data.error.not_quick_field") for name in unknown])


def _write(store: Store, user: User, record: dict[str, Any], values: dict[str, Any], expected_version: int,
           kind: str, reason: str | None = None) -> ChangeSetResult:
    try:
        return apply_edit(store, record, values, actor=user.name, expected_version=int(expected_version), kind=kind,
                          reason=reason)
    except EditRejected as rejected:
        raise EditError(rejected.problems) from rejected


def quick_edit(store: Store, user: User | None, carrier_id: int, values: dict[str, Any], expected_version: int,
               *, as_of: date | datetime | None = None) -> ChangeSetResult:
    """Change a carrier's free space, rent and/or contact, as the version the editor saw."""
    record = store.carrier(carrier_id)
    require_edit(user, record)
    validate_quick(values)
    refuse_if_frozen(store, record["city_adcode"], _today(as_of))
    return _write(store, user, record, values, expected_version, "edit")


def set_status(store: Store, user: User | None, carrier_id: int, status: str, expected_version: int,
               *, as_of: date | datetime | None = None, reason: str | None = None) -> ChangeSetResult:
    """Delist (``delisted``), relist (``operating``) or suspend a carrier as a versioned edit.

    Delisting needs a ``reason`` (kept in the history); without one nothing is written.
    """
    record = store.carrier(carrier_id)
    if not can_change_status(user, record):
        raise PermissionDenied("data.error.status_not_allowed", name=record.get("name") or "")
    code, problem = clean_value(FIELDS_BY_NAME["status"], status)
    if problem:
        raise EditError([problem])
    if code == "delisted" and not (reason or "").strip():
        raise EditError([Problem("status", status, "finish.delist.reason_required")])
    refuse_if_frozen(store, record["city_adcode"], _today(as_of))
    return _write(store, user, record, {"status": code}, expected_version, STATUS_KINDS.get(code, "edit"),
                  reason=reason)


def changeset_records(store: Store, changeset_id: int) -> tuple[str, list[dict[str, Any]]]:
    """The kind of a change set and every carrier record it touched (before and after each change)."""
    cs, ch = schema.changesets, schema.changes
    with store.engine.connect() as conn:
        kind = conn.execute(select(cs.c.kind).where(cs.c.id == int(changeset_id))).scalar()
        rows = conn.execute(select(ch.c.before, ch.c.after).where(ch.c.changeset_id == int(changeset_id))).all()
    if kind is None:
        raise NotFoundError(f"no change set {changeset_id}")
    return str(kind), [record for pair in rows for record in map(loads, pair) if record is not None]


def undo_changeset(store: Store, user: User | None, changeset_id: int,
                   *, as_of: date | datetime | None = None) -> ChangeSetResult:
    """Undo a change set when every carrier it touched is in the user's scope."""
    kind, records = changeset_records(store, changeset_id)
    if not can_undo(user, kind, records):
        raise PermissionDenied("data.error.undo_not_allowed", changeset=int(changeset_id))
    for city in {r.get("city_adcode") for r in records if r.get("city_adcode")}:
        refuse_if_frozen(store, city, _today(as_of))
    return store.undo(int(changeset_id), actor=user.name)


def import_plan(store: Store, user: User | None, plan, *, as_of: date | datetime | None = None) -> int | None:
    """Write a checked import plan as ``user``: every new or changed carrier must be in scope.

    Operators never import (they run only existing carriers); a district official may import
    only carriers of their district or reporting unit. Returns the change set id (None when
    the file changes nothing); raises :class:`PermissionDenied` naming the first row outside
    the scope, before anything is written.
    """
    from carriermap.importer import commit_import

    if user is None or user.role == "operator":
        raise PermissionDenied("data.error.import_not_allowed", user=user.name if user else "")
    for row in plan.rows:
        if row.action != "unchanged" and not can_edit(user, row.record):
            raise PermissionDenied("data.error.import_row_not_in_scope", row=row.row,
                                   name=row.record.get("name") or "")
    if plan.city_adcode:
        refuse_if_frozen(store, plan.city_adcode, _today(as_of))
    return commit_import(store, plan, actor=user.name)
