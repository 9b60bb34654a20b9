"""A point typed or pasted by a person: parse it, convert it to WGS-84, check where it is.

Accepted forms: ``113.3245,23.1190``, ``113.3245, 23.1190``, ``113.3245 23.1190``, Chinese
or full-width commas and semicolons, brackets, labels (``lng:``, ``经度``), degree signs and
hemisphere letters (``23.1190°N 113.3245°E``: the letters say which is which). Latitude
first (``23.1190, 113.3245``, as Baidu and many web pages print it) is recognised and
swapped, and the result says so.

The input may be WGS-84 (GPS), GCJ-02 (copied from Amap or Tencent) or BD-09 (copied from
Baidu); it is converted with :mod:`carriermap.coords` *before* it is placed. "In China" is
decided against the shipped district boundaries (a covered city, with ~1 km of slack for
the simplified coastline), never a rectangle.

Problems raise :class:`PointInputError` with a catalogue key (``find_space.point.*``) and
its parameters; :meth:`PointInputError.message` says it in zh or en.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import shapely
from pyproj import Proj

from carriermap import coords
from carriermap.boundaries import CHINA_EQUAL_AREA, districts, locate
from carriermap.cities import all_cities, city_or_default

SLACK_M = 1000.0  # a point this close to a city's (simplified) outline counts as inside

_NUMBER = re.compile(r"([-+]?\d+(?:\.\d+)?)\s*°?\s*([NSEW北南东西])?", re.IGNORECASE)
_LABELS = re.compile(r"(longitude|latitude|lng|lon|lat|经度|纬度|坐标|北纬|东经|南纬|西经|[,;:()\[\]、\s°])",
                     re.IGNORECASE)
_HEMISPHERE = {"n": ("lat", 1), "s": ("lat", -1), "e": ("lon", 1), "w": ("lon", -1),
               "北": ("lat", 1), "南": ("lat", -1), "东": ("lon", 1), "西": ("lon", -1)}
_PREFIX_HEMISPHERE = {"北纬": "n", "南纬": "s", "东经": "e", "西经": "w"}


class PointInputError(ValueError):
    """A point that cannot be used, with a catalogue key and parameters for the message."""

    def __init__(self, key: str, **params: Any):
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, lang: str = "zh") -> str:
        """The problem and its fix, in ``lang``."""
        from carriermap.i18n import t

        params = {k: (f"{v:.6f}".rstrip("0").rstrip(".") if isinstance(v, float) else v)
                  for k, v in self.params.items()}
        for name in ("city", "other_city"):
            if name in params:
                params[name] = city_or_default(params[name]).display_name(lang)
        params["cities"] = "、".join(c.display_name(lang) for c in all_cities()) if lang == "zh" else \
            ", ".join(c.display_name(lang) for c in all_cities())
        return t(self.key, lang, **params)


@dataclass(frozen=True)
class Point:
    """A checked point: WGS-84 ``lon``/``lat``, what was typed, and where it lies."""

    lon: float
    lat: float
    crs: str
    input_lon: float
    input_lat: float
    swapped: bool
    city_adcode: str
    district_adcode: str | None


def parse_pair(text: str) -> tuple[float, float, bool]:
    """Two numbers from ``text`` as (lon, lat, explicit); ``explicit`` when letters said which is which.

    Raises :class:`PointInputError` for empty text, text that is not two numbers, or
    hemisphere letters that contradict each other.
    """
    raw = unicodedata.normalize("NFKC", str(text or "")).strip()
    if not raw:
        raise PointInputError("find_space.point.empty")
    for prefix, letter in _PREFIX_HEMISPHERE.items():  # 北纬23.1 东经113.3 → 23.1N 113.3E
        raw = re.sub(prefix + r"\s*([-+]?\d+(?:\.\d+)?)", r"\1" + letter, raw)
    matches = list(_NUMBER.finditer(raw))
    leftover = _LABELS.sub("", _NUMBER.sub("", raw))
    if leftover or len(matches) != 2:
        raise PointInputError("find_space.point.not_coordinates", text=str(text)[:60])
    values = [float(m.group(1)) for m in matches]
    letters = [m.group(2) for m in matches]
    if all(letters):
        axes = [_HEMISPHERE[letter.lower()] for letter in letters]
        if {axes[0][0], axes[1][0]} != {"lon", "lat"}:
            raise PointInputError("find_space.point.not_coordinates", text=str(text)[:60])
        signed = {axis: value * sign for value, (axis, sign) in zip(values, axes, strict=True)}
        return signed["lon"], signed["lat"], True
    return values[0], values[1], False


def _in_range(lon: float, lat: float) -> bool:
    return math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90


@lru_cache(maxsize=1)
def _to_metres() -> Proj:
    return Proj(CHINA_EQUAL_AREA)  # not a Transformer: that one sets itself up again in each new thread (~30 ms)


@lru_cache(maxsize=1)
def _projected_outlines() -> tuple[list[str], np.ndarray]:
    adcodes, shapes = [], []
    for city in all_cities():
        outline = districts(city.adcode).to_crs(CHINA_EQUAL_AREA).geometry.union_all()
        adcodes.append(city.adcode)
        shapes.append(outline)
    return adcodes, np.asarray(shapes, dtype=object)


def place(lon: float, lat: float) -> tuple[str | None, str | None]:
    """(city adcode, district adcode) of a WGS-84 point, or ``(None, None)`` outside every covered city.

    Points within :data:`SLACK_M` of a city's outline (simplified coast, a river bank) count
    as that city, with no district.
    """
    district, city = locate([lon], [lat])
    if city[0] is not None:
        return str(city[0]), str(district[0])
    x, y = _to_metres()(lon, lat)
    adcodes, outlines = _projected_outlines()
    near = shapely.dwithin(outlines, shapely.Point(x, y), SLACK_M)
    return (adcodes[int(np.argmax(near))], None) if near.any() else (None, None)


def check_point(lon: float, lat: float, crs: str = "wgs84", city_adcode: str | None = None,
                *, allow_swap: bool = False) -> Point:
    """Convert a point given in ``crs`` to WGS-84 and check it lies in ``city_adcode`` (or any covered city).

    With ``allow_swap`` a point that only makes sense as (lat, lon) is swapped and marked
    ``swapped``; without it, that case is an error whose message says to swap.
    """
    try:
        crs = coords.normalise_crs(crs)
    except ValueError as error:
        raise PointInputError("find_space.point.unknown_crs", crs=str(crs)) from error
    wanted = str(city_adcode) if city_adcode else None
    first = _locate(lon, lat, crs)
    if first is not None and (wanted is None or first.city_adcode == wanted):
        return first
    swapped = _locate(lat, lon, crs, swapped=True)
    if swapped is not None and (wanted is None or swapped.city_adcode == wanted):
        if allow_swap:
            return swapped
        raise PointInputError("find_space.point.swapped", lon=lon, lat=lat)
    if not _in_range(lon, lat):
        raise PointInputError("find_space.point.out_of_range", lon=lon, lat=lat)
    if first is not None:
        raise PointInputError("find_space.point.other_city", city=wanted, other_city=first.city_adcode)
    raise PointInputError("find_space.point.outside", lon=lon, lat=lat)


def _locate(lon: float, lat: float, crs: str, swapped: bool = False) -> Point | None:
    if not _in_range(lon, lat):
        return None
    wgs_lon, wgs_lat = (float(v) for v in coords.to_wgs84(lon, lat, crs))
    city, district = place(wgs_lon, wgs_lat)
    if city is None:
        return None
    return Point(wgs_lon, wgs_lat, crs, float(lon), float(lat), swapped, city, district)


def parse_point(text: str, crs: str = "wgs84", city_adcode: str | None = None) -> Point:
    """Parse pasted coordinates in ``crs`` into a checked WGS-84 :class:`Point` (latitude first is swapped)."""
    lon, lat, explicit = parse_pair(text)
    return check_point(lon, lat, crs, city_adcode, allow_swap=not explicit)
