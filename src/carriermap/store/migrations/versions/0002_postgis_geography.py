"""PostgreSQL only: PostGIS, a geography point per carrier and its GiST index

Revision ID: 0002
Revises: 0001

``geog`` is a stored generated column computed from ``lon``/``lat``, so the database keeps it
in sync on every insert and update, whoever writes (no trigger, no code path can forget it).
The GiST index is on ``geog`` itself, the expression ``ST_DWithin(geog, ...)`` uses: an index on
a geometry column would not serve a geography query, and the search would scan the table.
Not in ``schema.metadata`` (SQLite has no such type); :mod:`carriermap.store.postgis` names it.
"""

from collections.abc import Sequence

from alembic import op
from sqlalchemy import text

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add PostGIS (if allowed), ``carriers.geog`` and its index; nothing on SQLite."""
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    has_postgis = bind.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'postgis'")).first()
    if not has_postgis:
        available = bind.execute(text("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")).first()
        if not available:
            raise RuntimeError("PostGIS is not installed on the database server (Debian: apt-get install postgis)")
        op.execute("CREATE EXTENSION postgis")  # needs a superuser, or run it once as one beforehand
    op.execute(
        "ALTER TABLE carriers ADD COLUMN geog geography(Point, 4326) "
        "GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography) STORED"
    )
    op.execute("CREATE INDEX ix_carriers_geog ON carriers USING gist (geog)")


def downgrade() -> None:
    """Drop the column and its index (PostGIS itself stays)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_carriers_geog")
    op.execute("ALTER TABLE carriers DROP COLUMN IF EXISTS geog")
