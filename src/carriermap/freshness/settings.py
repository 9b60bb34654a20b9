"""Thresholds per city (``data/city_settings.json``): when a listing is fresh, old, hidden.

``fresh_days`` (30): find space ranks listings confirmed within it first; ``hide_after_days``
(180): it leaves out listings unconfirmed for longer unless the founder asks; ``quality_days``
(90): the districts page counts a carrier as recently confirmed within it. ``review_required``
is the starting value of review before publishing (see :mod:`carriermap.review.settings`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Any

from carriermap.paths import DATA_DIR

SETTINGS_FILE = DATA_DIR / "city_settings.json"


@dataclass(frozen=True)
class CitySettings:
    """One city's freshness thresholds (days) and whether review starts switched on."""

    fresh_days: int = 30
    hide_after_days: int = 180
    quality_days: int = 90
    review_required: bool = False


@lru_cache(maxsize=1)
def _raw() -> dict[str, Any]:
    if not SETTINGS_FILE.exists():
        return {}
    return json.loads(SETTINGS_FILE.read_text(encoding="utf-8"))


def city_settings(city_adcode: str | None) -> CitySettings:
    """The settings of a city: the file's defaults overlaid with the city's own values."""
    raw = _raw()
    known = {f.name for f in fields(CitySettings)}
    merged = {**raw.get("defaults", {}), **raw.get("cities", {}).get(str(city_adcode or ""), {})}
    return CitySettings(**{k: v for k, v in merged.items() if k in known})
