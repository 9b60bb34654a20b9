"""Rebuild the bundled corridors, clusters and zones (``data/features.geojson``) deterministically.

The seed texts name these features but give no geometry, so every outline and line here is
*schematic* (drawn dashed) and its position is *unsourced* (``location_source`` null, the map
says so) unless a text locates it. What the build guarantees, and the tests check against the
committed file:

- every feature lies inside its own city (lines and outlines are clipped to the city's
  boundary shrunk by :data:`INSET_DEG`, so they stay inside whatever the rounding);
- a corridor that runs through two cities (广深科技创新走廊) is drawn in each city as that city's
  part, not as one line crossing the border;
- a zone that is a reporting unit (广州开发区, 东湖高新区, 淮北高新区) has an outline inside the
  districts its carriers are in; ``data/build_sample_data.py`` places those carriers inside it.

Usage: ``python data/build_features.py`` (run before ``build_sample_data.py``; runtime dependencies only).
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import shapely
from shapely import affinity
from shapely.geometry import LineString, MultiLineString, Point, mapping

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from carriermap.boundaries import districts  # noqa: E402

# About 50 m: the clipped features stay inside the city even after rounding to 1e-6 degrees.
INSET_DEG = 0.0005
S001 = "seed 001 穗科创函〔2017〕830号"
S004 = "seed 004 (企业网站文章:建设科技创新服务体系的南山区若干借鉴经验)"
Q_CORRIDOR = ("围绕广州开发区、知识城、智慧城、琶洲互联网创新集聚区、生物岛、大学城、南沙开发区、增城开发区等创新功能区,"
              "着力打造广州科技创新走廊")
Q_GS = "促进创新要素沿广深高速、广深铁路、广深沿江高速等交通廊道聚集,打造广深科技创新走廊"

# Corridor nodes (seed 001 names them; points approximate, not from the text).
NODES = {"知识城": (113.485, 23.385), "广州开发区": (113.455, 23.165), "智慧城": (113.385, 23.17),
         "琶洲互联网创新集聚区": (113.37, 23.10), "生物岛": (113.37, 23.068), "大学城": (113.395, 23.05),
         "南沙开发区": (113.58, 22.79), "增城开发区": (113.66, 23.14)}
ROUTE = [["知识城", "广州开发区", "智慧城", "琶洲互联网创新集聚区", "生物岛", "大学城", "南沙开发区"],
         ["广州开发区", "增城开发区"]]
# 广深科技创新走廊: one schematic line per transport corridor (names from seed 001).
GS_LINES = {
    "广深高速": [(113.33, 23.135), (113.52, 23.06), (113.68, 22.95), (113.8, 22.83), (113.88, 22.7), (114.0, 22.58),
             (114.04, 22.54)],
    "广深铁路": [(113.26, 23.15), (113.45, 23.1), (113.6, 23.05), (113.75, 23.02), (113.9, 22.9), (114.05, 22.7),
             (114.11, 22.54)],
    "广深沿江高速": [(113.4, 23.06), (113.5, 22.95), (113.62, 22.85), (113.72, 22.75), (113.82, 22.65), (113.9, 22.56),
               (113.95, 22.52)],
}
# Zones that are reporting units: centre, radius (km), the districts their carriers are in.
ZONES = {
    "广州开发区": ("440100", (113.47, 23.16), 6.0, ["黄埔区"], "zone",
              f"{S001} (名称;广州开发区科技企业孵化器集群); outline schematic, location unsourced"),
    "东湖高新区": ("420100", (114.43, 30.47), 9.0, ["洪山区", "江夏区"], "zone",
              "seed 003 武汉市科技局 (reporting unit named); outline schematic, location unsourced"),
    "淮北高新区": ("340600", (116.79, 33.96), 2.5, ["相山区"], "zone",
              "seed 002 (高新区1家 named as a unit); outline schematic, location unsourced"),
}
# Places the texts name without locating them (schematic, location unsourced).
NAMED_PLACES = [
    ("广州国际创新城", "440100", (113.40, 23.015), 2.0, "cluster",
     f"{S001}: 思科智慧城落户广州国际创新城; location unsourced", False),
    ("前海深港现代服务业合作区", "440300", (113.895, 22.53), 2.5, "zone",
     f"{S004}: 充分利用前海深港现代服务业合作区金融资源优势; location unsourced", False),
    ("南山区创新载体集聚带", "440300", (113.945, 22.535), 3.0, "cluster",
     f"{S004}: the incubation chain of Nanshan (创业苗圃…企业研发总部基地); outline invented", True),
]


def _city(city_adcode: str):
    return shapely.union_all(list(districts(city_adcode).geometry)).buffer(-INSET_DEG)


def _districts(city_adcode: str, names: list[str]):
    gdf = districts(city_adcode)
    return shapely.union_all(list(gdf[gdf["name"].isin(names)].geometry)).buffer(-INSET_DEG)


def _circle(centre: tuple[float, float], radius_km: float):
    """A circle of ``radius_km`` around ``centre`` (lon/lat), as a lon/lat polygon."""
    lat_deg = radius_km / 111.32
    disc = Point(centre).buffer(lat_deg, quad_segs=16)
    return affinity.scale(disc, 1 / math.cos(math.radians(centre[1])), 1.0, origin=Point(centre))


def _polygon(geom):
    """The largest part of ``geom`` (a clipped outline stays one polygon), counter-clockwise."""
    if geom.geom_type == "MultiPolygon":
        geom = max(geom.geoms, key=lambda part: part.area)
    return shapely.set_precision(shapely.orient_polygons(geom), 1e-6)


def _lines(geom):
    parts = [geom] if geom.geom_type == "LineString" else [g for g in getattr(geom, "geoms", []) if g.length > 0]
    return shapely.set_precision(MultiLineString(parts), 1e-6)


def _feature(name, city, kind, geom, *, members=(), source, location_source=None, is_sample=False) -> dict:
    return {"type": "Feature",
            "properties": {"name": name, "city_adcode": city, "kind": kind, "members": list(members),
                           "schematic": True, "source": source, "location_source": location_source,
                           "is_sample": is_sample},
            "geometry": mapping(geom)}


def build() -> dict:
    """Every feature, clipped to its city."""
    features = []
    gz = _city("440100")
    corridor = MultiLineString([LineString([NODES[n] for n in route]) for route in ROUTE])
    features.append(_feature("广州科技创新走廊", "440100", "corridor", _lines(corridor.intersection(gz)),
                             members=list(NODES), source=f"{S001}: {Q_CORRIDOR}; route schematic"))
    for name, centre in NODES.items():
        if name in ZONES:
            continue
        features.append(_feature(name, "440100", "cluster", _polygon(_circle(centre, 1.3).intersection(gz)),
                                 source=f"{S001} (node named); location unsourced"))
    for zone, (city, centre, radius, names, kind, source) in ZONES.items():
        outline = _polygon(_circle(centre, radius).intersection(_districts(city, names)))
        features.append(_feature(zone, city, kind, outline, source=source))
    for city in ("440100", "440300"):
        lines = MultiLineString([LineString(points) for points in GS_LINES.values()])
        features.append(_feature("广深科技创新走廊", city, "corridor", _lines(lines.intersection(_city(city))),
                                 members=list(GS_LINES), source=f"{S001}: {Q_GS}; paths schematic"))
    chain = ["创业苗圃", "孵化器", "加速器", "专业技术园", "研发总部基地"]
    for name, city, centre, radius, kind, source, is_sample in NAMED_PLACES:
        outline = _polygon(_circle(centre, radius).intersection(_city(city)))
        features.append(_feature(name, city, kind, outline, source=source, is_sample=is_sample,
                                 members=chain if is_sample else ()))
    return {"type": "FeatureCollection", "features": features}


def main() -> None:
    path = ROOT / "data" / "features.geojson"
    collection = build()
    path.write_text(json.dumps(collection, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(collection['features'])} features to {path}")


if __name__ == "__main__":
    main()
