"""Issue 17 in Chromium, at a desk (1440×900) and on a phone (390×844): district fit and outline, a
shared carrier link, basemap switch keeping the view, the picking map, a find-space link, the embed URL."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from carriermap.mapview.district_layer import CHOSEN_STROKE
from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser

SIZES = {"desk": (1440, 900), "phone": (390, 844)}
HAIZHU = "440105"


@pytest.fixture(params=sorted(SIZES))
def sized(request, browser):
    """A fresh page at each size (phone: touch, as a phone's browser)."""
    width, height = SIZES[request.param]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                  has_touch=request.param == "phone")
    page = context.new_page()
    page.size_name = request.param
    yield page
    context.close()


def leaflet_frame(page, ready: str = "!!window.map", timeout_ms: int = 60_000):
    """The st_folium frame once ``ready`` (a JS expression) holds in it."""
    waited = 0
    while waited < timeout_ms:
        for frame in page.frames:
            if "st_folium" in frame.url:
                try:
                    if frame.evaluate(f"() => {ready}"):
                        return frame
                except Exception:  # the frame is (re)loading
                    pass
        page.wait_for_timeout(250)
        waited += 250
    raise AssertionError(f"the map never satisfied {ready}")


def view(frame) -> dict:
    return frame.evaluate("() => ({c: window.map.getCenter(), z: window.map.getZoom(),"
                          " b: window.map.getBounds().toBBoxString()})")


def open_page(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)


def test_district_filter_fits_and_outlines_the_district(app_server, sized):
    open_page(sized, app_server.url + "/?city=440100")
    city_zoom = view(leaflet_frame(sized, "window.cmCarriers && window.cmCarriers.counts"))["z"]
    open_page(sized, app_server.url + f"/?city=440100&district={HAIZHU}")
    frame = leaflet_frame(sized, "window.cmCarriers && window.cmCarriers.counts && window.map._cmView"
                                 " && window.map._cmView.viewKey")
    sized.wait_for_timeout(500)
    outline = frame.locator(f"path.leaflet-interactive[stroke='{CHOSEN_STROKE}']")
    expect(outline).to_have_count(1)
    assert view(frame)["z"] > city_zoom  # zoomed in on the district
    box = outline.bounding_box()
    container = frame.locator(".leaflet-container").bounding_box()
    assert box["width"] > container["width"] * 0.5 or box["height"] > container["height"] * 0.5  # it fills the view
    assert frame.locator(".cm-district-label.cm-chosen").inner_text() == "海珠区"
    assert frame.locator(".cm-district-label").count() == 11  # every district named: readable with no tiles
    assert sized.locator("[data-testid='stException']").count() == 0
    sized.screenshot(path=f"/tmp/public-test-district-{sized.size_name}.png")


def test_carrier_link_opens_with_the_carrier_ringed_and_its_surroundings(app_server, sized):
    open_page(sized, app_server.url + "/?city=440100&carrier=5")
    frame = leaflet_frame(sized, "window.cmCarriers && window.cmCarriers.ring")
    assert frame.evaluate("() => window.cmCarriers.ring.id") == 5
    zoom = view(frame)["z"]
    assert 12 <= zoom <= 15  # its streets and neighbours, not one dot at 16
    details = sized.locator(".cm-details")
    details.scroll_into_view_if_needed()
    expect(details).to_be_visible()
    assert "carrier=5" in sized.url


def test_switching_basemap_keeps_the_view(app_server, sized):
    open_page(sized, app_server.url + f"/?city=440100&district={HAIZHU}")
    frame = leaflet_frame(sized, "window.map && window.map._cmView && window.map._cmView.viewKey")
    frame.evaluate("() => window.map.setView([23.10, 113.30], 14, {animate: false})")  # the user pans and zooms
    sized.wait_for_timeout(800)
    if sized.size_name == "phone":
        sized.get_by_test_id("stExpandSidebarButton").click()
    sized.locator("[data-testid='stSidebar']").get_by_text("无底图").click()
    sized.wait_for_function("() => location.search.includes('basemap=none')")
    wait_for_app(sized)
    sized.wait_for_timeout(1000)
    frame = leaflet_frame(sized, "window.map && window.map._cmView && window.map._cmView.basemap === 'none'")
    after = view(frame)
    assert after["z"] == 14
    assert after["c"]["lat"] == pytest.approx(23.10, abs=1e-4) and after["c"]["lng"] == pytest.approx(113.30, abs=1e-4)


def test_find_space_picking_map_shows_districts_and_carriers(app_server, sized):
    open_page(sized, app_server.url + "/find_space?city=440100")
    frame = leaflet_frame(sized, "window.cmCarriers && window.cmCarriers.counts")
    assert frame.locator("path.leaflet-interactive").count() >= 11
    assert frame.locator(".cm-district-label").count() == 11
    assert frame.evaluate("() => window.cmCarriers.counts.shown") > 300


