"""Checks and derivations that need geography: the district a carrier's point falls in.

The admin district is derived from the point (a spatial join on the WGS-84 boundaries),
never trusted from input; a district named in the input that disagrees is reported with
both names.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from carriermap.boundaries import district_names, locate
from carriermap.model import Problem


def place(records: list[dict[str, Any]]) -> dict[int, list[Problem]]:
    """Set ``district_adcode`` of each record from its point; return problems by record index.

    Each record must already be cleaned (:func:`carriermap.model.clean_carrier`) and have
    float ``lon``/``lat`` in WGS-84. A record whose point is outside its city, or whose
    given district differs from the district its point is in, gets a problem.
    """
    problems: dict[int, list[Problem]] = {}
    usable = [i for i, r in enumerate(records) if isinstance(r.get("lon"), float) and isinstance(r.get("lat"), float)]
    if not usable:
        return problems
    lon = np.array([records[i]["lon"] for i in usable])
    lat = np.array([records[i]["lat"] for i in usable])
    district, city = locate(lon, lat)
    names = district_names("zh")
    for k, i in enumerate(usable):
        record = records[i]
        expected_city = str(record.get("city_adcode") or "")
        if city[k] is None or (expected_city and city[k] != expected_city):
            problems.setdefault(i, []).append(
                Problem("lon", record["lon"], "error.outside_city",
                        {"lon": record["lon"], "lat": record["lat"], "city": expected_city}))
            continue
        given = record.get("district_adcode")
        if given and str(given) != district[k]:
            problems.setdefault(i, []).append(
                Problem("district_adcode", given, "error.district_mismatch",
                        {"given": names.get(str(given), str(given)), "found": names.get(district[k], district[k])}))
            continue
        record["district_adcode"] = district[k]
        if not record.get("city_adcode"):
            record["city_adcode"] = city[k]
    return problems
