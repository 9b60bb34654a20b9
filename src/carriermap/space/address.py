"""A typed address as find space's point: geocoded online (Amap), converted to WGS-84, checked in the city.

Only offered when a geocoder is configured (:func:`carriermap.geocoding.amap_key`); offline the
page has no such option. Amap answers in GCJ-02; :class:`carriermap.geocoding.AmapGeocoder`
converts to WGS-84 (iterated inverse) and keeps Amap's precision ``level``; here the point is
checked against the city's boundaries like every other point (:func:`carriermap.pointinput.check_point`),
and every failure is a :class:`carriermap.pointinput.PointInputError` whose message names the fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from carriermap.geocoding import MAX_ADDRESS_CHARS, Geocode
from carriermap.pointinput import Point, PointInputError, check_point


class Geocoder(Protocol):
    """Anything that geocodes one address in a city (:class:`carriermap.geocoding.AmapGeocoder`)."""

    def geocode(self, address: str, city: str = "") -> Geocode: ...


@dataclass(frozen=True)
class AddressPoint:
    """A geocoded address: the checked WGS-84 point, Amap's level and formatted address."""

    point: Point
    level: str
    precise: bool
    formatted: str


def locate_address(text: str, city_adcode: str, geocoder: Geocoder) -> AddressPoint:
    """Geocode ``text`` in the city ``city_adcode`` and check the answer lies in that city.

    Raises :class:`PointInputError` for an empty or over-long address, no answer, a geocoder
    that fails (error, timeout, quota) and a point outside the city.
    """
    address = " ".join(str(text).split())
    if not address:
        raise PointInputError("find_space.address.empty")
    if len(address) > MAX_ADDRESS_CHARS:
        raise PointInputError("find_space.address.too_long", limit=MAX_ADDRESS_CHARS)
    found = geocoder.geocode(address, str(city_adcode))
    if found.outcome == "not_found":
        raise PointInputError("find_space.address.not_found", text=address)
    if found.outcome != "ok" or found.lon is None or found.lat is None:
        raise PointInputError("find_space.address.unavailable", reason=found.outcome)
    point = check_point(found.lon, found.lat, "wgs84", city_adcode)
    return AddressPoint(point, found.level, found.precise, found.formatted)


def level_label(level: str, lang: str = "zh") -> str:
    """Amap's precision level (门牌号, 道路, 区县 …) in ``lang``; an unknown level is shown as Amap wrote it."""
    from carriermap.i18n import catalogue, normalise_language

    if not level:
        return "?"
    return catalogue(normalise_language(lang)).get(f"find_space.address.level.{level}") or level
