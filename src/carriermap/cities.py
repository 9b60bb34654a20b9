"""The cities the product covers (``data/cities.json``): names, map view, zones."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from carriermap.paths import CITIES_FILE


class UnknownCityError(ValueError):
    """Raised for an adcode that is not one of the configured cities."""

    def __init__(self, adcode: str, known: list[str]):
        super().__init__(f"unknown city {adcode!r}; known cities: {', '.join(known)}")
        self.adcode = adcode
        self.known = known


@dataclass(frozen=True)
class Zone:
    """A reporting unit that is not an admin district (e.g. 东湖高新区)."""

    name: str
    name_en: str
    district_adcode: str


@dataclass(frozen=True)
class City:
    """A city: adcode, zh/en names, default map view and its zones."""

    adcode: str
    name: str
    name_en: str
    province: str
    center: tuple[float, float]  # lon, lat (WGS-84)
    zoom: int
    zones: tuple[Zone, ...]

    def display_name(self, lang: str) -> str:
        """The city's name in ``lang`` (zh or en)."""
        return self.name_en if lang == "en" else self.name


@lru_cache(maxsize=1)
def _load() -> tuple[str, dict[str, City]]:
    raw = json.loads(CITIES_FILE.read_text(encoding="utf-8"))
    cities = {
        c["adcode"]: City(
            adcode=c["adcode"], name=c["name"], name_en=c["name_en"], province=c["province"],
            center=tuple(c["center"]), zoom=int(c["zoom"]),
            zones=tuple(Zone(**z) for z in c.get("zones", ())),
        )
        for c in raw["cities"]
    }
    return raw["default"], cities


def all_cities() -> list[City]:
    """Every configured city, in file order."""
    return list(_load()[1].values())


def default_city() -> City:
    """The city shown when none is chosen."""
    default, cities = _load()
    return cities[default]


def get_city(adcode: str | None) -> City:
    """The city with ``adcode``; raises :class:`UnknownCityError` when there is none."""
    _, cities = _load()
    key = str(adcode or "").strip()
    if key not in cities:
        raise UnknownCityError(key, list(cities))
    return cities[key]


def city_or_default(adcode: str | None) -> City:
    """The city with ``adcode``, or the default city for a missing/unknown code (URL input)."""
    try:
        return get_city(adcode)
    except UnknownCityError:
        return default_city()
