"""The app starts on the embedded database and shows its title, with no network."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, seeded_copy, start_app, stop_app, wait_for_app

pytestmark = pytest.mark.browser


@pytest.fixture
def fresh_app(tmp_path, seeded_db_file):
    """A server no session has visited yet (Streamlit's first-run behaviour differs)."""
    app = start_app(tmp_path, seeded_copy(seeded_db_file, tmp_path))
    yield app
    stop_app(app.process)


def test_first_visit_to_a_sub_page_is_routed(fresh_app, page):
    """A fresh server whose first visitor opens /districts still gets the router's pages."""
    page.goto(fresh_app.url + "/districts?city=420100&lang=en")
    wait_for_app(page)
    page.get_by_role("heading", name="Districts").wait_for(timeout=30_000)
    nav = page.locator("[data-testid='stSidebarNav']")
    nav.get_by_text("Innovation map").wait_for(timeout=30_000)
    assert nav.get_by_text("app", exact=True).count() == 0


def test_home_shows_title(app_server, page):
    page.goto(app_server.url + "/")
    wait_for_app(page)
    page.get_by_text("创新载体地图").first.wait_for(timeout=30_000)
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "home")


def test_language_and_city_from_url(app_server, page):
    page.goto(app_server.url + "/districts?city=420100&lang=en")
    wait_for_app(page)
    page.get_by_role("heading", name="Districts").wait_for(timeout=30_000)
    assert "city=420100" in page.url
    city_box = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first
    expect(city_box.locator("input")).to_have_value("Wuhan", timeout=30_000)


def test_city_language_and_filters_survive_page_changes(fresh_app, page):
    """A fresh server, first visit to / with a link: switching pages keeps city, language and filters."""
    page.goto(fresh_app.url + "/?city=420100&lang=en&type=incubator")
    wait_for_app(page)
    page.get_by_role("heading", name="Wuhan innovation carrier map").wait_for(timeout=30_000)
    nav = page.locator("[data-testid='stSidebarNav'] a")
    nav.nth(1).click()
    page.get_by_role("heading", name="Districts · Wuhan").wait_for(timeout=30_000)
    nav.nth(0).click()
    page.get_by_role("heading", name="Wuhan innovation carrier map").wait_for(timeout=30_000)
    wait_for_app(page)
    assert "type=incubator" in page.url and "status=" not in page.url
