"""What a founder takes away: named places, route links, the table, downloads and the map."""

import io
import json
import re
from urllib.parse import parse_qs, quote, urlencode, urlparse

import numpy as np
import openpyxl
import pandas as pd
import pytest
from pyproj import Geod

from carriermap.boundaries import locate
from carriermap.coords import wgs84_to_gcj02
from carriermap.export import to_csv_bytes, to_xlsx_bytes
from carriermap.mapview.nearby_map import clicked_point, dot_payload, nearby_layer, nearby_map
from carriermap.places import place_name, places
from carriermap.space.results import download_frame, result_table, suggestion_text
from carriermap.space.routes import amap_route_url, amap_route_urls, osm_route_url, osm_route_urls
from carriermap.space.search import Needs, find_nearby
from tests.unit.test_cli import run

GEOD = Geod(ellps="WGS84")
ORIGIN = (113.3245, 23.1190)


def _carriers(name="海珠孵化器"):
    return pd.DataFrame([{
        "id": 7, "name": name, "lon": 113.33, "lat": 23.11, "available_m2": 800.0, "rent_cny_m2_month": 55.0,
        "status": "operating", "type": "incubator", "level": "national", "industries": ["人工智能", "生物医药"],
        "district_adcode": "440105", "address": "=HYPERLINK(\"x\")", "contact": "+86 20 1234", "is_sample": True}])


def test_every_place_lies_in_its_city_and_has_names():
    frame = places()
    assert set(frame["city_adcode"]) == {"440100", "420100", "340600", "440300"}
    cities = locate(frame["lon"], frame["lat"])[1]
    assert list(cities) == list(frame["city_adcode"])
    assert (frame.groupby("city_adcode")["kind"].apply(lambda k: (k == "district").sum()) >= 4).all()
    assert (frame["kind"] == "landmark").sum() >= 10
    row = places("440100").iloc[0]
    assert place_name(row, "zh") and place_name(row, "en") and row["kind"] == "landmark"


def test_amap_link_uses_gcj02_and_osm_link_wgs84():
    destination = (113.33, 23.11)
    amap = parse_qs(urlparse(amap_route_url(destination, "海珠孵化器", ORIGIN, "起点")).query)
    to_lon, to_lat, to_name = amap["to"][0].split(",")
    expected = [float(v) for v in wgs84_to_gcj02(*destination)]
    assert [float(to_lon), float(to_lat)] == pytest.approx(expected, abs=1e-6)
    _, _, offset = GEOD.inv(destination[0], destination[1], float(to_lon), float(to_lat))
    assert 300 < offset < 900  # really shifted, by the GCJ offset of these cities
    assert to_name == "海珠孵化器" and amap["coordinate"] == ["gaode"]
    assert float(amap["from"][0].split(",")[0]) == pytest.approx(float(wgs84_to_gcj02(*ORIGIN)[0]), abs=1e-6)
    osm = parse_qs(urlparse(osm_route_url(destination, ORIGIN)).query)
    assert osm["route"] == ["23.119000,113.324500;23.110000,113.330000"]


def _amap_reference(destination, name, origin, origin_name, mode):
    """Amap's link put together by ``urlencode``, one at a time: the definition the app's links must equal."""
    def gcj(lon, lat):
        g_lon, g_lat = wgs84_to_gcj02(lon, lat)
        return f"{float(g_lon):.6f},{float(g_lat):.6f}"

    def label(text):
        return str(text or "").replace(",", " ").replace("&", " ").strip()[:60]

    params = {"to": f"{gcj(*destination)},{label(name)}"}
    if origin is not None:
        params["from"] = f"{gcj(*origin)},{label(origin_name)}"
    params.update({"mode": mode, "coordinate": "gaode", "callnative": "0", "src": "carriermap"})
    return f"https://uri.amap.com/navigation?{urlencode(params, quote_via=quote, safe=',')}"


def _osm_reference(destination, origin):
    """OpenStreetMap's link put together by ``urlencode``, one at a time."""
    lon, lat = destination
    if origin is None:
        return f"https://www.openstreetmap.org/?mlat={lat:.6f}&mlon={lon:.6f}#map=17/{lat:.6f}/{lon:.6f}"
    route = f"{origin[1]:.6f},{origin[0]:.6f};{lat:.6f},{lon:.6f}"
    return f"https://www.openstreetmap.org/directions?{urlencode({'route': route}, quote_via=quote, safe=',')}"


