"""The SQLite database and its backups hold password hashes: only their owner may read them.

Files are created with mode 0600 (whatever the umask), and an existing database or backup
that others could read is tightened to 0600 when the app opens it. SQLite gives its ``-wal``
and ``-shm`` files the database file's mode, so they follow.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

PRIVATE_MODE = 0o600


def create_private(path: Path) -> None:
    """Create ``path`` empty with mode 0600 unless it exists; tighten an existing one (see module docstring)."""
    try:
        descriptor = os.open(Path(path), os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_MODE)
    except FileExistsError:
        make_private(path)
        return
    except OSError:  # no such folder, read-only place…: SQLite says so in its own words
        return
    os.close(descriptor)


def make_private(path: Path) -> None:
    """Remove every permission of group and others from ``path`` and its ``-wal``/``-shm`` files (if ours)."""
    for candidate in (Path(path), Path(f"{path}-wal"), Path(f"{path}-shm")):
        with contextlib.suppress(FileNotFoundError, PermissionError):
            mode = stat.S_IMODE(candidate.stat().st_mode)
            if mode & 0o077:
                os.chmod(candidate, mode & 0o700)
