"""Who may change what: roles and scopes, checked in the library (the page only hides controls).

Roles (see ``docs/data_page.md``):

* ``admin`` — everything;
* ``city_official`` — the carriers of one city (scope: the city adcode); may freeze its quarters;
* ``district_official`` — the carriers of one district (scope: the district adcode) or of one
  reporting unit (scope: the unit's name, e.g. 东湖高新区);
* ``operator`` — only the carriers they run (scope: carrier ids, ``"12"`` or ``"12,15"``).

Two questions, answered here and nowhere else:

* **Is a record in the user's scope?** :func:`in_scope` (alias :func:`can_edit`). A district
  official's scope is tied to its city: a district adcode covers the carriers whose *derived*
  district is that one, a unit name (e.g. 东湖高新区) the carriers reported under that unit in
  the unit's own city — a unit typed into a file of another city, or an adcode typed as the
  reporting unit, covers nothing.
* **May the user make this change?** :func:`check_change` ``(user, before, after)`` returns
  every :class:`~carriermap.model.Problem` (empty: allowed). The record must be in scope
  *before* (no reaching into someone else's carrier) and *after* (no pushing one out, no
  pulling one in), and only the fields the role may change may differ
  (:func:`editable_fields`: an operator never changes district, unit, level, location,
  status…). ``before`` is None for a new carrier, ``after`` None for a removed one.
  :func:`require_change` raises :class:`ChangeDenied` with those problems.

Every write path of the library (:mod:`carriermap.editing`: quick edit, status, import, undo,
freeze) passes :func:`require_change` to the store as the ``guard`` of the write, and the store
calls it inside the write transaction on the record *as stored* and as it will be, so a
check and the write it allows cannot be separated by someone else's write. A review or
approval step can call :func:`check_change` on a proposed change the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from carriermap.messages import KeyedError
from carriermap.model import CARRIER_COLUMNS, Problem

ROLES: tuple[str, ...] = ("admin", "city_official", "district_official", "operator")
OFFICIAL_ROLES: frozenset[str] = frozenset({"admin", "city_official", "district_official"})


# What an operator may change on the carriers they run: the day-to-day facts of running it.
# Everything else (name, type, level and its notice, rating, status, city, district, reporting
# unit, address and point, operator, source…) is an official's record.
OPERATOR_FIELDS: frozenset[str] = frozenset({
    "available_m2", "rent_cny_m2_month", "contact", "services", "tenants", "graduates", "jobs", "total_area_m2",
    "industries",
})
_ADCODE = re.compile(r"^\d{6}$")


class PermissionDenied(KeyedError):
    """The user's role or scope does not cover the action; ``key``/``params`` say it in zh or en."""


class ChangeDenied(PermissionDenied):
    """:func:`check_change` found problems: ``problems`` lists all; ``key``/``params`` are the first's."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems[0].key, **problems[0].params)
        self.problems = problems


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

    @property
    def city_adcode(self) -> str | None:
        """The city an official's scope lies in (None for admins, operators and unknown units)."""
        scope = _text(self.scope)
        if self.role == "city_official":
            return scope or None
        if self.role != "district_official" or not scope:
            return None
        if _ADCODE.match(scope):
            return scope[:4] + "00"
        from carriermap.cities import all_cities

        for city in all_cities():
            if any(zone.name == scope for zone in city.zones):
                return city.adcode
        return None


