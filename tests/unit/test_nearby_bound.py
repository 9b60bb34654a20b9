"""The cheap lower bound that spares the exact geodesic distance for carriers clearly too far."""

import numpy as np

from carriermap.space.search import geodesic_m, surely_beyond


def test_the_bound_never_drops_a_point_within_the_radius_and_drops_most_of_the_rest():
    rng = np.random.default_rng(3)
    for lon, lat in ((113.3, 23.1), (126.6, 45.8), (179.95, 60.0), (-0.01, -33.0), (10.0, 80.0)):
        for radius in (1.0, 1000.0, 10_000.0, 100_000.0):
            spread = radius / 50_000.0  # degrees: points up to ~2x the radius away in latitude
            lons = lon + rng.uniform(-spread * 4, spread * 4, 20_000)
            lats = np.clip(lat + rng.uniform(-spread, spread, 20_000), -89.9, 89.9)
            distance = geodesic_m(lon, lat, (lons + 180.0) % 360.0 - 180.0, lats)
            beyond = surely_beyond(lon, lat, (lons + 180.0) % 360.0 - 180.0, lats, radius)
            assert not (beyond & (distance <= radius)).any(), (lon, lat, radius)
            outside = distance > radius * 1.01
            assert beyond[outside].mean() > 0.9, (lon, lat, radius)


def test_no_bound_for_an_infinite_radius_or_near_a_pole():
    lons, lats = np.array([0.0, 90.0]), np.array([0.0, 10.0])
    assert not surely_beyond(0.0, 0.0, lons, lats, float("inf")).any()
    assert not surely_beyond(0.0, 89.5, lons, lats, 1000.0).any()


def test_the_lonlat_box_holds_the_circle_and_little_more():
    from pyproj import Geod

    from carriermap.space.search import lonlat_box

    geod = Geod(ellps="WGS84")
    rng = np.random.default_rng(8)
    for lon, lat in ((113.3, 23.1), (126.6, 45.8), (-70.0, -33.0), (10.0, 80.0), (0.0, 0.0), (179.0, 10.0)):
        for radius in (1.0, 1000.0, 10_000.0, 100_000.0):
            west, south, east, north = lonlat_box(lon, lat, radius)
            azimuths = np.concatenate([np.arange(0.0, 360.0, 0.25), rng.uniform(0, 360, 2_000)])
            x, y, _ = geod.fwd(np.full(azimuths.size, lon), np.full(azimuths.size, lat), azimuths,
                               np.full(azimuths.size, radius))  # on the circle: the farthest points
            assert ((west <= x) & (x <= east) & (south <= y) & (y <= north)).all(), (lon, lat, radius)
            if abs(lat) <= 50 and radius <= 10_000:  # little more: each side within 1 % of the circle's extent
                assert east - lon <= (x.max() - lon) * 1.01 and north - lat <= (y.max() - lat) * 1.01


def test_no_lonlat_box_near_a_pole_or_across_the_antimeridian():
    from carriermap.space.search import lonlat_box

    assert lonlat_box(0.0, 88.95, 10_000.0) is None and lonlat_box(0.0, -89.5, 10.0) is None
    assert lonlat_box(179.95, 10.0, 10_000.0) is None and lonlat_box(-179.95, 10.0, 10_000.0) is None
    assert lonlat_box(0.0, 0.0, float("inf")) is None
    assert lonlat_box(179.8, 10.0, 10_000.0) is not None
