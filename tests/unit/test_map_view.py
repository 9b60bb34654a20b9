"""What the public sees of a carrier: details panel, list view, legend; and the city map layers."""

import json
import re
from html import unescape

import folium
import pandas as pd
import pytest
import shapely

from carriermap import carrier_view
from carriermap.cities import get_city
from carriermap.coords import wgs84_to_gcj02
from carriermap.mapview.city_map import (
    SCHEMATIC_DASH,
    city_base_map,
    city_layers,
    district_layer,
    feature_layer,
    shift_geometry,
)

XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture
def record() -> dict:
    return {"id": 9, "name": XSS, "type": "incubator", "level": "national", "rating": "A", "rating_year": 2023,
            "status": "operating", "specialisation": "specialized", "address": "天河路 `${x}` 1号",
            "district_adcode": "440106", "total_area_m2": 12000.0, "available_m2": 1500.0,
            "industries": ["人工智能", "生物医药"], "operator": None, "contact": "020-1234", "is_sample": True}


def test_details_list_every_public_field(record):
    rows = dict(carrier_view.detail_rows(record, "en"))
    assert rows["Type"] == "Incubator" and rows["Level"] == "National"
    assert rows["Rating"] == "Excellent (A) (2023)"
    assert rows["District"] == "Tianhe District" or "Tianhe" in rows["District"]
    assert rows["Total area"] == "12,000 m²" and rows["Free space"] == "1,500 m²"
    assert rows["Industries"] == "人工智能, 生物医药"
    assert rows["Operator"] == "—" and rows["Contact"] == "020-1234"


def test_details_html_escapes_and_marks_samples(record):
    html = carrier_view.details_html(record, "zh")
    assert XSS not in html and XSS in unescape(html)  # shown as the characters typed, never as a tag
    assert "${" not in html and "`" not in html
    assert "示例数据" in html
    assert "示例数据" not in carrier_view.details_html({**record, "is_sample": False}, "zh")


def test_list_frame_labels_and_keeps_numbers(record):
    frame = carrier_view.list_frame(pd.DataFrame([record, {**record, "id": 10, "type": "maker_space",
                                                            "jobs": 5, "available_m2": None}]), "zh")
    assert frame.index.tolist() == [9, 10]
    assert frame["类型"].tolist() == ["孵化器", "众创空间"]
    assert pd.api.types.is_numeric_dtype(frame["可用空间"])


def test_legend_counts_and_escapes():
    html = carrier_view.legend_html({"incubator": 207, "maker_space": 128}, "zh")
    assert "孵化器" in html and "207" in html and "#3182bd" in html
    assert "示意" in html


def _geojson_data(group: folium.FeatureGroup) -> list[dict]:
    return [child.data for child in group._children.values() if isinstance(child, folium.GeoJson)]


def test_district_layer_has_each_district_with_its_count():
    from carriermap.boundaries import districts

    polygons = districts("440100")
    layer = district_layer(polygons, {"440106": 5}, "zh")
    features = _geojson_data(layer)[0]["features"]
    assert len(features) == 11
    tianhe = next(f for f in features if f["properties"]["name"] == "天河区")
    assert tianhe["properties"]["count"] == 5


def test_gaode_shifts_polygons_too():
    from carriermap.boundaries import districts

    polygons = districts("440100").head(1)
    plain = _geojson_data(district_layer(polygons, {}, "zh"))[0]["features"][0]["geometry"]
    shifted = _geojson_data(district_layer(polygons, {}, "zh", gcj02=True))[0]["features"][0]["geometry"]
    ring = plain["coordinates"][0][0] if plain["type"] == "MultiPolygon" else plain["coordinates"][0]
    ring2 = shifted["coordinates"][0][0] if shifted["type"] == "MultiPolygon" else shifted["coordinates"][0]
    lon, lat = wgs84_to_gcj02(ring[0][0], ring[0][1])
    assert ring2[0] == pytest.approx((float(lon), float(lat)))
    point = shift_geometry(shapely.Point(113.3, 23.1), False)
    assert (point.x, point.y) == (113.3, 23.1)


def test_schematic_features_are_dashed_and_labelled():
    features = [{"name": "广深科技创新走廊", "kind": "corridor", "schematic": True,
                 "geometry": {"type": "LineString", "coordinates": [[113.3, 23.1], [113.5, 23.0]]}},
                {"name": "<b>园区</b>", "kind": "zone", "schematic": False,
                 "geometry": {"type": "Polygon", "coordinates": [[[113.3, 23.1], [113.4, 23.1], [113.4, 23.2],
                                                                  [113.3, 23.1]]]}}]
    script = feature_layer(features, "en")
    html = folium.Map().add_child(script).get_root().render()
    assert SCHEMATIC_DASH in html and "schematic" in html
    texts = [json.loads(f'"{text}"') for text in re.findall(r'"text": "((?:[^"\\]|\\.)*)"', html)]
    assert "<b>园区</b>" not in html and any(text.startswith("&lt;b&gt;园区&lt;/b&gt;") for text in texts)


def test_city_map_layers_render_offline():
    city = get_city("440100")
    carriers = pd.DataFrame({"id": [1], "name": ["x"], "type": ["incubator"], "lon": [113.3], "lat": [23.1],
                             "district_adcode": ["440106"]})
    fmap = city_base_map(city)
    for group in city_layers(city, carriers, [], "zh", "none"):
        group.add_to(fmap)
    html = fmap.get_root().render()
    assert "https://" not in html.replace("https://leafletjs.com", "")
    assert json.dumps("maxZoom")[1:-1] in html
