"""Who may change what: roles and scopes, checked in the library (the page only hides controls).

Roles (see ``docs/data_page.md``):

* ``admin`` — everything;
* ``city_official`` — the carriers of one city (scope: the city adcode); may freeze its quarters;
* ``district_official`` — the carriers of one district (scope: the district adcode) or of one
  reporting unit (scope: the unit's name, e.g. 东湖高新区);
* ``operator`` — only the carriers they run (scope: carrier ids, ``"12"`` or ``"12,15"``).

Every edit function in :mod:`carriermap.editing` calls :func:`require_edit` first, so a call
outside the user's scope is refused whatever the interface shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from carriermap.messages import KeyedError

ROLES: tuple[str, ...] = ("admin", "city_official", "district_official", "operator")
OFFICIAL_ROLES: frozenset[str] = frozenset({"admin", "city_official", "district_official"})


class PermissionDenied(KeyedError):
    """The user's role or scope does not cover the action; ``key``/``params`` say it in zh or en."""


@dataclass(frozen=True)
class User:
    """A signed-in editor: id, name, role and scope (see the module docstring)."""

    id: int
    name: str
    role: str
    scope: str | None = None

    def carrier_ids(self) -> frozenset[int]:
        """The carrier ids an operator runs (empty for other roles)."""
        if self.role != "operator" or not self.scope:
            return frozenset()
        return frozenset(int(part) for part in str(self.scope).replace(",", ",").split(",") if part.strip().isdigit())


def _text(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip()


def can_edit(user: User | None, carrier: Mapping[str, Any]) -> bool:
    """True when ``user`` may change ``carrier`` (a record with id, city, district, reporting unit)."""
    if user is None:
        return False
    scope = _text(user.scope)
    if user.role == "admin":
        return True
    if user.role == "city_official":
        return bool(scope) and _text(carrier.get("city_adcode")) == scope
    if user.role == "district_official":
        return bool(scope) and scope in (_text(carrier.get("district_adcode")), _text(carrier.get("reporting_unit")))
    if user.role == "operator":
        identifier = carrier.get("id")
        return identifier is not None and int(identifier) in user.carrier_ids()
    return False


def require_edit(user: User | None, carrier: Mapping[str, Any]) -> None:
    """Raise :class:`PermissionDenied` unless ``user`` may change ``carrier``."""
    if not can_edit(user, carrier):
        raise PermissionDenied("data.error.not_in_scope", name=_text(carrier.get("name")),
                               user=user.name if user else "")


def can_change_status(user: User | None, carrier: Mapping[str, Any]) -> bool:
    """Delist/relist is an official act (seed 003): officials and admins within their scope."""
    return user is not None and user.role in OFFICIAL_ROLES and can_edit(user, carrier)


def can_undo(user: User | None, kind: str, carriers: Iterable[Mapping[str, Any]]) -> bool:
    """Undo a change set of ``kind`` touching ``carriers``: every carrier must be in scope.

    Operators may undo only quick edits (kind ``edit``), never an import or a delisting.
    """
    if user is None or (user.role == "operator" and kind != "edit"):
        return False
    return all(can_edit(user, carrier) for carrier in carriers)


def can_manage_city(user: User | None, city_adcode: str) -> bool:
    """Freeze a city's quarter: admins and that city's officials."""
    if user is None:
        return False
    return user.role == "admin" or (user.role == "city_official" and _text(user.scope) == str(city_adcode))


def can_report(user: User | None, city_adcode: str, district_adcode: str | None = None) -> bool:
    """Download the quarterly report of a city (or one district): admins and officials in scope."""
    if user is None or user.role == "operator":
        return False
    if user.role in ("admin", "city_official"):
        return can_manage_city(user, city_adcode)
    return district_adcode is not None and _text(user.scope) == str(district_adcode)


def editable_mask(user: User | None, carriers: pd.DataFrame) -> pd.Series:
    """A boolean Series: which rows of ``carriers`` the user may change."""
    if carriers.empty:
        return pd.Series([], dtype=bool, index=carriers.index)
    return pd.Series([can_edit(user, row) for row in carriers.to_dict("records")], index=carriers.index)
