"""Benchmark section ``postgis``: nearby search and city metrics at scale, PostGIS beside SQLite.

Synthetic carriers (default 1,000,000; ``--quick`` 100,000) are drawn uniformly inside the
districts of the bundled cities. PostGIS: bulk-loaded with ``COPY`` into a scratch schema
(``carriermap_bench``, a copy of ``carriers`` with its generated columns and indexes; dropped
afterwards, the real tables are never touched), searched with
:class:`carriermap.space.search.NearbySearch` with the store's candidate source (a lon/lat box
over the partial GiST index of carriers with free space, migration 0013), as the find-space page
and ``carriermap nearby`` do. SQLite: the same rows in a temporary file, searched with the same
class and its in-memory index, which is what the app does on SQLite. Both must give the same
carriers, distances and order; the section checks it (``same_as_sqlite``), and that Vincenty's
ranking gives ``pyproj``'s (``same_as_pyproj_ranking``). The search before this round (the
geography box over 0012's index, every candidate by ``pyproj``) runs in the same run, on one
held connection beside this round's (rows ``... one held connection ...``).

The database is ``bench --database URL`` (or ``$CARRIERMAP_DATABASE_URL``) when it is
PostgreSQL, else a throwaway local cluster (:mod:`carriermap.store.pgcluster`).
"""

from __future__ import annotations

import io
import os
import sqlite3
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from carriermap import codes
from carriermap.boundaries import districts, locate
from carriermap.districts.metrics import USED_COLUMNS, unit_metrics
from carriermap.districts.metrics_sql import unit_metrics_from_store
from carriermap.space.search import Hits, NearbySearch, Needs, ranked_within_exact

BENCH_SCHEMA = "carriermap_bench"
RADII_M = (1000, 3000, 10000)
# What unit_metrics reads: reading only these makes a large city's metrics several times faster.
METRIC_COLUMNS = ("city_adcode", *USED_COLUMNS)
COLUMNS = ("id", "name", "type", "level", "city_adcode", "district_adcode", "lon", "lat", "status", "specialisation",
           "rating", "rating_year", "total_area_m2", "available_m2", "tenants", "graduates", "jobs", "industries",
           "is_sample", "updated_at", "version")


def synthetic_carriers(count: int, seed: int = 8, city_adcode: str | None = None) -> pd.DataFrame:
    """``count`` sample carriers placed uniformly inside the bundled cities' districts (or one city's)."""
    rng = np.random.default_rng(seed)
    gdf = districts(city_adcode)
    minx, miny, maxx, maxy = gdf.total_bounds
    lon, lat, district, city = [], [], [], []
    have = 0
    while have < count:
        x = rng.uniform(minx, maxx, count * 4)
        y = rng.uniform(miny, maxy, count * 4)
        d, c = locate(x, y)
        inside = d != None  # noqa: E711 - element-wise on an object array
        if city_adcode is not None:
            inside &= c == city_adcode
        lon.append(x[inside]), lat.append(y[inside]), district.append(d[inside]), city.append(c[inside])
        have += int(inside.sum())
    frame = pd.DataFrame({"lon": np.concatenate(lon)[:count], "lat": np.concatenate(lat)[:count],
                          "district_adcode": np.concatenate(district)[:count],
                          "city_adcode": np.concatenate(city)[:count]})
    frame.insert(0, "id", np.arange(1, count + 1))
    frame["name"] = "示例载体 " + frame["id"].astype(str)
    frame["type"] = rng.choice(codes.CARRIER_TYPES, count)
    frame["level"] = rng.choice(codes.LEVELS, count)
    frame["status"] = rng.choice(["operating", "operating", "operating", "suspended", "delisted"], count)
    frame["specialisation"] = rng.choice(["specialized", "comprehensive"], count)
    frame["rating"] = rng.choice(list(codes.RATINGS), count)
    frame["rating_year"] = np.where(frame["rating"].astype(str) != "", 2025, None)  # a rating names its year
    frame["total_area_m2"] = rng.uniform(500, 50000, count).round(1)
    frame["available_m2"] = (frame["total_area_m2"] * rng.uniform(0, 0.4, count)).round(1)
    for column in ("tenants", "graduates", "jobs"):
        frame[column] = rng.integers(0, 500, count)
    frame["industries"] = "[]"
    frame["is_sample"] = True
    frame["updated_at"] = "2026-01-01T00:00:00+00:00"
    frame["version"] = 1
    return frame[list(COLUMNS)]


