"""Placing an unplaced carrier: the "needs a location" queue and the versioned edit that ends it.

An editor places a carrier by clicking a map, pasting coordinates (WGS-84, GCJ-02 or BD-09,
:mod:`carriermap.pointinput`), choosing a named place (:mod:`carriermap.places`) or accepting
a geocoder's answer (:mod:`carriermap.geocoding`). Every way ends in :func:`place_carrier`:
the scope is checked on the carrier before and on the placed record after (an editor cannot
move a carrier out of, or into, their district), the point must lie in the carrier's city,
the district is derived from the point, and the change is one change set of kind ``place``
that undo reverses.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pandas as pd

from carriermap.boundaries import district_names
from carriermap.editing import write_edit
from carriermap.location import needing_location, placed_mask
from carriermap.messages import KeyedError
from carriermap.permissions import PermissionDenied, User, can_edit, editable_mask, require_edit
from carriermap.pointinput import PointInputError, check_point
from carriermap.snapshots import refuse_if_frozen
from carriermap.store.repository import ChangeSetResult
from carriermap.versions import EditRejected

PLACE_KIND = "place"


class PlacingError(KeyedError):
    """The point cannot place this carrier (outside its city, not coordinates); :meth:`message` says why."""

    def __init__(self, key: str, point_error: PointInputError | None = None, **params: Any):
        super().__init__(key, **params)
        self.point_error = point_error

    def message(self, lang: str = "zh") -> str:
        """The reason and the fix, in ``lang``."""
        from carriermap.i18n import t

        return self.point_error.message(lang) if self.point_error else t(self.key, lang, **self.params)


def queue(user: User | None, carriers: pd.DataFrame) -> pd.DataFrame:
    """The carriers without a point that ``user`` may place (unlocated first, then by name)."""
    if carriers.empty:
        return carriers.assign(placement=pd.Series(dtype=object))
    waiting = carriers[~placed_mask(carriers) & (carriers["status"] != "delisted")]
    mine = waiting[editable_mask(user, waiting)] if not waiting.empty else waiting
    return needing_location(mine)


def place_carrier(store, user: User | None, carrier_id: int, lon: float, lat: float, *, crs: str = "wgs84",
                  expected_version: int | None = None, how: str = "", as_of: date | datetime | None = None
                  ) -> ChangeSetResult:
    """Give carrier ``carrier_id`` the point (lon, lat) in ``crs``, as one versioned change set.

    Raises :class:`PermissionDenied` (scope), :class:`PlacingError` (a point outside the
    carrier's city: the message names the city), :class:`carriermap.snapshots.QuarterError`
    (frozen quarter) or :class:`carriermap.store.ConflictError` (someone changed it first).
    """
    record = store.carrier(int(carrier_id))
    require_edit(user, record)
    try:
        point = check_point(float(lon), float(lat), crs, record["city_adcode"])
    except PointInputError as error:
        raise PlacingError(error.key, error) from error
    after = {**record, "lon": point.lon, "lat": point.lat, "district_adcode": point.district_adcode}
    if not can_edit(user, after):
        names = district_names("zh")
        raise PermissionDenied("lists.error.place_outside_scope", name=record.get("name") or "",
                               district=names.get(str(point.district_adcode), point.district_adcode or ""))
    refuse_if_frozen(store, record["city_adcode"], as_of if as_of is not None else datetime.now(UTC))
    values: dict[str, Any] = {"lon": round(point.lon, 7), "lat": round(point.lat, 7)}
    version = int(expected_version) if expected_version is not None else int(record["version"])
    try:
        # The data page's one write path: published, or kept for a reviewer when the city requires it.
        return write_edit(store, user, record, values, version, PLACE_KIND)
    except EditRejected as rejected:
        problem = rejected.problems[0]
        raise PlacingError(problem.key, **problem.params) from rejected
