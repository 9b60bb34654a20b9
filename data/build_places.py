"""Rebuild ``data/places.csv``: named places a founder can pick on the find-space page.

Two kinds of place, all stored in WGS-84:

* ``district``: one point per district of ``geo/districts.geojson`` — the centroid of the
  district (computed in the equal-area projection), or a point on its surface when the
  centroid falls outside (a crescent-shaped district).
* ``landmark``: a few well-known stations, parks and technology parks per city. Their points
  are approximate (a few hundred metres) GCJ-02 positions as shown on Amap, written down
  by hand and converted to WGS-84 here; each is checked to fall in the district named
  beside it, so a gross slip fails the build. Huaibei has none: we could not vouch for any.

Run: ``python data/build_places.py`` (writes ``data/places.csv``).
"""

from __future__ import annotations

import csv

import geopandas as gpd

from carriermap.boundaries import CHINA_EQUAL_AREA, WGS84, districts, locate
from carriermap.coords import gcj02_to_wgs84
from carriermap.paths import PLACES_FILE

LANDMARK_SOURCE = "approximate point (GCJ-02 as on Amap, a few hundred metres), converted to WGS-84"
DISTRICT_SOURCE = "district centroid computed from geo/districts.geojson"

# city, district the point must fall in, zh name, en name, GCJ-02 lon, lat
LANDMARKS: tuple[tuple[str, str, str, str, float, float], ...] = (
    ("440100", "440105", "广州塔", "Canton Tower", 113.32452, 23.10645),
    ("440100", "440106", "天河体育中心", "Tianhe Sports Center", 113.32530, 23.13780),
    ("440100", "440104", "北京路步行街", "Beijing Road", 113.26950, 23.12550),
    ("440100", "440105", "琶洲会展中心", "Pazhou Convention Center", 113.36760, 23.10570),
    ("440100", "440113", "广州南站", "Guangzhou South Railway Station", 113.26950, 22.98860),
    ("440100", "440113", "广州大学城", "Guangzhou Higher Education Mega Center", 113.39050, 23.05600),
    ("440100", "440112", "广州科学城", "Guangzhou Science City", 113.45600, 23.17000),
    ("440300", "440309", "深圳北站", "Shenzhen North Railway Station", 114.02960, 22.60960),
    ("440300", "440304", "深圳市民中心", "Shenzhen Civic Center", 114.05950, 22.54300),
    ("440300", "440304", "华强北", "Huaqiangbei", 114.08700, 22.54450),
    ("440300", "440305", "深圳湾科技生态园", "Shenzhen Bay Eco-Technology Park", 113.94600, 22.52800),
    ("440300", "440305", "南山科技园", "Nanshan Science and Technology Park", 113.95300, 22.54050),
    ("440300", "440303", "罗湖口岸", "Luohu Port", 114.11800, 22.53300),
    ("420100", "420106", "黄鹤楼", "Yellow Crane Tower", 114.30250, 30.54450),
    ("420100", "420111", "光谷广场", "Optics Valley Square", 114.39800, 30.50550),
    ("420100", "420111", "武汉站", "Wuhan Railway Station", 114.42400, 30.60750),
    ("420100", "420103", "汉口站", "Hankou Railway Station", 114.25550, 30.61800),
    ("420100", "420106", "武汉大学", "Wuhan University", 114.36500, 30.53800),
)
COLUMNS = ("city_adcode", "kind", "name", "name_en", "district_adcode", "lon", "lat", "source")


def district_rows() -> list[dict]:
    """One centre per district."""
    gdf = districts()
    projected = gdf.to_crs(CHINA_EQUAL_AREA)
    centroids = gpd.GeoSeries(projected.geometry.centroid, crs=CHINA_EQUAL_AREA).to_crs(WGS84)
    rows = []
    for record, centre in zip(gdf.to_dict("records"), centroids, strict=True):
        if not record["geometry"].contains(centre):
            centre = record["geometry"].representative_point()
        rows.append({"city_adcode": record["city_adcode"], "kind": "district", "name": record["name"],
                     "name_en": record["name_en"], "district_adcode": record["adcode"],
                     "lon": round(centre.x, 6), "lat": round(centre.y, 6), "source": DISTRICT_SOURCE})
    return rows


def landmark_rows() -> list[dict]:
    """The landmarks in WGS-84, each checked against its district."""
    rows = []
    for city, district, name, name_en, gcj_lon, gcj_lat in LANDMARKS:
        lon, lat = (float(v) for v in gcj02_to_wgs84(gcj_lon, gcj_lat))
        found = locate([lon], [lat])[0][0]
        if found != district:
            raise SystemExit(f"{name}: lands in district {found}, expected {district}")
        rows.append({"city_adcode": city, "kind": "landmark", "name": name, "name_en": name_en,
                     "district_adcode": district, "lon": round(lon, 6), "lat": round(lat, 6),
                     "source": LANDMARK_SOURCE})
    return rows


def main() -> None:
    """Write ``data/places.csv``."""
    rows = district_rows() + landmark_rows()
    with PLACES_FILE.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} places to {PLACES_FILE}")


if __name__ == "__main__":
    main()
