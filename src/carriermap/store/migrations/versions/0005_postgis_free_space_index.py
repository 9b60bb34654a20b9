"""PostgreSQL only: a partial GiST index over the carriers that have free space

Revision ID: 0005
Revises: '0004'

The find-space search only ever wants operating carriers with ``available_m2 > 0``. A GiST
index over just those rows is smaller than ``ix_carriers_geog`` and an ``ST_DWithin`` search
with the same condition (:func:`carriermap.store.postgis.free_space_query`) reads only them,
so the cost of a 10 km search no longer grows with the delisted, suspended and full carriers
around the point. The predicate must stay word for word the one the query uses (constants,
not parameters), or the planner cannot prove the index applies. A no-op on SQLite, where
the search runs in memory.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The same text as carriermap.store.postgis.FREE_SPACE_SQL (a migration keeps its own copy:
# later edits to the library must not change what an old revision did).
FREE_SPACE_SQL = "available_m2 > 0 AND status = 'operating'"


def upgrade() -> None:
    """Create ``ix_carriers_geog_free``; nothing on SQLite."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"CREATE INDEX ix_carriers_geog_free ON carriers USING gist (geog) WHERE {FREE_SPACE_SQL}")


def downgrade() -> None:
    """Drop the partial index."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_carriers_geog_free")
