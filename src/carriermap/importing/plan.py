"""Planning an import (what would change, or every problem) and committing the plan.

:func:`plan_import` reads, validates and matches without writing: the CLI's ``--dry-run``
and the data page's preview show its counts (new, changed, unchanged) or its problems.
:func:`commit_import` writes a clean plan as one change set: all rows or none (one
transaction; a large plan in short batches, the written ones undone if a later one fails).
A row that fills only some columns updates only those; a blank cell keeps the
stored value (clearing a value is an edit, not an import), so a partial sheet loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from carriermap.boundaries import district_names
from carriermap.importing.matching import CarrierIndex, name_key
from carriermap.importing.problems import ImportFileError, RowProblem, file_problem
from carriermap.importing.reading import read_source
from carriermap.importing.staleness import stale_problems
from carriermap.importing.validation import Validated, validate
from carriermap.location import STATES, state_of
from carriermap.model import clean_carrier
from carriermap.store.records import differs

Action = Literal["new", "changed", "unchanged"]
# Rows one upload from the data page may hold: two write batches (WRITE_BATCH_ROWS), each under
# a second of SQLite's write lock on an idle machine, so a concurrent quick edit waits, never fails.
# Larger files go through the CLI. Checked before the file is parsed where possible.
UPLOAD_ROW_LIMIT = 20_000
_HEADER_MARGIN = 50  # title, header and notes rows a file may have above its data
_DERIVED = ("lon", "lat", "city_adcode", "district_adcode")


class ImportRejected(ValueError):
    """:func:`commit_import` was given a plan with problems; nothing was written."""

    def __init__(self, problems: list[RowProblem]):
        super().__init__(f"{len(problems)} problem(s) in the file; nothing was written")
        self.problems = problems


@dataclass
class PlannedRow:
    """What one row of the file will do: create a carrier, change one, or nothing."""

    row: int
    action: Action
    record: dict[str, Any]
    carrier_id: int | None = None
    expected_version: int | None = None
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)


@dataclass
class ImportPlan:
    """The outcome of reading and checking a file: planned rows, or the problems that stop it."""

    filename: str
    kind: str | None = None
    sheet: str | None = None
    encoding: str | None = None
    header_row: int | None = None
    city_adcode: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    skipped_rows: list[int] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    rows: list[PlannedRow] = field(default_factory=list)
    refused: list[RowProblem] = field(default_factory=list)  # rows left out with a reason (e.g. another city)

    @property
    def ok(self) -> bool:
        """True when the file has no problem (it may still change nothing)."""
        return not self.problems

    @property
    def counts(self) -> dict[str, int]:
        """``{"new", "changed", "unchanged"}`` row counts."""
        counts = {"new": 0, "changed": 0, "unchanged": 0}
        for row in self.rows:
            counts[row.action] += 1
        return counts

    @property
    def placement_counts(self) -> dict[str, int]:
        """How the new and changed rows will be placed: ``{"placed", "unplaced", "unlocated"}``."""
        counts = dict.fromkeys(STATES, 0)
        for row in self.rows:
            counts[state_of(row.record)] += 1
        return counts

    def refusals(self, lang: str = "zh") -> list[dict[str, Any]]:
        """Rows left out with a reason (another city), as ``{"row", "column", "value", "message"}``."""
        return [problem.as_dict(lang) for problem in self.refused]

    def ignored_hints(self, lang: str = "zh") -> list[str]:
        """Why each ignored column was not read, and what to do if it matters."""
        from carriermap.importing.header_hints import ignored_hints

        return ignored_hints(self.ignored_columns, lang)

    def errors(self, lang: str = "zh") -> list[dict[str, Any]]:
        """Every problem as ``{"row", "column", "value", "message"}``, in file order."""
        return [problem.as_dict(lang) for problem in self.problems]

    def preview(self) -> pd.DataFrame:
        """One line per row of the file: row, action, carrier id, name and the fields it changes."""
        return pd.DataFrame(
            [{"row": r.row, "action": r.action, "carrier_id": r.carrier_id, "name": r.record.get("name"),
              "fields": ", ".join(sorted(r.changes)), "placement": state_of(r.record),
              "district_adcode": r.record.get("district_adcode"), "address": r.record.get("address")}
             for r in self.rows],
            columns=["row", "action", "carrier_id", "name", "fields", "placement", "district_adcode", "address"])

    def summary(self) -> dict[str, Any]:
        """The plan in a few numbers (the CLI's JSON)."""
        return {"file": self.filename, "kind": self.kind, "sheet": self.sheet, "encoding": self.encoding,
                "header_row": self.header_row, "city": self.city_adcode, "rows": len(self.rows), **self.counts,
                "skipped_rows": self.skipped_rows, "ignored_columns": self.ignored_columns,
                **self.placement_counts, "refused": [p.row for p in self.refused]}


def plan_import(source: bytes | str | Path, filename: str | None = None, *, city: str | None = None,
                lang: str = "zh", store=None, max_rows: int | None = None) -> ImportPlan:
    """Read, validate and match a file of carriers; write nothing.

    ``source`` is the file's bytes (an upload) or a path; ``filename`` names an upload (its
    suffix helps tell the kind). ``city`` is an adcode; without it the city is where most
    points fall. ``store`` holds the carriers rows are matched against (default: the
    default database). ``max_rows`` refuses a file with more data rows (the page passes
    :data:`UPLOAD_ROW_LIMIT`), before parsing it when its line count already says so, so an
    oversized upload costs little memory. Every problem is in ``plan.problems``; never raises
    for bad input.
    """
    if isinstance(source, (str, Path)):
        path = Path(source)
        filename = filename or path.name
        if not path.is_file():
            return ImportPlan(filename, problems=[file_problem(ImportFileError("error.file_missing", path=str(path)))])
        source = path.read_bytes()
    plan = ImportPlan(filename or "")
    if max_rows is not None and not source.startswith(b"PK") and source.count(b"\n") > max_rows + _HEADER_MARGIN:
        plan.problems.append(_too_many(source.count(b"\n"), max_rows))
        return plan
    try:
        table = read_source(source, plan.filename)
    except ImportFileError as error:
        plan.problems.append(file_problem(error))
        return plan
    if max_rows is not None and len(table.rows) > max_rows + _HEADER_MARGIN:
        plan.problems.append(_too_many(len(table.rows), max_rows))
        return plan
    plan.kind, plan.sheet, plan.encoding = table.kind, table.sheet, table.encoding
    checked = validate(table, city, lang)
    if max_rows is not None and len(checked.rows) > max_rows:
        plan.problems.append(_too_many(len(checked.rows), max_rows))
        return plan
    plan.header_row, plan.city_adcode = checked.header_row, checked.city_adcode
    plan.skipped_rows, plan.problems, plan.refused = checked.skipped_rows, checked.problems, checked.refused
    if checked.columns is not None:
        plan.columns = {name: checked.columns.header[i] for name, i in checked.columns.fields.items()}
        plan.ignored_columns = checked.columns.ignored
    if checked.rows and plan.city_adcode:
        if store is None:
            from carriermap.store import Store

            store = Store.open()
        _match(plan, checked, store)
    plan.problems.sort(key=lambda p: (p.row is not None, p.row or 0))
    return plan


def _too_many(rows: int, limit: int) -> RowProblem:
    return RowProblem(None, None, None, "import.error.too_many_rows", {"rows": f"{rows:,}", "limit": f"{limit:,}"})


def existing_records(store, city_adcode: str) -> list[dict[str, Any]]:
    """The carriers of a city as plain records (None, not NaN, for missing values)."""
    frame = store.carriers(city_adcode)
    if frame.empty:
        return []
    frame = frame.astype(object).where(frame.notna(), None)
    return frame.to_dict("records")


def _match(plan: ImportPlan, checked: Validated, store) -> None:
    index = CarrierIndex(existing_records(store, plan.city_adcode))
    claimed: dict[int, int] = {}
    new_names: dict[str, int] = {}
    columns = checked.columns
    names = district_names("zh")
    for row in checked.rows:
        if not row.ok:
            continue
        record = row.record
        carrier = index.match(record, row.carrier_id)
        if carrier is None:
            key = name_key(record["name"])
            if key in new_names:
                plan.problems.append(RowProblem(row.number, columns.column_name("name"), record["name"],
                                                "import.error.duplicate_row", {"other": new_names[key]}))
                continue
            new_names[key] = row.number
            if not record.get("reporting_unit"):
                record["reporting_unit"] = names.get(record.get("district_adcode"), None)
            plan.rows.append(PlannedRow(row.number, "new", record))
            continue
        carrier_id = int(carrier["id"])
        if carrier_id in claimed:
            plan.problems.append(RowProblem(row.number, columns.column_name("name"), record["name"],
                                            "import.error.same_carrier",
                                            {"other": claimed[carrier_id], "name": carrier["name"]}))
            continue
        claimed[carrier_id] = row.number
        values = {name: record[name] for name in (*row.present, *derived_fields(record, carrier))}
        merged = {**carrier, **values}
        _, found = clean_carrier(merged)  # cross checks against the values kept (e.g. free ≤ stored total)
        if found:
            for problem in found:
                plan.problems.append(RowProblem(row.number, columns.column_name(problem.field), problem.value,
                                                problem.key, problem.params))
            continue
        changes = differs(carrier, merged)
        stale = stale_problems(row, columns, carrier, changes)
        if stale:
            plan.problems.extend(stale)
            continue
        plan.rows.append(PlannedRow(row.number, "changed" if changes else "unchanged", merged, carrier_id,
                                    int(carrier["version"]), changes))


def derived_fields(record: dict[str, Any], carrier: dict[str, Any]) -> tuple[str, ...]:
    """The derived fields a row sets on the carrier it matches.

    A row without a point never takes the point (or the district it implies) from a placed
    carrier: an address-only list must not unplace what an editor placed.
    """
    if record.get("lon") is not None:
        return _DERIVED
    if carrier.get("lon") is not None and not pd.isna(carrier.get("lon")):
        return ("city_adcode",)
    return ("city_adcode", "district_adcode") if record.get("district_adcode") else ("city_adcode",)


def commit_import(store, plan: ImportPlan, actor: str, *, guard=None) -> int | None:
    """Write a clean plan as one change set; return its id (None: nothing changed).

    Up to :data:`carriermap.store.repository.WRITE_BATCH_ROWS` carriers are one transaction;
    a larger plan is written in batches of that size so the database is never locked for
    long (:meth:`Store.apply_in_batches`: a failure undoes the batches already written).

    Raises :class:`ImportRejected` for a plan with problems, and
    :class:`carriermap.store.ConflictError` when a carrier was edited after the plan was
    made (then nothing is written: plan again). ``guard`` is the store's write guard, called
    for every carrier on the record as stored (see :meth:`Store.apply`).
    """
    from carriermap.store.repository import Update

    if not plan.ok:
        raise ImportRejected(plan.problems)
    inserts = [row.record for row in plan.rows if row.action == "new"]
    updates = [Update(row.carrier_id, {name: after for name, (_, after) in row.changes.items()},
                      expected_version=row.expected_version)
               for row in plan.rows if row.action == "changed"]
    counts = plan.counts
    result = store.apply_in_batches(
        actor=actor, kind="import", city_adcode=plan.city_adcode, inserts=inserts, updates=updates, guard=guard,
        source_ref=plan.filename or None,
        summary=f"{plan.filename} (+{counts['new']} ~{counts['changed']} ={counts['unchanged']})")
    return result.changeset_id
