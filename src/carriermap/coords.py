"""Chinese coordinate systems: WGS-84 (GPS), GCJ-02 (Amap, Tencent) and BD-09 (Baidu).

Everything the project stores is WGS-84. Inputs in GCJ-02 or BD-09 are converted on the
way in with :func:`to_wgs84`; output is shifted to GCJ-02 only where it is drawn on a
GCJ-02 basemap (:func:`wgs84_to_gcj02`).

The forward GCJ-02 transform is the published closed form. Its inverse has no closed
form: the one-step inverse most libraries ship is off by up to a few metres, so
:func:`gcj02_to_wgs84` iterates the forward transform (fixed-point) until the residual is
below ~1e-10 degrees (about a hundredth of a millimetre). All functions are vectorised
over NumPy arrays and accept scalars too.

No "outside China" rectangle is applied: callers check points against real boundaries.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

CRS = Literal["wgs84", "gcj02", "bd09"]
CRS_CODES: tuple[str, ...] = ("wgs84", "gcj02", "bd09")

_A = 6378245.0  # Krasovsky 1940 semi-major axis used by GCJ-02
_EE = 0.00669342162296594323  # its first eccentricity squared
_X_PI = np.pi * 3000.0 / 180.0
_TOLERANCE_DEG = 1e-10
_MAX_ITERATIONS = 30


def _as_arrays(lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    return np.asarray(lon, dtype="float64"), np.asarray(lat, dtype="float64")


def _offset(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """GCJ-02 offset in degrees (dlon, dlat) at WGS-84 point(s)."""
    x = lon - 105.0
    y = lat - 35.0
    common = (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    dlat = (-100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x)) + common
            + (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
            + (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0)
    dlon = (300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x)) + common
            + (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
            + (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0)
    radlat = lat / 180.0 * np.pi
    magic = 1.0 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrtmagic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * np.cos(radlat) * np.pi)
    return dlon, dlat


def wgs84_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """WGS-84 → GCJ-02 (the closed-form forward transform)."""
    lon, lat = _as_arrays(lon, lat)
    dlon, dlat = _offset(lon, lat)
    return lon + dlon, lat + dlat


def _iterate_inverse(forward, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Solve forward(x) = target by fixed-point iteration, starting from the target itself."""
    x_lon, x_lat = lon.copy(), lat.copy()
    for _ in range(_MAX_ITERATIONS):
        f_lon, f_lat = forward(x_lon, x_lat)
        r_lon, r_lat = f_lon - lon, f_lat - lat
        x_lon = x_lon - r_lon
        x_lat = x_lat - r_lat
        if max(float(np.max(np.abs(r_lon), initial=0.0)), float(np.max(np.abs(r_lat), initial=0.0))) < _TOLERANCE_DEG:
            break
    return x_lon, x_lat


def gcj02_to_wgs84(lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """GCJ-02 → WGS-84, iterated to well under a millimetre."""
    lon, lat = _as_arrays(lon, lat)
    return _iterate_inverse(wgs84_to_gcj02, lon, lat)


def gcj02_to_bd09(lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """GCJ-02 → BD-09 (Baidu's published forward transform)."""
    x, y = _as_arrays(lon, lat)
    z = np.sqrt(x * x + y * y) + 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) + 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def bd09_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """BD-09 → GCJ-02, iterated like the GCJ-02 inverse."""
    lon, lat = _as_arrays(lon, lat)
    return _iterate_inverse(gcj02_to_bd09, lon, lat)


def wgs84_to_bd09(lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """WGS-84 → BD-09."""
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def bd09_to_wgs84(lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """BD-09 → WGS-84."""
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


_TO_WGS84 = {"gcj02": gcj02_to_wgs84, "bd09": bd09_to_wgs84}
_FROM_WGS84 = {"gcj02": wgs84_to_gcj02, "bd09": wgs84_to_bd09}


def to_wgs84(lon: ArrayLike, lat: ArrayLike, crs: str) -> tuple[np.ndarray, np.ndarray]:
    """Convert point(s) given in ``crs`` (one of :data:`CRS_CODES`) to WGS-84."""
    convert = _TO_WGS84.get(normalise_crs(crs), _as_arrays)
    return convert(lon, lat)


def from_wgs84(lon: ArrayLike, lat: ArrayLike, crs: str) -> tuple[np.ndarray, np.ndarray]:
    """Convert WGS-84 point(s) to ``crs``."""
    convert = _FROM_WGS84.get(normalise_crs(crs), _as_arrays)
    return convert(lon, lat)


_CRS_ALIASES = {
    "wgs84": "wgs84", "wgs-84": "wgs84", "wgs 84": "wgs84", "gps": "wgs84", "epsg:4326": "wgs84",
    "4326": "wgs84", "": "wgs84",
    "gcj02": "gcj02", "gcj-02": "gcj02", "gcj": "gcj02", "amap": "gcj02", "gaode": "gcj02",
    "高德": "gcj02", "腾讯": "gcj02", "tencent": "gcj02", "火星坐标": "gcj02",
    "bd09": "bd09", "bd-09": "bd09", "baidu": "bd09", "百度": "bd09",
}


def normalise_crs(value: str | None) -> str:
    """Map a user's spelling of a coordinate system to a code of :data:`CRS_CODES`.

    Raises ``ValueError`` for an unknown name.
    """
    key = (value or "").strip().lower()
    if key in _CRS_ALIASES:
        return _CRS_ALIASES[key]
    raise ValueError(f"unknown coordinate system {value!r}; use one of {', '.join(CRS_CODES)}")
