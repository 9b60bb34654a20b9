"""Find space in the browser: type a point and a radius, see the results listed and drawn."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser


def _map_frame(page):
    """The st_folium iframe that holds the Leaflet map."""
    for _ in range(60):
        for frame in page.frames:
            if frame != page.main_frame and frame.locator(".leaflet-container").count():
                return frame
        page.wait_for_timeout(500)
    raise AssertionError("no Leaflet map on the page")


def _enter(page, label: str, value: str) -> None:
    """Type ``value`` into the field labelled ``label`` and let the app rerun."""
    box = page.get_by_label(label, exact=True)
    box.fill(value)
    box.press("Enter")
    wait_for_app(page)


def _open(page, url: str, mode: str) -> None:
    """Open the page and pick how the point is chosen."""
    page.goto(url)
    wait_for_app(page)
    page.get_by_text(mode, exact=True).click()
    wait_for_app(page)


def test_typed_point_and_radius_give_listed_and_drawn_results(app_server, page):
    _open(page, app_server.url + "/find_space?city=440100", "输入坐标")
    _enter(page, "坐标（经度，纬度）", "23.1190, 113.3245")  # latitude first, as Baidu prints it: swapped
    _enter(page, "半径（公里）", "2.5")

    summary = page.get_by_text(re.compile(r"半径 2\.5 公里内有 \d+ 家载体"))
    expect(summary).to_be_visible(timeout=30_000)
    count = int(re.search(r"有 (\d+) 家", summary.inner_text()).group(1))
    assert count > 0
    expect(page.get_by_text("已按 经度 113.3245、纬度 23.119 理解")).to_be_visible()
    expect(page.locator("[data-testid='stDataFrame']").first).to_be_visible()
    assert page.locator("[data-testid='stException']").count() == 0

    frame = _map_frame(page)
    expect(frame.locator(".carriermap-nearby-icon")).to_have_count(1, timeout=30_000)  # the chosen point
    frame.wait_for_function("() => window.cmResults && window.cmResults.placed")
    assert frame.evaluate("() => window.cmResults.placed.length") == count  # every result, on one canvas layer
    assert frame.locator("path.leaflet-interactive, svg path").count() >= 1  # the radius circle
    page.set_viewport_size({"width": 1400, "height": 2000})
    page.wait_for_timeout(800)
    screenshot(page, "find_space_results")


def test_bad_coordinates_say_why_and_do_not_crash(app_server, page):
    _open(page, app_server.url + "/find_space?city=440100&lang=en", "Type coordinates")
    for typed, message in (("Canton Tower", "is not a pair of coordinates"),
                           ("200, 23", "out of range"),
                           ("105.85, 21.03", "not in a city this app covers"),
                           ("114.30, 30.59", "is in Wuhan, not Guangzhou")):
        _enter(page, "Coordinates (longitude, latitude)", typed)
        expect(page.get_by_text(message)).to_be_visible(timeout=30_000)
        assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "find_space_bad_point")


def test_clicking_the_map_sets_the_point(app_server, page):
    _open(page, app_server.url + "/find_space?city=440100&lang=en", "Choose a place")
    _enter(page, "Radius (km)", "5")
    frame = _map_frame(page)
    box = frame.locator(".leaflet-container").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.8, box["y"] + box["height"] * 0.3)  # NE of 北京路: 天河, away from markers
    wait_for_app(page)
    page.wait_for_timeout(1000)
    wait_for_app(page)
    expect(page.get_by_label("Click the map", exact=True)).to_be_checked(timeout=30_000)
    screenshot(page, "find_space_click")
    expect(page.get_by_text(re.compile(r"Point: longitude 113\.\d+, latitude 23\.\d+"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"within 5 km have free space"))).to_be_visible(timeout=30_000)
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "find_space_click")
