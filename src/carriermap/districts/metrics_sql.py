"""City metrics with the counting done by the database: one ``GROUP BY``, a few hundred rows back.

:func:`carriermap.districts.metrics.unit_metrics` reads every carrier of the city into pandas; on a
large database (400,000 carriers in one city) reading them costs seconds. Here the database
tallies the city's carriers per (district, reporting unit, delisted) with conditional counts
and sums — the same tallies :func:`carriermap.districts.metrics.tallies` makes in pandas — and
:func:`carriermap.districts.metrics.metrics_from_tallies` turns them into the same frame, on SQLite and
on PostgreSQL alike (portable SQL: ``CASE``, ``COUNT``, ``SUM``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Select, case, func, literal, select

from carriermap import filters
from carriermap.districts.metrics import COUNTED, SUM_COLUMNS, GroupBy, metrics_from_tallies
from carriermap.model import CARRIER_FIELDS
from carriermap.store import Store, schema

_INTEGER_SUMS = tuple(spec.name for spec in CARRIER_FIELDS if spec.name in SUM_COLUMNS and spec.kind == "int")


def tallies_query(city_adcode: str, selection: filters.MapFilters | None = None) -> Select:
    """Per (district, reporting unit, delisted): ``n``, a count per counted code, sums, non-null counts.

    ``selection`` (the map's filters) adds its conditions (:func:`carriermap.filters.conditions`).
    """
    table = schema.carriers
    is_delisted = case((table.c.status == "delisted", 1), else_=0)
    columns: list[Any] = [table.c.district_adcode, table.c.reporting_unit, is_delisted.label("is_delisted"),
                          func.count().label("n"),
                          func.sum(case((table.c.lon.is_(None), 1), else_=0)).label("unplaced")]
    for column, values, prefix in COUNTED:
        columns += [func.sum(case((table.c[column] == value, 1), else_=0)).label(f"{prefix}{value}")
                    for value in values]
    columns += [func.coalesce(func.sum(table.c[column]), literal(0)).label(column) for column in SUM_COLUMNS]
    columns += [func.count(table.c[column]).label(f"known_{column}") for column in _INTEGER_SUMS]
    wanted = filters.conditions(table, selection.counting_delisted()) if selection is not None else []
    return (select(*columns).where(table.c.city_adcode == str(city_adcode), *wanted)
            .group_by(table.c.district_adcode, table.c.reporting_unit, is_delisted))


def _sum_dtypes(tally: pd.DataFrame) -> dict[str, Any]:
    """The dtypes pandas gives the sums when it reads the carriers itself (see :func:`carriermap.districts.metrics.tallies`).

    A float column reads as float64; an integer column as int64 unless one of the city's
    carriers has no value, then float64 (NaN).
    """
    dtypes: dict[str, Any] = {column: np.dtype("float64") for column in SUM_COLUMNS}
    for column in _INTEGER_SUMS:
        if int(tally[f"known_{column}"].sum()) == int(tally["n"].sum()):
            dtypes[column] = np.dtype("int64")
    return dtypes


def unit_metrics_from_store(store: Store, city_adcode: str, by: GroupBy = "district",
                            selection: filters.MapFilters | None = None) -> pd.DataFrame:
    """:func:`carriermap.districts.metrics.unit_metrics` of the city's carriers in ``store``, tallied by the database.

    Equal (values and dtypes) to ``unit_metrics(store.carriers(city_adcode), city_adcode, by, selection)``.
    """
    with store.engine.connect() as connection:
        tally = pd.read_sql(tallies_query(city_adcode, selection), connection)
    count_columns = [c for c in tally.columns if c not in ("district_adcode", "reporting_unit")]
    tally[count_columns] = tally[count_columns].astype("float64").fillna(0).astype(
        {c: "int64" for c in count_columns if c not in SUM_COLUMNS})
    tally["is_delisted"] = tally["is_delisted"].astype(bool)
    return metrics_from_tallies(tally, city_adcode, by, _sum_dtypes(tally))


