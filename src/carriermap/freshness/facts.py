"""The changeable facts a confirmation vouches for, and the stamp a write of them gets."""

from __future__ import annotations

from typing import Any

FACT_FIELDS: tuple[str, ...] = ("available_m2", "rent_cny_m2_month", "contact", "status")
"""Free space, rent, contact and status: the facts that go out of date."""


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, (int, float)) or isinstance(b, float) and isinstance(a, (int, float)):
        return float(a) == float(b)
    return a == b


def changed_facts(before: dict[str, Any] | None, after: dict[str, Any]) -> list[str]:
    """The fact fields whose value differs between ``before`` and ``after`` (all of them for a new record)."""
    if before is None:
        return list(FACT_FIELDS)
    return [name for name in FACT_FIELDS if not _same(before.get(name), after.get(name))]


def stamp_confirmation(before: dict[str, Any] | None, after: dict[str, Any], actor: str,
                       now: str) -> dict[str, Any]:
    """``confirmed_at``/``confirmed_by`` for a write: an edit of the facts also confirms them.

    A new record keeps a confirmation it carries, else it is confirmed now by ``actor``; an
    update that changes a fact is confirmed now; any other update keeps the old confirmation.
    """
    if before is None:
        if after.get("confirmed_at"):
            return {"confirmed_at": after["confirmed_at"], "confirmed_by": after.get("confirmed_by")}
        return {"confirmed_at": now, "confirmed_by": actor}
    if changed_facts(before, after):
        return {"confirmed_at": now, "confirmed_by": actor}
    return {"confirmed_at": after.get("confirmed_at"), "confirmed_by": after.get("confirmed_by")}
