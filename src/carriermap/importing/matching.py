"""Which existing carrier a row of the file is: same city and name, or close by with a similar name.

A row that is an existing carrier updates it instead of creating a twin. In order:
the ``id`` column of a re-imported export (when that carrier is in the same city and its
name is similar, so a sheet's own row numbering cannot hit the wrong carrier), the same
name in the same city (names compared after NFKC, case and spaces), then a carrier within
:data:`NEAR_METRES` whose name is similar (:data:`SIMILAR_NAME` ratio, or one name containing
the other). Neighbours are found with a grid of cells the size of the radius, so matching
10,000 rows against 10,000 carriers takes milliseconds, not a pairwise scan.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from difflib import SequenceMatcher
from typing import Any

NEAR_METRES = 30.0
SIMILAR_NAME = 0.6
_METRES_PER_DEGREE_LAT = 110_574.0
_METRES_PER_DEGREE_LON_EQUATOR = 111_320.0


def name_key(name: Any) -> str:
    """A name as compared: NFKC (full-width → ASCII), lower case, no white space."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(name or "")).lower())


def similar_names(a: str, b: str) -> bool:
    """True when two name keys are alike enough to be the same carrier at the same place."""
    if not a or not b:
        return False
    return a in b or b in a or SequenceMatcher(None, a, b).ratio() >= SIMILAR_NAME


def metres_between(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Distance in metres (equirectangular; exact to centimetres at tens of metres)."""
    mean_lat = math.radians((lat1 + lat2) / 2)
    dx = (lon2 - lon1) * _METRES_PER_DEGREE_LON_EQUATOR * math.cos(mean_lat)
    dy = (lat2 - lat1) * _METRES_PER_DEGREE_LAT
    return math.hypot(dx, dy)


class CarrierIndex:
    """Existing carriers of a city, looked up by id, by name and by place."""

    def __init__(self, carriers: list[dict[str, Any]]):
        self.by_id = {int(c["id"]): c for c in carriers}
        self.by_name: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.cells: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
        lats = [c["lat"] for c in carriers if c.get("lat") is not None]
        self._cos = math.cos(math.radians(sum(lats) / len(lats))) if lats else 1.0
        for carrier in carriers:
            self.by_name[name_key(carrier["name"])].append(carrier)
            if carrier.get("lon") is not None and carrier.get("lat") is not None:
                self.cells[self._cell(carrier["lon"], carrier["lat"])].append(carrier)

    def _cell(self, lon: float, lat: float) -> tuple[int, int]:
        size_lat = NEAR_METRES / _METRES_PER_DEGREE_LAT
        size_lon = NEAR_METRES / (_METRES_PER_DEGREE_LON_EQUATOR * self._cos)
        return int(math.floor(lon / size_lon)), int(math.floor(lat / size_lat))

    def near(self, lon: float, lat: float) -> list[tuple[float, dict[str, Any]]]:
        """Carriers within :data:`NEAR_METRES` of a point, nearest first, with their distance."""
        cx, cy = self._cell(lon, lat)
        found = []
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for carrier in self.cells.get((cx + dx, cy + dy), ()):
                    distance = metres_between(lon, lat, carrier["lon"], carrier["lat"])
                    if distance <= NEAR_METRES:
                        found.append((distance, carrier))
        return sorted(found, key=lambda item: item[0])

    def match(self, record: dict[str, Any], carrier_id: int | None = None) -> dict[str, Any] | None:
        """The existing carrier ``record`` is, or None for a new one."""
        key = name_key(record.get("name"))
        if carrier_id is not None and carrier_id in self.by_id:
            # An id alone could be someone's own row numbering: trust it only with a similar name.
            carrier = self.by_id[carrier_id]
            if similar_names(key, name_key(carrier["name"])):
                return carrier
        lon, lat = record.get("lon"), record.get("lat")
        same_name = self.by_name.get(key, [])
        if len(same_name) == 1 or (same_name and lon is None):
            return same_name[0]
        if same_name:
            return min(same_name, key=lambda c: metres_between(lon, lat, c["lon"], c["lat"]))
        if lon is None or lat is None:
            return None
        for _, carrier in self.near(lon, lat):
            if similar_names(key, name_key(carrier["name"])):
                return carrier
        return None