@pytest.mark.parametrize(("origin", "origin_name", "mode"), [(None, "", "bus"), (ORIGIN, "珠江新城 & co, 1", "walk")])
def test_many_amap_links_at_once_are_the_links_one_by_one(origin, origin_name, mode):
    names = ["珠江新城, A&B 孵化器 ", "", None, "x`${a}`</script>,&=?#%", "长" * 80, "科技园#1/2"]
    lons, lats = [113.3 + k / 100 for k in range(len(names))], [23.1 - k / 100 for k in range(len(names))]
    assert amap_route_urls(lons, lats, names, origin, origin_name, mode) == [
        _amap_reference((lon, lat), name, origin, origin_name, mode)
        for lon, lat, name in zip(lons, lats, names, strict=True)]
    assert amap_route_url((lons[0], lats[0]), names[0], origin, origin_name, mode) == _amap_reference(
        (lons[0], lats[0]), names[0], origin, origin_name, mode)
    assert amap_route_urls([], [], [], origin) == []
    one_by_one = [_osm_reference((lon, lat), origin) for lon, lat in zip(lons, lats, strict=True)]
    assert osm_route_urls(lons, lats, origin) == one_by_one
    assert osm_route_url((lons[0], lats[0]), origin) == one_by_one[0]
    assert osm_route_urls([-0.5, 179.9999999], [-33.25, 0.0], origin) == [
        _osm_reference((-0.5, -33.25), origin), _osm_reference((179.9999999, 0.0), origin)]


def test_table_has_links_labels_and_downloads_are_neutralised():
    results = find_nearby(_carriers(), *ORIGIN, Needs(radius_m=5000))
    table = result_table(results, ORIGIN, "zh")
    row = table.iloc[0]
    assert row["rank"] == 1 and row["type"] == "孵化器" and row["district"] == "海珠区"
    assert row["industries"] == "人工智能、生物医药"
    assert row["amap_url"].startswith("https://uri.amap.com/navigation?")
    csv = pd.read_csv(io.BytesIO(to_csv_bytes(download_frame(results, ORIGIN, "zh"))), dtype=str)
    assert csv.loc[0, "地址"].startswith("'=") and csv.loc[0, "联系方式"].startswith("'+")
    assert "距离（公里）" in csv.columns and "高德路线" in csv.columns
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes({"nearby": download_frame(results, ORIGIN, "en")})))
    header = [c.value for c in book.active[1]]
    address = book.active.cell(row=2, column=header.index("Address") + 1).value
    assert address.startswith("'=")


def test_map_escapes_names_and_draws_the_circle():
    payload = "x`${alert(1)}`</script><img src=x onerror=alert(2)>\\"
    table = result_table(find_nearby(_carriers(payload), *ORIGIN, Needs(radius_m=5000)), ORIGIN, "en")
    html = nearby_map(table, ORIGIN, 5000).get_root().render()
    assert "${alert(1)}" not in html and "<img src=x" not in html and "</script><img" not in html
    assert re.search(r'"radius": 5000\.0', html)
    assert html.count("carriermap-nearby-icon") == 1  # the point; the results are one canvas layer
    assert html.count("= makeResultsLayer(") == 1 and '"rank": [1]' in html  # one layer for all results
    assert "cdn" not in " ".join(re.findall(r'<script src="([^"]+)"', html)).lower()


def test_gaode_map_is_shifted_and_clicks_come_back_in_wgs84():
    layer = nearby_layer(result_table(find_nearby(_carriers(), *ORIGIN, Needs(radius_m=5000)), ORIGIN), ORIGIN,
                         5000, "gaode")
    circle = next(child for child in layer._children.values() if type(child).__name__ == "Circle")
    assert circle.location == pytest.approx([float(v) for v in wgs84_to_gcj02(*ORIGIN)][::-1])
    lon, lat = (float(v) for v in wgs84_to_gcj02(*ORIGIN))
    assert clicked_point({"lat": lat, "lng": lon}, "gaode") == pytest.approx(ORIGIN, abs=1e-7)
    assert clicked_point({"lat": 23.1, "lng": 113.3}, "osm") == (113.3, 23.1)
    assert clicked_point(None, "osm") is None


