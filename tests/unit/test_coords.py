"""Coordinate conversions: against an independent implementation, and the iterated inverse."""

import numpy as np
import prcoords
import pytest

from carriermap import coords

RNG = np.random.default_rng(1)
LON = RNG.uniform(100, 122, 500)
LAT = RNG.uniform(20, 41, 500)


def test_forward_matches_prcoords():
    glon, glat = coords.wgs84_to_gcj02(LON, LAT)
    blon, blat = coords.wgs84_to_bd09(LON, LAT)
    for i in range(0, 500, 25):
        ref = prcoords.wgs_gcj(prcoords.Coords(LAT[i], LON[i]))
        assert glon[i] == pytest.approx(ref.lon, abs=1e-9) and glat[i] == pytest.approx(ref.lat, abs=1e-9)
        ref_bd = prcoords.wgs_bd(prcoords.Coords(LAT[i], LON[i]))
        assert blon[i] == pytest.approx(ref_bd.lon, abs=1e-9) and blat[i] == pytest.approx(ref_bd.lat, abs=1e-9)


def _metres(dlon, dlat, lat):
    return np.hypot(dlon * 111_320 * np.cos(np.radians(lat)), dlat * 110_574)


def test_inverse_is_sub_millimetre():
    for forward, inverse in ((coords.wgs84_to_gcj02, coords.gcj02_to_wgs84),
                             (coords.wgs84_to_bd09, coords.bd09_to_wgs84)):
        back_lon, back_lat = inverse(*forward(LON, LAT))
        assert _metres(back_lon - LON, back_lat - LAT, LAT).max() < 0.001


def test_iterated_inverse_beats_the_one_step_inverse():
    glon, glat = coords.wgs84_to_gcj02(LON, LAT)
    one_step = [prcoords.gcj_wgs(prcoords.Coords(la, lo)) for lo, la in zip(glon, glat, strict=True)]
    err_one = _metres(np.array([c.lon for c in one_step]) - LON, np.array([c.lat for c in one_step]) - LAT, LAT)
    ours_lon, ours_lat = coords.gcj02_to_wgs84(glon, glat)
    err_ours = _metres(ours_lon - LON, ours_lat - LAT, LAT)
    assert err_one.max() > 0.5  # the one-step inverse is off by metres
    assert err_ours.max() < 0.001


def test_offset_in_guangzhou_is_about_600_m():
    lon, lat = 113.3245, 23.1190
    glon, glat = coords.wgs84_to_gcj02(lon, lat)
    assert 400 < _metres(glon - lon, glat - lat, lat) < 800


@pytest.mark.parametrize("name,code", [("GCJ-02", "gcj02"), ("高德", "gcj02"), ("BD-09", "bd09"), ("百度", "bd09"),
                                       ("WGS-84", "wgs84"), ("GPS", "wgs84"), ("", "wgs84")])
def test_crs_names(name, code):
    assert coords.normalise_crs(name) == code


def test_unknown_crs_is_refused():
    with pytest.raises(ValueError, match="unknown coordinate system"):
        coords.normalise_crs("mercator")


def test_to_and_from_wgs84_round_trip():
    for crs in coords.CRS_CODES:
        lon, lat = coords.to_wgs84(*coords.from_wgs84(114.3, 30.5, crs), crs)
        assert float(lon) == pytest.approx(114.3, abs=1e-9) and float(lat) == pytest.approx(30.5, abs=1e-9)