def _text(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip()


def in_scope(user: User | None, carrier: Mapping[str, Any]) -> bool:
    """True when ``carrier`` (a record with id, city, district, reporting unit) lies in ``user``'s scope.

    District officials: a district adcode scope covers the carriers whose (derived) district is
    that one; a unit name covers the carriers reported under that unit, in the unit's city when
    it is known. A reporting unit never stands for an adcode.
    """
    if user is None:
        return False
    scope = _text(user.scope)
    if user.role == "admin":
        return True
    if user.role == "city_official":
        return bool(scope) and _text(carrier.get("city_adcode")) == scope
    if user.role == "district_official":
        if not scope:
            return False
        city = user.city_adcode
        if city is not None and _text(carrier.get("city_adcode")) != city:
            return False
        if _ADCODE.match(scope):
            return _text(carrier.get("district_adcode")) == scope
        return _text(carrier.get("reporting_unit")) == scope
    if user.role == "operator":
        identifier = carrier.get("id")
        return identifier is not None and _text(identifier).isdigit() and int(_text(identifier)) in user.carrier_ids()
    return False


can_edit = in_scope  # the name the pages use


def editable_fields(user: User | None) -> frozenset[str]:
    """The carrier fields ``user``'s role may change (officials and admins: all; operators: :data:`OPERATOR_FIELDS`)."""
    if user is None:
        return frozenset()
    if user.role == "operator":
        return OPERATOR_FIELDS
    if user.role in OFFICIAL_ROLES:
        return frozenset(CARRIER_COLUMNS)
    return frozenset()


def _labels(key: str, **params: Any) -> dict[str, Any]:
    from carriermap.i18n import LANGUAGES, t

    return {f"{name}_{lang}": t(key.format(value), lang) for name, value in params.items() for lang in LANGUAGES}


def _changed(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """The fields a user changes; not what the store derives from them (where each value comes
    from, and the sample flag that follows it: :mod:`carriermap.provenance`)."""
    from carriermap import provenance
    from carriermap.store.records import differs

    derived = {"provenance"}
    if provenance.parse(after.get("provenance")) and bool(after.get("is_sample")) == provenance.sample_flag(dict(after)):
        derived.add("is_sample")
    return sorted(name for name in differs(dict(before), dict(after)) if name not in derived)


def check_change(user: User | None, before: Mapping[str, Any] | None,
                 after: Mapping[str, Any] | None) -> list[Problem]:
    """Every reason ``user`` may not turn carrier ``before`` into ``after`` (empty: allowed).

    ``before`` is None when the carrier is created, ``after`` None when it is removed. The
    record must be in the user's scope before and after the change, operators never create
    or remove carriers, and every field that changes must be one the role may change
    (:func:`editable_fields`). Each :class:`~carriermap.model.Problem` has a
    ``permission.error.*`` key whose parameters name the carrier, the field and the scope.
    """
    if user is None:
        return [Problem("", None, "permission.error.signed_out", {})]
    record = after if after is not None else before or {}
    base = {"name": _text(record.get("name")), "user": user.name, "scope": _text(user.scope),
            **_labels("data.role.{}", role=user.role)}
    problems: list[Problem] = []
    if before is not None and not in_scope(user, before):
        problems.append(Problem("", _text(before.get("name")), "permission.error.before_out_of_scope", base))
    if after is not None and not in_scope(user, after):
        key = "permission.error.new_out_of_scope" if before is None else "permission.error.after_out_of_scope"
        problems.append(Problem("", _text(after.get("name")), key, base))
    if user.role == "operator" and (before is None or after is None):
        key = "permission.error.no_insert" if before is None else "permission.error.no_delete"
        problems.append(Problem("", base["name"], key, base))
    if before is not None and after is not None:
        allowed = editable_fields(user)
        for name in _changed(before, after):
            if name not in allowed:
                problems.append(Problem(name, after.get(name), "permission.error.field_not_allowed",
                                        {**base, "field": name, **_labels("import.header.{}", field=name)}))
    return problems


def require_change(user: User | None, before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> None:
    """Raise :class:`ChangeDenied` unless :func:`check_change` finds nothing (the store's write guard)."""
    problems = check_change(user, before, after)
    if problems:
        raise ChangeDenied(problems)


def require_edit(user: User | None, carrier: Mapping[str, Any]) -> None:
    """Raise :class:`PermissionDenied` unless ``user`` may change ``carrier``."""
    if not can_edit(user, carrier):
        raise PermissionDenied("data.error.not_in_scope", name=_text(carrier.get("name")),
                               user=user.name if user else "")


def can_change_status(user: User | None, carrier: Mapping[str, Any]) -> bool:
    """Delist/relist is an official act (seed 003): officials and admins within their scope."""
    return user is not None and user.role in OFFICIAL_ROLES and can_edit(user, carrier)


def can_undo(user: User | None, kind: str, carriers: Iterable[Mapping[str, Any]]) -> bool:
    """Whether to offer undo of a change set of ``kind`` touching ``carriers`` (every one in scope).

    Operators may undo only edits (kind ``edit``), never an import or a delisting. This only
    decides what the page offers: the undo itself is checked change by change with
    :func:`check_undo` and :func:`check_change` (so an operator cannot undo an official's
    suspension, a change of a field they may not change themselves).
    """
    if user is None or (user.role == "operator" and kind != "edit"):
        return False
    return all(can_edit(user, carrier) for carrier in carriers)


def check_undo(user: User | None, changes: Iterable[tuple[Mapping[str, Any] | None, Mapping[str, Any] | None]]
               ) -> list[Problem]:
    """Problems with undoing ``changes`` (each the ``(before, after)`` of the change set being undone).

    A user may undo only what they could have done themselves: every original change must
    pass :func:`check_change`. (The undo write itself — current record back to ``before`` —
    is checked again by the store's guard.)
    """
    problems: list[Problem] = []
    for before, after in changes:
        problems += check_change(user, before, after)
    return problems


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
