"""Errors the store raises; each carries what a user needs to act on it."""

from __future__ import annotations

from typing import Any


class StoreError(Exception):
    """Base class of store errors."""


class NotFoundError(StoreError):
    """A carrier or change set that does not exist."""


class ConflictError(StoreError):
    """Someone else changed the carrier since it was read (optimistic check on ``version``)."""

    def __init__(self, carrier_id: int, expected_version: int, current: dict[str, Any] | None):
        super().__init__(
            f"carrier {carrier_id} was changed by someone else (expected version {expected_version}, "
            f"now {current.get('version') if current else 'deleted'})"
        )
        self.carrier_id = carrier_id
        self.expected_version = expected_version
        self.current = current


class UndoError(StoreError):
    """A change set that cannot be undone (already undone, or later changes depend on it)."""


class InvalidRecordError(StoreError):
    """A record outside the model's limits reached the store (see :func:`carriermap.model.stored_problems`);
    nothing was written. ``problems`` name each field, value and message key."""

    def __init__(self, problems: list):
        super().__init__("; ".join(f"{p.field}: {p.key}" for p in problems))
        self.problems = problems


class UndoConflict(UndoError):
    """Undo refused because later change sets changed the same fields since (nothing would be restored cleanly).

    ``conflicts`` lists each ``{"carrier_id", "name", "field", "value", "changeset"}``: the
    field, its newer value and the change set that holds it.
    """

    def __init__(self, changeset_id: int, conflicts: list[dict[str, Any]]):
        described = "; ".join(f"carrier {c['carrier_id']} {c['field'] or '(whole record)'} = {c['value']!r} "
                              f"(change set {c['changeset']})" for c in conflicts[:5])
        super().__init__(f"later change sets changed the same fields of change set {changeset_id}; "
                         f"undo those first: {described}")
        self.changeset_id = changeset_id
        self.conflicts = conflicts


class StoreBusy(StoreError):
    """The database stayed locked by another writer past the wait (SQLite ``database is locked``): try again."""
