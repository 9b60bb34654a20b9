"""Issue 17's pure parts: a search in the URL, what the map fits, basemaps, masks, the copy-link button."""

from __future__ import annotations

import base64
import json

import numpy as np
import pandas as pd
import pytest

from carriermap.boundaries import districts
from carriermap.coords import wgs84_to_gcj02
from carriermap.mapview import carrier_layer
from carriermap.mapview.basemaps import available_basemaps, needs_gcj02, tianditu_key, tile_layers
from carriermap.mapview.carrier_layer import frame_mask, mask_of
from carriermap.mapview.fitting import filter_bounds, padded
from carriermap.mapview.view_control import ViewControl, centre_view, fit_view
from carriermap.space.link import SearchQuery, from_query
from carriermap.ui.copy_link import copy_link_html


def test_a_search_survives_the_url_and_bad_parts_fall_back():
    query = SearchQuery((113.3245, 23.119), 2.5, 200.0, 80.0, ("incubator",), ("人工智能",), ("provincial",))
    params = query.to_query()
    assert params["at"] == "113.324500,23.119000" and params["r"] == "2.5" and params["industry"] == "人工智能"
    assert from_query(params) == query
    assert SearchQuery().to_query() == {}  # defaults leave the URL clean
    broken = from_query({"at": "x,23", "r": "-4", "area": "nan", "type": "incubator,nope", "level": ""})
    assert broken.point is None and broken.radius_km == 3.0 and broken.min_area == 0.0
    assert broken.types == ("incubator",)


def test_a_chosen_district_is_fitted_whole_and_a_lone_carrier_with_its_surroundings():
    gz = districts("440100")
    haizhu = gz[gz["adcode"] == "440105"].total_bounds
    one = pd.DataFrame({"lon": [113.3], "lat": [23.1]})
    assert filter_bounds(one, gz, ["440105"], None, True) == pytest.approx(tuple(haizhu))
    west, south, east, north = filter_bounds(one, gz, [], None, True)
    assert (north - south) * 111_320 >= 1499 and west < 113.3 < east  # ≥ 1.5 km, not one dot
    assert filter_bounds(one, gz, [], (1.0, 2.0, 3.0, 4.0), False) == (1.0, 2.0, 3.0, 4.0)  # no filter: the city
    assert padded((113.0, 23.0, 113.5, 23.5)) == (113.0, 23.0, 113.5, 23.5)


def test_views_follow_the_basemap_datum_and_tianditu_is_not_shifted():
    plain = fit_view("k", (113.2, 23.0, 113.4, 23.2), "tianditu")
    assert plain["bounds"] == [[23.0, 113.2], [23.2, 113.4]]
    shifted = centre_view("k", 113.3, 23.1, 13, "gaode")
    lon, lat = (float(v) for v in wgs84_to_gcj02(113.3, 23.1))
    assert shifted["center"] == pytest.approx([lat, lon]) and shifted["zoom"] == 13
    assert not needs_gcj02("tianditu") and needs_gcj02("gaode")


def test_tianditu_needs_a_key_from_the_environment_or_secrets(monkeypatch):
    monkeypatch.delenv("CARRIERMAP_TIANDITU_KEY", raising=False)
    assert tianditu_key({}) == "" and "tianditu" not in available_basemaps("")
    assert tile_layers("tianditu", "") == []
    assert tianditu_key({"tianditu_key": "abc"}) == "abc"
    monkeypatch.setenv("CARRIERMAP_TIANDITU_KEY", "env-key")
    assert tianditu_key({"tianditu_key": "abc"}) == "env-key"
    layers = tile_layers("tianditu", "env-key")
    assert len(layers) == 2 and all("tk=env-key" in layer["url"] and "_w/wmts" in layer["url"] for layer in layers)
    assert "tianditu" in available_basemaps("env-key")


def test_view_control_spec_carries_tiles_notice_and_view():
    control = ViewControl("osm", (113.3, 23.1), "底图无法加载", view=fit_view("v1", (113.2, 23.0, 113.4, 23.2)))
    spec = control.spec_data
    assert spec["basemap"] == "osm" and spec["tiles"] and spec["failText"] == "底图无法加载"
    lon, lat = (float(v) for v in wgs84_to_gcj02(113.3, 23.1))
    assert spec["offset"] == pytest.approx([lat - 23.1, lon - 113.3])  # how far a basemap switch moves the view
    assert abs(spec["offset"][1]) > 0.003  # ~500 m here: worth moving
    assert "</" not in control.spec and json.loads(control.spec)["view"]["key"] == "v1"


def test_mask_marks_exactly_the_shown_carriers_in_payload_order():
    ids = np.array([2, 5, 9, 11, 40, 41, 42, 43, 44])
    bits = np.unpackbits(np.frombuffer(base64.b64decode(mask_of(ids, [41, 5, 999])), dtype=np.uint8))[: len(ids)]
    assert bits.tolist() == [0, 1, 0, 0, 0, 1, 0, 0, 0]
    assert mask_of(ids, pd.Series([41, 5, 999])) == mask_of(ids, np.array([41, 5, 999])) == mask_of(ids, {41, 5, 999})


def test_the_mask_of_a_frame_is_worked_out_once_while_the_frame_lives(monkeypatch):
    import gc

    ids = np.array([2, 5, 9, 11, 40])
    frame = pd.DataFrame({"id": [9, 40, 77]})
    made = []
    monkeypatch.setattr(carrier_layer, "mask_of", lambda *args: made.append(args) or mask_of(*args))
    assert frame_mask(ids, frame) == frame_mask(ids, frame) == mask_of(ids, [9, 40])
    assert len(made) == 1  # the same objects: remembered
    other = pd.DataFrame({"id": [2]})
    assert frame_mask(ids, other) == mask_of(ids, [2]) and len(made) == 2  # another frame: its own mask
    entries = len(carrier_layer._MASKS)
    del other
    gc.collect()
    assert len(carrier_layer._MASKS) == entries - 1  # gone with its frame


def test_copy_link_button_escapes_its_labels():
    html = copy_link_html('<img src=x onerror=alert(1)>', "</script><script>alert(2)</script>", "`${x}`")
    assert "<img src=x" not in html and "</script><script>alert(2)" not in html
    assert "&lt;img src=x" in html and "window.parent.location.href" in html