def test_find_space_link_reproduces_the_search(app_server, sized):
    open_page(sized, app_server.url + "/find_space?city=440100&lang=en")
    sized.get_by_text("Type coordinates", exact=True).click()
    wait_for_app(sized)
    box = sized.get_by_label("Coordinates (longitude, latitude)", exact=True)
    box.fill("113.3245,23.1190")
    box.press("Enter")
    wait_for_app(sized)
    radius = sized.get_by_label("Radius (km)", exact=True)
    radius.fill("4.5")
    radius.press("Enter")
    wait_for_app(sized)
    summary = sized.get_by_text(re.compile(r"within 4\.5 km have free space"))
    expect(summary).to_be_visible(timeout=30_000)
    sized.wait_for_function("() => location.search.includes('at=113.324500')")
    link = sized.url
    assert "r=4.5" in link
    other = sized.context.new_page()
    open_page(other, link)
    expect(other.get_by_text(summary.inner_text(), exact=True)).to_be_visible(timeout=30_000)
    frame = leaflet_frame(other, "window.cmResults && window.cmResults.placed")
    placed = frame.evaluate("() => window.cmResults.placed.map(b => [b.x, b.y])")
    radius_px = frame.evaluate("() => window.cmResults.radius")
    for i, (x1, y1) in enumerate(placed):  # numbered badges never overlap
        for x2, y2 in placed[i + 1:]:
            assert (x1 - x2) ** 2 + (y1 - y2) ** 2 >= (2 * radius_px) ** 2
    circle = frame.locator("path.leaflet-interactive[stroke='#c0392b'], path[stroke='#c0392b']").first.bounding_box()
    container = frame.locator(".leaflet-container").bounding_box()
    assert circle["width"] <= container["width"] + 2 and circle["height"] <= container["height"] + 2  # fitted
    assert other.locator("[data-testid='stException']").count() == 0
    other.close()


def test_embed_url_shows_the_map_without_the_sidebar(app_server, sized):
    open_page(sized, app_server.url + f"/?city=440100&district={HAIZHU}&embed=true")
    frame = leaflet_frame(sized, "window.cmCarriers && window.cmCarriers.counts")
    assert sized.locator("[data-testid='stSidebar']").count() == 0
    assert sized.get_by_test_id("stExpandSidebarButton").count() == 0
    assert sized.get_by_role("heading", name="广州市创新载体地图").count() == 0
    full = frame.evaluate("() => window.cmCarriers.counts.shown")
    open_page(sized, app_server.url + "/?city=440100&embed=true")
    assert leaflet_frame(sized, "window.cmCarriers && window.cmCarriers.counts").evaluate(
        "() => window.cmCarriers.counts.shown") > full  # the district filter came from the URL


def _copy_frame(page):
    """The copy-link button's frame."""
    for _ in range(120):
        for frame in page.frames:
            try:
                if frame.locator("#cm-copy").count():
                    return frame
            except Exception:  # the frame is (re)loading
                pass
        page.wait_for_timeout(250)
    raise AssertionError("no copy-link button")


def test_copy_link_copies_the_address_with_the_filters(app_server, sized):
    sized.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_server.url)
    open_page(sized, app_server.url + f"/?city=440100&district={HAIZHU}")
    frame = _copy_frame(sized)
    frame.locator("#cm-copy").click()
    frame.wait_for_function("() => !!window.cmCopied || document.getElementById('cm-link').value !== ''")
    copied = frame.evaluate("() => window.cmCopied || document.getElementById('cm-link').value")
    assert copied == sized.url and f"district={HAIZHU}" in copied


def test_cluster_bubbles_and_dots_never_overlap(app_server, sized):
    open_page(sized, app_server.url + "/?city=440100")
    frame = leaflet_frame(sized, "window.cmCarriers && window.cmCarriers.drawn && window.cmCarriers.drawn.length")
    for zoom in (10, 11, 12, 13):
        frame.evaluate(f"() => window.map.setZoom({zoom}, {{animate: false}})")
        sized.wait_for_timeout(300)
        drawn = frame.evaluate("() => window.cmCarriers.drawn.map(d => [d.x, d.y, d.r + (d.count > 1 ? 3 : 1.5)])")
        assert len(drawn) > 1
        for i, (x1, y1, r1) in enumerate(drawn):
            for x2, y2, r2 in drawn[i + 1:]:
                assert ((x1 - x2) ** 2 + (y1 - y2) ** 2) ** 0.5 + 0.01 >= r1 + r2, (zoom, (x1, y1), (x2, y2))


def test_carrier_tooltip_hides_the_district_tooltip(app_server, browser):
    page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    open_page(page, app_server.url + f"/?city=440100&district={HAIZHU}")
    frame = leaflet_frame(page, "window.cmCarriers && window.cmCarriers.drawn && window.cmCarriers.drawn.length")
    box = frame.locator(".leaflet-container").bounding_box()
    bubble = frame.evaluate("() => { const d = window.cmCarriers.drawn.find(d => d.count > 1); return [d.x, d.y]; }")
    page.mouse.move(box["x"] + bubble[0] + 40, box["y"] + bubble[1] + 40)  # inside the district, off the carriers
    page.mouse.move(box["x"] + bubble[0], box["y"] + bubble[1], steps=8)  # onto a bubble
    page.wait_for_timeout(300)
    assert frame.evaluate("() => document.querySelector('.leaflet-container').classList.contains('cm-over-carrier')")
    assert frame.evaluate("() => getComputedStyle(document.querySelector('.leaflet-tooltip-pane')).display") == "none"
    assert frame.evaluate("() => window.cmCarriers.tip.style.display") == "block"
    page.close()


def test_layer_switcher_is_folded_on_a_phone_and_open_at_a_desk(app_server, sized):
    open_page(sized, app_server.url + "/?city=440100")
    frame = leaflet_frame(sized, "window.cmCarriers && window.cmCarriers.counts")
    switcher = frame.locator(".leaflet-control-layers")
    if sized.size_name == "phone":
        expect(switcher).not_to_have_class(re.compile("leaflet-control-layers-expanded"))
        frame.locator(".leaflet-control-layers-toggle").tap()
        expect(switcher).to_have_class(re.compile("leaflet-control-layers-expanded"))
    else:
        expect(switcher).to_have_class(re.compile("leaflet-control-layers-expanded"))
