"""The store: read carriers, corridors and targets; write carriers as versioned change sets.

Every write goes through :meth:`Store.apply`, one transaction that changes carriers and
records a change set (who, when, kind) with one ``changes`` row per carrier holding the whole
record before and after. :meth:`Store.undo` restores the exact previous values as a new
change set, so history is never rewritten and nothing is lost.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine, delete, func, insert, select, update

from carriermap import provenance
from carriermap.freshness.facts import stamp_confirmation
from carriermap.model import CARRIER_COLUMNS, stored_problems
from carriermap.store import schema
from carriermap.store.engine import make_engine, write_transaction
from carriermap.store.errors import ConflictError, InvalidRecordError, NotFoundError, UndoConflict, UndoError
from carriermap.store.records import (
    CONFIRMATION_COLUMNS,
    confirmation_differs,
    differs,
    dumps,
    from_row,
    loads,
    to_row,
    utc_now,
)
from carriermap.text_rules import MAX_ID

# Carriers per write transaction of a large write (apply_in_batches): under a second of SQLite's
# write lock each on an idle machine (`bench --only import`: 10,000 rows in 0.73 s), well inside
# the 15 s busy timeout on a loaded one; a pause between batches lets other writers in.
WRITE_BATCH_ROWS = 10_000
BATCH_PAUSE_S = 0.2
_WRITABLE = frozenset((*CARRIER_COLUMNS, *CONFIRMATION_COLUMNS))


def _changed(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Fields that differ, the confirmation included (undo gives those back too)."""
    return [*differs(before, after), *confirmation_differs(before, after)]

# What the store writes itself on every change (confirmation, per-field provenance and the sample flag
# derived from it): undo gives them back when no later change set moved them, and never refuses over them.
_STAMPED = frozenset({*CONFIRMATION_COLUMNS, "provenance", "is_sample"})

# Called with (record as stored or None, record as it will be or None) for every carrier a write
# changes, inside the write transaction; raises to refuse (see carriermap.permissions.require_change).
Guard = Callable[[dict[str, Any] | None, dict[str, Any] | None], None]


@dataclass
class Update:
    """Change ``values`` of carrier ``carrier_id``, read at ``expected_version`` (None: don't check)."""

    carrier_id: int
    values: dict[str, Any]
    expected_version: int | None = None


@dataclass
class ChangeSetResult:
    """What a write did: the change set id and the carriers it inserted, updated or left alone."""

    changeset_id: int | None
    inserted: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    review_id: int | None = None  # set when the change waits for a reviewer instead (carriermap.review)


