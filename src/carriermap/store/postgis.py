"""Spatial queries that run in PostgreSQL + PostGIS.

``carriers.geog`` (``geography(Point, 4326)``, generated from ``lon``/``lat``, GiST-indexed) is
made by migration 0002 and exists on PostgreSQL only, so it is not in ``schema.metadata``:
:data:`carriers_geo` names just the columns these queries need.
"""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, Select, String, Table, func, select

carriers_geo = Table(
    "carriers", MetaData(),
    Column("id", Integer, primary_key=True),
    Column("city_adcode", String(12)),
    Column("status", String(32)),
    Column("geog"),  # geography(Point, 4326)
)


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
