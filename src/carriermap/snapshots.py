"""Frozen quarters: a read-only copy of a city's carriers as they stood when the quarter ended.

Row format (the districts page reads it): ``city_adcode``, ``quarter`` (``"2026Q3"``),
``frozen_at`` (ISO 8601, UTC), ``actor``, ``carriers`` — a JSON list of the carrier records
exactly as the rows of ``Store.carriers(city)`` (every model column plus ``id``,
``updated_at`` and ``version``; ``industries`` as a list; NaN as null) — and, since
revision 0006, ``revision`` (1, 2, … per quarter), ``reason`` (why it was frozen again) and
``as_of`` (the instant the copy stands for, UTC).

Rules (see ``docs/data_page.md``):

* a quarter can be frozen once it has ended (midnight, China time, after its last day), and
  not when it ended before the city's first record in the register;
* the snapshot is the register **as of the quarter's last instant**, rebuilt from the
  history (:func:`carriermap.asof.carriers_as_of`): edits, imports, delistings and undos
  made after the quarter ended are rolled back, so freezing late changes nothing;
* a frozen quarter is frozen again only by an admin, with a reason (:func:`refreeze`); the
  earlier snapshot is kept, the newest revision is the one trend and report use, and
  :func:`freeze_history` lists them all;
* edits always change the live data, dated now; an edit that says it is dated inside a
  frozen quarter (``as_of``) is refused by :func:`refuse_if_frozen`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from carriermap.asof import carriers_as_of, first_record_at, start_of_day
from carriermap.messages import KeyedError
from carriermap.permissions import PermissionDenied, User
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

    @property
    def end_instant(self) -> datetime:
        """The instant the quarter is over: midnight China time (+08:00) after its last day."""
        return start_of_day(self.end)


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
    """Freeze ``quarter`` of a city: its carriers as of the quarter's last instant. Returns the row written.

    Refused (:class:`QuarterError`) when the quarter has not ended yet, ended before the
    city's first record, or is already frozen (an admin may :func:`refreeze` it).
    """
    quarter = parse_quarter(str(quarter))
    if frozen_at(store, city_adcode, quarter) is not None:
        raise QuarterError("figures.error.already_frozen", quarter=str(quarter))
    return _write(store, str(city_adcode), quarter, actor, now, reason=None, revision=1)


def refreeze(store: Store, city_adcode: str, quarter: Quarter | str, user: User, reason: str,
             *, now: datetime | None = None) -> dict[str, Any]:
    """Freeze an already frozen quarter again (admins only, with a reason that is kept).

    The earlier snapshot stays in ``snapshots``; the new one gets the next revision and is
    the one trend and report use from now on. Raises :class:`PermissionDenied` for anyone
    but an admin, :class:`QuarterError` without a reason or when the quarter was never frozen.
    """
    if user is None or user.role != "admin":
        raise PermissionDenied("figures.error.refreeze_admin")
    quarter = parse_quarter(str(quarter))
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise QuarterError("figures.error.refreeze_reason", quarter=str(quarter))
    latest = _latest_revision(store, str(city_adcode), quarter)
    if latest is None:
        raise QuarterError("figures.error.refreeze_not_frozen", quarter=str(quarter))
    return _write(store, str(city_adcode), quarter, user.name, now, reason=reason, revision=latest + 1)


def _write(store: Store, city_adcode: str, quarter: Quarter, actor: str, now: datetime | None, *,
           reason: str | None, revision: int) -> dict[str, Any]:
    moment = (now or store_now(store)).astimezone(UTC).replace(microsecond=0)
    instant = quarter.end_instant
    if moment < instant:
        raise QuarterError("data.error.quarter_not_over", quarter=str(quarter), end=quarter.end.isoformat())
    first = first_record_at(store, city_adcode)
    if first is None or first >= instant:
        raise QuarterError("figures.error.before_register", quarter=str(quarter),
                           first="—" if first is None else first.astimezone(instant.tzinfo).date().isoformat())
    carriers = _records(carriers_as_of(store, city_adcode, instant))
    row = {"city_adcode": city_adcode, "quarter": str(quarter), "frozen_at": moment.isoformat(), "actor": actor,
           "carriers": json.dumps(carriers, ensure_ascii=False), "revision": revision, "reason": reason,
           "as_of": instant.astimezone(UTC).isoformat()}
    try:
        with write_transaction(store.engine) as conn:
            conn.execute(insert(schema.snapshots).values(**row))
    except IntegrityError as error:  # a concurrent freeze of the same quarter won
        raise QuarterError("figures.error.already_frozen", quarter=str(quarter)) from error
    return {**row, "carriers": carriers}


def _latest_revision(store: Store, city_adcode: str, quarter: Quarter) -> int | None:
    table = schema.snapshots
    with store.engine.connect() as conn:
        return conn.execute(select(func.max(table.c.revision)).where(
            table.c.city_adcode == str(city_adcode), table.c.quarter == str(quarter))).scalar()


def current_revision(table):
    """The newest revision of each frozen quarter (a correlated condition on ``snapshots``)."""
    newer = table.alias("newer")
    return ~select(newer.c.id).where(newer.c.city_adcode == table.c.city_adcode, newer.c.quarter == table.c.quarter,
                                     newer.c.revision > table.c.revision).exists()


def freeze_history(store: Store, city_adcode: str) -> pd.DataFrame:
    """Every freeze of the city's quarters, kept ones included: ``quarter, revision, frozen_at, actor,
    reason, as_of, carriers`` (count), newest quarter and revision first."""
    table = schema.snapshots
    columns = ["quarter", "revision", "frozen_at", "actor", "reason", "as_of", "carriers"]
    with store.engine.connect() as conn:
        rows = conn.execute(select(*(table.c[c] for c in columns)).where(
            table.c.city_adcode == str(city_adcode))).mappings().all()
    frame = pd.DataFrame([{**r, "carriers": len(json.loads(r["carriers"]))} for r in rows], columns=columns)
    if frame.empty:
        return frame
    for column in ("reason", "as_of"):
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    frame["_order"] = frame["quarter"].map(parse_quarter)
    return (frame.sort_values(["_order", "revision"], ascending=False).drop(columns="_order")
            .reset_index(drop=True))


def frozen_quarters(store: Store, city_adcode: str) -> pd.DataFrame:
    """The city's frozen quarters (``quarter``, ``frozen_at``, ``actor``, ``carriers`` count), newest first."""
    table = schema.snapshots
    with store.engine.connect() as conn:
        rows = conn.execute(select(table.c.quarter, table.c.frozen_at, table.c.actor, table.c.carriers)
                            .where(table.c.city_adcode == str(city_adcode), current_revision(table))).mappings().all()
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
            table.c.city_adcode == str(city_adcode), table.c.quarter == str(parse_quarter(str(quarter))),
            current_revision(table))).scalar()


