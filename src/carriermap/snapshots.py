"""Frozen quarters: a read-only copy of a city's carriers, one row of ``snapshots`` per quarter.

Row format (the districts page reads it; do not change it): ``city_adcode``, ``quarter``
(``"2026Q3"``), ``frozen_at`` (ISO 8601, UTC), ``actor`` and ``carriers`` — a JSON list of
the carrier records exactly as the rows of ``Store.carriers(city)`` (every model column plus
``id``, ``updated_at`` and ``version``; ``industries`` as a list; NaN as null).

Rules (see ``docs/data_page.md``):

* a quarter can be frozen once it has ended, and only once: re-freezing is refused, and the
  library has no call that changes or deletes a snapshot;
* the snapshot is the live data at the moment of freezing;
* edits always change the live data, dated now; an edit that says it is dated inside a
  frozen quarter (``as_of``) is refused by :func:`refuse_if_frozen`. Because only ended
  quarters can be frozen, an ordinary edit never lands in a frozen quarter.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from carriermap.messages import KeyedError
from carriermap.store import Store, schema
from carriermap.store.engine import write_transaction

_QUARTER = re.compile(r"^\s*(\d{4})\s*[-_ ]?\s*[Qq]([1-4])\s*$")


class QuarterError(KeyedError):
    """A quarter that cannot be frozen or changed; ``key``/``params`` name a catalogue message."""


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter, written ``2026Q3``."""

    year: int
    number: int

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def start(self) -> date:
        """The first day of the quarter."""
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        """The first day after the quarter."""
        return self.next().start

    def next(self) -> Quarter:
        """The following quarter."""
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def previous(self) -> Quarter:
        """The quarter before."""
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def contains(self, day: date) -> bool:
        """True when ``day`` falls in this quarter."""
        return self.start <= day < self.end


def parse_quarter(text: str) -> Quarter:
    """``"2026Q3"`` (also ``2026-Q3``, ``2026q3``) → :class:`Quarter`; :class:`QuarterError` otherwise."""
    match = _QUARTER.match(str(text or ""))
    if not match:
        raise QuarterError("data.error.bad_quarter", quarter=text)
    return Quarter(int(match.group(1)), int(match.group(2)))


def quarter_of(day: date | datetime) -> Quarter:
    """The quarter ``day`` falls in."""
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    cleaned = frame.astype(object).where(pd.notna(frame), None)
    records = []
    for row in cleaned.to_dict("records"):
        records.append({k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()})
    return records


def freeze(store: Store, city_adcode: str, quarter: Quarter | str, actor: str,
           *, now: datetime | None = None) -> dict[str, Any]:
    """Freeze ``quarter`` of a city: copy its carriers into ``snapshots``. Returns the row written.

    Refused (:class:`QuarterError`) when the quarter has not ended yet or is already frozen.
    """
    quarter = parse_quarter(str(quarter))
    moment = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    if moment.date() < quarter.end:
        raise QuarterError("data.error.quarter_not_over", quarter=str(quarter), end=quarter.end.isoformat())
    city_adcode = str(city_adcode)
    if frozen_at(store, city_adcode, quarter) is not None:
        raise QuarterError("data.error.already_frozen", quarter=str(quarter))
    carriers = _records(store.carriers(city_adcode))
    row = {"city_adcode": city_adcode, "quarter": str(quarter), "frozen_at": moment.isoformat(), "actor": actor,
           "carriers": json.dumps(carriers, ensure_ascii=False)}
    try:
        with write_transaction(store.engine) as conn:
            conn.execute(insert(schema.snapshots).values(**row))
    except IntegrityError as error:  # a concurrent freeze of the same quarter won
        raise QuarterError("data.error.already_frozen", quarter=str(quarter)) from error
    return {**row, "carriers": carriers}


def frozen_quarters(store: Store, city_adcode: str) -> pd.DataFrame:
    """The city's frozen quarters (``quarter``, ``frozen_at``, ``actor``, ``carriers`` count), newest first."""
    table = schema.snapshots
    with store.engine.connect() as conn:
        rows = conn.execute(select(table.c.quarter, table.c.frozen_at, table.c.actor, table.c.carriers)
                            .where(table.c.city_adcode == str(city_adcode))).mappings().all()
    frame = pd.DataFrame([{**r, "carriers": len(json.loads(r["carriers"]))} for r in rows],
                         columns=["quarter", "frozen_at", "actor", "carriers"])
    if frame.empty:
        return frame
    frame["_order"] = frame["quarter"].map(parse_quarter)
    return frame.sort_values("_order", ascending=False).drop(columns="_order").reset_index(drop=True)


def frozen_at(store: Store, city_adcode: str, quarter: Quarter | str) -> str | None:
    """When ``quarter`` was frozen (ISO UTC), or None."""
    table = schema.snapshots
    with store.engine.connect() as conn:
        return conn.execute(select(table.c.frozen_at).where(
            table.c.city_adcode == str(city_adcode), table.c.quarter == str(parse_quarter(str(quarter))))).scalar()


def snapshot(store: Store, city_adcode: str, quarter: Quarter | str) -> pd.DataFrame | None:
    """The frozen carriers of a quarter as a frame shaped like ``Store.carriers``, or None."""
    table = schema.snapshots
    with store.engine.connect() as conn:
        raw = conn.execute(select(table.c.carriers).where(
            table.c.city_adcode == str(city_adcode), table.c.quarter == str(parse_quarter(str(quarter))))).scalar()
    if raw is None:
        return None
    frame = pd.DataFrame(json.loads(raw))
    if frame.empty:
        return store.carriers("__none__")
    return frame


def previous_frozen(store: Store, city_adcode: str, quarter: Quarter | str) -> Quarter | None:
    """The latest frozen quarter before ``quarter``, or None."""
    quarter = parse_quarter(str(quarter))
    earlier = [parse_quarter(q) for q in frozen_quarters(store, city_adcode)["quarter"]]
    earlier = [q for q in earlier if q < quarter]
    return max(earlier) if earlier else None


def refuse_if_frozen(store: Store, city_adcode: str, as_of: date | datetime | None) -> None:
    """Raise :class:`QuarterError` when an edit dated ``as_of`` falls in a frozen quarter of the city."""
    if as_of is None:
        return
    quarter = quarter_of(as_of)
    if frozen_at(store, city_adcode, quarter) is not None:
        raise QuarterError("data.error.quarter_frozen", quarter=str(quarter))
