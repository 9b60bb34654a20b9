"""Re-importing an edited export must not undo other people's edits made since the export.

An export carries each carrier's ``version`` (and ``updated_at``). When a row of the file
names a carrier whose version has moved on since, every column the row would change is a
conflict — the row, the column, the value in the file and the newer value in the data — and
nothing is written: the editor downloads a fresh export (or deletes that column) and redoes
their change. Without a ``version`` column, an ``updated_at`` older than the carrier's says
the same ("the file is older than the data"). A file with neither cannot tell: its rows
are applied as they are (documented in ``docs/security.md``).
"""

from __future__ import annotations

from typing import Any

from carriermap.importing.problems import RowProblem


def _moment(text: Any) -> str:
    """An ``updated_at`` as comparable text (ISO 8601, seconds, UTC as stored)."""
    return str(text or "").strip().replace(" ", "T")


def stale_problems(row, columns, carrier: dict[str, Any], changes: dict[str, tuple[Any, Any]]) -> list[RowProblem]:
    """Conflicts of one row of the file with a carrier that changed after the file was exported.

    ``row`` is the validated row (its ``version``/``updated_at`` from the file), ``carrier`` the
    stored record, ``changes`` ``{field: (stored, file)}``. Empty when the row is current, when
    it changes nothing, or when the file carries neither column.
    """
    if not changes:
        return []
    current_version = int(carrier.get("version") or 0)
    if row.version is not None:
        if row.version == current_version:
            return []
        key, params = "import.error.stale_version", {"file_version": row.version, "version": current_version}
    elif row.updated_at and _moment(carrier.get("updated_at")) > _moment(row.updated_at):
        key, params = "import.error.older_than_data", {"file_updated_at": row.updated_at,
                                                       "updated_at": carrier.get("updated_at")}
    else:
        return []
    return [RowProblem(row.number, columns.column_name(name), mine, key,
                       {**params, "newer": "—" if newer is None else newer, "name": carrier.get("name") or ""})
            for name, (newer, mine) in sorted(changes.items())]