def snapshot(store: Store, city_adcode: str, quarter: Quarter | str) -> pd.DataFrame | None:
    """The frozen carriers of a quarter as a frame shaped like ``Store.carriers``, or None."""
    table = schema.snapshots
    with store.engine.connect() as conn:
        raw = conn.execute(select(table.c.carriers).where(
            table.c.city_adcode == str(city_adcode), table.c.quarter == str(parse_quarter(str(quarter))),
            current_revision(table))).scalar()
    if raw is None:
        return None
    frame = pd.DataFrame(json.loads(raw))
    if frame.empty:
        return store.carriers("__none__")
    return frame


def frozen_as_of(store: Store, city_adcode: str, instant: datetime) -> pd.DataFrame | None:
    """The newest snapshot of the city that stands for ``instant`` (a frozen quarter ending then), or None."""
    table = schema.snapshots
    stamp = instant.astimezone(UTC).replace(microsecond=0).isoformat()
    with store.engine.connect() as conn:
        raw = conn.execute(select(table.c.carriers).where(
            table.c.city_adcode == str(city_adcode), table.c.as_of == stamp, current_revision(table))).scalar()
    if raw is None:
        return None
    frame = pd.DataFrame(json.loads(raw))
    return frame if not frame.empty else store.carriers("__none__")


def store_now(store: Store) -> datetime:
    """The store's present (its injected clock in tests), as an aware UTC datetime."""
    return (store.clock() if store.clock else datetime.now(UTC)).astimezone(UTC)


def quarter_carriers(store: Store, city_adcode: str, quarter: Quarter | str) -> tuple[pd.DataFrame, str]:
    """The carriers a quarter's figures use, and where they come from: ``frozen`` (its newest
    snapshot), ``history`` (an ended quarter not frozen: the register as of its last instant)
    or ``live`` (the quarter still running)."""
    quarter = parse_quarter(str(quarter))
    frozen = snapshot(store, city_adcode, quarter)
    if frozen is not None:
        return frozen, "frozen"
    if store_now(store) >= quarter.end_instant:
        return carriers_as_of(store, city_adcode, quarter.end_instant), "history"
    return store.carriers(str(city_adcode)), "live"


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
