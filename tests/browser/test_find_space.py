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


def _set_number(page, label: str, value: str) -> None:
    box = page.get_by_label(label, exact=True)
    box.fill(value)
    box.press("Enter")
    wait_for_app(page)


def test_typed_point_and_radius_give_listed_and_drawn_results(app_server, page):
    page.goto(app_server.url + "/find_space?city=440100")
    wait_for_app(page)
    page.get_by_text("输入坐标", exact=True).click()
    wait_for_app(page)
    text = page.get_by_label("坐标(经度,纬度)", exact=True)
    text.fill("23.1190, 113.3245")  # latitude first, as Baidu prints it: recognised and swapped
    text.press("Enter")
    wait_for_app(page)
    _set_number(page, "半径(公里)", "2.5")

    summary = page.get_by_text(re.compile(r"半径 2\.5 公里内有 \d+ 家载体"))
    expect(summary).to_be_visible(timeout=30_000)
    count = int(re.search(r"有 (\d+) 家", summary.inner_text()).group(1))
    assert count > 0
    expect(page.get_by_text("已按 经度 113.3245、纬度 23.119 理解")).to_be_visible()
    expect(page.locator("[data-testid='stDataFrame']")).to_be_visible()
    assert page.locator("[data-testid='stException']").count() == 0

    frame = _map_frame(page)
    icons = frame.locator(".carriermap-nearby-icon")
    expect(icons).to_have_count(count + 1, timeout=30_000)  # the results plus the chosen point
    assert frame.locator("path.leaflet-interactive, svg path").count() >= 1  # the radius circle
    page.set_viewport_size({"width": 1400, "height": 2000})
    page.wait_for_timeout(800)
    screenshot(page, "find_space_results")


def test_bad_coordinates_say_why_and_do_not_crash(app_server, page):
    page.goto(app_server.url + "/find_space?city=440100&lang=en")
    wait_for_app(page)
    page.get_by_text("Type coordinates", exact=True).click()
    wait_for_app(page)
    text = page.get_by_label("Coordinates (longitude, latitude)", exact=True)
    for typed, message in (("Canton Tower", "is not a pair of coordinates"),
                           ("200, 23", "out of range"),
                           ("105.85, 21.03", "not in a city this app covers"),
                           ("114.30, 30.59", "is in Wuhan, not Guangzhou")):
        text.fill(typed)
        text.press("Enter")
        wait_for_app(page)
        expect(page.get_by_text(message)).to_be_visible(timeout=30_000)
        assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "find_space_bad_point")
