"""Benchmark section ``nearby``: indexed search vs a full geodesic scan (and a geopandas scan).

100,000 synthetic carriers around the four cities, 1,000 query points and radii (1–10 km)
with a minimum-area need. Approaches:

* ``strtree`` (ours, :class:`carriermap.space.search.NearbySearch`): STRtree on projected metres,
  geodesic distances for the candidates only (Vincenty's formula, ``pyproj`` where it could matter);
* ``strtree_pyproj``: the same with every candidate measured by ``pyproj`` (the ranking before);
* ``scan_geodesic`` (naive): geodesic distance to every carrier, then filter;
* ``geopandas_distance``: ``GeoSeries.distance`` in projected metres over every carrier,
  padded, then geodesic on the survivors;
* ``numpy_haversine_scan`` (the usual alternative): one vectorised haversine over every
  carrier with free space, padded for the sphere/ellipsoid difference, then the same exact
  geodesic refine as ours;
* ``sklearn_balltree`` (the strongest usual index): scikit-learn's ``BallTree`` with the
  haversine metric, ``query_radius`` padded likewise, then the same exact refine (skipped
  with a note when scikit-learn is not installed; it is a development dependency).

Each approach's result set (ids, in order) is checked against the scan's; a row says
``identical``. The scan runs on every query too (its results are the reference).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from carriermap.space.search import Hits, NearbySearch, Needs, projection_pad, ranked_within_exact, scan_hits

CENTRES = ((113.35, 23.20), (114.33, 30.58), (116.80, 33.85), (114.05, 22.60))


def synthetic_carriers(n: int, seed: int = 7) -> pd.DataFrame:
    """``n`` carriers scattered around the cities' centres (half of them with free space)."""
    rng = np.random.default_rng(seed)
    centre = rng.integers(0, len(CENTRES), n)
    lon = np.array([c[0] for c in CENTRES])[centre] + rng.normal(0, 0.25, n)
    lat = np.array([c[1] for c in CENTRES])[centre] + rng.normal(0, 0.2, n)
    available = np.where(rng.random(n) < 0.6, rng.integers(50, 20_000, n), 0).astype(float)
    return pd.DataFrame({
        "id": np.arange(1, n + 1), "lon": lon, "lat": lat, "available_m2": available,
        "rent_cny_m2_month": rng.integers(20, 120, n).astype(float),
        "status": np.where(rng.random(n) < 0.97, "operating", "delisted"),
        "type": rng.choice(["incubator", "maker_space", "accelerator"], n),
        "level": rng.choice(["national", "provincial", "unrated"], n),
        "industries": [["人工智能"]] * n,
    })