class Store:
    """Carriers, features and targets in one database (SQLite by default)."""

    def __init__(self, engine: Engine, *, clock: Callable[[], datetime] | None = None):
        self.engine = engine
        self.clock = clock

    def now(self) -> str:
        """The time written on a change set: UTC ISO 8601 to the second (the injected ``clock`` in tests)."""
        return utc_now() if self.clock is None else self.clock().astimezone(UTC).replace(microsecond=0).isoformat()

    @classmethod
    def open(cls, url: str | None = None, *, seed: bool = True, clock: Callable[[], datetime] | None = None) -> Store:
        """Open the database at ``url``, migrate it to the newest schema; fill an empty one from ``data/``.

        The same on SQLite and PostgreSQL + PostGIS (see :mod:`carriermap.store.migrate`).
        ``clock`` (tests) dates every change set instead of the system clock.
        """
        store = cls(make_engine(url), clock=clock)
        store.create_schema()
        if seed:
            from carriermap.store.seed import seed_if_empty

            seed_if_empty(store)
        return store

    def create_schema(self) -> None:
        """Bring the schema to the newest Alembic revision (creates every table on a new database)."""
        from carriermap.store.migrate import upgrade

        upgrade(self.engine)

    @property
    def is_postgis(self) -> bool:
        """True on PostgreSQL + PostGIS, where spatial queries run in the database."""
        return self.engine.dialect.name == "postgresql"

    def nearby_ids(self, lon: float, lat: float, radius_m: float, *, city_adcode: str | None = None,
                   include_delisted: bool = True) -> list[int] | None:
        """Ids of carriers within ``radius_m`` metres (geodesic, WGS-84) of a point, nearest first.

        On PostGIS the database answers (``ST_DWithin`` on geography, GiST index). On SQLite
        returns None: the caller uses its in-memory index over :meth:`carriers` instead.
        """
        if not self.is_postgis:
            return None
        from carriermap.store.postgis import nearby_query

        query = nearby_query(lon, lat, radius_m, city_adcode=city_adcode, include_delisted=include_delisted)
        with self.engine.connect() as connection:
            return [int(i) for i in connection.execute(query).scalars()]

    def nearby_source(self, city_adcode: str | None = None):
        """Where :class:`carriermap.space.search.NearbySearch` gets its candidates from this store.

        PostGIS: a :class:`carriermap.store.postgis.FreeSpaceCandidates` (the database's GiST
        index, shared by every replica and always current). SQLite: None, so the search builds
        its in-memory index over the frame it is given. Results are the same either way.
        """
        if not self.is_postgis:
            return None
        from carriermap.store.postgis import FreeSpaceCandidates

        return FreeSpaceCandidates(self.engine, city_adcode)

    # ---- reads -------------------------------------------------------------------------
    def carriers(self, city_adcode: str | None = None, *, include_delisted: bool = True,
                 columns: Sequence[str] | None = None, ids: Sequence[int] | None = None) -> pd.DataFrame:
        """Carriers as a DataFrame (one row each, ``industries`` as lists), ordered by id.

        ``columns`` reads only those columns (plus ``id``): much faster for large cities
        when a caller (e.g. metrics) needs a few. ``ids`` reads only those carriers (the ones
        a refresh needs, :meth:`touched_since`).
        """
        table = schema.carriers
        if columns is not None:
            wanted = ["id", *[c for c in columns if c != "id"]]
            query = select(*[table.c[c] for c in wanted]).order_by(table.c.id)
        else:
            wanted = ["id", *CARRIER_COLUMNS, "updated_at", "version"]
            query = select(table).order_by(table.c.id)
        if city_adcode is not None:
            query = query.where(table.c.city_adcode == str(city_adcode))
        if not include_delisted:
            query = query.where(table.c.status != "delisted")
        with self.engine.connect() as connection:
            if ids is None:
                frame = _read_in_chunks(query, connection)
            else:
                wanted_ids = sorted({int(i) for i in ids})
                frame = _read_in_chunks(query.where(table.c.id.in_(wanted_ids)), connection)
        if frame.empty:
            return pd.DataFrame(columns=wanted)
        if "industries" in frame:
            frame["industries"] = parse_json_lists(frame["industries"])
        if "is_sample" in frame:
            frame["is_sample"] = frame["is_sample"].astype(bool)
        return frame

    def carrier(self, carrier_id: int) -> dict[str, Any]:
        """One carrier as a record; raises :class:`NotFoundError` (also for ids no database can hold)."""
        if not 0 <= int(carrier_id) <= MAX_ID:
            raise NotFoundError(f"no carrier with id {carrier_id}")
        with self.engine.connect() as connection:
            row = connection.execute(select(schema.carriers).where(schema.carriers.c.id == carrier_id)).mappings().first()
        if row is None:
            raise NotFoundError(f"no carrier with id {carrier_id}")
        return from_row(dict(row))

    def features(self, city_adcode: str | None = None) -> list[dict[str, Any]]:
        """Corridors, clusters and zones (geometry as a GeoJSON mapping)."""
        query = select(schema.features).order_by(schema.features.c.id)
        if city_adcode is not None:
            query = query.where(schema.features.c.city_adcode == str(city_adcode))
        with self.engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return [{**row, "geometry": json.loads(row["geometry"]), "members": json.loads(row["members"])} for row in rows]

    def targets(self, city_adcode: str | None = None) -> pd.DataFrame:
        """Targets (city-wide where ``unit`` is None)."""
        query = select(schema.targets).order_by(schema.targets.c.id)
        if city_adcode is not None:
            query = query.where(schema.targets.c.city_adcode == str(city_adcode))
        with self.engine.connect() as connection:
            return pd.read_sql(query, connection)

    def data_version(self) -> int:
        """A number that grows with every write: the key for caches of derived data."""
        with self.engine.connect() as connection:
            return int(connection.execute(select(func.coalesce(func.max(schema.changesets.c.id), 0))).scalar_one())

    def touched_since(self, data_version: int) -> tuple[int, list[int]]:
        """``(version, ids)``: the data version now, and every carrier written (inserted, changed,
        removed, in any city) by a change set after ``data_version``.

        The version is read first, so the ids cover at least every change up to it; a refresh
        that then reads those carriers sees them as new as the version, or newer.
        """
        ch = schema.changes
        version = self.data_version()
        if version <= data_version:
            return version, []
        # no DISTINCT: with it SQLite walks the whole carrier index instead of the change set range
        query = select(ch.c.carrier_id).where(ch.c.changeset_id > int(data_version))
        with self.engine.connect() as connection:
            return version, sorted({int(i) for i in connection.execute(query).scalars() if i is not None})

    def history(self, carrier_id: int | None = None, limit: int = 200, *,
                changeset_id: int | None = None) -> pd.DataFrame:
        """Changes, newest first: change set, who, when, kind, carrier, action, before/after.

        ``carrier_id`` limits them to one carrier, ``changeset_id`` to one change set.
        """
        cs, ch = schema.changesets, schema.changes
        query = (
            select(ch.c.id, ch.c.changeset_id, cs.c.actor, cs.c.created_at, cs.c.kind, cs.c.summary,
                   cs.c.undone_by, ch.c.carrier_id, ch.c.action, ch.c.before, ch.c.after)
            .join(cs, cs.c.id == ch.c.changeset_id)
            .order_by(ch.c.id.desc())
            .limit(limit)
        )
        if carrier_id is not None:
            query = query.where(ch.c.carrier_id == carrier_id)
        if changeset_id is not None:
            query = query.where(ch.c.changeset_id == changeset_id)
        with self.engine.connect() as connection:
            rows = [dict(r) for r in connection.execute(query).mappings().all()]
        for row in rows:
            before, after = loads(row.pop("before")), loads(row.pop("after"))
            row["before"], row["after"] = before, after
            # the carrier's values that changed (where they come from follows them); a pure
            # confirmation changes only its date and author: show those
            row["fields"] = (sorted(name for name in differs(before or {}, after or {}) if name != "provenance")
                             or confirmation_differs(before or {}, after or {}))
        return pd.DataFrame(rows)

    def changesets(self, limit: int = 100) -> pd.DataFrame:
        """Change sets, newest first, with how many carriers each touched."""
        cs, ch = schema.changesets, schema.changes
        query = (
            select(cs, func.count(ch.c.id).label("changes"))
            .outerjoin(ch, ch.c.changeset_id == cs.c.id)
            .group_by(cs.c.id)
            .order_by(cs.c.id.desc())
            .limit(limit)
        )
        with self.engine.connect() as connection:
            return pd.read_sql(query, connection)

    # ---- writes ------------------------------------------------------------------------
    def apply(
        self,
        *,
        actor: str,
        kind: str,
        summary: str = "",
        city_adcode: str | None = None,
        inserts: Iterable[dict[str, Any]] = (),
        updates: Iterable[Update] = (),
        connection=None,
        guard: Guard | None = None,
        source_ref: str | None = None,
    ) -> ChangeSetResult:
        """Insert and update carriers in one transaction, recorded as one change set.

        ``inserts`` and ``updates`` hold cleaned records (see :func:`carriermap.model.clean_carrier`).
        An update whose values equal the stored ones is counted as unchanged and not recorded.
        Raises :class:`ConflictError` when an update's ``expected_version`` is stale; then
        nothing is written. Returns ids by outcome; ``changeset_id`` is None when nothing changed.

        ``guard(before, after)`` (e.g. :func:`carriermap.permissions.require_change`) is called
        for every carrier that will change — ``before`` as stored, read under the write lock, None
        for an insert — before anything is written; an exception from it rolls everything back.

        Provenance (:mod:`carriermap.provenance`): an edit marks the fields it changes as the
        editor's, an import as from its file (``source_ref``, the file name); ``is_sample``
        follows (True while any value is invented).
        """
        inserts, updates = list(inserts), list(updates)
        _refuse_invalid([*inserts, *(u.values for u in updates)])
        if connection is not None:
            return self._apply(connection, actor, kind, summary, city_adcode, inserts, updates, guard,
                               source_ref=source_ref)
        with write_transaction(self.engine) as conn:
            return self._apply(conn, actor, kind, summary, city_adcode, inserts, updates, guard,
                               source_ref=source_ref)

    def apply_in_batches(self, *, actor: str, kind: str, summary: str = "", city_adcode: str | None = None,
                         inserts: Iterable[dict[str, Any]] = (), updates: Iterable[Update] = (),
                         guard: Guard | None = None, batch_rows: int | None = None,
                         pause_s: float | None = None, source_ref: str | None = None) -> ChangeSetResult:
        """:meth:`apply` for large writes: one change set, written in transactions of ``batch_rows`` carriers.

        Each batch holds the write lock (SQLite's one lock) for about a second, and the pause
        between batches lets other editors' writes in, so a large import never makes a quick
        edit wait past the busy timeout. A write of at most ``batch_rows`` carriers is exactly
        :meth:`apply` (one transaction). When a later batch fails (a stale version, a guard
        refusal, a busy database), the batches already written are undone and the error is
        raised, so the data ends as it was; a process killed between batches leaves a change
        set whose summary still ends in ``…`` (undo removes it).
        """
        inserts, updates = list(inserts), list(updates)
        _refuse_invalid([*inserts, *(u.values for u in updates)])
        batch_rows = batch_rows or WRITE_BATCH_ROWS
        pause_s = BATCH_PAUSE_S if pause_s is None else pause_s
        if len(inserts) + len(updates) <= batch_rows:
            return self.apply(actor=actor, kind=kind, summary=summary, city_adcode=city_adcode, inserts=inserts,
                              updates=updates, guard=guard, source_ref=source_ref)
        work = [("insert", item) for item in inserts] + [("update", item) for item in updates]
        total = ChangeSetResult(changeset_id=None)
        try:
            for start in range(0, len(work), batch_rows):
                chunk = work[start:start + batch_rows]
                last = start + batch_rows >= len(work)
                with write_transaction(self.engine) as conn:
                    done = self._apply(conn, actor, kind, summary if last else f"{summary} …", city_adcode,
                                       [i for k, i in chunk if k == "insert"], [i for k, i in chunk if k == "update"],
                                       guard, changeset_id=total.changeset_id, source_ref=source_ref)
                    if last and total.changeset_id is not None:
                        conn.execute(update(schema.changesets).where(schema.changesets.c.id == total.changeset_id)
                                     .values(summary=summary))
                total.changeset_id = total.changeset_id or done.changeset_id
                total.inserted += done.inserted
                total.updated += done.updated
                total.unchanged += done.unchanged
                if not last:
                    time.sleep(pause_s)
        except Exception:
            if total.changeset_id is not None:  # give back what the earlier batches wrote
                with contextlib.suppress(Exception):  # e.g. edited meanwhile: the change set stays, undo-able
                    self.undo(total.changeset_id, actor=actor)
            raise
        return total

    def _apply(self, conn, actor, kind, summary, city_adcode, inserts, updates, guard=None,
               changeset_id: int | None = None, source_ref: str | None = None) -> ChangeSetResult:
        now = self.now()
        made = provenance.changeset_entry(kind, actor, now, source_ref)
        if made is not None:
            inserts = [provenance.for_insert(record, made) for record in inserts]
        result = ChangeSetResult(changeset_id=None)
        table = schema.carriers
        current = self._rows(conn, [u.carrier_id for u in updates])
        update_rows: list[tuple[dict, dict]] = []
        for item in updates:
            before = current.get(item.carrier_id)
            if before is None:
                raise NotFoundError(f"no carrier with id {item.carrier_id}")
            if item.expected_version is not None and before["version"] != item.expected_version:
                raise ConflictError(item.carrier_id, item.expected_version, before)
            after = {**before, **{k: v for k, v in item.values.items() if k in _WRITABLE}}
            changed = differs(before, after)
            if not changed and not confirmation_differs(before, after):
                result.unchanged.append(item.carrier_id)
                continue
            if made is not None and changed and "provenance" not in item.values:
                after = provenance.stamp(after, set(changed), made)
            if "confirmed_at" not in item.values:
                after.update(stamp_confirmation(before, after, actor, now))
            after["updated_at"], after["version"] = now, before["version"] + 1
            update_rows.append((before, after))
        if guard is not None:
            for record in inserts:
                guard(None, record)
            for before, after in update_rows:
                guard(before, after)
        if not inserts and not update_rows:
            return result
        if changeset_id is None:
            changeset_id = conn.execute(
                insert(schema.changesets).values(actor=actor, created_at=now, kind=kind, summary=summary,
                                                 city_adcode=city_adcode)
            ).inserted_primary_key[0]
        result.changeset_id = int(changeset_id)
        change_rows: list[dict[str, Any]] = []
        if inserts:
            rows = [{**to_row({**record, **stamp_confirmation(None, record, actor, now)}), "updated_at": now,
                     "version": 1} for record in inserts]
            ids = self._insert_carriers(conn, rows)
            for carrier_id, row in zip(ids, rows, strict=True):
                after = from_row({**row, "id": carrier_id})
                change_rows.append({"changeset_id": changeset_id, "carrier_id": carrier_id, "action": "insert",
                                    "before": None, "after": dumps(after)})
                result.inserted.append(int(carrier_id))
        for before, after in update_rows:
            values = {**to_row(after), "updated_at": now, "version": after["version"]}
            outcome = conn.execute(
                update(table).where(table.c.id == before["id"], table.c.version == before["version"]).values(values)
            )
            if outcome.rowcount != 1:  # changed between our read and our write (other backends)
                raise ConflictError(before["id"], before["version"], None)
            change_rows.append({"changeset_id": changeset_id, "carrier_id": before["id"], "action": "update",
                                "before": dumps(before), "after": dumps(after)})
            result.updated.append(int(before["id"]))
        conn.execute(insert(schema.changes), change_rows)
        return result

    @staticmethod
    def _insert_carriers(conn, rows: list[dict[str, Any]]) -> list[int]:
        """Insert carrier rows; their new ids in the order of ``rows``.

        SQLite: one ``executemany`` and the ids read back — the write transaction holds the
        database lock (``BEGIN IMMEDIATE``), so the new rows are exactly those above the old
        maximum id, in insertion order. ``RETURNING`` with a guaranteed order makes SQLAlchemy
        run one statement per row there (≈3× slower for 10,000 rows). Other backends: RETURNING.
        """
        table = schema.carriers
        if conn.dialect.name != "sqlite":
            return list(conn.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True),
                                     rows).scalars().all())
        floor = conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
        conn.execute(insert(table), rows)
        ids = list(conn.execute(select(table.c.id).where(table.c.id > floor).order_by(table.c.id)).scalars())
        if len(ids) != len(rows):  # pragma: no cover - impossible under the write lock; refuse rather than guess
            raise RuntimeError(f"inserted {len(rows)} carriers but found {len(ids)} new ids")
        return ids

    @staticmethod
    def _rows(conn, ids: list[int]) -> dict[int, dict[str, Any]]:
        rows: dict[int, dict[str, Any]] = {}
        table = schema.carriers
        for start in range(0, len(ids), 900):
            chunk = ids[start:start + 900]
            # FOR UPDATE (PostgreSQL): a concurrent writer waits here, then sees our new version
            for row in conn.execute(select(table).where(table.c.id.in_(chunk)).with_for_update()).mappings():
                rows[row["id"]] = from_row(dict(row))
        return rows

    def undo(self, changeset_id: int, *, actor: str, guard: Guard | None = None) -> ChangeSetResult:
        """Undo one change set: give back, field by field, the values it replaced.

        Inserted carriers are removed (their record stays in the history), updated ones get
        back the ``before`` values of the fields the change set changed (later changes to other
        fields are kept), removed ones come back. Refused with :class:`UndoError` when the
        change set was already undone, and with :class:`UndoConflict` (naming each carrier,
        field, newer value and change set) when any later change set — edits, imports, undos
        and redos alike — left one of those fields with another value than this change set
        wrote, or when a later edit not itself undone touched it: undo those first, so no later
        edit is ever silently lost. ``guard(current, restored)`` is called per carrier as in
        :meth:`apply`. The confirmation (``confirmed_at``/``confirmed_by``) counts as fields here,
        and undoing a review step restores the review's state too
        (:func:`carriermap.review.queue.after_undo`).
        """
        cs, ch, table = schema.changesets, schema.changes, schema.carriers
        changeset_id = int(changeset_id)  # a NumPy integer from a DataFrame binds as a blob in SQLite
        with write_transaction(self.engine) as conn:
            target = conn.execute(select(cs).where(cs.c.id == changeset_id).with_for_update()).mappings().first()
            if target is None:
                raise NotFoundError(f"no change set {changeset_id}")
            if target["undone_by"] is not None:
                raise UndoError(f"change set {changeset_id} was already undone by {target['undone_by']}")
            own = conn.execute(select(ch).where(ch.c.changeset_id == changeset_id).order_by(ch.c.id.desc())).mappings().all()
            carrier_ids = sorted({row["carrier_id"] for row in own})
            current = self._rows(conn, carrier_ids)
            plan, conflicts = self._undo_plan(conn, changeset_id, own, current)
            if conflicts:
                raise UndoConflict(changeset_id, conflicts)
            if guard is not None:
                for _change, now_row, restored in plan:
                    if now_row is not None or restored is not None:
                        guard(now_row, restored)
            now = self.now()
            new_id = conn.execute(insert(cs).values(
                actor=actor, created_at=now, kind="undo", summary=f"undo #{changeset_id}",
                city_adcode=target["city_adcode"], undoes=changeset_id)).inserted_primary_key[0]
            result = ChangeSetResult(changeset_id=int(new_id))
            change_rows = []
            for change, now_row, restored in plan:
                carrier_id = change["carrier_id"]
                if change["action"] == "insert":
                    if now_row is not None:
                        conn.execute(delete(table).where(table.c.id == carrier_id))
                    change_rows.append({"changeset_id": new_id, "carrier_id": carrier_id, "action": "delete",
                                        "before": dumps(now_row), "after": None})
                elif change["action"] == "update":
                    restored = {**restored, "version": (now_row or restored)["version"] + 1, "updated_at": now}
                    values = {**to_row(restored), "updated_at": now, "version": restored["version"]}
                    conn.execute(update(table).where(table.c.id == carrier_id).values(values))
                    change_rows.append({"changeset_id": new_id, "carrier_id": carrier_id, "action": "update",
                                        "before": dumps(now_row), "after": dumps(restored)})
                elif change["action"] == "delete":
                    values = {**to_row(restored), "id": carrier_id, "updated_at": now,
                              "version": restored.get("version", 0) + 1}
                    conn.execute(insert(table).values(values))
                    change_rows.append({"changeset_id": new_id, "carrier_id": carrier_id, "action": "insert",
                                        "before": None, "after": dumps({**restored, **values, "industries":
                                                                        restored.get("industries", [])})})
                result.updated.append(carrier_id)
            if change_rows:
                conn.execute(insert(ch), change_rows)
            conn.execute(update(cs).where(cs.c.id == changeset_id).values(undone_by=new_id))
            # a review step (submit, approve, reject) also puts the review back where it was
            from carriermap.review.queue import after_undo

            after_undo(conn, dict(target))
            return result

    @staticmethod
    def _later_changes(conn, changeset_id: int, carrier_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
        """Every change after ``changeset_id`` to these carriers, oldest first, with its change set's kind."""
        cs, ch = schema.changesets, schema.changes
        later: dict[int, list[dict[str, Any]]] = {}
        for start in range(0, len(carrier_ids), 900):
            chunk = carrier_ids[start:start + 900]
            rows = conn.execute(
                select(ch.c.changeset_id, ch.c.carrier_id, ch.c.before, ch.c.after, cs.c.kind, cs.c.undone_by)
                .join(cs, cs.c.id == ch.c.changeset_id)
                .where(ch.c.carrier_id.in_(chunk), ch.c.changeset_id > changeset_id).order_by(ch.c.id)
            ).mappings()
            for row in rows:
                later.setdefault(row["carrier_id"], []).append(dict(row))
        return later

    def _undo_plan(self, conn, changeset_id: int, own, current: dict[int, dict[str, Any]]):
        """``[(change, current record, restored record)]`` and the conflicts that forbid the undo."""
        later = self._later_changes(conn, changeset_id, sorted(current) + [
            c["carrier_id"] for c in own if c["carrier_id"] not in current])
        plan, conflicts = [], []

        def conflict(carrier_id: int, name: Any, field_name: str | None, value: Any) -> None:
            newest = later.get(carrier_id, [{}])[-1].get("changeset_id")
            conflicts.append({"carrier_id": carrier_id, "name": name, "field": field_name, "value": value,
                              "changeset": newest})

        for change in own:
            carrier_id, now_row = change["carrier_id"], current.get(change["carrier_id"])
            before, after = loads(change["before"]), loads(change["after"])
            edits = [c for c in later.get(carrier_id, []) if c["kind"] != "undo" and c["undone_by"] is None]
            if change["action"] == "insert":
                if now_row is not None and (differs(after, now_row) or edits):
                    for name in sorted(differs(after, now_row)) or [None]:
                        conflict(carrier_id, now_row.get("name"), name, now_row.get(name) if name else None)
                plan.append((change, now_row, None))
            elif change["action"] == "update":
                fields = sorted(_changed(before, after))
                if now_row is None:
                    conflict(carrier_id, after.get("name"), None, None)
                    continue
                touched = {name for c in edits for name in _changed(loads(c["before"]) or {}, loads(c["after"]) or {})}
                for name in fields:
                    if name in _STAMPED:  # the store's own marks follow the edits, they are not edits
                        continue
                    if name in touched or _changed({name: after.get(name)}, {name: now_row.get(name)}):
                        conflict(carrier_id, now_row.get("name"), name, now_row.get(name))
                restore = [name for name in fields if name not in _STAMPED or name not in touched]
                plan.append((change, now_row, {**now_row, **{name: before.get(name) for name in restore}}))
            elif change["action"] == "delete":
                if now_row is not None:
                    conflict(carrier_id, now_row.get("name"), None, None)
                    continue
                plan.append((change, None, before))
        return plan, conflicts

    def mark_filled(self, connection, summary: str) -> int:
        """Record an empty ``seed`` change set: the database was filled, even with no carrier.

        A sample-free database may start with no carrier at all; this keeps it from being
        filled again (perhaps with samples) the next time it is opened.
        """
        return int(connection.execute(insert(schema.changesets).values(
            actor="system", created_at=self.now(), kind="seed", summary=summary)).inserted_primary_key[0])

    # ---- features and targets (bundled reference data) --------------------------------
    def replace_reference_data(self, features: list[dict[str, Any]], targets: list[dict[str, Any]], connection) -> None:
        """Replace corridors/zones and targets (used when filling a database from ``data/``)."""
        connection.execute(delete(schema.features))
        connection.execute(delete(schema.targets))
        if features:
            connection.execute(insert(schema.features), [
                {**f, "geometry": json.dumps(f["geometry"], ensure_ascii=False),
                 "members": json.dumps(list(f.get("members") or []), ensure_ascii=False)} for f in features])
        if targets:
            connection.execute(insert(schema.targets), targets)


def _refuse_invalid(records: list[dict[str, Any]]) -> None:
    """Raise :class:`InvalidRecordError` when any record breaks the model's limits (before any write)."""
    problems = [problem for record in records for problem in stored_problems(record)]
    if problems:
        raise InvalidRecordError(problems)


# Rows converted to columns at a time: reading a large city in one go holds every row as Python
# objects next to the finished frame (the process keeps that peak as its size: ~1 GB more at 1M).
READ_CHUNK_ROWS = 50_000


def parse_json_lists(raw: pd.Series) -> pd.Series:
    """JSON array texts (blank: none) as Python lists, one new list per row.

    Each distinct text is parsed once: a city's carriers share few industry lists, and at
    100,000 rows ``json.loads`` per row took ~0.5 s of every whole read. Every row still gets a
    list of its own (a copy), so no two rows share one.
    """
    codes, texts = pd.factorize(raw.where(raw.notna(), ""), sort=False)
    parsed = [json.loads(text) if text else [] for text in texts]
    return pd.Series([list(parsed[code]) if code >= 0 else [] for code in codes], index=raw.index, dtype=object)


def _read_in_chunks(query: Any, connection: Any) -> pd.DataFrame:
    """``pd.read_sql(query)``, :data:`READ_CHUNK_ROWS` rows at a time, with the dtypes of a single read
    (a column blank in one chunk but text or numbers in the others keeps their type)."""
    chunks = list(pd.read_sql(query, connection, chunksize=READ_CHUNK_ROWS))
    if not chunks:
        return pd.read_sql(query, connection)
    if len(chunks) == 1:
        return chunks[0]
    frame = pd.concat(chunks, ignore_index=True)
    for column in frame.columns:
        typed = {chunk[column].dtype for chunk in chunks if chunk[column].notna().any()}
        if len(typed) != 1:
            continue
        dtype = typed.pop()
        if dtype.kind in "iub" and frame[column].isna().any():  # as one read: integers with gaps are floats,
            dtype = np.dtype("float64") if dtype.kind in "iu" else np.dtype(object)  # booleans objects
        if frame[column].dtype != dtype:
            frame[column] = frame[column].astype(dtype)
    return frame

