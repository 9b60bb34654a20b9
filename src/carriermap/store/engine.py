"""Creating the SQLAlchemy engine, with the settings SQLite needs under several sessions.

SQLite: WAL (readers never block the writer), ``busy_timeout`` (wait for a lock instead of
failing), and ``BEGIN IMMEDIATE`` for write transactions — a deferred transaction that reads
and then writes gets SQLITE_BUSY at once, ignoring the timeout. :func:`write_transaction`
opens such a transaction; plain reads use ordinary ``BEGIN``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import OperationalError

from carriermap.paths import VAR_DIR
from carriermap.store.errors import StoreBusy

DATABASE_URL_ENV = "CARRIERMAP_DATABASE_URL"
BUSY_TIMEOUT_MS = 15000
_IMMEDIATE_FLAG = "carriermap_begin_immediate"


def default_url() -> str:
    """The database URL: ``$CARRIERMAP_DATABASE_URL`` or the embedded SQLite file."""
    url = os.environ.get(DATABASE_URL_ENV, "").strip()
    if url:
        return url
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{Path(VAR_DIR, 'carriermap.sqlite')}"


def make_engine(url: str | None = None) -> Engine:
    """An engine for ``url`` (default :func:`default_url`), configured for its backend."""
    url = url or default_url()
    if url.startswith("sqlite"):
        from carriermap.store.backup import sqlite_path
        from carriermap.store.files import create_private

        path = sqlite_path(url)
        if path is not None:
            create_private(path)  # 0600: the file holds password hashes
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False})
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # pragma: no cover - exercised by every test
        dbapi_connection.isolation_level = None  # let SQLAlchemy's BEGIN below decide
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.info.pop(_IMMEDIATE_FLAG, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


# Key of the PostgreSQL advisory lock every write transaction holds until it ends, as SQLite's
# ``BEGIN IMMEDIATE`` does: writes commit in the order of their change set ids, so the data
# version (the newest change set id) never skips a write that commits later with a smaller id,
# and the shared frame's refresh (``touched_since``) never misses one.
WRITE_LOCK_KEY = 0x63_6D_77_72  # "cmwr"
# Key of the PostgreSQL advisory lock that serialises schema upgrades and first filling.
SETUP_LOCK_KEY = 0x63_61_72_72  # "carr"


def setup_lock(connection: Connection) -> None:
    """Serialise setup (migrations, first fill) across processes, until the transaction ends.

    SQLite needs nothing more: :func:`write_transaction` already holds its write lock.
    PostgreSQL takes a transaction-level advisory lock.
    """
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({SETUP_LOCK_KEY})")


def is_sqlite(engine: Engine) -> bool:
    """True when the engine talks to SQLite."""
    return engine.dialect.name == "sqlite"


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A write transaction: ``BEGIN IMMEDIATE`` on SQLite, one holding :data:`WRITE_LOCK_KEY` on PostgreSQL.

    Commits when the block ends, rolls back on any exception: a write is all or nothing.
    A database still locked by another writer after the wait (:data:`BUSY_TIMEOUT_MS` on
    SQLite; a deadlock or lock timeout on PostgreSQL) raises :class:`StoreBusy`, which the
    page and the CLI say as "busy, try again" — never a traceback.
    """
    try:
        with engine.connect() as connection:
            if is_sqlite(engine):
                connection.info[_IMMEDIATE_FLAG] = True
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")
                yield connection
    except OperationalError as error:
        if is_busy(error):
            raise StoreBusy(str(error.orig or error).splitlines()[0]) from error
        raise


_BUSY_SQLSTATES = {"40P01", "55P03", "57014"}  # deadlock, lock not available, statement/lock timeout


def is_busy(error: Exception) -> bool:
    """True when ``error`` says the database is locked or busy (SQLite) or a lock wait failed (PostgreSQL)."""
    orig = getattr(error, "orig", error)
    text = str(orig).lower()
    if "database is locked" in text or "database is busy" in text or "database table is locked" in text:
        return True
    return getattr(orig, "sqlstate", None) in _BUSY_SQLSTATES or getattr(orig, "pgcode", None) in _BUSY_SQLSTATES
