"""Charts and choropleth of the districts page: interactive specs, self-hosted map, escaped text."""

import pandas as pd
import shapely

from carriermap import charts
from carriermap.cities import get_city
from carriermap.districts.metrics import unit_metrics
from carriermap.mapview.choropleth import NO_DATA, PALETTE, breaks, choropleth, colour, unit_shapes

PAYLOAD = "<img src=x onerror=alert(1)>`${alert(2)}`\\"


def test_comparison_bars_are_interactive_and_sorted(store):
    rows = unit_metrics(store.carriers("420100"), "420100", "reporting_unit")
    spec = charts.comparison_bars(rows, "specialized_share", "单位", "专业型占比(%)", "share").to_dict()
    layer = spec["layer"][0]
    assert layer["encoding"]["y"]["sort"] == "-x"
    assert layer["encoding"]["x"]["axis"]["format"] == ".1%"
    assert any("select" in p for p in [*spec.get("params", []), *layer.get("params", [])])
    values = next(iter(spec["datasets"].values()))
    assert {v["unit"] for v in values} >= {"东湖高新区", "江岸区"}


def test_mix_bars_leave_out_empty_parts(store):
    rows = unit_metrics(store.carriers("420100"), "420100", "reporting_unit")
    spec = charts.mix_bars(rows, {"type_incubator": "孵化器", "type_nursery": "创业苗圃"}, "单位", "家").to_dict()
    parts = {v["part"] for v in next(iter(spec["datasets"].values()))}
    assert parts == {"孵化器"}  # Wuhan has no nursery


def test_trend_lines_one_per_series():
    frame = pd.DataFrame({"quarter": ["2026Q1", "2026Q2"] * 2, "value": [1, 2, 3, 4], "series": ["甲", "甲", "乙", "乙"]})
    spec = charts.trend_lines(frame, "载体总数", "count", "单位", "季度").to_dict()
    assert spec["encoding"]["color"]["field"] == "series"


def test_classes_and_colours():
    bounds = breaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    assert len(bounds) == 5 and bounds[-1] == 10
    assert colour(1, bounds) == PALETTE[0] and colour(10, bounds) == PALETTE[-1]
    assert colour(float("nan"), bounds) == NO_DATA
    assert breaks([float("nan")]) == []
    assert colour(3, breaks([3, 3, 3])) == PALETTE[-1]


def test_choropleth_is_self_hosted_and_escapes_names(store):
    city = get_city("420100")
    rows = unit_metrics(store.carriers("420100"), "420100", "reporting_unit")
    names = [PAYLOAD if u == "江岸区" else u for u in rows["unit"]]
    shapes = unit_shapes(rows, "420100", store.features("420100"), "carriers", names=names)
    assert shapes["schematic"].sum() == 1  # 东湖高新区: its schematic outline from the features
    fmap = choropleth(shapes, title=PAYLOAD, value_texts=[str(v) for v in shapes["value"]],
                      legend_labels=["a"] * 5, no_data_label="无数据", center=city.center, zoom=9,
                      name_alias="单位", value_alias="载体")
    html = fmap.get_root().render()
    assert "/app/static/vendor/leaflet/leaflet.js" in html
    assert "cdn.jsdelivr" not in html and "cdnjs" not in html and "unpkg" not in html
    assert "<img src=x" not in html and "${alert" not in html
    assert "&lt;img src=x" in html


def test_gaode_basemap_shifts_the_polygons(store):
    rows = unit_metrics(store.carriers("420100"), "420100", "district")
    shapes = unit_shapes(rows, "420100", [], "carriers")
    plain = choropleth(shapes, title="t", value_texts=["1"] * len(shapes), legend_labels=[], no_data_label="-",
                       center=(114.3, 30.6), zoom=9, basemap="none")
    gaode = choropleth(shapes, title="t", value_texts=["1"] * len(shapes), legend_labels=[], no_data_label="-",
                       center=(114.3, 30.6), zoom=9, basemap="gaode")
    def drawn_bounds(fmap):
        (layer,) = [c for c in fmap._children.values() if type(c).__name__ == "GeoJson"]
        return shapely.geometry.shape(layer.data["features"][0]["geometry"]).bounds

    west, south, _, _ = drawn_bounds(plain)
    gcj_west, gcj_south, _, _ = drawn_bounds(gaode)
    assert (west, south) == shapes.geometry.iloc[0].bounds[:2]
    # GCJ-02 here: about 500 m east and 250 m south of WGS-84 (never zero, never kilometres).
    assert 0.002 < gcj_west - west < 0.01 and 0.001 < south - gcj_south < 0.005


def test_count_axes_have_whole_ticks_and_share_axes_percentages():
    assert charts.value_axis("count").to_dict() == {"format": ",.0f", "tickMinStep": 1}
    assert charts.value_axis("share").to_dict() == {"format": ".1%"}


def test_choropleth_from_the_static_file_holds_no_polygon_and_escapes_names(store, tmp_path):
    import json

    from carriermap.mapview.choropleth import unit_polygons, write_unit_shapes

    city = get_city("420100")
    rows = unit_metrics(store.carriers("420100"), "420100", "reporting_unit")
    names = [PAYLOAD if u == "江岸区" else u for u in rows["unit"]]
    shapes = unit_shapes(rows, "420100", store.features("420100"), "carriers", names=names)
    polygons = unit_polygons("420100", store.features("420100"))
    name = write_unit_shapes(polygons, tmp_path)
    assert write_unit_shapes(polygons, tmp_path) == name  # named by content: written once
    keys = {f["properties"]["key"] for f in json.loads((tmp_path / name).read_text())["features"]}
    assert set(shapes["key"]) <= keys and "东湖高新区" in keys  # the zone's schematic outline too
    kwargs = {"title": "载体", "value_texts": [str(v) for v in shapes["value"]], "legend_labels": ["a"] * 5,
              "no_data_label": "无数据", "center": city.center, "zoom": 9, "basemap": "none",
              "name_alias": "单位", "value_alias": "载体"}
    inline = choropleth(shapes, **kwargs).get_root().render()
    fetched = choropleth(shapes, shapes_url=f"/app/static/cache/{name}", **kwargs).get_root().render()
    assert len(fetched) < len(inline) / 4  # hover texts and fills, no outlines
    assert f"/app/static/cache/{name}" in fetched and '"coordinates"' not in fetched
    assert "<img src=x" not in fetched and "${alert" not in fetched and "&lt;img src=x" in fetched
    assert fetched.count("fitBounds") == inline.count("fitBounds") == 1
