"""PostgreSQL only: the city in the GiST index of carriers with free space

Revision ID: 0012
Revises: 0011

The find-space search always names a city (``city_adcode = …``, the page's city). With the
index of migration 0005 (``gist (geog) WHERE <free space>``) the planner answered that by
ANDing the geography index with the btree on ``city_adcode``: building a bitmap of every
carrier of the city (421,422 rows in the benchmark's largest city, ~15 ms) for every search,
to keep a few thousand rows. ``gist (geog, city_adcode) WHERE <free space>`` (``btree_gist``
gives ``varchar`` a GiST operator class) answers both conditions in one index scan, so the
city is an index condition and no bitmap of the city is built. It serves searches without a
city too (GiST uses any subset of its columns), so it replaces ``ix_carriers_geog_free``.

``btree_gist`` ships with PostgreSQL (contrib) and is a trusted extension: the database owner
may create it without superuser rights. The index build locks writes to ``carriers`` for its
duration (about a minute at a million carriers). A no-op on SQLite, where the search runs in memory.
"""

from collections.abc import Sequence

from alembic import op
from sqlalchemy import text

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The same text as carriermap.store.postgis.FREE_SPACE_SQL (a migration keeps its own copy:
# later edits to the library must not change what an old revision did).
FREE_SPACE_SQL = "available_m2 > 0 AND status = 'operating'"


def _require_btree_gist() -> None:
    """Create ``btree_gist`` unless it is there; a clear error when the server lacks it."""
    bind = op.get_bind()
    if bind.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'btree_gist'")).first():
        return
    if not bind.execute(text("SELECT 1 FROM pg_available_extensions WHERE name = 'btree_gist'")).first():
        raise RuntimeError("the btree_gist extension is not installed on the database server "
                           "(it ships with PostgreSQL's contrib modules)")
    op.execute("CREATE EXTENSION btree_gist")


def upgrade() -> None:
    """Create ``ix_carriers_geog_city_free`` and drop the index it replaces; nothing on SQLite."""
    if op.get_bind().dialect.name != "postgresql":
        return
    _require_btree_gist()
    op.execute("CREATE INDEX ix_carriers_geog_city_free ON carriers "
               f"USING gist (geog, city_adcode) WHERE {FREE_SPACE_SQL}")
    op.execute("DROP INDEX IF EXISTS ix_carriers_geog_free")


def downgrade() -> None:
    """Back to the geography-only partial index of 0005 (``btree_gist`` stays installed)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"CREATE INDEX IF NOT EXISTS ix_carriers_geog_free ON carriers USING gist (geog) WHERE {FREE_SPACE_SQL}")
    op.execute("DROP INDEX IF EXISTS ix_carriers_geog_city_free")
