"""Who must have a change reviewed, and who may review it: rules on top of :mod:`carriermap.permissions`.

Scope is never decided here: every check calls :func:`carriermap.permissions.can_edit` on the
carrier as it is and as it would be after the change (before and after), so a reviewer cannot
approve a change that moves a carrier out of (or into) their scope.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from carriermap.permissions import User, can_edit

DISTRICT, CITY = "district", "city"
LEVELS: tuple[str, ...] = (DISTRICT, CITY)
CITY_LEVEL_FIELDS: frozenset[str] = frozenset({"level", "reporting_unit", "status"})
"""A district official's change of these goes to the city official."""
REVIEWER_ROLES: dict[str, frozenset[str]] = {
    DISTRICT: frozenset({"district_official", "city_official", "admin"}),
    CITY: frozenset({"city_official", "admin"}),
}
REVIEW_KINDS: frozenset[str] = frozenset({"submit", "approve", "reject"})


def review_level(user: User | None, fields: Iterable[str]) -> str | None:
    """Who must review ``user``'s change of ``fields`` when the city requires review (None: nobody).

    Operators → the district official; district officials changing level, unit or status → the
    city official; everything else (city officials, admins) is published at once.
    """
    if user is None:
        return None
    if user.role == "operator":
        return DISTRICT
    if user.role == "district_official" and CITY_LEVEL_FIELDS & set(fields):
        return CITY
    return None


def can_review(user: User | None, level: str, proposer: str, before: Mapping[str, Any],
               after: Mapping[str, Any]) -> bool:
    """True when ``user`` may approve or reject a change reviewed at ``level``.

    The role must be one that reviews at that level, the carrier must be in the user's scope
    both before and after the change, and nobody reviews their own change.
    """
    if user is None or user.name == proposer or user.role not in REVIEWER_ROLES.get(level, ()):
        return False
    return can_edit(user, before) and can_edit(user, after)


def can_withdraw(user: User | None, proposer: str, before: Mapping[str, Any]) -> bool:
    """The proposer may withdraw (undo) their own pending change while it is still in their scope."""
    return user is not None and user.name == proposer and can_edit(user, before)
