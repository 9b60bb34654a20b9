"""Find space: a typed address as the point, through a loopback server answering like Amap (AppTest)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from carriermap import geocoding
from carriermap.coords import gcj02_to_wgs84
from tests.amap_server import Amap, serve_amap

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "find_space.py")


@pytest.fixture
def online(db_url, monkeypatch):
    """The app with an Amap key configured and the endpoint on the loopback interface."""
    monkeypatch.setenv("CARRIERMAP_DATABASE_URL", db_url)
    monkeypatch.setattr(geocoding, "SHARED_CACHE", {})
    with serve_amap() as url:
        monkeypatch.setenv(geocoding.KEY_ENV, "test-key")
        monkeypatch.setenv(geocoding.URL_ENV, url)
        yield url


def _run(**params: str) -> AppTest:
    app = AppTest.from_file(PAGE, default_timeout=120)
    for name, value in params.items():
        app.query_params[name] = value
    return app.run()


def _type_address(app: AppTest, text: str) -> AppTest:
    app.radio(key="fs_mode").set_value("address").run()
    app.text_input(key="fs_address").set_value(text).run()
    assert not app.exception
    return app


def _texts(app: AppTest) -> str:
    return " ".join(str(e.value) for e in [*app.caption, *app.success, *app.warning, *app.error, *app.info])


def test_a_typed_address_is_geocoded_converted_and_gives_results(online):
    app = _type_address(_run(city="440100"), "科韵路16号")
    lon, lat = gcj02_to_wgs84(113.37448, 23.12777)
    assert Amap.requests and Amap.requests[-1]["address"] == "科韵路16号" and Amap.requests[-1]["city"] == "440100"
    assert abs(lon - 113.37448) > 1e-3  # WGS-84, not Amap's GCJ-02 (about 550 m apart here)
    assert "精度：门牌号" in _texts(app)
    assert app.success and "家载体" in app.success[0].value  # results listed
    assert app.query_params["addr"] == "科韵路16号"  # the typed address stays in the URL
    assert app.query_params["at"] == f"{lon:.6f},{lat:.6f}"


def test_a_vague_answer_is_flagged_and_a_point_in_another_city_is_refused(online):
    app = _type_address(_run(city="440100"), "天河区")
    assert app.warning and "区县" in app.warning[0].value
    app.text_input(key="fs_address").set_value("淮北市相山区人民路").run()
    assert not app.exception and app.error and "淮北" in app.error[0].value
    assert "addr" not in app.query_params and "at" not in app.query_params
    app.text_input(key="fs_address").set_value("无此地").run()
    assert app.error and "没有找到" in app.error[0].value


def test_a_link_with_an_address_reopens_it(online):
    app = _run(city="440100", addr="科韵路16号", at="113.369,23.130")
    assert app.radio(key="fs_mode").value == "address"
    assert app.text_input(key="fs_address").value == "科韵路16号"
    assert "精度：门牌号" in _texts(app)


def test_offline_the_address_option_is_absent(db_url, monkeypatch):
    monkeypatch.setenv("CARRIERMAP_DATABASE_URL", db_url)
    monkeypatch.delenv(geocoding.KEY_ENV, raising=False)
    app = _run(city="440100", addr="科韵路16号", at="113.369,23.130")
    assert "address" not in app.radio(key="fs_mode").options
    assert app.radio(key="fs_mode").value == "coordinates"  # the link's point still works
    app.radio(key="fs_mode").set_value("place").run()
    assert "data/places.csv" in _texts(app) and "CARRIERMAP_AMAP_KEY" in _texts(app)
