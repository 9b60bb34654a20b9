"""Carriers with free space near a point: indexed search, geodesic ranking, near misses.

How a query runs (:class:`NearbySearch`):

1. A :class:`CandidateSource` names the carriers that *may* lie within the radius. The default,
   :class:`MemoryIndex`, is a shapely ``STRtree`` over the carriers projected to metres
   (``CHINA_EQUAL_AREA``); it asks for ``radius × pad``, where ``pad`` is the projection's
   largest scale factor around the query's latitude, so no carrier inside the radius is
   missed. A database can answer the same question (PostGIS ``ST_DWithin`` on
   ``geom::geography``): any object with ``candidate_ids(lon, lat, radius_m)`` plugs in.
2. The needs are applied to the candidates, then their geodesic distances on the WGS-84
   ellipsoid are measured (:func:`ranked_within`: Vincenty's formula, vectorised, with
   ``pyproj.Geod`` wherever a micrometre could change the answer); those beyond the radius are
   dropped and the rest are sorted by distance (then id, so ties are stable): the same
   carriers in the same order as measuring each with ``pyproj`` (:func:`ranked_within_exact`).

:func:`scan_nearby` is the naive reference (geodesic distance to every carrier): the tests
and the benchmark check that both return the same carriers in the same order.

"Free space" means ``available_m2 > 0`` and status ``operating`` (delisted and suspended
carriers take no tenants).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Protocol

import numpy as np
import pandas as pd
import shapely
from pyproj import Geod, Proj

from carriermap.boundaries import CHINA_EQUAL_AREA
from carriermap.space.vincenty import MARGIN_M, vincenty_m

GEOD = Geod(ellps="WGS84")
# Lon/lat to metres on China's equal-area projection. A ``Proj`` rather than a ``Transformer``: both
# give the same numbers, but a Transformer sets itself up again in every new thread (~30 ms), and
# Streamlit runs each rerun in a new thread; a Proj of this plain projection takes ~0.2 ms there.
TO_METRES = Proj(CHINA_EQUAL_AREA)
_METRES_PER_DEGREE_LAT = 110_574.0  # the smallest length of a degree of latitude (at the equator)
_WGS84_A = 6_378_137.0  # equatorial radius: the smallest radius of curvature across a meridian (N >= a)
_WGS84_M_MIN = 6_335_439.327  # a(1 - e²): the smallest radius of curvature along a meridian (at the equator)
_PAD_SAFETY = 1.001


@dataclass(frozen=True)
class Needs:
    """What a founder asks for. Empty tuples and ``None`` mean "any"."""

    radius_m: float
    min_area_m2: float = 0.0
    max_rent: float | None = None  # CNY/m²/month; carriers with no published rent do not match
    types: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()  # a carrier matches when it lists any of them
    levels: tuple[str, ...] = ()

    def relaxed(self, **changes: Any) -> Needs:
        """A copy with some needs changed (used to look for near misses)."""
        return replace(self, **changes)


class CandidateSource(Protocol):
    """Anything that can name the carriers that may lie within ``radius_m`` of a WGS-84 point.

    It may return more (a superset); it must not miss one. The in-memory :class:`MemoryIndex`
    is the default; a database backend can answer with ``ST_DWithin`` instead.
    """

    def candidate_ids(self, lon: float, lat: float, radius_m: float) -> np.ndarray:
        """Carrier ids (int64) that may lie within ``radius_m`` geodesic metres."""
        ...


@lru_cache(maxsize=1)
def _scale_by_latitude() -> tuple[np.ndarray, np.ndarray]:
    """Largest linear scale factor of the projection at each 0.25° of latitude.

    An Albers projection's scale depends on latitude only; a projected straight line is
    never longer than ``max scale × geodesic length`` of the path it replaces.
    """
    latitudes = np.arange(-85.0, 85.01, 0.25)
    factors = Proj(CHINA_EQUAL_AREA).get_factors(np.full_like(latitudes, 105.0), latitudes)
    scale = np.maximum(factors.meridional_scale, factors.parallel_scale)
    return latitudes, scale


def projection_pad(lat: float, radius_m: float) -> float:
    """Factor to widen a geodesic radius by so a projected search cannot miss a point."""
    latitudes, scale = _scale_by_latitude()
    band = radius_m * 1.1 / _METRES_PER_DEGREE_LAT + 0.5
    inside = (latitudes >= lat - band) & (latitudes <= lat + band)
    return float(scale[inside].max() if inside.any() else scale.max()) * _PAD_SAFETY


def geodesic_m(lon: float, lat: float, lons: np.ndarray, lats: np.ndarray) -> np.ndarray:
    """Geodesic distances in metres (WGS-84 ellipsoid) from one point to many."""
    lons = np.asarray(lons, dtype="float64")
    lats = np.asarray(lats, dtype="float64")
    if lons.size == 0:
        return np.empty(0, dtype="float64")
    _, _, distance = GEOD.inv(np.full(lons.shape, lon), np.full(lats.shape, lat), lons, lats)
    return np.asarray(distance, dtype="float64")


def _latitude_band(lat: float, radius_m: float) -> tuple[float, float] | None:
    """(band, stretch): a path no longer than ``radius_m`` from latitude ``lat`` stays within ``band``
    degrees of it (``radius_m / a(1 - e²)``), where a radian of longitude spans at least ``stretch``
    metres (``a·cos φ*``, ``φ*`` the band's latitude farthest from the equator). None
    when the band reaches within 1° of a pole (no useful bound there)."""
    band = math.degrees(radius_m / _WGS84_M_MIN) if math.isfinite(radius_m) else math.inf
    if abs(lat) + band >= 89.0:
        return None
    return band, _WGS84_A * math.cos(math.radians(abs(lat) + band))


def surely_beyond(lon: float, lat: float, lons: np.ndarray, lats: np.ndarray, radius_m: float) -> np.ndarray:
    """Mask of the points whose geodesic distance from (lon, lat) is certainly more than ``radius_m``.

    A cheap lower bound, so the exact (and costlier) :func:`geodesic_m` runs only on the rest:
    on the ellipsoid ``ds² = M² dφ² + (N cos φ)² dλ²`` with ``M >= a(1 - e²)`` and ``N >= a``,
    and a path no longer than ``radius_m`` stays within ``radius_m / a(1 - e²)`` of ``lat``;
    so its length is at least the flat distance ``hypot(a(1 - e²)·Δφ, a·cos φ*·Δλ)``, where
    ``φ*`` is the band's latitude farthest from the equator. Never marks a point within the
    radius (a small slack covers rounding); returns all False when no bound applies.
    """
    lons = np.asarray(lons, dtype="float64")
    lats = np.asarray(lats, dtype="float64")
    bound = _latitude_band(lat, radius_m)
    if not lons.size or bound is None:
        return np.zeros(lons.shape, dtype=bool)
    _, stretch = bound
    dlon = np.radians((lons - lon + 180.0) % 360.0 - 180.0)
    dlat = np.radians(lats - lat)
    reach = radius_m * (1 + 1e-9) + 1e-3
    return (_WGS84_M_MIN * dlat) ** 2 + (stretch * dlon) ** 2 > reach * reach


def lonlat_box(lon: float, lat: float, radius_m: float) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) in degrees: a box holding every point within ``radius_m`` geodesic metres.

    The bound of :func:`surely_beyond`: a point within the radius is at most ``radius_m / a(1 - e²)``
    away in latitude and ``radius_m / (a·cos φ*)`` in longitude, so the box is the circle's
    (~4/π of its area; up to 10 km and 50° of latitude, each side within 1 % of the tightest
    box). None when it would reach within 1° of a pole or cross the antimeridian (the caller
    then uses another test).
    """
    bound = _latitude_band(lat, radius_m)
    if bound is None:
        return None
    band, stretch = bound
    reach = math.degrees(radius_m / stretch)
    if lon - reach < -180.0 or lon + reach > 180.0:
        return None
    return lon - reach, lat - band, lon + reach, lat + band


class MemoryIndex:
    """An STRtree over carriers projected to metres: the default :class:`CandidateSource`."""

    def __init__(self, ids: np.ndarray, lons: np.ndarray, lats: np.ndarray):
        self.ids = np.asarray(ids, dtype="int64")
        x, y = TO_METRES(np.asarray(lons, dtype="float64"), np.asarray(lats, dtype="float64"))
        self.x, self.y = np.asarray(x, dtype="float64"), np.asarray(y, dtype="float64")
        self.tree = shapely.STRtree(shapely.points(self.x, self.y))

    def candidate_positions(self, lon: float, lat: float, radius_m: float) -> np.ndarray:
        """Positions (in the order given) of the points that may lie within ``radius_m``.

        The tree's box query, then the projected distance in NumPy: the same points as the
        tree's ``dwithin`` predicate, ~10× faster at 10 km (GEOS measured each one).
        """
        x, y = TO_METRES(lon, lat)
        reach = radius_m * projection_pad(lat, radius_m) + 1.0
        found = self.tree.query(shapely.box(x - reach, y - reach, x + reach, y + reach))
        return found[(self.x[found] - x) ** 2 + (self.y[found] - y) ** 2 <= reach * reach]

    def candidate_ids(self, lon: float, lat: float, radius_m: float) -> np.ndarray:
        """Carrier ids that may lie within ``radius_m`` geodesic metres."""
        return self.ids[self.candidate_positions(lon, lat, radius_m)]


def has_free_space(carriers: pd.DataFrame) -> np.ndarray:
    """Boolean mask: operating carriers with ``available_m2 > 0`` and a point.

    An unplaced carrier (no point yet, :mod:`carriermap.location`) is never offered: its
    distance is unknown.
    """
    available = pd.to_numeric(carriers["available_m2"], errors="coerce").fillna(0.0).to_numpy()
    placed = (pd.to_numeric(carriers["lon"], errors="coerce").notna()
              & pd.to_numeric(carriers["lat"], errors="coerce").notna()).to_numpy()
    return (available > 0) & placed & (carriers["status"].fillna("operating").to_numpy() == "operating")


@dataclass
class _Columns:
    """The columns a query reads, as NumPy arrays (no pandas in the hot path)."""

    ids: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    available: np.ndarray
    rent: np.ndarray
    type: np.ndarray
    level: np.ndarray
    industries: list[frozenset[str]] = field(default_factory=list)

    @classmethod
    def of(cls, frame: pd.DataFrame) -> _Columns:
        def numbers(column: str) -> np.ndarray:
            return pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)

        industries = [frozenset(items) if isinstance(items, (list, tuple, set, frozenset)) else frozenset()
                      for items in frame["industries"]]
        return cls(ids=frame["id"].to_numpy(dtype="int64"), lon=numbers("lon"), lat=numbers("lat"),
                   available=np.nan_to_num(numbers("available_m2")), rent=numbers("rent_cny_m2_month"),
                   type=frame["type"].astype(object).to_numpy(), level=frame["level"].astype(object).to_numpy(),
                   industries=industries)

    def meets(self, rows: np.ndarray, needs: Needs, *, area: bool = True, rent: bool = True,
              kind: bool = True) -> np.ndarray:
        """Mask over ``rows`` of the carriers meeting ``needs`` (parts can be switched off)."""
        keep = np.ones(len(rows), dtype=bool)
        if area and needs.min_area_m2 > 0:
            keep &= self.available[rows] >= needs.min_area_m2
        if rent and needs.max_rent is not None:
            with np.errstate(invalid="ignore"):
                keep &= self.rent[rows] <= needs.max_rent
        if kind and needs.types:
            keep &= np.isin(self.type[rows], needs.types)
        if kind and needs.levels:
            keep &= np.isin(self.level[rows], needs.levels)
        if kind and needs.industries:
            wanted = frozenset(needs.industries)
            keep &= np.fromiter((not wanted.isdisjoint(self.industries[r]) for r in rows), bool, len(rows))
        return keep


