"""Edits an editor makes on the data page: quick edits, delist/relist, import, undo and freeze.

Each function checks the user's scope (:mod:`carriermap.permissions`) — and hands
:func:`carriermap.permissions.require_change` to the store as the write's guard, so every
carrier is checked before *and* after the change, on the record as stored under the write
lock, with the fields the user's role may change — validates with the
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
from carriermap.permissions import (
    ChangeDenied,
    PermissionDenied,
    User,
    can_change_status,
    can_manage_city,
    can_undo,
    check_change,
    check_undo,
    require_change,
    require_edit,
)
from carriermap.review.queue import can_undo_step, submit
from carriermap.review.rules import REVIEW_KINDS, review_level
from carriermap.review.settings import review_required
from carriermap.snapshots import refuse_if_frozen
from carriermap.store import NotFoundError, Store, UndoConflict, schema
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


def guard_for(user: User | None):
    """The store's write guard for ``user``: :func:`carriermap.permissions.require_change` on each carrier."""
    return lambda before, after: require_change(user, before, after)


def _write(store: Store, user: User, record: dict[str, Any], values: dict[str, Any], expected_version: int,
           kind: str, reason: str | None = None) -> ChangeSetResult:
    """Publish the edit, or keep it for a reviewer when the city requires review of this user's change."""
    level = review_level(user, values) if review_required(store, record["city_adcode"]) else None
    try:
        if level is not None:
            return submit(store, user, record, values, kind=kind, level=level, expected_version=int(expected_version))
        return apply_edit(store, record, values, actor=user.name, expected_version=int(expected_version), kind=kind,
                          guard=guard_for(user), reason=reason)
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


def may_undo(store: Store, user: User | None, changeset_id: int) -> bool:
    """True when ``user`` may undo change set ``changeset_id`` (the page shows the button only then)."""
    kind, records = changeset_records(store, changeset_id)
    if kind in REVIEW_KINDS:
        return can_undo_step(store, user, kind, int(changeset_id))
    # a confirmation is undone on the same terms as a quick edit (operators may undo both); only
    # what the user could have done themselves (the library refuses the rest anyway)
    return (can_undo(user, "edit" if kind == "confirm" else kind, records)
            and not check_undo(user, changeset_changes(store, int(changeset_id))))


def undo_changeset(store: Store, user: User | None, changeset_id: int,
                   *, as_of: date | datetime | None = None) -> ChangeSetResult:
    """Undo a change set the user could have made themselves, every carrier in scope before and after.

    Refused (:class:`PermissionDenied`) for kinds the role may not undo, and
    (:class:`~carriermap.permissions.ChangeDenied`) when any change of the set is one the user
    could not have made — an operator undoing an official's suspension changes ``status`` — or
    when the undo itself would leave or reach outside their scope (checked by the store's guard).
    A review step (submit, approve, reject) may be undone by those :func:`can_undo_step` names.
    """
    kind, records = changeset_records(store, changeset_id)
    if not may_undo(store, user, changeset_id):
        raise PermissionDenied("data.error.undo_not_allowed", changeset=int(changeset_id))
    problems = check_undo(user, changeset_changes(store, changeset_id))
    if problems:
        raise ChangeDenied(problems)
    for city in {r.get("city_adcode") for r in records if r.get("city_adcode")}:
        refuse_if_frozen(store, city, _today(as_of))
    return store.undo(int(changeset_id), actor=user.name, guard=guard_for(user))


def changeset_changes(store: Store, changeset_id: int) -> list[tuple[dict[str, Any] | None, dict[str, Any] | None]]:
    """Each change of a change set as ``(before, after)`` records (None for an insert's before, a delete's after)."""
    ch = schema.changes
    with store.engine.connect() as conn:
        rows = conn.execute(select(ch.c.before, ch.c.after).where(ch.c.changeset_id == int(changeset_id))).all()
    return [(loads(before), loads(after)) for before, after in rows]


def import_plan(store: Store, user: User | None, plan, *, as_of: date | datetime | None = None) -> int | None:
    """Write a checked import plan as ``user``: every new or changed carrier must be in scope.

    Operators never import (they run only existing carriers); a district official may import
    only carriers of their district or reporting unit, and no row may move a carrier into or
    out of it (:func:`carriermap.permissions.check_change` on each row, before and after).
    Returns the change set id (None when the file changes nothing); raises
    :class:`PermissionDenied` naming the first row refused, before anything is written. The
    store checks every carrier again as stored when it writes (a carrier moved meanwhile).
    """
    from carriermap.importer import commit_import

    if user is None or user.role == "operator":
        raise PermissionDenied("data.error.import_not_allowed", user=user.name if user else "")
    for row in plan.rows:
        if row.action == "unchanged":
            continue
        before = None if row.action == "new" else {**row.record, "id": row.carrier_id,
                                                   **{name: old for name, (old, _new) in row.changes.items()}}
        problems = check_change(user, before, {**row.record, "id": row.carrier_id})
        if problems:
            raise PermissionDenied("data.error.import_row_not_in_scope", row=row.row,
                                   name=row.record.get("name") or "")
    if plan.city_adcode:
        refuse_if_frozen(store, plan.city_adcode, _today(as_of))
    return commit_import(store, plan, actor=user.name, guard=guard_for(user))


def freeze_quarter(store: Store, user: User | None, city_adcode: str, quarter: str,
                   *, now: datetime | None = None) -> dict[str, Any]:
    """Freeze a city's quarter as ``user``: admins and that city's officials only (:class:`PermissionDenied`)."""
    from carriermap.snapshots import freeze

    if not can_manage_city(user, city_adcode):
        raise PermissionDenied("data.error.freeze_not_allowed", city=str(city_adcode))
    return freeze(store, city_adcode, quarter, user.name, now=now)


def undo_conflict_lines(error: UndoConflict, lang: str) -> list[str]:
    """An :class:`~carriermap.store.UndoConflict` in ``lang``: a headline, then one line per field
    (carrier, field, its newer value and the change set to undo first)."""
    from carriermap.i18n import t

    lines = [t("undo.error.conflict", lang, changeset=error.changeset_id)]
    for item in error.conflicts[:10]:
        params = {"name": item["name"] or "", "carrier_id": item["carrier_id"], "newer": item["changeset"]}
        if item["field"]:
            lines.append(t("undo.error.conflict_line", lang, field=t(f"import.header.{item['field']}", lang),
                           value="—" if item["value"] is None else item["value"], **params))
        else:
            lines.append(t("undo.error.conflict_record", lang, **params))
    return lines
