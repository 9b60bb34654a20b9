"""Nearby search: geodesic distances, inside the radius, sorted, free space only, index == scan."""

from argparse import Namespace

import numpy as np
import pandas as pd
import pytest
from pyproj import Geod

from carriermap.bench import nearby_bench
from carriermap.space.search import NearbySearch, Needs, find_nearby, rank_order, scan_nearby

GEOD = Geod(ellps="WGS84")
TIANHE = (113.3245, 23.1190)


@pytest.fixture(scope="module")
def guangzhou(tmp_path_factory):
    from carriermap.store import Store

    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('nearby') / 'db.sqlite'}")
    frame = store.carriers("440100")
    store.engine.dispose()
    return frame


def _ring(lon: float, lat: float, distances: list[float], start_id: int = 1) -> pd.DataFrame:
    """Carriers at exact geodesic distances from a point, in eight directions each."""
    rows = []
    for d in distances:
        for azimuth in range(0, 360, 45):
            x, y, _ = GEOD.fwd(lon, lat, azimuth, d)
            rows.append({"id": start_id + len(rows), "name": f"c{len(rows)}", "lon": x, "lat": y,
                         "available_m2": 100.0, "rent_cny_m2_month": 50.0, "status": "operating",
                         "type": "incubator", "level": "unrated", "industries": ["人工智能"],
                         "expected_m": d})
    return pd.DataFrame(rows)


def test_distances_match_pyproj_geod_within_a_tenth_of_a_percent(guangzhou):
    results = find_nearby(guangzhou, *TIANHE, Needs(radius_m=8000))
    assert len(results) > 10
    _, _, reference = GEOD.inv(np.full(len(results), TIANHE[0]), np.full(len(results), TIANHE[1]),
                               results["lon"].to_numpy(), results["lat"].to_numpy())
    assert np.all(np.abs(results["distance_m"].to_numpy() - reference) <= reference * 0.001)


def test_results_are_inside_the_radius_sorted_and_have_free_space(guangzhou):
    needs = Needs(radius_m=6000, min_area_m2=500)
    results = find_nearby(guangzhou, *TIANHE, needs)
    assert len(results) > 0
    assert (results["distance_m"] <= 6000).all()
    assert results["distance_m"].is_monotonic_increasing
    assert (results["available_m2"] >= 500).all()
    assert (results["status"] == "operating").all()
    # nothing with free space inside the radius is left out
    everyone = guangzhou.assign(distance_m=GEOD.inv(np.full(len(guangzhou), TIANHE[0]),
                                                    np.full(len(guangzhou), TIANHE[1]),
                                                    guangzhou["lon"].to_numpy(), guangzhou["lat"].to_numpy())[2])
    expected = everyone[(everyone["distance_m"] <= 6000) & (everyone["available_m2"] >= 500)
                        & (everyone["status"] == "operating")]
    assert set(results["id"]) == set(expected["id"])


def test_delisted_suspended_and_full_carriers_are_never_offered():
    ring = _ring(*TIANHE, [500.0])
    ring.loc[0, "status"] = "delisted"
    ring.loc[1, "status"] = "suspended"
    ring.loc[2, "available_m2"] = 0.0
    ring.loc[3, "available_m2"] = np.nan
    results = find_nearby(ring, *TIANHE, Needs(radius_m=1000))
    assert set(results["id"]) == set(ring["id"][4:])


@pytest.mark.parametrize("lat", [18.5, 23.1, 35.0, 47.0, 53.0])
def test_points_just_inside_the_radius_are_found_and_just_outside_are_not(lat):
    ring = _ring(110.0, lat, [9_990.0, 10_010.0])
    results = find_nearby(ring, 110.0, lat, Needs(radius_m=10_000))
    assert sorted(results["id"]) == sorted(ring.loc[ring["expected_m"] < 10_000, "id"])
    assert np.allclose(results["distance_m"], 9_990.0, atol=0.01)


def test_needs_filter_type_level_industry_and_rent(guangzhou):
    needs = Needs(radius_m=15_000, max_rent=60, types=("incubator",), levels=("national", "unrated"),
                  industries=("人工智能", "生物医药"))
    results = find_nearby(guangzhou, *TIANHE, needs)
    assert len(results) > 0
    assert (results["type"] == "incubator").all()
    assert results["level"].isin(["national", "unrated"]).all()
    assert (results["rent_cny_m2_month"] <= 60).all()  # unknown rents do not pass a rent limit
    assert results["industries"].map(lambda items: bool({"人工智能", "生物医药"} & set(items))).all()


