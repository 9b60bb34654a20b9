"""Alembic environment: migrations of :data:`carriermap.store.schema.metadata`, on SQLite and PostgreSQL.

Run through :mod:`carriermap.store.migrate` (``python -m carriermap db upgrade``, or
:meth:`Store.open`), which hands us an open connection inside its locked transaction.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from carriermap.store import schema
from carriermap.store.migrate import include_object

config = context.config
connection = config.attributes.get("connection")


def _run(conn) -> None:
    context.configure(
        connection=conn,
        target_metadata=schema.metadata,
        include_object=include_object,
        render_as_batch=conn.dialect.name == "sqlite",  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    _run(connection)
else:  # pragma: no cover - plain ``alembic`` use with sqlalchemy.url set
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as conn:
        _run(conn)
