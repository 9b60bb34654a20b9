"""Files the map fetches once per page from Streamlit's static file server (``/app/static/…``).

What never changes with the filters (a city's carriers per data version, its district
polygons) is written once under a name made of its content, so browsers may cache it and a
rerun sends only what changed (a mask, names and counts).
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from pathlib import Path

# How long a superseded file stays: a page drawn just before the data changed may still fetch it.
RETIRE_GRACE_S = 600.0
_retired: dict[Path, float] = {}
_retired_lock = threading.Lock()


def write_named_by_content(directory: Path, prefix: str, text: str) -> str:
    """Write ``text`` to ``directory/<prefix>-<hash>.json`` unless it is there; return the file name.

    The file appears whole or not at all (written aside, then renamed), so a browser never
    fetches half of it. A file used again is touched (its time is when it was last wanted) and
    is no longer due to go (:func:`retire`).
    """
    name = f"{prefix}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:20]}.json"
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / name
    with _retired_lock:
        _retired.pop(target, None)
    if target.exists():
        os.utime(target)
    else:
        partial = target.with_suffix(".part")
        partial.write_text(text, encoding="utf-8")
        partial.replace(target)
    return name


def retire(path: Path, grace_s: float = RETIRE_GRACE_S, now: float | None = None) -> list[Path]:
    """Mark ``path`` as superseded, and delete the files retired more than ``grace_s`` ago; return those.

    A retired file that was wanted again since (by this process through
    :func:`write_named_by_content`, or by another one sharing the folder: its time is newer than
    the retirement) is kept. Without this, every data version leaves its file behind.
    """
    now = time.time() if now is None else now
    gone = []
    with _retired_lock:
        _retired.setdefault(path, now)
        for old, since in list(_retired.items()):
            if now - since < grace_s:
                continue
            del _retired[old]
            try:
                if old.stat().st_mtime <= since:
                    old.unlink()
                    gone.append(old)
            except FileNotFoundError:
                continue
    return gone
