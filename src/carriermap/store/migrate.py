"""Schema versions with Alembic, the same on SQLite and PostgreSQL + PostGIS.

:func:`upgrade` brings a database to the newest revision inside one locked write transaction
(``BEGIN IMMEDIATE`` on SQLite, an advisory lock on PostgreSQL), so replicas starting together
migrate it once. A database made before Alembic (tables, no ``alembic_version``) is stamped at
the first revision, whose tables it already has, then upgraded.

The revisions live in ``migrations/versions``. To add one after changing :mod:`schema`, run
``python -m carriermap db revision -m "what changed"``: it compares ``schema.metadata``
with a scratch database at head and writes the operations (see ``docs/deploy.md``).
"""

from __future__ import annotations

import tempfile
import warnings
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect

from carriermap.store.engine import make_engine, setup_lock, write_transaction

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BASELINE = "0001"

# Objects that exist on PostgreSQL only and are not in ``schema.metadata`` (made by the
# PostGIS revision): the comparison of metadata and database must not try to drop them.
POSTGIS_ONLY_COLUMNS = {("carriers", "geog"), ("carriers", "lonlat")}
POSTGIS_ONLY_INDEXES = {"ix_carriers_geog", "ix_carriers_geog_free", "ix_carriers_geog_city_free",
                        "ix_carriers_lonlat_free"}


def config(connection: Connection | None = None) -> Config:
    """An Alembic config for our migrations (no ``alembic.ini`` needed), bound to ``connection``."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


@lru_cache(maxsize=1)
def head() -> str:
    """The newest revision id."""
    return ScriptDirectory.from_config(config()).get_current_head()


def current(connection: Connection) -> str | None:
    """The revision a database is at (None: never migrated)."""
    return MigrationContext.configure(connection).get_current_revision()


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Which database objects the metadata comparison looks at: ours, not PostGIS's."""
    if type_ == "table" and reflected and compare_to is None:
        return False  # e.g. spatial_ref_sys, or a table of someone else's
    if type_ == "column" and (getattr(obj, "table", None) is not None and (obj.table.name, name) in POSTGIS_ONLY_COLUMNS):
        return False
    if type_ == "index" and name in POSTGIS_ONLY_INDEXES:
        return False
    return True


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str | None]:
    """Migrate the database to ``revision`` (default the newest); returns (before, after).

    Cheap when the database is already there (one read, no lock).
    """
    target = head() if revision == "head" else revision
    with engine.connect() as connection:
        before = current(connection)
        if before == target:
            return before, before
    with write_transaction(engine) as connection:
        setup_lock(connection)
        before = current(connection)
        if before is None and inspect(connection).has_table("carriers"):
            command.stamp(config(connection), BASELINE)  # made by create_all before Alembic
        if current(connection) != target:
            command.upgrade(config(connection), revision)
        return before, current(connection)


def differences(engine: Engine) -> list:
    """What ``schema.metadata`` has that the database lacks, or the reverse (Alembic's diff ops)."""
    from alembic.autogenerate import compare_metadata

    from carriermap.store import schema

    if engine.dialect.name == "postgresql":
        import geoalchemy2  # noqa: F401 - teaches reflection the geography type of carriers.geog

    with engine.connect() as connection, warnings.catch_warnings():
        # carriers.lonlat is PostgreSQL's built-in point, unknown to SQLAlchemy and left alone by include_object
        warnings.filterwarnings("ignore", message="Did not recognize type 'point' of column 'lonlat'")
        context = MigrationContext.configure(connection, opts={"include_object": include_object, "compare_type": True})
        return compare_metadata(context, schema.metadata)


def new_revision(message: str, url: str | None = None) -> Path | None:
    """Write a revision with the operations that bring a database at head to ``schema.metadata``.

    Compares against ``url`` (upgraded first), or a scratch SQLite database when None.
    Returns the new file, or None when metadata and migrations already agree.
    """
    with tempfile.TemporaryDirectory() as scratch:
        engine = make_engine(url or f"sqlite:///{Path(scratch, 'scratch.sqlite')}")
        try:
            upgrade(engine)
            if not differences(engine):
                return None
            with engine.connect() as connection:
                script = command.revision(config(connection), message=message, autogenerate=True,
                                          rev_id=_next_id())
            return Path(script.path)
        finally:
            engine.dispose()


def _next_id() -> str:
    numbers = [int(p.name[:4]) for p in (MIGRATIONS_DIR / "versions").glob("[0-9][0-9][0-9][0-9]_*.py")]
    return f"{max(numbers, default=0) + 1:04d}"
