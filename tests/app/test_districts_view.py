"""/districts works its figures out once per data version (shared by every session) and draws them as they are."""

from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from carriermap.cities import get_city
from carriermap.districts import table as mt
from carriermap.districts.metrics import unit_metrics
from carriermap.ui import districts_view
from carriermap.versions import delist

ROOT = Path(__file__).resolve().parents[2]


def _page(db_url: str, monkeypatch) -> AppTest:
    monkeypatch.setenv("CARRIERMAP_DATABASE_URL", db_url)
    app = AppTest.from_file(str(ROOT / "pages" / "districts.py"), default_timeout=120)
    app.query_params["city"] = "420100"
    return app


def test_the_view_is_built_once_per_data_version_and_follows_a_write(store, db_url, monkeypatch):
    st.cache_resource.clear()
    builds = []
    real = districts_view.mt.table

    def counted(*args, **kwargs):
        builds.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(districts_view.mt, "table", counted)
    app = _page(db_url, monkeypatch)
    app.run()
    assert not app.exception
    first = len(builds)
    assert first >= 1
    app.run()
    other = _page(db_url, monkeypatch)  # another session of the same process
    other.run()
    assert not other.exception and len(builds) == first  # reruns and other visitors reuse the view

    victim = store.carriers("420100").query("status == 'operating'").iloc[0]
    delist(store, int(victim["id"]), actor="official")
    app.run()
    assert len(builds) > first  # a write makes a new data version: built again
    shown = [m.value for m in app.metric]
    expected = unit_metrics(store.carriers("420100"), "420100", "reporting_unit")["carriers"].sum()
    assert f"{int(expected):,}" in shown


def test_the_screen_tables_and_csv_are_those_of_the_figures(store, db_url, monkeypatch):
    st.cache_resource.clear()
    app = _page(db_url, monkeypatch)
    app.run()
    rows = unit_metrics(store.carriers("420100"), "420100", "reporting_unit")
    city = get_city("420100")
    first_table = app.table[0].value
    expected = mt.screen_table(mt.table(rows, city, "zh", hide_empty=True, columns=mt.OVERVIEW), "zh")
    assert list(first_table.columns) == list(expected.columns)
    assert first_table.astype(str).values.tolist() == expected.astype(str).values.tolist()
    built = districts_view._view.__wrapped__(db_url, "420100", store.data_version(), "reporting_unit", None,
                                             "zh", False)
    assert built.csv == mt.csv(rows, city, "zh")
    assert built.total["carriers"] == rows["carriers"].sum()
    frames = app.get("iframe")
    assert len(frames) == 1, "the choropleth is one plain frame (the quality map waits for its tab)"
    assert "leaflet" in frames[0].proto.srcdoc.lower() and "units-" in frames[0].proto.srcdoc


def test_a_choropleth_shows_its_titles_as_written(store):
    """Titles are escaped for HTML once (a Markdown-escaped "(%)" showed as "&#40;%&#41;" in the legend)."""
    rows = unit_metrics(store.carriers("420100"), "420100", "reporting_unit")
    html, schematic = districts_view.choropleth_html(
        rows, rows["unit"], "specialized_share", "share", "近期确认(%) <b>", "区域", get_city("420100"), "zh",
        store.features("420100"), "/app/static/cache/units-x.json")
    assert "<b>近期确认(%) &lt;b&gt;</b>" in html and "&#40;" not in html and "(%) <b>" not in html
    assert schematic  # 东湖高新区 is drawn by its zone outline


def test_the_english_quality_tab_names_every_unit_in_english(db_url, monkeypatch):
    """Reporting units that are districts are keyed by their Chinese name; the English page names them in English."""
    from carriermap.i18n import t

    app = _page(db_url, monkeypatch)
    app.query_params["lang"] = "en"
    app.run()
    app.session_state["districts_tab"] = t("quality.header", "en")  # the data quality tab, opened
    app.run()
    assert not app.exception
    units = next(df.value for df in app.dataframe if t("quality.col.unit", "en") in df.value.columns)
    names = units[t("quality.col.unit", "en")].tolist()
    assert {"East Lake High-tech Zone", "Hongshan", "Wuchang"} <= set(names)
    assert not any("\u4e00" <= ch <= "\u9fff" for name in names for ch in name), names
