"""Typed coordinates: the common forms parse; GCJ-02/BD-09 land on the WGS-84 point; bad input says why."""

import prcoords
import pytest
import shapely.ops  # noqa: F401

from carriermap.coords import wgs84_to_bd09, wgs84_to_gcj02
from carriermap.pointinput import PointInputError, check_point, parse_point
from carriermap.space.search import NearbySearch, Needs

LON, LAT = 113.3245, 23.1190


@pytest.mark.parametrize("text", [
    "113.3245,23.1190", "113.3245, 23.1190", " 113.3245   23.1190 ", "113.3245，23.1190", "113.3245;23.1190",
    "(113.3245, 23.1190)", "lng: 113.3245, lat: 23.1190", "经度113.3245 纬度23.1190", "１１３.３２４５，２３.１１９０",
    "23.1190°N, 113.3245°E", "113.3245E 23.1190N", "北纬23.1190,东经113.3245",
])
def test_common_forms_parse_to_the_same_point(text):
    point = parse_point(text, "wgs84", "440100")
    assert (point.lon, point.lat) == pytest.approx((LON, LAT))
    assert point.city_adcode == "440100" and point.district_adcode == "440106"  # 天河区


def test_latitude_first_is_swapped_and_says_so():
    point = parse_point("23.1190, 113.3245", "wgs84", "440100")
    assert point.swapped and (point.lon, point.lat) == pytest.approx((LON, LAT))
    assert not parse_point("113.3245,23.1190").swapped


def test_swapped_named_values_are_rejected_with_a_hint():
    with pytest.raises(PointInputError) as caught:
        check_point(23.1190, 113.3245, "wgs84", "440100")
    assert caught.value.key == "find_space.point.swapped"
    message = caught.value.message("en")
    assert "swapped" in message and "longitude 113.3245, latitude 23.119" in message


@pytest.mark.parametrize(("crs", "forward"), [("gcj02", prcoords.wgs_gcj), ("bd09", prcoords.wgs_bd)])
def test_gcj02_and_bd09_input_equal_their_wgs84_point(crs, forward):
    shifted = forward(prcoords.Coords(LAT, LON))  # an independent implementation makes the input
    point = parse_point(f"{shifted.lon:.8f},{shifted.lat:.8f}", crs, "440100")
    assert (point.lon, point.lat) == pytest.approx((LON, LAT), abs=2e-7)  # a few centimetres


def test_gcj02_and_bd09_points_give_the_same_results(tmp_path):
    from carriermap.store import Store

    store = Store.open(f"sqlite:///{tmp_path / 'db.sqlite'}")
    search = NearbySearch(store.carriers("440100"))
    needs = Needs(radius_m=4000)
    expected = search.search(LON, LAT, needs)
    assert len(expected) > 0
    for crs, convert in (("gcj02", wgs84_to_gcj02), ("bd09", wgs84_to_bd09)):
        lon, lat = (float(v) for v in convert(LON, LAT))
        point = check_point(lon, lat, crs, "440100")
        got = search.search(point.lon, point.lat, needs)
        assert got["id"].tolist() == expected["id"].tolist()
        assert got["distance_m"].to_numpy() == pytest.approx(expected["distance_m"].to_numpy(), abs=0.05)
    # the same numbers read as WGS-84 are ~600 m off: the system matters
    lon, lat = (float(v) for v in wgs84_to_gcj02(LON, LAT))
    assert search.search(lon, lat, needs)["distance_m"].tolist() != expected["distance_m"].tolist()
    store.engine.dispose()


@pytest.mark.parametrize(("text", "key", "words"), [
    ("", "find_space.point.empty", "113.3245,23.1190"),
    ("广州塔", "find_space.point.not_coordinates", "广州塔"),
    ("113.3245", "find_space.point.not_coordinates", "two numbers"),
    ("113.3 23.1 5", "find_space.point.not_coordinates", "two numbers"),
    ("abc, def", "find_space.point.not_coordinates", "abc, def"),
    ("200, 23", "find_space.point.out_of_range", "between -180 and 180"),
    ("113, 95", "find_space.point.out_of_range", "between -90 and 90"),
    ("105.85, 21.03", "find_space.point.outside", "Guangzhou, Wuhan, Huaibei, Shenzhen"),  # Hanoi
    ("126.98, 37.57", "find_space.point.outside", "not in a city"),  # Seoul: inside the usual "China" box
    ("114.30, 30.59", "find_space.point.other_city", "Wuhan, not Guangzhou"),
])
def test_bad_coordinates_give_a_clear_message(text, key, words):
    with pytest.raises(PointInputError) as caught:
        parse_point(text, "wgs84", "440100")
    assert caught.value.key == key
    english, chinese = caught.value.message("en"), caught.value.message("zh")
    assert words in english and "find_space." not in english and "find_space." not in chinese


def test_unknown_coordinate_system_is_named():
    with pytest.raises(PointInputError) as caught:
        parse_point("113.3245,23.1190", "mercator")
    assert "mercator" in caught.value.message("en")


def test_a_point_just_off_the_simplified_coast_still_counts_and_far_off_does_not():
    import shapely

    from carriermap.boundaries import city_outline, locate

    sea = shapely.Point(113.75, 22.40)  # south of 南沙, in the Pearl River estuary
    shore = shapely.ops.nearest_points(city_outline("440100"), sea)[0]
    step_lon, step_lat = (sea.x - shore.x), (sea.y - shore.y)
    scale = 0.003 / (step_lon ** 2 + step_lat ** 2) ** 0.5  # ~300 m off the outline
    lon, lat = shore.x + step_lon * scale, shore.y + step_lat * scale
    assert locate([lon], [lat])[1][0] is None
    assert check_point(lon, lat, "wgs84", "440100").city_adcode == "440100"
    with pytest.raises(PointInputError):
        check_point(sea.x, sea.y, "wgs84", "440100")
