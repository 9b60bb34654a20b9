"""The public map in headless Chromium: districts, carriers, URL filters, escaping, Gaode shift."""

from __future__ import annotations

import re

import pytest

from carriermap.coords import wgs84_to_gcj02
from carriermap.mapview.city_map import DISTRICT_STROKE
from carriermap.model import clean_carrier
from carriermap.store import Store
from tests.browser.conftest import screenshot, seeded_copy, start_app, stop_app, wait_for_app

pytestmark = pytest.mark.browser

XSS_NAME = "<img src=x onerror=window.top.__xss=1>天河XSS孵化器"


@pytest.fixture(scope="module")
def map_app(tmp_path_factory, seeded_db_file):
    """The app on a copy of the seeded database plus one carrier whose name holds HTML."""
    from tests.browser.conftest import _require_browser

    _require_browser()
    directory = tmp_path_factory.mktemp("map_app")
    db_url = seeded_copy(seeded_db_file, directory)
    store = Store.open(db_url)
    record, problems = clean_carrier({
        "name": XSS_NAME, "type": "incubator", "level": "municipal", "city_adcode": "440100",
        "district_adcode": "440106", "address": "天河路 `${alert(1)}` 号", "lon": 113.3612, "lat": 23.1247,
        "is_sample": True})
    assert not problems, problems
    carrier_id = store.apply(actor="test", kind="import", city_adcode="440100", inserts=[record]).inserted[0]
    store.engine.dispose()
    app = start_app(directory, db_url)
    app.xss_id = carrier_id
    yield app
    stop_app(app.process)


def map_frame(page, timeout_ms: int = 60_000):
    """The st_folium iframe once the carriers' layer is drawn."""
    waited = 0
    while waited < timeout_ms:
        for frame in page.frames:
            if "st_folium" in frame.url:
                try:
                    if frame.evaluate("() => !!(window.cmCarriers && window.cmCarriers.counts)"):
                        return frame
                except Exception:  # the frame is (re)loading
                    pass
        page.wait_for_timeout(250)
        waited += 250
    raise AssertionError("the map did not draw its carriers")


def drawn_total(frame) -> int:
    return int(frame.evaluate("() => document.querySelector('canvas.cm-carriers').dataset.total"))


def shown_count(page) -> int:
    text = page.get_by_text(re.compile(r"显示 \d[\d,]* 个载体")).first.inner_text()
    return int(re.search(r"显示 ([\d,]+)", text).group(1).replace(",", ""))


def test_city_map_shows_districts_carriers_legend_and_counts(map_app, page):
    page.goto(map_app.url + "/?city=440100")
    wait_for_app(page)
    frame = map_frame(page)
    districts = frame.locator(f"path.leaflet-interactive[stroke='{DISTRICT_STROKE}']")
    assert districts.count() == 11
    counts = frame.evaluate("() => window.cmCarriers.counts")
    assert counts["singles"] + counts["clusters"] > 0
    assert page.get_by_role("heading", name="广州市创新载体地图").count() == 1
    assert page.locator(".cm-legend").get_by_text("孵化器").count() == 1
    assert page.get_by_text("示例").count() > 0
    assert shown_count(page) == drawn_total(frame) > 300
    assert frame.locator(".leaflet-control-layers").get_by_text("创新载体").count() == 1
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "map_guangzhou")
    download = page.get_by_role("button", name=re.compile(r"下载 CSV（\d+ 条）"))
    download.scroll_into_view_if_needed()
    assert page.locator("[data-testid='stDataFrame']").count() == 1
    screenshot(page, "map_list")


def test_filter_in_the_url_changes_the_count(map_app, page):
    page.goto(map_app.url + "/?city=440100")
    wait_for_app(page)
    everything = drawn_total(map_frame(page))
    page.goto(map_app.url + "/?city=440100&type=maker_space&level=national")
    wait_for_app(page)
    frame = map_frame(page)
    filtered = drawn_total(frame)
    assert 0 < filtered < everything
    assert shown_count(page) == filtered
    assert "type=maker_space" in page.url and "level=national" in page.url
    multiselect = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").nth(0)
    assert multiselect.get_by_text("众创空间").count() == 1


def test_carrier_name_with_html_shows_as_text(map_app, page):
    page.goto(map_app.url + "/?city=440100&q=XSS")
    wait_for_app(page)
    frame = map_frame(page)
    assert drawn_total(frame) == 1
    frame.evaluate(f"() => window.cmCarriers.focus({map_app.xss_id})")
    page.wait_for_timeout(500)
    x, y = frame.evaluate(f"() => window.cmCarriers.pointOf({map_app.xss_id})")
    box = page.locator("iframe[title*='st_folium']").bounding_box()
    page.mouse.move(box["x"] + x, box["y"] + y)
    tip = frame.locator(".cm-carrier-tip")
    assert tip.inner_text() == XSS_NAME
    page.mouse.click(box["x"] + x, box["y"] + y)
    panel = page.locator(".cm-details")
    panel.wait_for(timeout=30_000)
    assert panel.locator(".cm-details-name").inner_text() == XSS_NAME
    assert "示例值" in panel.inner_text()  # every value of this record is marked illustrative
    assert "`${alert(1)}`" in panel.inner_text()
    assert page.locator("img[src='x']").count() == 0 and frame.locator("img[src='x']").count() == 0
    assert page.evaluate("() => window.__xss") is None
    screenshot(page, "map_xss_as_text")


def test_switching_to_gaode_moves_a_carrier_by_the_gcj_offset(map_app, page):
    page.goto(map_app.url + "/?city=440100&q=XSS")
    wait_for_app(page)
    before = map_frame(page).evaluate(f"() => window.cmCarriers.latLngOf({map_app.xss_id})")
    page.locator("[data-testid='stSidebar']").get_by_text("高德地图（GCJ-02）").click()
    wait_for_app(page)
    page.wait_for_function("() => location.search.includes('basemap=gaode')")
    page.wait_for_timeout(1000)
    after = map_frame(page).evaluate(f"() => window.cmCarriers.latLngOf({map_app.xss_id})")
    lon, lat = wgs84_to_gcj02(before[1], before[0])
    assert after == pytest.approx([float(lat), float(lon)], abs=2e-5)
    assert abs(after[1] - before[1]) > 0.003  # about 500 m: a visible move, not rounding
    screenshot(page, "map_gaode")


def test_filter_widgets_write_a_shareable_link(map_app, page):
    page.goto(map_app.url + "/?city=440100")
    wait_for_app(page)
    everything = drawn_total(map_frame(page))
    page.get_by_label("名称或地址搜索").fill("天河")
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.search.includes('q=')")
    wait_for_app(page)
    page.wait_for_timeout(500)
    filtered = drawn_total(map_frame(page))
    assert 0 < filtered < everything
    link = page.url
    other = page.context.new_page()
    other.goto(link)
    wait_for_app(other)
    assert drawn_total(map_frame(other)) == filtered
    other.close()


def test_picking_a_row_in_the_list_shows_its_details(map_app, page):
    page.goto(map_app.url + "/?city=440100&q=XSS")
    wait_for_app(page)
    map_frame(page)
    grid = page.locator("[data-testid='stDataFrame']")
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)  # the first row's selection box
    page.locator(".cm-details").wait_for(timeout=30_000)
    assert page.locator(".cm-details-name").inner_text() == XSS_NAME