@pytest.mark.parametrize("basemap", ["osm", "gaode"])
def test_dots_are_sent_as_delta_encoded_metres_and_decode_to_where_they_are_drawn(basemap):
    rng = np.random.default_rng(5)
    frame = pd.DataFrame({"lon": rng.uniform(113.2, 113.4, 500), "lat": rng.uniform(23.0, 23.2, 500)})
    dots = json.loads(dot_payload(frame, basemap))
    lat, lon = np.cumsum(dots["lat"]) / dots["scale"], np.cumsum(dots["lon"]) / dots["scale"]
    want_lon, want_lat = (wgs84_to_gcj02(frame["lon"], frame["lat"]) if basemap == "gaode"
                          else (frame["lon"].to_numpy(), frame["lat"].to_numpy()))
    want = sorted(zip(np.round(want_lat * dots["scale"]), np.round(want_lon * dots["scale"]), strict=True))
    got = list(zip(lat, lon, strict=True))
    assert np.allclose(got, np.array(want) / dots["scale"], atol=1e-9)  # every dot once, to ~1 m
    assert (np.diff(lat) >= 0).all()  # sorted by latitude: small deltas
    assert json.loads(dot_payload(frame.iloc[:0], basemap))["lat"] == []


def test_the_results_layer_sends_badges_for_the_table_and_dots_for_the_rest():
    everything = pd.concat([_carriers()] * 3, ignore_index=True).assign(id=[7, 8, 9], lon=[113.33, 113.34, 113.35])
    table = result_table(everything.head(1).assign(distance_m=100.0), ORIGIN, "en")
    layer = nearby_layer(table, ORIGIN, 5000, everything=everything)
    results = next(c for c in layer._children.values() if type(c).__name__ == "ResultsLayer")
    assert json.loads(results.payload)["rank"] == [1]
    assert len(json.loads(results.dots)["lon"]) == 2  # the two results after the table


def test_suggestion_sentences_name_the_value_and_the_carrier():
    from carriermap.space.search import NearbySearch

    search = NearbySearch(_carriers())
    needs = Needs(radius_m=100, min_area_m2=500)
    texts = [suggestion_text(s, "en") for s in search.suggestions(*ORIGIN, needs)]
    assert texts and "海珠孵化器" in texts[0] and "km" in texts[0]


@pytest.mark.both_backends
def test_cli_nearby_json_sorted_inside_and_same_for_every_crs(cli_env):
    base = ["nearby", "--city", "440100", "--radius-km", "4", "--min-area", "200", "--format", "json"]
    out = json.loads(run([*base, "--lon", str(ORIGIN[0]), "--lat", str(ORIGIN[1])], cli_env).stdout)
    results = out["results"]
    assert results and {"id", "name", "lon", "lat", "distance_m", "available_m2", "rent_cny_m2_month",
                        "amap_url", "osm_url", "contact", "industries"} <= set(results[0])
    distances = [r["distance_m"] for r in results]
    assert distances == sorted(distances) and max(distances) <= 4000
    assert all(r["available_m2"] >= 200 for r in results)
    _, _, reference = GEOD.inv(np.full(len(results), ORIGIN[0]), np.full(len(results), ORIGIN[1]),
                               [r["lon"] for r in results], [r["lat"] for r in results])
    assert np.allclose(distances, reference, rtol=1e-3)
    for crs, convert in (("gcj02", wgs84_to_gcj02), ("bd09", None)):
        from carriermap.coords import wgs84_to_bd09

        lon, lat = (float(v) for v in (convert or wgs84_to_bd09)(*ORIGIN))
        other = json.loads(run([*base, "--lon", f"{lon:.9f}", "--lat", f"{lat:.9f}", "--crs", crs], cli_env).stdout)
        assert [r["id"] for r in other["results"]] == [r["id"] for r in results]
        assert other["point"]["lon"] == pytest.approx(ORIGIN[0], abs=1e-7)


@pytest.mark.parametrize(("args", "words"), [
    (["--lon", "23.119", "--lat", "113.3245"], "swapped"),
    (["--lon", "abc", "--lat", "23.1"], "--lon"),
    (["--lon", "105.85", "--lat", "21.03"], "not in a city"),
    (["--lon", "113.3", "--lat", "95"], "out of range"),
    (["--lon", "113.3245", "--lat", "23.119", "--type", "castle"], "castle"),
])
def test_cli_bad_input_is_one_line_and_exit_2(cli_env, args, words):
    result = run(["--lang", "en", "nearby", "--radius-km", "3", *args], cli_env, check=False)
    lines = result.stderr.decode().strip().splitlines()
    assert result.returncode == 2 and len(lines) == 1 and words in lines[0], lines


@pytest.mark.both_backends
def test_cli_no_result_suggests(cli_env):
    out = json.loads(run(["nearby", "--lon", "113.3245", "--lat", "23.119", "--radius-km", "0.5"], cli_env).stdout)
    assert out["results"] == [] and out["suggestions"][0]["kind"] == "radius_km"
