"""The carriers' canvas layer: compact payload, escaping, GCJ-02 shift, click reports."""

import re

import numpy as np
import pandas as pd
import pytest

from carriermap import codes
from carriermap.bench.map_bench import build, synthetic_carriers
from carriermap.coords import wgs84_to_gcj02
from carriermap.mapview.carrier_layer import CLICK_PREFIX, SCALE, clicked_carrier_id, encode

XSS = "<img src=x onerror=alert(1)>`${alert(2)}`\\"


def decode(payload: str) -> dict[str, np.ndarray]:
    """Undo the delta encoding the way carrier_layer.js does."""
    out = {}
    for key in ("ids", "lon", "lat", "t"):
        values = re.search(rf"\"{key}\":\[([^\]]*)\]", payload).group(1)
        array = np.array([int(v) for v in values.split(",")]) if values else np.array([], dtype=int)
        out[key] = array if key == "t" else np.cumsum(array)
    return out


@pytest.fixture
def carriers() -> pd.DataFrame:
    return pd.DataFrame({"id": [7, 3, 12], "name": ["甲", XSS, "丙"], "type": ["incubator", "maker_space", "rd_hq"],
                         "lon": [113.324520, 113.264385, 113.480637], "lat": [23.099994, 23.129112, 23.162187]})


def test_payload_decodes_to_the_carriers_sorted_by_id(carriers):
    data = decode(encode(carriers, {}))
    assert data["ids"].tolist() == [3, 7, 12]
    assert np.allclose(data["lon"] / SCALE, [113.264385, 113.324520, 113.480637], atol=1e-5)
    assert np.allclose(data["lat"] / SCALE, [23.129112, 23.099994, 23.162187], atol=1e-5)
    assert [codes.CARRIER_TYPES[i] for i in data["t"]] == ["maker_space", "incubator", "rd_hq"]


def test_gaode_payload_is_shifted_by_the_gcj_offset(carriers):
    plain, shifted = decode(encode(carriers, {})), decode(encode(carriers, {}, gcj02=True))
    lon, lat = wgs84_to_gcj02(plain["lon"] / SCALE, plain["lat"] / SCALE)
    assert np.allclose(shifted["lon"] / SCALE, lon, atol=1e-5)
    assert np.allclose(shifted["lat"] / SCALE, lat, atol=1e-5)
    # about 500-600 m in Guangzhou: a point drawn unshifted lands in the wrong street
    assert 0.003 < abs(shifted["lon"][0] - plain["lon"][0]) / SCALE < 0.008


def test_names_are_escaped_for_html_and_javascript(carriers):
    payload = encode(carriers, {"incubator": "<b>孵化器</b>"})
    assert "<img" not in payload and "<b>" not in payload
    assert "`" not in payload and "${" not in payload
    assert "&lt;img src=x onerror=alert(1)&gt;" in payload


def test_names_are_left_out_of_large_payloads(carriers):
    assert '"names":null' in encode(carriers, {}, names=False)
    assert "甲" in encode(carriers, {}, names=True)


def test_underscores_survive_streamlit_folium_renaming():
    frame = pd.DataFrame({"id": [1], "name": ["a_div_0"], "type": ["incubator"], "lon": [113.3], "lat": [23.1]})
    assert "a_div" not in encode(frame, {})
    assert "a\\u005fdiv\\u005f0" in encode(frame, {})


def test_empty_frame_encodes():
    frame = pd.DataFrame({"id": [], "name": [], "type": [], "lon": [], "lat": []})
    assert decode(encode(frame, {}))["ids"].tolist() == []


def test_click_report_names_the_carrier():
    assert clicked_carrier_id({"last_object_clicked_tooltip": f"{CLICK_PREFIX}42"}) == 42
    assert clicked_carrier_id({"last_object_clicked_tooltip": "海珠区 34"}) is None
    assert clicked_carrier_id({"last_object_clicked_tooltip": None}) is None
    assert clicked_carrier_id(None) is None


def test_one_script_for_many_carriers_not_one_marker_each():
    _seconds, html = build("ours", synthetic_carriers(2_000))
    assert html.count("= makeCarrierLayer(") == 1  # one layer call for all 2,000 carriers
    assert "L.marker(" not in html
    assert "cdn" not in html.lower() and "https://" not in html  # self-hosted, no tiles in the benchmark map
