"""Spatial queries that run in PostgreSQL + PostGIS.

``carriers.geog`` (``geography(Point, 4326)``, generated from ``lon``/``lat``, GiST-indexed) is
made by migration 0002 and exists on PostgreSQL only, so it is not in ``schema.metadata``:
:data:`carriers_geo` names just the columns these queries need.
"""

from __future__ import annotations

import numpy as np
from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Float,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    func,
    literal_column,
    select,
    text,
)

carriers_geo = Table(
    "carriers", MetaData(),
    Column("id", Integer, primary_key=True),
    Column("city_adcode", String(12)),
    Column("status", String(32)),
    Column("available_m2", Float),
    Column("geog"),  # geography(Point, 4326)
)

# Carriers that take tenants (:func:`carriermap.space.search.has_free_space`), written with constants
# exactly as in the predicate of the partial index ``ix_carriers_geog_city_free`` (migration 0012):
# with bound parameters a prepared (generic) plan could not use that index.
FREE_SPACE_SQL = "available_m2 > 0 AND status = 'operating'"
# The search asks the database for a slightly larger box, so a carrier on the edge is never
# lost to a rounding difference between PostGIS's and pyproj's geodesic distances; the caller
# measures every candidate again and keeps those within the radius.
EDGE_PAD_M = 0.5
EDGE_PAD_RATIO = 1e-6


def point(lon: float, lat: float):
    """A WGS-84 point as a geography expression."""
    return func.geography(func.ST_SetSRID(func.ST_MakePoint(float(lon), float(lat)), 4326))


def nearby_query(lon: float, lat: float, radius_m: float, *, city_adcode: str | None = None,
                 include_delisted: bool = True) -> Select:
    """Ids of carriers within ``radius_m`` metres of (lon, lat), nearest first (ties by id).

    ``ST_DWithin`` on geography measures on the WGS-84 spheroid and uses the GiST index on
    ``geog``; distance ``<= radius_m`` counts as within.
    """
    table, here = carriers_geo, point(lon, lat)
    query = (select(table.c.id)
             .where(func.ST_DWithin(table.c.geog, here, float(radius_m)))
             .order_by(func.ST_Distance(table.c.geog, here), table.c.id))
    if city_adcode is not None:
        query = query.where(table.c.city_adcode == str(city_adcode))
    if not include_delisted:
        query = query.where(table.c.status != "delisted")
    return query


def free_space_query(lon: float, lat: float, radius_m: float, *, city_adcode: str | None = None) -> Select:
    """Ids of operating carriers with free space that may lie within ``radius_m`` of (lon, lat).

    Only the index test: ``geog && _ST_Expand(point, r)``, the box condition ``ST_DWithin``
    itself hands to the GiST index, so it is a superset of ``ST_DWithin(geog, point, r)``
    (about 4/π as many rows: a box around the circle), unordered. The exact spheroid test per
    row is left out on purpose: the caller measures every candidate with ``pyproj.Geod``
    anyway, and at 10 km that per-row test cost the database 3× the index scan (docs/deploy.md).
    Uses the partial GiST index ``ix_carriers_geog_city_free`` on ``(geog, city_adcode)``, so the
    city is an index condition too (before it, the planner built a bitmap of the whole city from
    the ``city_adcode`` btree for every search: migration 0012).
    """
    table, here = carriers_geo, point(lon, lat)
    reach = float(radius_m) * (1 + EDGE_PAD_RATIO) + EDGE_PAD_M
    box = func._ST_Expand(here, reach)  # PostGIS's geography box expansion (ST_DWithin's index test)
    query = select(table.c.id).where(table.c.geog.op("&&")(box), text(FREE_SPACE_SQL))
    if city_adcode is not None:
        query = query.where(table.c.city_adcode == str(city_adcode))
    return query


class FreeSpaceCandidates:
    """A :class:`carriermap.space.search.CandidateSource` answered by PostGIS (:func:`free_space_query`, GiST).

    ``NearbySearch(frame, source=FreeSpaceCandidates(engine, city))`` ranks, filters and
    suggests exactly as with its in-memory index; only the candidates come from the database.
    ``bind`` is an engine (a pooled connection per search, as the app does) or one open
    connection (the benchmark, timing a variant inside a transaction of its own).
    """

    def __init__(self, bind: Engine | Connection, city_adcode: str | None = None):
        self.bind = bind
        self.city_adcode = city_adcode

    def candidate_ids(self, lon: float, lat: float, radius_m: float) -> np.ndarray:
        """Ids (int64) of the carriers with free space within ``radius_m`` metres (a little more)."""
        query = free_space_query(lon, lat, radius_m, city_adcode=self.city_adcode)
        query = query.with_only_columns(packed_ids(carriers_geo.c.id))
        if isinstance(self.bind, Connection):
            packed = self.bind.execute(query).scalar_one()
        else:
            with self.bind.connect() as connection:
                packed = connection.execute(query).scalar_one()
        return unpack_ids(packed)


def packed_ids(column):
    """An aggregate of integer ids into one ``bytea``: each id as 4 big-endian bytes (``int4send``).

    One row, one value: at 10 km (~14,000 candidates) fetching rows cost more than the index
    scan (docs/deploy.md); an ``int[]`` printed as text and parsed back into Python ints cost
    ~4 ms more than these bytes, which NumPy reads without a Python object per id.
    ``carriers.id`` is ``integer`` (int4), so every id fits.
    """
    return func.string_agg(func.int4send(column), literal_column("''::bytea"))


def unpack_ids(packed: bytes | None) -> np.ndarray:
    """The ids (int64) of a :func:`packed_ids` value; none for NULL (no row matched)."""
    return np.frombuffer(packed or b"", dtype=">i4").astype("int64")


def maintain(engine: Engine, schema: str | None = None) -> dict[str, object]:
    """Periodic upkeep after bulk imports: order carriers on disk by location, refresh statistics.

    PostgreSQL: ``CLUSTER carriers USING`` its plain geography GiST index (neighbours share
    table pages, so a nearby search reads few pages), then ``VACUUM ANALYZE``. CLUSTER holds an
    exclusive lock on the table while it runs (seconds for a million rows): run it off-peak,
    e.g. nightly or after a large import. SQLite: ``PRAGMA optimize``. Returns what was done.
    """
    import time

    start = time.perf_counter()
    if engine.dialect.name != "postgresql":
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA optimize")
        return {"backend": engine.dialect.name, "done": ["PRAGMA optimize"],
                "seconds": round(time.perf_counter() - start, 2)}
    namespace = schema or "public"
    table = f"{namespace}.carriers"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        index = connection.execute(text(
            "SELECT indexname FROM pg_indexes WHERE schemaname = :schema AND tablename = 'carriers' "
            "AND indexdef ILIKE '%USING gist (geog)%' AND indexdef NOT ILIKE '% WHERE %'"),
            {"schema": namespace}).scalar()
        done = []
        if index:
            connection.execute(text(f'CLUSTER {table} USING "{index}"'))
            done.append(f"CLUSTER USING {index}")
        connection.execute(text(f"VACUUM ANALYZE {table}"))
        done.append("VACUUM ANALYZE")
    return {"backend": "postgresql", "done": done, "seconds": round(time.perf_counter() - start, 2)}
