"""The picking map: districts named on it, carriers for orientation, a click read back in WGS-84."""

from __future__ import annotations

import folium
import pandas as pd
import pytest

from carriermap.boundaries import districts
from carriermap.cities import get_city
from carriermap.coords import wgs84_to_gcj02
from carriermap.mapview.city_map import city_base_map
from carriermap.mapview.picking_map import clicked_point, picking_layers
from carriermap.mapview.view_control import fit_view

CITY = get_city("440100")
CARRIERS = pd.DataFrame({"id": [1, 2], "lon": [113.32, 113.27], "lat": [23.12, 23.13], "type": ["incubator"] * 2,
                         "name": ["<b>甲</b>", "乙"]})


def _script(layers) -> str:
    fmap = city_base_map(CITY)
    for layer in layers:
        layer.add_to(fmap)
    return fmap.get_root().render()


def test_picking_map_labels_every_district_and_draws_carriers_without_click_handling():
    html = _script(picking_layers(CITY, CARRIERS, "zh", basemap="none"))
    for name in districts("440100")["name"]:  # a label on the map, readable with no basemap
        assert f">{name}<\\/span>" in html, name
    assert "makeCarrierLayer" in html and '"interactive": false' in html
    assert "&lt;b&gt;甲&lt;/b&gt;" in html and "<b>甲</b>" not in html


def test_extra_layers_and_view_ride_along():
    extra = folium.FeatureGroup(name="mine")
    folium.Circle([23.1, 113.3], radius=50).add_to(extra)
    layers = picking_layers(CITY, CARRIERS, "en", layers=[extra], view=fit_view("k1", (113.2, 23.0, 113.4, 23.2)))
    assert layers[-1] is extra
    html = _script(layers)
    assert "Haizhu" in html and "\\u005fview" not in html and '"key": "k1"' in html


def test_a_click_on_a_gaode_map_comes_back_in_wgs84():
    lon, lat = (float(v) for v in wgs84_to_gcj02(113.3245, 23.119))
    assert clicked_point({"lat": lat, "lng": lon}, "gaode") == pytest.approx((113.3245, 23.119), abs=1e-6)
    assert clicked_point({"lat": 23.119, "lng": 113.3245}, "tianditu") == (113.3245, 23.119)  # CGCS2000: no shift
    assert clicked_point(None, "osm") is None
