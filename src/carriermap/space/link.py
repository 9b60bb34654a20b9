"""A find-space search in the URL, so a founder can send it: point, radius and needs.

``?at=113.324500,23.119000&r=2.5&area=200&rent=80&type=incubator&industry=人工智能&level=provincial``
— the point is always WGS-84 longitude, latitude (``addr`` adds the address it was typed as,
when it came from the online geocoder); defaults are left out. :func:`from_query`
ignores what it cannot read (links get edited by hand) rather than failing. Pure, no Streamlit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from carriermap import codes
from carriermap.geocoding import MAX_ADDRESS_CHARS

DEFAULT_RADIUS_KM = 3.0
MAX_RADIUS_KM = 100.0
PARAMS: tuple[str, ...] = ("at", "addr", "r", "area", "rent", "type", "industry", "level")


@dataclass(frozen=True)
class SearchQuery:
    """A search as a founder would send it; ``point`` is WGS-84 (lon, lat) or None."""

    point: tuple[float, float] | None = None
    radius_km: float = DEFAULT_RADIUS_KM
    min_area: float = 0.0
    max_rent: float = 0.0
    types: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    address: str = ""  # the typed address the point came from ("" when none)

    def to_query(self) -> dict[str, str]:
        """URL parameters (defaults left out)."""
        out: dict[str, str] = {}
        if self.point is not None:
            out["at"] = f"{self.point[0]:.6f},{self.point[1]:.6f}"
        if self.address:
            out["addr"] = self.address
        if self.radius_km != DEFAULT_RADIUS_KM:
            out["r"] = f"{self.radius_km:g}"
        if self.min_area:
            out["area"] = f"{self.min_area:g}"
        if self.max_rent:
            out["rent"] = f"{self.max_rent:g}"
        for name, values in (("type", self.types), ("industry", self.industries), ("level", self.levels)):
            if values:
                out[name] = ",".join(values)
        return out


def _number(raw: str | None, low: float, high: float, default: float) -> float:
    try:
        value = float(raw) if raw not in (None, "") else default
    except ValueError:
        return default
    return value if math.isfinite(value) and low <= value <= high else default


def _point(raw: str | None) -> tuple[float, float] | None:
    parts = (raw or "").split(",")
    if len(parts) != 2:
        return None
    try:
        lon, lat = float(parts[0]), float(parts[1])
    except ValueError:
        return None
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        return None
    return lon, lat


def _codes(raw: str | None, allowed: tuple[str, ...] | None) -> tuple[str, ...]:
    values = [v.strip() for v in (raw or "").split(",") if v.strip()]
    if allowed is None:
        return tuple(dict.fromkeys(values))
    return tuple(code for code in allowed if code in values)


def from_query(params: Mapping[str, str]) -> SearchQuery:
    """The search a URL names (unreadable parts fall back to the defaults)."""
    return SearchQuery(
        point=_point(params.get("at")),
        radius_km=_number(params.get("r"), 0.1, MAX_RADIUS_KM, DEFAULT_RADIUS_KM),
        min_area=_number(params.get("area"), 0.0, 1e9, 0.0),
        max_rent=_number(params.get("rent"), 0.0, 1e6, 0.0),
        types=_codes(params.get("type"), codes.CARRIER_TYPES),
        industries=_codes(params.get("industry"), None),
        levels=_codes(params.get("level"), codes.LEVELS),
        address=" ".join(str(params.get("addr") or "").split())[:MAX_ADDRESS_CHARS],
    )