def _query_points(frame: pd.DataFrame, count: int, seed: int = 9) -> list[tuple[float, float]]:
    rng = np.random.default_rng(seed)
    rows = frame.iloc[rng.integers(0, len(frame), count)]
    jitter = rng.normal(0, 0.01, (count, 2))
    return [(float(x + dx), float(y + dy)) for x, y, (dx, dy) in zip(rows["lon"], rows["lat"], jitter, strict=True)]


def search_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The synthetic rows as :meth:`Store.carriers` returns them (lists of industries, a rent column)."""
    return frame.assign(industries=[[] for _ in range(len(frame))], rent_cny_m2_month=np.nan)


def _same_hits(a: Hits, b: Hits) -> bool:
    return bool(np.array_equal(a.rows, b.rows) and np.array_equal(a.distance_m, b.distance_m))


def _percentiles(times: list[float]) -> dict[str, float]:
    ms = np.asarray(times) * 1000
    return {"p50_ms": round(float(np.percentile(ms, 50)), 2), "p95_ms": round(float(np.percentile(ms, 95)), 2)}


def _timed(fn, *args) -> tuple[Any, float]:
    start = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - start


def postgres_url(options, stack: ExitStack) -> tuple[str, str]:
    """(url, where): the given PostgreSQL database, or a throwaway local cluster."""
    from carriermap.store.engine import DATABASE_URL_ENV
    from carriermap.store.pgcluster import LocalCluster, create_database

    for url in (getattr(options, "database", None), os.environ.get(DATABASE_URL_ENV)):
        if url and url.startswith("postgresql"):
            return url, "given"
    cluster = stack.enter_context(LocalCluster())
    return create_database(cluster.url, "carriermap_bench"), "throwaway local cluster"


def _load_postgis(url: str, frame: pd.DataFrame):
    """A Store over the scratch schema filled with ``frame`` by COPY; (store, seconds)."""
    from sqlalchemy import text

    from carriermap.store import Store
    from carriermap.store.engine import make_engine
    from carriermap.store.migrate import upgrade

    engine = make_engine(url)
    upgrade(engine)  # the real carriers table (with geog and its index) is the model we copy
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {BENCH_SCHEMA} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {BENCH_SCHEMA}"))
        connection.execute(text(f"CREATE TABLE {BENCH_SCHEMA}.carriers (LIKE public.carriers INCLUDING ALL)"))
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, header=False)
    start = time.perf_counter()
    raw = engine.raw_connection()
    try:
        with raw.cursor() as cursor, cursor.copy(
                f"COPY {BENCH_SCHEMA}.carriers ({', '.join(COLUMNS)}) FROM STDIN WITH (FORMAT csv)") as copy:
            copy.write(buffer.getvalue())
        raw.commit()
    finally:
        raw.close()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        # what autovacuum does on a live database after a bulk load: statistics, visibility, hint bits
        connection.execute(text(f"VACUUM ANALYZE {BENCH_SCHEMA}.carriers"))
    seconds = time.perf_counter() - start
    return Store(engine.execution_options(schema_translate_map={None: BENCH_SCHEMA})), seconds, engine


def load_sqlite(path: Path, frame: pd.DataFrame):
    """A Store over a new SQLite file filled with ``frame``; (store, seconds)."""
    from carriermap.store import Store

    store = Store.open(f"sqlite:///{path}", seed=False)
    start = time.perf_counter()
    with sqlite3.connect(path) as connection:
        connection.executemany(f"INSERT INTO carriers ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
                               frame.astype(object).itertuples(index=False, name=None))
    return store, time.perf_counter() - start


def _metrics_rows(name: str, store, city: str) -> list[dict[str, Any]]:
    """Seconds for a city's metrics: read its carriers (all columns, or only the ones metrics use)
    and :func:`unit_metrics`; or :func:`unit_metrics_from_store` (the database tallies). Checks all agree."""
    rows, results = [], []
    for label, columns in (("all columns", None), ("metric columns", METRIC_COLUMNS)):
        start = time.perf_counter()
        carriers = store.carriers(city, columns=columns)
        results.append(unit_metrics(carriers, city, "district"))
        rows.append({"backend": name, "what": f"metrics {city}, read {label} + unit_metrics", "carriers": len(carriers),
                     "seconds": round(time.perf_counter() - start, 2)})
    for by in ("district", "reporting_unit"):
        start = time.perf_counter()
        tallied = unit_metrics_from_store(store, city, by)
        seconds = time.perf_counter() - start
        same = True
        if by == "district":
            same = all(tallied.equals(other) for other in results)
        rows.append({"backend": name, "what": f"metrics {city} by {by}, SQL GROUP BY (unit_metrics_from_store)",
                     "carriers": len(carriers), "seconds": round(seconds, 2),
                     **({"same_as_unit_metrics": same} if by == "district" else {})})
    return rows


def run(options) -> list[dict[str, Any]]:
    """Rows: load, nearby p50/p95 per radius, metrics of the largest city; PostGIS and SQLite."""
    count = 100_000 if getattr(options, "quick", False) else 1_000_000
    queries = 100 if getattr(options, "quick", False) else 300
    frame = synthetic_carriers(count)
    city = str(frame["city_adcode"].value_counts().idxmax())
    city_frame = frame[frame["city_adcode"] == city].reset_index(drop=True)
    points = _query_points(city_frame, queries)  # a founder searches one city, as the page does
    rows: list[dict[str, Any]] = []
    with ExitStack() as stack:
        try:
            url, where = postgres_url(options, stack)
        except Exception as error:  # noqa: BLE001 - no server: say so in the report, run SQLite alone
            url, where = None, f"unavailable: {str(error).splitlines()[0]}"
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        sqlite_store, sqlite_load = load_sqlite(scratch / "bench.sqlite", frame)
        stack.callback(sqlite_store.engine.dispose)
        memory = NearbySearch(search_frame(city_frame))
        _, build = _timed(lambda: memory.memory_index)
        rows.append({"backend": "sqlite", "what": "load", "carriers": count, "seconds": round(sqlite_load, 2),
                     "index_build_s": round(build, 2)})
        pg_store = None
        if url:
            pg_store, pg_load, engine = _load_postgis(url, frame)
            stack.callback(engine.dispose)
            stack.callback(_drop_schema, engine)
            rows.append({"backend": "postgis", "what": "load (COPY)", "carriers": count,
                         "seconds": round(pg_load, 2), "database": where})
        else:
            rows.append({"backend": "postgis", "what": "skipped", "database": where})
        source = pg_store.nearby_source(city) if pg_store is not None else None
        rows += _nearby_rows(memory, source, points, count, exact_memory=True)
        if pg_store is not None:  # what `carriermap db maintain` does after a bulk import
            from carriermap.store.postgis import FreeSpaceCandidates, maintain

            report = maintain(engine, BENCH_SCHEMA)
            rows.append({"backend": "postgis", "what": "db maintain (CLUSTER by location, VACUUM ANALYZE)",
                         "carriers": count, "seconds": report["seconds"]})
            rows += _postgis_only(_nearby_rows(memory, source, points, count), "after db maintain")
            rows += _postgis_only(_nearby_rows(memory, FreeSpaceCandidates(pg_store.engine), points, count),
                                  "after db maintain, no city filter in the SQL (the frame drops other cities)")
            rows += _index_ab_rows(memory, pg_store, points, count, city)
        for name, store in (("sqlite", sqlite_store), ("postgis", pg_store)):
            if store is not None:
                rows += _metrics_rows(name, store, city)
    return rows


def _nearby_rows(memory: NearbySearch, source, points: list[tuple[float, float]], count: int, *,
                 exact_memory: bool = False) -> list[dict]:
    """p50/p95 of a founder's search (free space, ranked) per radius: in memory, and with ``source``'s candidates.

    ``NearbySearch.hits`` over one city's carriers is the whole search the page and the CLI run;
    on PostGIS its candidates come from ``source`` (:meth:`Store.nearby_source`: that city's
    filter, a pooled connection per search, as in the app). ``candidates query only`` times the
    database query alone. ``exact_memory``: also the in-memory search ranking every candidate with
    ``pyproj`` (:func:`ranked_within_exact`, the ranking before Vincenty's). Every search of a point
    runs in turn, and each must give the in-memory search's carriers, distances and order.
    """
    rows: list[dict[str, Any]] = []
    database = None if source is None else NearbySearch(memory.carriers, source=source, refine=memory.refine)
    exact = NearbySearch(memory.carriers, refine=ranked_within_exact) if exact_memory else None
    if exact is not None:
        exact._memory = memory.memory_index  # the same index: only the ranking differs
    for radius in RADII_M:
        needs = Needs(radius_m=float(radius))
        memory_times, exact_times, pg_times, query_times, found = [], [], [], [], []
        equal = same_as_exact = True
        for lon, lat in points:
            expected, seconds = _timed(memory.hits, lon, lat, needs)
            memory_times.append(seconds)
            found.append(len(expected.rows))
            if exact is not None:
                reference, seconds = _timed(exact.hits, lon, lat, needs)
                exact_times.append(seconds)
                same_as_exact &= _same_ranking(expected, reference)
            if database is not None:
                got, seconds = _timed(database.hits, lon, lat, needs)
                pg_times.append(seconds)
                equal &= _same_hits(got, expected)
                _, seconds = _timed(source.candidate_ids, lon, lat, float(radius))
                query_times.append(seconds)
        common = {"what": f"nearby {radius} m", "carriers": count, "mean_found": round(float(np.mean(found)), 1)}
        rows.append({"backend": "sqlite", **common, "what": f"nearby {radius} m, in memory (Vincenty ranking)",
                     **_percentiles(memory_times), **({"same_as_pyproj_ranking": same_as_exact} if exact else {})})
        if exact is not None:
            rows.append({"backend": "sqlite", **common,
                         "what": f"nearby {radius} m, in memory, every candidate by pyproj (ranking before)",
                         **_percentiles(exact_times)})
        if database is not None:
            rows.append({"backend": "postgis", **common, **_percentiles(pg_times), "same_as_sqlite": equal})
            rows.append({"backend": "postgis", **common, "what": f"nearby {radius} m, candidates query only",
                         **_percentiles(query_times)})
    return rows


def _same_ranking(a: Hits, b: Hits) -> bool:
    """The same rows in the same order, distances within a micrometre (Vincenty's against pyproj's)."""
    return bool(np.array_equal(a.rows, b.rows) and np.allclose(a.distance_m, b.distance_m, rtol=0, atol=1e-6))


def _postgis_only(rows: list[dict], label: str) -> list[dict]:
    """The PostGIS rows of :func:`_nearby_rows`, their ``what`` followed by ``label``."""
    return [{**row, "what": f"{row['what']}, {label}"} for row in rows if row["backend"] == "postgis"]


def _index_ab_rows(memory: NearbySearch, pg_store, points: list[tuple[float, float]], count: int,
                   city: str) -> list[dict]:
    """This round's search beside the one before it, in the same run, on one held connection.

    One held connection (no pool checkout per search), so the rows differ only in the query and
    the ranking: first as the schema is (migration 0013: lon/lat box, index-only scan; Vincenty's
    ranking); then inside a transaction that builds 0012's ``(geog, city_adcode)`` index, rolled
    back afterwards: the geography box over it with Vincenty's ranking, and with every candidate
    ranked by ``pyproj`` (the whole search before this round); and 0005's geography-only index.
    """
    from sqlalchemy import text

    from carriermap.space.search import ranked_within_exact
    from carriermap.store.postgis import FREE_SPACE_SQL, FreeSpaceCandidates, geography_box_statement

    table = f"{BENCH_SCHEMA}.carriers"
    with pg_store.engine.connect() as connection:
        with connection.begin():
            rows = _postgis_only(_nearby_rows(memory, FreeSpaceCandidates(connection, city), points, count),
                                 "after db maintain, one held connection, lon/lat box (0013), Vincenty ranking")
        for label, index in (("geography box with 0012's index (geography and city)", "gist (geog, city_adcode)"),
                             ("geography box with 0005's index (geography only)", "gist (geog)")):
            with connection.begin() as transaction:
                connection.execute(text(f"CREATE INDEX bench_geog_free ON {table} USING {index} "
                                        f"WHERE {FREE_SPACE_SQL}"))
                source = FreeSpaceCandidates(connection, city, statement=geography_box_statement)
                rows += _postgis_only(_nearby_rows(memory, source, points, count),
                                      f"after db maintain, one held connection, {label}, Vincenty ranking")
                if "0012" in label:
                    before = NearbySearch(memory.carriers, refine=ranked_within_exact)
                    before._memory = memory.memory_index
                    rows += _postgis_only(_nearby_rows(before, source, points, count),
                                          f"after db maintain, one held connection, {label}, "
                                          "pyproj ranking (the search before this round)")
                transaction.rollback()
    return rows


def _drop_schema(engine) -> None:
    from sqlalchemy import text

    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {BENCH_SCHEMA} CASCADE"))