def test_index_and_full_scan_return_the_same_carriers_in_the_same_order(guangzhou):
    rng = np.random.default_rng(3)
    search = NearbySearch(guangzhou)
    for _ in range(40):
        lon, lat = 113.35 + rng.normal(0, 0.15), 23.15 + rng.normal(0, 0.12)
        needs = Needs(radius_m=float(rng.uniform(500, 12_000)), min_area_m2=float(rng.choice([0, 300, 3000])))
        assert search.search(lon, lat, needs)["id"].tolist() == scan_nearby(guangzhou, lon, lat, needs)["id"].tolist()


@pytest.mark.parametrize("case", ["distinct", "ties", "nan", "empty", "one"])
def test_rank_order_is_the_two_key_sort(case):
    # One argsort when no two distances are equal; the order must be lexsort's (distance, then id).
    rng = np.random.default_rng(7)
    size = {"empty": 0, "one": 1}.get(case, 5_000)
    distance = rng.uniform(0, 10_000, size)
    if case == "ties":
        distance = np.round(distance / 50) * 50  # many equal distances
    if case == "nan":
        distance[::97] = np.nan
    ids = rng.permutation(10 * size + 1)[:size].astype("int64")
    assert np.array_equal(rank_order(distance, ids), np.lexsort((ids, distance)))


class _AllIds:
    """A candidate source like a database would be: it answers with ids, some unknown to the frame."""

    def __init__(self, ids):
        self.ids = np.asarray([*ids, 999_999], dtype="int64")

    def candidate_ids(self, lon, lat, radius_m):
        return self.ids


def test_a_pluggable_candidate_source_gives_the_same_results(guangzhou):
    needs = Needs(radius_m=5000)
    plugged = find_nearby(guangzhou, *TIANHE, needs, source=_AllIds(guangzhou["id"]))
    assert plugged["id"].tolist() == find_nearby(guangzhou, *TIANHE, needs)["id"].tolist()


def _store_carriers(store, lon: float, lat: float, distances: list[float]) -> list[int]:
    """Add carriers with free space at exact geodesic distances from a point (eight directions each)."""
    from carriermap.model import clean_carrier

    records = []
    for row in _ring(lon, lat, distances).to_dict("records"):
        record, problems = clean_carrier({**row, "name": f"圈{row['id']}", "city_adcode": "440100"} | {"id": None})
        assert problems == [], problems
        records.append(record)
    return store.apply(actor="t", kind="edit", inserts=records).inserted


@pytest.mark.both_backends
def test_the_stores_candidate_source_gives_the_same_results(store, backend):
    # PostGIS: candidates from ST_DWithin over the partial GiST index; SQLite: the in-memory index.
    ids = _store_carriers(store, *TIANHE, [1_999.99, 2_000.01])  # a hair inside and outside 2 km
    frame = store.carriers("440100")
    source = store.nearby_source("440100")
    assert (source is None) == (backend == "sqlite")
    plugged, memory = NearbySearch(frame, source=source), NearbySearch(frame)
    edge = plugged.search(*TIANHE, Needs(radius_m=2_000))
    assert set(ids) & set(edge["id"]) == set(ids[:8])
    rng = np.random.default_rng(5)
    points = [TIANHE, *[(113.35 + rng.normal(0, 0.12), 23.15 + rng.normal(0, 0.1)) for _ in range(12)]]
    for lon, lat in points:
        for needs in (Needs(radius_m=1_000), Needs(radius_m=3_000, min_area_m2=300), Needs(radius_m=10_000),
                      Needs(radius_m=6_000, types=("incubator",), max_rent=80)):
            pd.testing.assert_frame_equal(plugged.search(lon, lat, needs), memory.search(lon, lat, needs))


def test_no_result_suggests_what_nearly_fits(guangzhou):
    search = NearbySearch(guangzhou)
    needs = Needs(radius_m=1500, min_area_m2=20_000)
    assert search.search(*TIANHE, needs).empty
    suggestions = {s.kind: s for s in search.suggestions(*TIANHE, needs)}
    wider = suggestions["radius_km"]
    assert wider.value * 1000 >= wider.distance_m > 1500
    assert not search.search(*TIANHE, needs.relaxed(radius_m=wider.value * 1000)).empty
    if "min_area_m2" in suggestions:
        smaller = suggestions["min_area_m2"]
        assert smaller.value < 20_000
        assert not search.search(*TIANHE, needs.relaxed(min_area_m2=smaller.value)).empty


def test_benchmark_checks_identical_result_sets():
    rows = nearby_bench.run(Namespace(quick=True))
    assert {row["approach"] for row in rows} == {"scan_geodesic", "strtree", "strtree_pyproj", "geopandas_distance",
                                                 "numpy_haversine_scan", "sklearn_balltree"}
    for row in rows:
        assert {"n", "approach", "queries", "total_s", "p95_ms"} <= set(row)
        assert row["identical"] is True and row["mean_results"] > 0
