"""Vincenty's distances against pyproj's exact ones, and the ranking built on them against the definition."""

import numpy as np
import pytest
from pyproj import Geod

from carriermap.space.search import NearbySearch, Needs, ranked_within, ranked_within_exact, scan_nearby
from carriermap.space.vincenty import MARGIN_M, TRUSTED_UP_TO_M, vincenty_m

GEOD = Geod(ellps="WGS84")
# the find-space cities, the equator, both sides of the antimeridian, high latitudes, a pole
CENTRES = [(113.3245, 23.1190), (114.3055, 30.5928), (0.0, 0.0), (179.995, -12.5), (-179.99, 64.2),
           (25.0, 78.9), (-70.0, -84.5), (130.0, 89.9), (45.0, 90.0)]


def _around(lon: float, lat: float, reach_m: float, count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``count`` points at random azimuths and distances up to ``reach_m`` (longitudes in [-180, 180))."""
    rng = np.random.default_rng(seed)
    x, y, _ = GEOD.fwd(np.full(count, lon), np.full(count, lat), rng.uniform(-180, 180, count),
                       rng.uniform(0, reach_m, count))
    return (np.asarray(x) + 180.0) % 360.0 - 180.0, np.asarray(y)


def _exact(lon, lat, lons, lats) -> np.ndarray:
    return np.asarray(GEOD.inv(np.full(len(lons), lon), np.full(len(lats), lat), lons, lats)[2])


@pytest.mark.parametrize("reach_m", [1.0, 100.0, 2_000.0, 10_000.0, 100_000.0, TRUSTED_UP_TO_M])
@pytest.mark.parametrize("centre", CENTRES)
def test_trusted_distances_are_pyprojs_within_micrometres(centre, reach_m):
    lons, lats = _around(*centre, reach_m, 5_000, seed=int(reach_m) % 97)
    distance, trusted = vincenty_m(*centre, lons, lats)
    error = np.abs(distance - _exact(*centre, lons, lats))[trusted]
    assert error.max(initial=0.0) < 2e-5 < MARGIN_M / 10  # measured: below 8 µm
    if abs(centre[1]) < 80 and reach_m < TRUSTED_UP_TO_M:
        assert trusted.all()  # away from the poles, every point of a search radius is Vincenty's
    else:
        assert trusted.any()  # near a pole or beyond 10°/1,000 km, the rest is left to pyproj


def test_the_same_point_is_zero_metres_away_and_trusted():
    for lon, lat in CENTRES:
        distance, trusted = vincenty_m(lon, lat, np.array([lon]), np.array([lat]))
        assert distance[0] == 0.0 and trusted[0]


def test_far_antipodal_and_unknown_points_are_not_trusted():
    lons = np.array([0.0, 180.0, 179.7, 5.0, np.nan, 12.0, -60.0])
    lats = np.array([0.0, 0.0, 0.5, np.nan, 1.0, 9.9, 0.0])
    _, trusted = vincenty_m(0.0, 0.0, lons, lats)
    assert trusted.tolist() == [True, False, False, False, False, False, False]  # 12°, 9.9°: beyond 1,000 km
    distance, trusted = vincenty_m(0.0, 0.0, np.empty(0), np.empty(0))
    assert distance.size == 0 and trusted.size == 0


def _assert_same_ranking(lon, lat, lons, lats, ids, radius_m):
    got, got_m = ranked_within(lon, lat, lons, lats, ids, radius_m)
    want, want_m = ranked_within_exact(lon, lat, lons, lats, ids, radius_m)
    np.testing.assert_array_equal(got, want)  # the same points, in the same order
    assert np.abs(got_m - want_m).max(initial=0.0) < 2e-5
    return got


@pytest.mark.parametrize("centre", CENTRES)
def test_ranking_equals_the_definition_near_the_radius_and_for_near_ties(centre):
    radius = 10_000.0
    rng = np.random.default_rng(11)
    lons, lats = _around(*centre, radius * 1.5, 3_000, seed=5)
    # a hair inside and outside the radius (micrometres: within Vincenty's margin, so pyproj decides)
    azimuths = rng.uniform(-180, 180, 40)
    edge = radius + np.repeat([-2e-4, -1e-6, 0.0, 1e-6, 2e-4], 8)
    x, y, _ = GEOD.fwd(np.full(40, centre[0]), np.full(40, centre[1]), azimuths, edge)
    # near ties: distances a fraction of a micrometre apart in other directions, and exact duplicates
    near = 4_321.0 + np.arange(30) * 3e-7
    u, v, _ = GEOD.fwd(np.full(30, centre[0]), np.full(30, centre[1]), rng.uniform(-180, 180, 30), near)
    lons = np.concatenate([lons, (np.asarray(x) + 180) % 360 - 180, (np.asarray(u) + 180) % 360 - 180, lons[:50]])
    lats = np.concatenate([lats, y, v, lats[:50]])
    ids = rng.permutation(len(lons)).astype("int64") + 1
    found = _assert_same_ranking(*centre, lons, lats, ids, radius)
    assert len(found) > 1_000


def test_ranking_with_nothing_inside_and_with_nothing_at_all():
    assert _assert_same_ranking(0.0, 0.0, np.array([1.0]), np.array([1.0]), np.array([7]), 5.0).size == 0
    assert _assert_same_ranking(0.0, 0.0, np.empty(0), np.empty(0), np.empty(0, dtype="int64"), 5.0).size == 0


def test_every_radius_of_a_random_city_ranks_as_the_definition():
    rng = np.random.default_rng(2)
    lons, lats = _around(114.3, 30.6, 40_000, 60_000, seed=9)
    lons, lats = np.round(lons, 4), np.round(lats, 4)  # four decimals, as typed in: many equal distances
    ids = np.arange(1, len(lons) + 1, dtype="int64")
    for _ in range(30):
        lon, lat = 114.3 + rng.normal(0, 0.1), 30.6 + rng.normal(0, 0.1)
        _assert_same_ranking(lon, lat, lons, lats, ids, float(rng.choice([500.0, 3_000.0, 10_000.0, 25_000.0])))


def test_nearby_search_gives_the_definitions_results():
    import pandas as pd

    rng = np.random.default_rng(4)
    lons, lats = _around(113.35, 23.15, 30_000, 20_000, seed=3)
    frame = pd.DataFrame({"id": np.arange(1, len(lons) + 1), "lon": np.round(lons, 5), "lat": np.round(lats, 5),
                          "available_m2": rng.choice([0.0, 50.0, 500.0], len(lons)), "rent_cny_m2_month": 40.0,
                          "status": "operating", "type": "incubator", "level": "unrated",
                          "industries": [[] for _ in range(len(lons))]})
    fast, exact = NearbySearch(frame), NearbySearch(frame, refine=ranked_within_exact)
    for _ in range(20):
        lon, lat = 113.35 + rng.normal(0, 0.08), 23.15 + rng.normal(0, 0.08)
        needs = Needs(radius_m=float(rng.uniform(300, 12_000)), min_area_m2=float(rng.choice([0, 100])))
        got, want = fast.search(lon, lat, needs), exact.search(lon, lat, needs)
        assert got["id"].tolist() == want["id"].tolist() == scan_nearby(frame, lon, lat, needs)["id"].tolist()
        np.testing.assert_allclose(got["distance_m"], want["distance_m"], rtol=0, atol=2e-5)
