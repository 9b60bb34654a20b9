"""Online geocoding against a local HTTP server answering in Amap's documented format (no mocked function)."""

import pytest

from carriermap import geocoding
from carriermap.coords import gcj02_to_wgs84
from carriermap.geocoding import AmapGeocoder, amap_key
from tests.amap_server import Amap, serve_amap


@pytest.fixture
def amap_url():
    with serve_amap() as url:
        yield url


def test_an_answer_is_converted_to_wgs84_with_its_level_and_cached(amap_url):
    coder = AmapGeocoder("k", url=amap_url, min_interval=0)
    found = coder.geocode("科韵路16号", "440100")
    lon, lat = gcj02_to_wgs84(113.37448, 23.12777)
    assert found.outcome == "ok" and found.level == "门牌号" and found.precise and found.adcode == "440106"
    assert found.lon == pytest.approx(float(lon), abs=1e-7) and found.lat == pytest.approx(float(lat), abs=1e-7)
    assert abs(found.lon - 113.37448) > 0.004  # really moved off GCJ-02 (about 500 m here)
    assert Amap.requests[0]["key"] == "k" and Amap.requests[0]["city"] == "440100"
    assert coder.geocode("科韵路16号", "440100") == found and len(Amap.requests) == 1  # from the cache
    vague = coder.geocode("天河区", "440100")
    assert vague.outcome == "ok" and not vague.precise and vague.level == "区县"


def test_not_found_errors_quota_and_timeouts(amap_url):
    coder = AmapGeocoder("k", url=amap_url, min_interval=0, timeout=0.5)
    assert coder.geocode("无此地").outcome == "not_found"
    assert coder.geocode("错误").outcome == "error" and "20000" in coder.geocode("错误").info
    assert coder.geocode("慢").outcome == "timeout"
    results = coder.batch([("科韵路16号", ""), ("配额", ""), ("天河区", ""), ("无此地", "")])
    assert [r.outcome for r in results] == ["ok", "stopped", "not_tried", "not_tried"]
    assert "DAILY_QUERY_OVER_LIMIT" in results[1].info
    assert [q["address"] for q in Amap.requests].count("天河区") == 0  # nothing sent after the quota ran out


def test_an_unreachable_server_is_an_error_not_a_crash():
    coder = AmapGeocoder("k", url="http://127.0.0.1:9/v3/geocode/geo", min_interval=0, timeout=0.5)
    assert coder.geocode("科韵路16号").outcome in ("error", "timeout")


def test_requests_are_spaced_by_the_rate_limit(amap_url):
    now = [100.0]
    waits: list[float] = []

    def sleep(seconds):
        waits.append(seconds)
        now[0] += seconds

    coder = AmapGeocoder("k", url=amap_url, min_interval=0.5, clock=lambda: now[0], sleep=sleep)
    coder.batch([("科韵路16号", ""), ("天河区", ""), ("无此地", "")])
    assert waits == [0.5, 0.5]


def test_off_without_a_key(monkeypatch):
    monkeypatch.delenv(geocoding.KEY_ENV, raising=False)
    assert amap_key() == "" and amap_key({"amap_key": "s"}) == "s"
    monkeypatch.setenv(geocoding.KEY_ENV, "e")
    assert amap_key({"amap_key": "s"}) == "e"
