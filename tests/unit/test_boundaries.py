"""District boundaries: complete, WGS-84 (not GCJ-02), a clean coverage, small."""

import json
from pathlib import Path

import numpy as np
import pytest
import shapely

from carriermap import boundaries, coords
from carriermap.paths import DISTRICTS_FILE

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.mark.parametrize("city,count", [("440100", 11), ("420100", 13), ("340600", 4), ("440300", 9)])
def test_every_district_of_each_city(city, count):
    gdf = boundaries.districts(city)
    assert len(gdf) == count
    assert gdf["adcode"].is_unique
    assert set(gdf.columns) >= {"adcode", "name", "name_en", "city_adcode", "geometry", "area_km2"}


def test_huaibei_names():
    assert set(boundaries.districts("340600")["name"]) == {"相山区", "杜集区", "烈山区", "濉溪县"}


def test_files_are_small():
    assert DISTRICTS_FILE.stat().st_size < 2_000_000


@pytest.mark.parametrize("city", ["440100", "420100", "340600", "440300"])
def test_districts_form_a_clean_coverage(city):
    gdf = boundaries.districts(city)
    assert gdf.is_valid.all()
    assert shapely.coverage_is_valid(gdf.geometry.to_numpy())  # no overlaps between neighbours
    projected = gdf.to_crs(boundaries.CHINA_EQUAL_AREA)
    union = shapely.union_all(projected.geometry.to_numpy())
    assert union.area == pytest.approx(projected.area.sum(), rel=1e-6)


@pytest.mark.parametrize("name,lon,lat,district", [
    ("广州塔 Canton Tower", 113.3191, 23.1090, "海珠区"),
    ("黄鹤楼 Yellow Crane Tower", 114.3020, 30.5448, "武昌区"),
    ("深圳市民中心 Civic Center", 114.0550, 22.5430, "福田区"),
    ("腾讯滨海大厦 Tencent Seafront Towers", 113.9350, 22.5225, "南山区"),
    ("淮北相山公园 Xiangshan Park", 116.7890, 33.9720, "相山区"),
])
def test_landmarks_fall_in_their_district(name, lon, lat, district):
    found, _ = boundaries.locate([lon], [lat])
    assert boundaries.district_names("zh")[found[0]] == district, name


def test_polygons_are_converted_from_gcj02_not_copied():
    """Each sampled source vertex (GCJ-02) appears converted to WGS-84, ~600 m from where it was."""
    fixture = json.loads((FIXTURES / "haizhu_gcj02_vertices.json").read_text(encoding="utf-8"))
    shipped = shapely.get_coordinates(boundaries.districts("440100").set_index("adcode").geometry["440105"])
    gcj = np.array(fixture["gcj02_vertices"])
    wgs_lon, wgs_lat = coords.gcj02_to_wgs84(gcj[:, 0], gcj[:, 1])
    for lon, lat, (glon, glat) in zip(wgs_lon, wgs_lat, gcj, strict=True):
        nearest_converted = np.hypot(*(shipped - [lon, lat]).T).min()
        nearest_raw = np.hypot(*(shipped - [glon, glat]).T).min()
        assert nearest_converted * 111_000 < 0.2  # the converted vertex is shipped (to rounding)
        assert nearest_raw * 111_000 > 1  # the raw GCJ-02 vertex is not
        shift = np.hypot((glon - lon) * 111_320 * np.cos(np.radians(lat)), (glat - lat) * 110_574)
        assert 400 < shift < 800  # and the two are the GCJ offset apart


def test_equal_area_in_square_km():
    gdf = boundaries.districts("440100").set_index("name")
    assert gdf.loc["天河区", "area_km2"] == pytest.approx(137, rel=0.1)  # published: 137.38 km²
