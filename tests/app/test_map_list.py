"""The map page's list sends one page of rows, pages and sorts on the server, and downloads everything."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from carriermap import filters

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def map_page(store, db_url, monkeypatch):
    """The map page of Guangzhou alone (no router), on a private database."""
    monkeypatch.setenv("CARRIERMAP_DATABASE_URL", db_url)
    app = AppTest.from_file(str(ROOT / "pages" / "map.py"), default_timeout=60)
    app.query_params["city"] = "440100"
    return app.run()


def _listed(app: AppTest):
    return app.dataframe[0].value


def test_first_visit_lists_one_page_not_the_city(store, map_page):
    assert not map_page.exception
    shown = filters.apply(store.carriers("440100"), filters.MapFilters())
    assert len(shown) > 100
    assert len(_listed(map_page)) == 50
    assert any(f"共 {len(shown):,} 条" in caption.value for caption in map_page.caption)


def test_next_page_and_sort_by_free_space(store, map_page):
    first = list(_listed(map_page).index)
    app = map_page.number_input(key="map_list_page").set_value(2).run()
    second = list(_listed(app).index)
    assert len(second) == 50 and not set(first) & set(second)
    app = app.selectbox(key="map_list_sort").set_value("available_m2").run()
    app = app.toggle(key="map_list_desc").set_value(True).run()
    assert app.number_input(key="map_list_page").value == 2  # the page stays where the editor put it
    app = app.number_input(key="map_list_page").set_value(1).run()
    shown = filters.apply(store.carriers("440100"), filters.MapFilters())
    top = int(_listed(app).index[0])
    assert float(shown.set_index("id").loc[top, "available_m2"]) == float(shown["available_m2"].max())
