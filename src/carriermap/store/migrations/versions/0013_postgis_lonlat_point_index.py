"""PostgreSQL only: carriers' lon/lat as a plain point, indexed for the find-space search

Revision ID: 0013
Revises: 0012

The find-space search asked the index of migration 0012 for a box of the geography (a
geocentric 3-D box around the circle) and PostgreSQL then read every candidate's table row:
at 10 km ~12,600 rows from ~1,200 pages for ~8,000 carriers in range (the box is ~1.6× the
circle) and ~13 ms of the search. ``carriers.lonlat`` is ``point(lon, lat)``, a stored generated
column (kept by the database on every write, like ``geog``), and ``ix_carriers_lonlat_free`` a
GiST index on it over the carriers with free space that also holds ``id`` and ``city_adcode``
(``INCLUDE``). The search asks for a lon/lat box that just holds the geodesic circle
(:func:`carriermap.space.search.lonlat_box`, ~1.27× the circle) and gets its ids from the
index alone (an index-only scan: no table page once VACUUM has marked them all-visible), about
half the time. PostgreSQL's built-in ``point`` is used, not a PostGIS geometry, because its GiST
operator class can return the key (PostGIS's cannot), which an index-only scan needs; and a
column, not an expression index, because the planner does not answer an expression from the
index. The city is a filter on the included column: ``(lonlat, city_adcode)`` as keys took 5×
longer to build (no sorted build with ``btree_gist``) and was no faster.

0012's ``ix_carriers_geog_city_free`` is dropped: the search no longer uses it (near a pole or
across the antimeridian, where no lon/lat box fits, it falls back to the geography box over
``ix_carriers_geog``). Adding the column rewrites ``carriers`` and locks writes meanwhile (under a
minute at a million carriers). A no-op on SQLite, where the search runs in memory.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The same text as carriermap.store.postgis.FREE_SPACE_SQL (a migration keeps its own copy:
# later edits to the library must not change what an old revision did).
FREE_SPACE_SQL = "available_m2 > 0 AND status = 'operating'"


def upgrade() -> None:
    """Add ``carriers.lonlat`` and ``ix_carriers_lonlat_free``, drop 0012's index; nothing on SQLite."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE carriers ADD COLUMN lonlat point GENERATED ALWAYS AS (point(lon, lat)) STORED")
    op.execute("CREATE INDEX ix_carriers_lonlat_free ON carriers "
               f"USING gist (lonlat) INCLUDE (id, city_adcode) WHERE {FREE_SPACE_SQL}")
    op.execute("DROP INDEX IF EXISTS ix_carriers_geog_city_free")


def downgrade() -> None:
    """Back to 0012: its index again, without the column and its index."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE INDEX IF NOT EXISTS ix_carriers_geog_city_free ON carriers "
               f"USING gist (geog, city_adcode) WHERE {FREE_SPACE_SQL}")
    op.execute("DROP INDEX IF EXISTS ix_carriers_lonlat_free")
    op.execute("ALTER TABLE carriers DROP COLUMN IF EXISTS lonlat")
