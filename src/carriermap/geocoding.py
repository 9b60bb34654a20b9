"""Optional online geocoding of the "needs a location" queue with the Amap Web Service API.

Off by default: it runs only when a deployment configures a key (``CARRIERMAP_AMAP_KEY`` or
``amap_key`` in ``.streamlit/secrets.toml``); everything else works offline without it.
The endpoint is a setting (``CARRIERMAP_AMAP_URL``, default Amap's geocode URL), so tests
point it at a server on the loopback interface.

One batch geocodes many addresses: requests are spaced by ``min_interval`` seconds (Amap's
per-key QPS limit), each has a ``timeout``, answers are cached per (address, city) for the
process, and the batch stops at the first answer saying the daily quota or the key is
exhausted (``infocode`` 10001–10004, 10044, 10045 …): the rest are marked "not tried"
rather than hammered. Amap answers in GCJ-02; every point is converted to WGS-84
(:func:`carriermap.coords.gcj02_to_wgs84`, iterated) and reported with Amap's ``level``
(门牌号, 兴趣点, 道路, 区县 …) so the editor can accept precise answers and reject vague ones.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from carriermap.coords import gcj02_to_wgs84

DEFAULT_URL = "https://restapi.amap.com/v3/geocode/geo"
KEY_ENV, URL_ENV = "CARRIERMAP_AMAP_KEY", "CARRIERMAP_AMAP_URL"
# infocodes that end the batch: the key or the quota is used up (retrying only repeats them).
STOP_CODES = frozenset({"10001", "10002", "10003", "10004", "10009", "10010", "10012", "10013", "10014",
                        "10019", "10020", "10021", "10044", "10045"})
# Longest address sent (a founder types a road and number, not a paragraph).
MAX_ADDRESS_CHARS = 120
# Levels precise enough to stand for a building; coarser ones are shown as vague.
PRECISE_LEVELS = frozenset({"门牌号", "兴趣点", "单元号", "楼栋号", "道路交叉路口"})
Outcome = Literal["ok", "not_found", "error", "stopped", "timeout", "not_tried"]


@dataclass(frozen=True)
class Geocode:
    """One address's answer: outcome, WGS-84 point, Amap's level and adcode, and the reason if none."""

    address: str
    outcome: Outcome
    lon: float | None = None
    lat: float | None = None
    level: str = ""
    adcode: str = ""
    formatted: str = ""
    info: str = ""

    @property
    def precise(self) -> bool:
        """True when Amap placed it on a building or point of interest (not a road or a district)."""
        return self.outcome == "ok" and self.level in PRECISE_LEVELS


# Answers shared by the process (public geography, nothing about who asked).
SHARED_CACHE: dict[tuple[str, str], Geocode] = {}


def amap_key(secrets: Any = None) -> str:
    """The configured key: the environment first, then Streamlit secrets (``amap_key``); "" when none."""
    key = os.environ.get(KEY_ENV, "").strip()
    if key or secrets is None:
        return key
    try:
        return str(secrets.get("amap_key", "") or "").strip()
    except Exception:  # no secrets file: Streamlit raises when it is read
        return ""


@dataclass
class AmapGeocoder:
    """Geocode addresses through the Amap API, spaced, timed out and cached (see the module docstring)."""

    key: str
    url: str = field(default_factory=lambda: os.environ.get(URL_ENV, DEFAULT_URL))
    timeout: float = 5.0
    min_interval: float = 0.34
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    cache: dict[tuple[str, str], Geocode] = field(default_factory=dict)
    _last: float | None = None

    def _wait(self) -> None:
        if self._last is not None:
            gap = self.min_interval - (self.clock() - self._last)
            if gap > 0:
                self.sleep(gap)
        self._last = self.clock()

    def geocode(self, address: str, city: str = "") -> Geocode:
        """Amap's answer for one address in ``city`` (a name or adcode), from the cache when asked before."""
        cache_key = (address, city)
        if cache_key in self.cache:
            return self.cache[cache_key]
        self._wait()
        query = urllib.parse.urlencode({"key": self.key, "address": address, "city": city, "output": "JSON"})
        try:
            with urllib.request.urlopen(f"{self.url}?{query}", timeout=self.timeout) as response:  # noqa: S310
                payload = json.loads(response.read().decode("utf-8"))
        except TimeoutError:
            return Geocode(address, "timeout", info="timeout")
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                return Geocode(address, "timeout", info="timeout")
            return Geocode(address, "error", info=str(error.reason)[:200])
        except (ValueError, OSError) as error:
            return Geocode(address, "error", info=str(error)[:200])
        found = _answer(address, payload)
        if found.outcome in ("ok", "not_found"):
            self.cache[cache_key] = found  # errors are not cached: they may pass
        return found

    def batch(self, addresses: Iterable[tuple[str, str]]) -> list[Geocode]:
        """Geocode ``(address, city)`` pairs in order; after a quota or key error the rest are ``not_tried``."""
        out: list[Geocode] = []
        stopped = False
        for address, city in addresses:
            if stopped:
                out.append(Geocode(address, "not_tried"))
                continue
            found = self.geocode(address, city)
            stopped = found.outcome == "stopped"
            out.append(found)
        return out


def _answer(address: str, payload: Any) -> Geocode:
    """Read Amap's documented response: status/info/infocode/count/geocodes[].location/level/adcode."""
    if not isinstance(payload, dict):
        return Geocode(address, "error", info="not an Amap response")
    info, code = str(payload.get("info", "")), str(payload.get("infocode", ""))
    if str(payload.get("status")) != "1":
        return Geocode(address, "stopped" if code in STOP_CODES else "error", info=f"{info} ({code})")
    geocodes = payload.get("geocodes") or []
    if not geocodes or str(payload.get("count", "0")) == "0":
        return Geocode(address, "not_found", info=info)
    first = geocodes[0] if isinstance(geocodes[0], dict) else {}
    try:
        lon_text, lat_text = str(first.get("location", "")).split(",")
        lon, lat = gcj02_to_wgs84(float(lon_text), float(lat_text))
    except ValueError:
        return Geocode(address, "error", info="no location")
    return Geocode(address, "ok", round(float(lon), 7), round(float(lat), 7), level=str(first.get("level") or ""),
                   adcode=str(first.get("adcode") or ""), formatted=str(first.get("formatted_address") or ""),
                   info=info)
