"""An import under review: which rows wait for a reviewer, and writing the rest.

When the city requires review (:func:`carriermap.review.settings.review_required`), an import
follows the same rules as a quick edit (:func:`carriermap.review.rules.review_level`), row by
row: a changed row whose change must be reviewed is not written but kept as one pending change
of that carrier (kind ``import``); every other row is written in the import's change set.
A new carrier cannot wait before it exists, so a new row is written with the fields a reviewer
must see (level, status, reporting unit) left at their defaults (a unit: the district's name),
and those values wait as a pending change of the new carrier — unless leaving them out would take the carrier out of the
importer's own scope (their reporting unit), which is not a change of unit.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from carriermap.boundaries import district_names
from carriermap.model import FIELDS_BY_NAME
from carriermap.permissions import User, can_edit
from carriermap.review.queue import submit
from carriermap.review.rules import CITY_LEVEL_FIELDS, review_level
from carriermap.review.settings import review_required
from carriermap.store import Store

IMPORT_KIND = "import"


@dataclass(frozen=True)
class HeldRow:
    """A row of the file that waits for a reviewer: its file row, carrier (None: a new one), who reviews, what waits."""

    row: int
    carrier_id: int | None
    name: str
    level: str
    values: dict[str, Any]


def _default(name: str, record: dict[str, Any]) -> Any:
    """What a new carrier gets when the file leaves ``name`` blank (a unit: its district's name)."""
    if name == "reporting_unit":
        return district_names("zh").get(record.get("district_adcode"))
    return FIELDS_BY_NAME[name].default


def _held_new_values(user: User, record: dict[str, Any]) -> dict[str, Any]:
    """The reviewed fields a new row sets away from their defaults (kept in the importer's scope)."""
    held = {name: record.get(name) for name in sorted(CITY_LEVEL_FIELDS)
            if record.get(name) not in (None, "") and record.get(name) != _default(name, record)}
    if "reporting_unit" in held and not can_edit(user, {**record, "reporting_unit": _default("reporting_unit", record)}):
        held.pop("reporting_unit")  # the importer's own unit: the carrier is theirs only with it
    return held


def held_rows(store: Store, user: User | None, plan) -> list[HeldRow]:
    """The rows of ``plan`` that ``user``'s import would leave waiting for a reviewer (empty when the
    city does not require review, or the user's changes are published at once)."""
    if user is None or not plan.city_adcode or not review_required(store, plan.city_adcode):
        return []
    out: list[HeldRow] = []
    for row in plan.rows:
        if row.action == "changed":
            values = {name: new for name, (_old, new) in row.changes.items()}
        elif row.action == "new":
            values = _held_new_values(user, row.record)
        else:
            continue
        level = review_level(user, values) if values else None
        if level is not None:
            out.append(HeldRow(row.row, row.carrier_id, str(row.record.get("name") or ""), level, values))
    return out


def published_part(plan, held: list[HeldRow]):
    """``plan`` without what waits: held changed rows left out, held fields of new rows at their defaults."""
    waiting = {item.row: item for item in held}
    rows = []
    for row in plan.rows:
        item = waiting.get(row.row)
        if item is None:
            rows.append(row)
        elif row.action == "new":
            record = {**row.record, **{name: _default(name, row.record) for name in item.values}}
            rows.append(dataclasses.replace(row, record=record))
    return dataclasses.replace(plan, rows=rows)


def submit_held(store: Store, user: User, plan, held: list[HeldRow], inserted: list[int],
                *, now: datetime | None = None) -> list[int]:
    """After the published part is written: keep each held row as a pending change; return the review ids.

    ``inserted`` are the ids of the new carriers, in the order of the plan's new rows. A changed
    row keeps the version the plan was made from (a carrier edited meanwhile is a conflict).
    """
    new_ids = dict(zip([row.row for row in plan.rows if row.action == "new"], inserted, strict=True))
    versions = {row.row: row.expected_version for row in plan.rows}
    review_ids = []
    for item in held:
        carrier_id = item.carrier_id if item.carrier_id is not None else new_ids[item.row]
        record = store.carrier(int(carrier_id))
        expected = versions.get(item.row) if item.carrier_id is not None else None
        result = submit(store, user, record, item.values, kind=IMPORT_KIND, level=item.level,
                        expected_version=expected, now=now)
        review_ids.append(int(result.review_id))
    return review_ids
