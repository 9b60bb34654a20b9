"""In Chromium: carrier text made of Markdown images, links and bare URLs renders as text on the
public pages (no outside image requested, no live link), and hostile links show no exception."""

import pytest
from sqlalchemy import create_engine, update

from carriermap.store import schema
from tests.browser.conftest import screenshot, seeded_copy, start_app, stop_app, wait_for_app

pytestmark = pytest.mark.browser

BEACON = "127.0.0.1:9"
UNIT = f"[点我](http://{BEACON}/l) www.{BEACON}.example"
NAME = f"![t](http://{BEACON}/i.png)孵化器"


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory, seeded_db_file):
    directory = tmp_path_factory.mktemp("hostile")
    url = seeded_copy(seeded_db_file, directory)
    engine = create_engine(url)
    with engine.begin() as conn:
        table = schema.carriers
        conn.execute(update(table).where(table.c.city_adcode == "440100").values(
            name=NAME, reporting_unit=UNIT, contact=f"http://{BEACON}/c", address="<b>粗</b>"))
    engine.dispose()
    app = start_app(directory, url)
    yield app
    stop_app(app.process)


def _no_outside_markup(page):
    assert page.locator(f"a[href*='{BEACON}']").count() == 0
    assert page.locator(f"img[src*='{BEACON}']").count() == 0
    assert page.locator("[data-testid='stException']").count() == 0


def test_districts_table_shows_a_markdown_unit_as_text(hostile_app, page):
    page.set_viewport_size({"width": 1400, "height": 2400})
    page.goto(hostile_app.url + "/districts?city=440100")
    wait_for_app(page)
    page.locator("[data-testid='stTable'] td").first.wait_for(timeout=60_000)
    wait_for_app(page)
    screenshot(page, "security-districts-markdown-unit")
    _no_outside_markup(page)
    cells = " ".join(page.locator("[data-testid='stTable']").first.all_inner_texts())
    assert "[点我](http://" in cells.replace("\u2060", "")  # the unit, as typed


@pytest.mark.parametrize("query", ["carrier=²", "carrier=99999999999999999999", "carrier=..%2F..%2F",
                                   "city=%E2%80%AE&lang=%5Bx%5D(http://127.0.0.1:9)"])
def test_hostile_links_show_the_map_without_an_exception(hostile_app, page, query):
    page.goto(f"{hostile_app.url}/?{query}")
    wait_for_app(page)
    page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=60_000)
    _no_outside_markup(page)


def test_map_details_of_a_linked_carrier_show_its_name_as_text(hostile_app, page):
    from carriermap.store import Store

    store = Store.open(hostile_app.db_url, seed=False)
    carrier_id = int(store.carriers("440100")["id"].iloc[0])
    store.engine.dispose()
    page.goto(f"{hostile_app.url}/?city=440100&carrier={carrier_id}")
    wait_for_app(page)
    page.locator(".cm-details").wait_for(timeout=60_000)
    _no_outside_markup(page)
    assert "![t](http://" in page.locator(".cm-details").inner_text().replace("\u2060", "")
