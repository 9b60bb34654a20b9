"""Online backup of the embedded SQLite database (PostgreSQL is backed up with ``pg_dump``)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from carriermap.store.files import create_private


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL, or None for other backends (and in-memory SQLite)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def backup_sqlite(source: Path, target: Path, pages_per_step: int = 1024) -> int:
    """Copy a live SQLite database to ``target`` with SQLite's online backup API; returns its size.

    Readers and writers keep working meanwhile (WAL); the copy is one consistent state.
    Refuses to overwrite ``target`` (:class:`FileExistsError`). The copy is created with mode
    0600 (:mod:`carriermap.store.files`).
    """
    if target.exists():
        raise FileExistsError(target)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    create_private(partial)  # 0600 before a byte is written: a backup holds password hashes too
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst, pages=pages_per_step)
        finally:
            dst.close()
    finally:
        src.close()
    partial.replace(target)
    return target.stat().st_size
