"""JSON lists of records as people export them: ``[{"名称": …, "地址": …}, …]``.

Not every JSON file is GeoJSON: web pages, open-data portals and scripts give an array of
flat objects, or an object wrapping one (``{"data": [...]}``). Each object is one row; the
header is every key in the order first seen; a nested value becomes text (a list joined by
``;``). Row numbers are positions in the array (1 = first record).
"""

from __future__ import annotations

import json
from typing import Any

from carriermap.importing.problems import ImportFileError


def records_in(document: Any) -> list | None:
    """The array of records in a parsed JSON document (itself, or the one array an object wraps)."""
    if isinstance(document, list):
        return document
    if isinstance(document, dict) and document.get("type") not in ("FeatureCollection", "Feature"):
        arrays = [value for value in document.values() if isinstance(value, list) and value
                  and all(isinstance(item, dict) for item in value)]
        if len(arrays) == 1:
            return arrays[0]
    return None


def _cell(value: Any) -> str:
    from carriermap.importing.reading import cell_text

    if isinstance(value, list):
        return ";".join(cell_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return cell_text(value)


def read_records(records: list, name: str = ""):
    """A :class:`~carriermap.importing.reading.RawTable` of an array of JSON objects."""
    from carriermap.importing.reading import RawTable

    if not records:
        raise ImportFileError("import.error.empty_file", path=name)
    if not all(isinstance(item, dict) for item in records):
        bad = next(i for i, item in enumerate(records, start=1) if not isinstance(item, dict))
        raise ImportFileError("lists.error.not_records", path=name, row=bad)
    keys: list[str] = []
    for item in records:
        keys.extend(str(key) for key in item if str(key) not in keys)
    rows = [[_cell(item.get(key)) for key in keys] for item in records]
    return RawTable(kind="json", rows=rows, row_numbers=list(range(1, len(rows) + 1)), header=keys)
