"""Files the map fetches once per page from Streamlit's static file server (``/app/static/…``).

What never changes with the filters (a city's carriers per data version, its district
polygons) is written once under a name made of its content, so browsers may cache it and a
rerun sends only what changed (a mask, names and counts).
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def write_named_by_content(directory: Path, prefix: str, text: str) -> str:
    """Write ``text`` to ``directory/<prefix>-<hash>.json`` unless it is there; return the file name.

    The file appears whole or not at all (written aside, then renamed), so a browser never
    fetches half of it.
    """
    name = f"{prefix}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:20]}.json"
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / name
    if not target.exists():
        partial = target.with_suffix(".part")
        partial.write_text(text, encoding="utf-8")
        partial.replace(target)
    return name
