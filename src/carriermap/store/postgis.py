"""Spatial queries that run in PostgreSQL + PostGIS.

``carriers.geog`` (``geography(Point, 4326)``, generated from ``lon``/``lat``, GiST-indexed, migration
0002) and ``carriers.lonlat`` (``point(lon, lat)``, the same, migration 0013) exist on PostgreSQL
only, so they are not in ``schema.metadata``: :data:`carriers_geo` names just the columns these
queries need.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

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
    bindparam,
    func,
    literal_column,
    select,
    text,
)

from carriermap.space.search import lonlat_box

carriers_geo = Table(
    "carriers", MetaData(),
    Column("id", Integer, primary_key=True),
    Column("city_adcode", String(12)),
    Column("status", String(32)),
    Column("available_m2", Float),
    Column("geog"),  # geography(Point, 4326)
    Column("lonlat"),  # point(lon, lat), migration 0013
)

# Carriers that take tenants (:func:`carriermap.space.search.has_free_space`), written with constants
# exactly as in the predicate of the partial index ``ix_carriers_lonlat_free`` (migration 0013):
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


Statement = tuple[Select, dict[str, Any]]
"""A cached statement with bound parameters and their values for one search."""


def _reach(radius_m: float) -> float:
    return float(radius_m) * (1 + EDGE_PAD_RATIO) + EDGE_PAD_M


def _number(name: str):
    return bindparam(name, type_=Float)


def _free_space_select(inside, with_city: bool, packed: bool) -> Select:
    """Ids (or :func:`packed_ids`) of the carriers with free space meeting the box test ``inside``,
    of the city bound as ``city`` when ``with_city``."""
    table = carriers_geo
    query = select(packed_ids(table.c.id) if packed else table.c.id).where(inside, text(FREE_SPACE_SQL))
    return query.where(table.c.city_adcode == bindparam("city", type_=String)) if with_city else query


@lru_cache(maxsize=8)
def _lonlat_box_select(with_city: bool, packed: bool) -> Select:
    box = func.box(func.point(_number("west"), _number("south")), func.point(_number("east"), _number("north")))
    return _free_space_select(carriers_geo.c.lonlat.op("<@")(box), with_city, packed)


@lru_cache(maxsize=8)
def _geography_box_select(with_city: bool, packed: bool) -> Select:
    here = func.geography(func.ST_SetSRID(func.ST_MakePoint(_number("lon"), _number("lat")), 4326))
    box = func._ST_Expand(here, _number("reach"))  # PostGIS's geography box expansion (ST_DWithin's index test)
    return _free_space_select(carriers_geo.c.geog.op("&&")(box), with_city, packed)


def _with_city(values: dict[str, Any], city_adcode: str | None) -> dict[str, Any]:
    return values if city_adcode is None else {**values, "city": str(city_adcode)}


def free_space_statement(lon: float, lat: float, radius_m: float, *, city_adcode: str | None = None,
                         packed: bool = False) -> Statement:
    """Ids of operating carriers with free space that may lie within ``radius_m`` of (lon, lat).

    Only a box test, unordered: ``lonlat <@ box`` with the lon/lat box that holds the geodesic
    circle (:func:`carriermap.space.search.lonlat_box`, ~1.27× the circle's carriers), answered
    from the partial GiST index ``ix_carriers_lonlat_free`` alone (it holds ``id`` and
    ``city_adcode``: an index-only scan, migration 0013). The exact test per row is left out on
    purpose: the caller measures every candidate anyway (``ST_DWithin``'s spheroid test per row
    cost the database 3× the index scan at 10 km, docs/deploy.md). Near a pole or across the
    antimeridian, where no such box fits, :func:`geography_box_statement`. ``packed``: the ids as
    one :func:`packed_ids` value. The statement is built once and cached (building and compiling
    it per search cost ~0.5 ms); only the values change.
    """
    box = lonlat_box(float(lon), float(lat), _reach(radius_m))
    if box is None:
        return geography_box_statement(lon, lat, radius_m, city_adcode=city_adcode, packed=packed)
    values = dict(zip(("west", "south", "east", "north"), box, strict=True))
    return _lonlat_box_select(city_adcode is not None, packed), _with_city(values, city_adcode)


def geography_box_statement(lon: float, lat: float, radius_m: float, *, city_adcode: str | None = None,
                            packed: bool = False) -> Statement:
    """:func:`free_space_statement` by the geography box: ``geog && _ST_Expand(point, r)``.

    The box condition ``ST_DWithin`` itself hands to the GiST index (a superset of
    ``ST_DWithin(geog, point, r)``, ~1.6× the circle's carriers at 10 km: a geocentric 3-D box),
    then each row from the table. Works anywhere on the globe; the find-space search used it
    until migration 0013 (over 0012's ``ix_carriers_geog_city_free``, with the city as an index
    condition) and still does near the poles and the antimeridian (over ``ix_carriers_geog``).
    """
    values = {"lon": float(lon), "lat": float(lat), "reach": _reach(radius_m)}
    return _geography_box_select(city_adcode is not None, packed), _with_city(values, city_adcode)


def free_space_query(lon: float, lat: float, radius_m: float, *, city_adcode: str | None = None) -> Select:
    """:func:`free_space_statement` as one query with its values bound (e.g. to print or EXPLAIN it)."""
    statement, values = free_space_statement(lon, lat, radius_m, city_adcode=city_adcode)
    return statement.params(values)


class FreeSpaceCandidates:
    """A :class:`carriermap.space.search.CandidateSource` answered by PostGIS (:func:`free_space_statement`).

    ``NearbySearch(frame, source=FreeSpaceCandidates(engine, city))`` ranks, filters and
    suggests exactly as with its in-memory index; only the candidates come from the database.
    ``bind`` is an engine (a pooled connection per search, as the app does, in autocommit: no
    ROLLBACK round trip when it goes back to the pool) or one open connection (the benchmark,
    timing a variant inside a transaction of its own). ``statement`` is
    :func:`free_space_statement` or, for comparison, :func:`geography_box_statement`.
    """

    def __init__(self, bind: Engine | Connection, city_adcode: str | None = None, *,
                 statement: Callable[..., Statement] = free_space_statement):
        self.bind = bind
        self.city_adcode = city_adcode
        self.statement = statement

    def candidate_ids(self, lon: float, lat: float, radius_m: float) -> np.ndarray:
        """Ids (int64) of the carriers with free space within ``radius_m`` metres (a little more)."""
        query, values = self.statement(lon, lat, radius_m, city_adcode=self.city_adcode, packed=True)
        if isinstance(self.bind, Connection):
            packed = self.bind.execute(query, values).scalar_one()
        else:
            with self.bind.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                packed = connection.execute(query, values).scalar_one()
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
