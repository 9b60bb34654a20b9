"""Which sheet of a workbook to import.

The sheet the user last looked at (the workbook's *active* sheet) is what they mean. A stale
copy hidden in front of it is never read in its place. When the active sheet has no header
row (a "说明" notes sheet left active), the one other visible sheet with a header is read; if
several could be meant, the import asks (an error listing them) instead of guessing. The name
of the sheet read is always reported (``RawTable.sheet``: the page and the CLI show it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from carriermap.importing.problems import ImportFileError

Cells = tuple[list[list[str]], list[tuple[int, int]]]


def choose_sheet(book: Any, read: Callable[[Any], Cells], has_header: Callable[[list[list[str]]], bool],
                 name: str = "") -> tuple[str, Cells]:
    """The title and cells of the sheet to import from an openpyxl ``book`` (see the module doc).

    ``read`` turns a worksheet into cells, ``has_header`` says whether rows hold a header row.
    Raises :class:`ImportFileError` (``import.error.hidden_sheets``) when several visible sheets
    other than a header-less active one could be meant.
    """
    active = book.active if book.active is not None else book.worksheets[0]
    cells = read(active)
    if has_header(cells[0]):
        return active.title, cells
    candidates = []
    for sheet in book.worksheets:
        if sheet.title == active.title or getattr(sheet, "sheet_state", "visible") != "visible":
            continue
        found = read(sheet)
        if has_header(found[0]):
            candidates.append((sheet.title, found))
    if len(candidates) == 1:
        return candidates[0]
    if len(candidates) > 1:
        raise ImportFileError("import.error.hidden_sheets", path=name, active=active.title,
                              sheets=", ".join(title for title, _ in candidates))
    return active.title, cells  # no header anywhere visible: validation says what is missing