def queries(count: int, seed: int = 11) -> list[tuple[float, float, Needs]]:
    """Query points near the centres with radii of 1–10 km and a minimum area."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(count):
        lon, lat = CENTRES[int(rng.integers(0, len(CENTRES)))]
        out.append((lon + rng.normal(0, 0.2), lat + rng.normal(0, 0.15),
                    Needs(radius_m=float(rng.uniform(1_000, 10_000)), min_area_m2=float(rng.choice([0, 500, 2000])))))
    return out


def _geopandas_approach(search: NearbySearch) -> Callable[[float, float, Needs], Hits]:
    import geopandas as gpd
    import shapely

    from carriermap.boundaries import CHINA_EQUAL_AREA
    from carriermap.space.search import TO_METRES, geodesic_m

    free = search.free_rows
    points = gpd.GeoSeries(gpd.points_from_xy(search.columns.lon[free], search.columns.lat[free]),
                           crs="EPSG:4326").to_crs(CHINA_EQUAL_AREA)

    def run(lon: float, lat: float, needs: Needs) -> Hits:
        x, y = TO_METRES(lon, lat)
        near = (points.distance(shapely.Point(x, y)) <= needs.radius_m * projection_pad(lat, needs.radius_m) + 1)
        rows = free[near.to_numpy()]
        rows = rows[search.columns.meets(rows, needs)]
        distance = geodesic_m(lon, lat, search.columns.lon[rows], search.columns.lat[rows])
        inside = distance <= needs.radius_m
        order = np.lexsort((search.columns.ids[rows[inside]], distance[inside]))
        return Hits(rows[inside][order], distance[inside][order])

    return run


_EARTH_MEAN_RADIUS_M = 6_371_008.8
_SPHERE_PAD = 1.01  # haversine on the mean sphere is within 0.6 % of the WGS-84 geodesic


def _refine(search: NearbySearch, rows: np.ndarray, lon: float, lat: float, needs: Needs) -> Hits:
    """The exact part every approach shares: needs, geodesic distance, radius, order."""
    from carriermap.space.search import geodesic_m

    rows = rows[search.columns.meets(rows, needs)]
    distance = geodesic_m(lon, lat, search.columns.lon[rows], search.columns.lat[rows])
    inside = distance <= needs.radius_m
    order = np.lexsort((search.columns.ids[rows[inside]], distance[inside]))
    return Hits(rows[inside][order], distance[inside][order])


def _numpy_scan_approach(search: NearbySearch) -> Callable[[float, float, Needs], Hits]:
    free = search.free_rows
    lon_r = np.radians(search.columns.lon[free])
    lat_r = np.radians(search.columns.lat[free])
    cos_lat = np.cos(lat_r)

    def run(lon: float, lat: float, needs: Needs) -> Hits:
        q_lon, q_lat = np.radians(lon), np.radians(lat)
        a = np.sin((lat_r - q_lat) / 2) ** 2 + np.cos(q_lat) * cos_lat * np.sin((lon_r - q_lon) / 2) ** 2
        reach = min(needs.radius_m * _SPHERE_PAD / _EARTH_MEAN_RADIUS_M / 2, np.pi / 2)
        near = a <= np.sin(reach) ** 2
        return _refine(search, free[near], lon, lat, needs)

    return run


def _balltree_approach(search: NearbySearch) -> Callable[[float, float, Needs], Hits] | None:
    try:
        from sklearn.neighbors import BallTree
    except ImportError:
        return None
    free = search.free_rows
    tree = BallTree(np.radians(np.column_stack([search.columns.lat[free], search.columns.lon[free]])),
                    metric="haversine")

    def run(lon: float, lat: float, needs: Needs) -> Hits:
        reach = needs.radius_m * _SPHERE_PAD / _EARTH_MEAN_RADIUS_M
        positions = tree.query_radius(np.radians([[lat, lon]]), r=reach)[0]
        return _refine(search, free[np.sort(positions)], lon, lat, needs)

    return run


def _time(run: Callable[[float, float, Needs], Hits], cases) -> tuple[list[Hits], float, float]:
    results, durations = [], []
    for lon, lat, needs in cases:
        start = time.perf_counter()
        results.append(run(lon, lat, needs))
        durations.append(time.perf_counter() - start)
    return results, float(sum(durations)), float(np.percentile(durations, 95) * 1000.0)


def run(options) -> list[dict]:
    """Rows ``{"n", "approach", "queries", "total_s", "p95_ms", "identical", "mean_results"}``."""
    quick = getattr(options, "quick", False)
    n, count = (10_000, 100) if quick else (100_000, 1_000)
    carriers = synthetic_carriers(n)
    cases = queries(count)
    search = NearbySearch(carriers)
    _ = search.memory_index  # build outside the timed loop (built once per data version in the app)
    exact = NearbySearch(carriers, refine=ranked_within_exact)
    exact._memory = search.memory_index
    approaches: dict[str, Callable[[float, float, Needs], Hits]] = {
        "scan_geodesic": lambda lon, lat, needs: scan_hits(search.columns, search.free_rows, lon, lat, needs),
        "strtree": search.hits,
        "strtree_pyproj": exact.hits,
        "geopandas_distance": _geopandas_approach(search),
        "numpy_haversine_scan": _numpy_scan_approach(search),
    }
    balltree = _balltree_approach(search)
    if balltree is not None:
        approaches["sklearn_balltree"] = balltree
    rows, reference = [], None
    for name, approach in approaches.items():
        results, total, p95 = _time(approach, cases)
        if reference is None:
            reference = results
        identical = all(np.array_equal(a.rows, b.rows) for a, b in zip(results, reference, strict=True))
        rows.append({"n": n, "approach": name, "queries": count, "total_s": round(total, 4), "p95_ms": round(p95, 3),
                     "identical": identical, "mean_results": round(float(np.mean([len(r.rows) for r in results])), 1)})
    scan_total = rows[0]["total_s"]
    for row in rows:
        row["speedup_vs_scan"] = round(scan_total / row["total_s"], 1) if row["total_s"] else None
    return rows
