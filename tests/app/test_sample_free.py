"""Every page in a sample-free deployment, the public "hide sample records" switch, and the districts
page reproducing Guangzhou's published incubator figures from a type filter in the URL (AppTest)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
PAGES = ("map", "districts", "find_space", "data")


def _run(page: str, **params: str) -> AppTest:
    app = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=120)
    for name, value in params.items():
        app.query_params[name] = value
    return app.run()


def _metrics(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


@pytest.fixture
def sample_free(blank_db_url, monkeypatch):
    """A new deployment with CARRIERMAP_SAMPLE_DATA=0: the database is filled on first use, sourced records only."""
    monkeypatch.setenv("CARRIERMAP_DATABASE_URL", blank_db_url)
    monkeypatch.setenv("CARRIERMAP_SAMPLE_DATA", "0")
    return blank_db_url


@pytest.fixture
def with_samples(db_url, monkeypatch):
    monkeypatch.setenv("CARRIERMAP_DATABASE_URL", db_url)
    monkeypatch.delenv("CARRIERMAP_SAMPLE_DATA", raising=False)
    return db_url


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("city", ["440100", "340600"])
def test_every_page_works_in_a_sample_free_deployment(sample_free, page, city):
    app = _run(page, city=city)
    assert not app.exception, app.exception
    assert "ui_hide_samples" not in [toggle.key for toggle in app.toggle]  # nothing to hide: no switch
    if page in ("map", "districts"):  # no "contains invented records" note where there are none
        assert not any("虚构" in caption.value for caption in app.caption)
    from carriermap.store import Store

    store = Store.open(sample_free)
    assert not store.carriers()["is_sample"].any() and not store.targets()["is_sample"].any()
    assert {f["name"] for f in store.features("440100")} >= {"广州科技创新走廊", "广州开发区"}
    store.engine.dispose()


def test_sample_free_districts_page_shows_no_invented_figure(sample_free):
    app = _run("districts", city="440100")
    headline = _metrics(app)
    assert headline["载体总数\uff08家\uff09"] == "0" and headline["吸纳就业\uff08人\uff09"] == "0"
    bars = " ".join(p.proto.text for p in app.get("progress"))
    assert "众创空间" in bars and "已逾期" in bars and "示例" not in bars


def test_districts_page_with_type_filter_reproduces_the_published_incubator_figures(with_samples):
    app = _run("districts", city="440100", type="incubator")
    assert not app.exception
    headline = _metrics(app)
    assert headline["载体总数\uff08家\uff09"] == "207" and headline["国家级\uff08家\uff09"] == "21"
    assert headline["吸纳就业\uff08人\uff09"] == "110,600"
    assert any("孵化器" in caption.value for caption in app.caption)  # the page says what it counts
    everything = _metrics(_run("districts", city="440100"))
    assert everything["载体总数\uff08家\uff09"] == "335"


def test_hide_samples_switch_in_the_url_on_every_page(with_samples):
    shown = _run("districts", city="440100")
    assert shown.toggle(key="ui_hide_samples").value is False
    hidden = _run("districts", city="440100", samples="hide")
    assert hidden.toggle(key="ui_hide_samples").value is True
    assert _metrics(hidden)["载体总数\uff08家\uff09"] == "0"
    for page in ("map", "find_space"):
        app = _run(page, city="440100", samples="hide")
        assert not app.exception and app.toggle(key="ui_hide_samples").value is True
    # through the router, as a visitor uses it: flip the switch, the URL keeps it, the next page obeys it
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.query_params["city"] = "440100"
    app.run()
    app.toggle(key="ui_hide_samples").set_value(True).run()
    assert not app.exception and app.query_params.get("samples") in ("hide", ["hide"])
    app.switch_page("pages/districts.py").run()
    assert not app.exception and _metrics(app)["载体总数\uff08家\uff09"] == "0"