@dataclass(frozen=True)
class Hits:
    """Rows (positions in the searched frame) and their geodesic distances, nearest first."""

    rows: np.ndarray
    distance_m: np.ndarray


def rank_order(distance: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Positions sorting by ``distance``, ties by ``ids``: ``np.lexsort((ids, distance))``.

    Without equal distances the order by distance alone is that same order, and one
    ``argsort`` costs about a quarter of the two-key ``lexsort`` (~8,000 carriers at 10 km);
    the two-key sort runs only when two distances are equal (or one is NaN, which sorts last).
    """
    order = np.argsort(distance)
    ordered = distance[order]
    if (ordered[1:] == ordered[:-1]).any() or (ordered.size and np.isnan(ordered[-1])):
        return np.lexsort((ids, distance))
    return order


_FEW = 500  # below this many points pyproj is cheaper: ~1.2 µs a point against ~0.5 ms of NumPy passes

Refine = Callable[[float, float, np.ndarray, np.ndarray, np.ndarray, float], tuple[np.ndarray, np.ndarray]]
"""``(lon, lat, lons, lats, ids, radius_m) -> (positions, distance_m)``: which of the points lie within
the radius, nearest first (ties by id), and their distances; :func:`ranked_within` or :func:`ranked_within_exact`."""


def ranked_within_exact(lon: float, lat: float, lons: np.ndarray, lats: np.ndarray, ids: np.ndarray,
                        radius_m: float) -> tuple[np.ndarray, np.ndarray]:
    """The definition: every point measured with :func:`geodesic_m` (``pyproj``), those within the
    radius ranked by distance, then id. Positions index the inputs."""
    distance = geodesic_m(lon, lat, lons, lats)
    inside = np.flatnonzero(distance <= radius_m)
    order = rank_order(distance[inside], ids[inside])
    return inside[order], distance[inside][order]


def ranked_within(lon: float, lat: float, lons: np.ndarray, lats: np.ndarray, ids: np.ndarray,
                  radius_m: float) -> tuple[np.ndarray, np.ndarray]:
    """:func:`ranked_within_exact`'s points in its order, measured mostly by Vincenty's formula (a few times faster).

    :func:`carriermap.space.vincenty.vincenty_m` is within :data:`~carriermap.space.vincenty.MARGIN_M`
    (1 mm; in practice micrometres) of the exact distance wherever it says it can be trusted.
    ``pyproj`` measures again only the points where that could change the answer: the untrusted
    ones, those within the margin of the radius (membership), and each run of neighbours in the
    ranking closer than the margin to each other (order), which is then sorted again by exact
    distance and id. Any other two points are more than the margin apart, so their order is the
    exact one. The same points, in the same order, as the definition; distances differ from
    ``pyproj``'s by micrometres at most (those measured again are ``pyproj``'s). Fewer than
    :data:`_FEW` points are all measured by ``pyproj`` (cheaper than Vincenty's NumPy passes).
    """
    lons = np.asarray(lons, dtype="float64")
    lats = np.asarray(lats, dtype="float64")
    if lons.size < _FEW:
        return ranked_within_exact(lon, lat, lons, lats, ids, radius_m)
    distance, trusted = vincenty_m(lon, lat, lons, lats)
    unsure = ~trusted | (np.abs(distance - radius_m) <= MARGIN_M)
    if unsure.any():
        distance[unsure] = geodesic_m(lon, lat, lons[unsure], lats[unsure])
    inside = np.flatnonzero(distance <= radius_m)
    order = rank_order(distance[inside], ids[inside])
    ranked = distance[inside][order]
    close = ranked[1:] - ranked[:-1] <= MARGIN_M  # neighbours Vincenty's error could have swapped
    if close.any():
        tied = np.zeros(len(ranked), dtype=bool)
        tied[1:] |= close
        tied[:-1] |= close
        slots = np.flatnonzero(tied)
        run = np.cumsum(np.concatenate(([True], ~close)))[slots]  # runs are contiguous in the ranking
        positions = inside[order[slots]]
        exact = geodesic_m(lon, lat, lons[positions], lats[positions])
        resorted = np.lexsort((ids[positions], exact, run))
        order[slots] = order[slots][resorted]
        ranked[slots] = exact[resorted]
    return inside[order], ranked


def _rank(rows: np.ndarray, distance: np.ndarray, ids: np.ndarray) -> Hits:
    order = rank_order(distance, ids[rows])
    return Hits(rows[order], distance[order])


class _RowsById:
    """Positions of (unique) carrier ids in a frame, -1 for an id it lacks: an array indexed by id when
    the ids are small enough (~30× faster than a hash lookup for the ~12,000 ids of a 10 km search),
    else a ``pandas.Index``."""

    def __init__(self, ids: np.ndarray):
        self._index: pd.Index | None = None
        self._dense: np.ndarray | None = None
        if ids.size and ids.min() >= 0 and ids.max() < 16 * ids.size + 65_536:
            self._dense = np.full(int(ids.max()) + 1, -1, dtype="int64")
            self._dense[ids] = np.arange(ids.size)
        else:
            self._index = pd.Index(ids)

    def __call__(self, ids: np.ndarray) -> np.ndarray:
        if self._dense is None:
            return self._index.get_indexer(ids)
        rows = np.full(ids.shape, -1, dtype="int64")
        known = (ids >= 0) & (ids < self._dense.size)
        rows[known] = self._dense[ids[known]]
        return rows


class NearbySearch:
    """Search the carriers with free space of one frame; build once, query many times.

    ``source`` names candidate carrier ids (a database's ``ST_DWithin``); by default an
    in-memory STRtree over the carriers with free space is built. ``refine`` measures and ranks
    the candidates: :func:`ranked_within` (Vincenty, ``pyproj`` where it could matter) or the
    all-``pyproj`` :func:`ranked_within_exact` (the benchmark's comparison); the same results.
    """

    def __init__(self, carriers: pd.DataFrame, source: CandidateSource | None = None, *,
                 refine: Refine = ranked_within):
        self.carriers = carriers.reset_index(drop=True)
        self.refine = refine
        self._free = has_free_space(self.carriers)
        self.free_rows = np.flatnonzero(self._free)
        self.columns = _Columns.of(self.carriers)
        self._row_of_id = _RowsById(self.columns.ids)
        self.source = source
        self._memory: MemoryIndex | None = None

    @property
    def memory_index(self) -> MemoryIndex:
        """The STRtree over the carriers with free space (built on first use)."""
        if self._memory is None:
            free = self.free_rows
            self._memory = MemoryIndex(self.columns.ids[free], self.columns.lon[free], self.columns.lat[free])
        return self._memory

    def _candidates(self, lon: float, lat: float, radius_m: float) -> np.ndarray:
        if self.source is None:
            return self.free_rows[self.memory_index.candidate_positions(lon, lat, radius_m)]
        rows = self._row_of_id(np.asarray(self.source.candidate_ids(lon, lat, radius_m), dtype="int64"))
        rows = rows[rows >= 0]
        return rows[self._free[rows]]

    def hits(self, lon: float, lat: float, needs: Needs) -> Hits:
        """Carriers within ``needs.radius_m`` meeting every need, nearest first."""
        rows = self._candidates(lon, lat, needs.radius_m)
        rows = rows[self.columns.meets(rows, needs)]
        rows = rows[~surely_beyond(lon, lat, self.columns.lon[rows], self.columns.lat[rows], needs.radius_m)]
        positions, distance = self.refine(lon, lat, self.columns.lon[rows], self.columns.lat[rows],
                                          self.columns.ids[rows], needs.radius_m)
        return Hits(rows[positions], distance)

    def search(self, lon: float, lat: float, needs: Needs) -> pd.DataFrame:
        """The matching carriers as rows of the frame plus ``distance_m``, nearest first."""
        return self.frame(self.hits(lon, lat, needs))

    def no_results(self) -> pd.DataFrame:
        """An empty result frame (the columns of :meth:`search`), e.g. before a point is chosen."""
        return self.frame(Hits(np.empty(0, dtype="int64"), np.empty(0, dtype="float64")))

    def frame(self, hits: Hits) -> pd.DataFrame:
        """Rows of the searched frame for ``hits``, with their ``distance_m``."""
        out = self.carriers.iloc[hits.rows]  # a take: new columns already (pandas copy-on-write), no second copy
        out.insert(0, "distance_m", hits.distance_m)
        return out.reset_index(drop=True)

    def suggestions(self, lon: float, lat: float, needs: Needs) -> list[Suggestion]:
        """Near misses when nothing fits: see :func:`suggest`."""
        return suggest(self, lon, lat, needs)


def find_nearby(carriers: pd.DataFrame, lon: float, lat: float, needs: Needs,
                source: CandidateSource | None = None) -> pd.DataFrame:
    """One-off search: carriers with free space within the radius meeting ``needs``, nearest first."""
    return NearbySearch(carriers, source).search(lon, lat, needs)


def scan_hits(columns: _Columns, free: np.ndarray, lon: float, lat: float, needs: Needs) -> Hits:
    """The naive reference: geodesic distance to every carrier with free space, then filter."""
    distance = geodesic_m(lon, lat, columns.lon[free], columns.lat[free])
    keep = (distance <= needs.radius_m) & columns.meets(free, needs)
    return _rank(free[keep], distance[keep], columns.ids)


def scan_nearby(carriers: pd.DataFrame, lon: float, lat: float, needs: Needs) -> pd.DataFrame:
    """:func:`find_nearby` by a full scan (no index): the reference for tests and the benchmark."""
    search = NearbySearch(carriers)  # the index is built lazily: a scan never builds it
    return search.frame(scan_hits(search.columns, search.free_rows, lon, lat, needs))


@dataclass(frozen=True)
class Suggestion:
    """A near miss: which need to relax (``kind``), to what ``value``, and the carrier it finds.

    ``kind`` is ``radius_km`` (the nearest carrier meeting every other need lies farther),
    ``min_area_m2`` (within the radius, the largest free area is smaller than asked),
    ``max_rent`` (within the radius, the cheapest rent is higher) or ``any_kind`` (within the
    radius, carriers of another type, industry or level fit).
    """

    kind: str
    value: float
    carrier: dict[str, Any]
    distance_m: float


def _suggestion(search: NearbySearch, kind: str, value: float, row: int, distance: float) -> Suggestion:
    return Suggestion(kind, value, search.carriers.iloc[row].to_dict(), float(distance))


def suggest(search: NearbySearch, lon: float, lat: float, needs: Needs) -> list[Suggestion]:
    """What nearly fits when nothing does: one suggestion per need that could be relaxed."""
    columns, free = search.columns, search.free_rows
    out: list[Suggestion] = []
    everywhere = scan_hits(columns, free, lon, lat, needs.relaxed(radius_m=math.inf))
    if len(everywhere.rows):
        km = math.ceil(everywhere.distance_m[0] / 500.0) / 2.0
        out.append(_suggestion(search, "radius_km", km, everywhere.rows[0], everywhere.distance_m[0]))
    nearby = scan_hits(columns, free, lon, lat, needs.relaxed(min_area_m2=0.0, max_rent=None, types=(),
                                                              industries=(), levels=()))
    rows, distance = nearby.rows, nearby.distance_m
    fits_rest = columns.meets(rows, needs, area=False)
    if needs.min_area_m2 > 0 and fits_rest.any():
        best = int(np.argmax(np.where(fits_rest, columns.available[rows], -1.0)))
        out.append(_suggestion(search, "min_area_m2", float(columns.available[rows[best]]), rows[best], distance[best]))
    fits_rest = columns.meets(rows, needs, rent=False)
    if needs.max_rent is not None and fits_rest.any():
        rent = np.where(fits_rest & ~np.isnan(columns.rent[rows]), columns.rent[rows], np.inf)
        if np.isfinite(rent).any():
            best = int(np.argmin(rent))
            out.append(_suggestion(search, "max_rent", float(rent[best]), rows[best], distance[best]))
    fits_rest = columns.meets(rows, needs, kind=False)
    if (needs.types or needs.industries or needs.levels) and fits_rest.any():
        best = int(np.argmax(fits_rest))  # rows are nearest first
        out.append(_suggestion(search, "any_kind", float(fits_rest.sum()), rows[best], distance[best]))
    return out
