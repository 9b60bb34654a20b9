"""Rebuild the bundled carriers (``data/carriers.csv``) deterministically.

Real facts come from the seed texts (see ``data/SOURCES.md``); everything the texts do not
give — names of unnamed carriers, points, areas, jobs — is invented, and every record with
an invented fact is marked ``is_sample`` (the UI says so). Counts, levels, ratings and
totals are chosen so that the records reproduce the published figures exactly; the tests
compute those figures from the exported records.

Usage: ``python data/build_sample_data.py`` (needs only the runtime dependencies).
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import numpy as np
import shapely
import shapely.geometry

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from carriermap.boundaries import districts  # noqa: E402
from carriermap.model import CARRIER_COLUMNS  # noqa: E402

RNG = np.random.default_rng(20170526)
INDUSTRIES = ["新一代信息技术", "人工智能", "生物医药", "电子商务", "机械制造", "新材料", "智能制造",
              "文化创意", "新能源", "集成电路"]
SAMPLE_SOURCE = "示例数据 sample: invented for illustration (see data/SOURCES.md)"
# Provenance (carriermap.provenance): every value of an invented record is invented.
INVENTED = {"kind": "invented", "ref": "data/SOURCES.md"}
ALL_INVENTED = json.dumps({"*": INVENTED}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
SEED_002 = "seed 002 淮北市科技局 市政协十一届二次会议第0024号提案答复"
Q_002_COUNT = "截至目前,我市共有众创空间8家"
Q_002_CHAINS = ("如淮海壹号众创空间构建电子商务产业链,矿山机电众创空间构建机械制造、生物医药产业链,易创众创空间、"
                "宝创众创空间构建电子信息产业链、淮北师范大学绘梦空间针对在校大学生创新创业辅导")
Q_002_SPECIAL = "大力推动众创空间专业化、差异化发展,聚焦细分产业领域,建设能够提供专业化、精准化孵化服务的专业化众创空间"
STREETS = ["科技路", "创新大道", "软件路", "高新大道", "学府路", "产业园路", "科研路", "智慧路"]



def _zone_outlines() -> dict[str, object]:
    """Outlines of the zones that are reporting units, from ``data/features.geojson``
    (built by ``data/build_features.py``): their carriers are placed inside them."""
    collection = json.loads((ROOT / "data" / "features.geojson").read_text(encoding="utf-8"))
    return {f["properties"]["name"]: shapely.geometry.shape(f["geometry"]) for f in collection["features"]
            if f["properties"]["kind"] == "zone"}


ZONES = _zone_outlines()


def _district(city: str, name: str):
    gdf = districts(city)
    row = gdf[gdf["name"] == name].iloc[0]
    return row["adcode"], row.geometry


def _point_in(geom, centre: tuple[float, float] | None = None, spread: float = 0.25) -> tuple[float, float]:
    """A random point inside ``geom``, clustered around ``centre`` (default: its core)."""
    minx, miny, maxx, maxy = geom.bounds
    core = geom.buffer(-0.003) if geom.buffer(-0.003).area > 0 else geom
    cx, cy = centre if centre else (core.representative_point().x, core.representative_point().y)
    sx, sy = (maxx - minx) * spread, (maxy - miny) * spread
    for _ in range(10_000):
        x, y = RNG.normal(cx, sx), RNG.normal(cy, sy)
        if core.contains(shapely.Point(x, y)):
            return round(float(x), 6), round(float(y), 6)
    raise RuntimeError("no point found")


def _scale_to_total(values: np.ndarray, total: int) -> list[int]:
    """Integers proportional to ``values`` that add up to exactly ``total``."""
    scaled = np.floor(values / values.sum() * total).astype(int)
    scaled[np.argmax(scaled)] += total - int(scaled.sum())
    return scaled.tolist()


def _record(city: str, name: str, ctype: str, district_name: str, **extra) -> dict:
    adcode, geom = _district(city, district_name)
    unit = extra.pop("reporting_unit", district_name)
    spread = extra.pop("spread", 0.22)
    if unit in ZONES:  # a zone's carriers lie inside its outline (and their district)
        geom, spread = geom.intersection(ZONES[unit]), 0.5
    lon, lat = extra.pop("point", None) or _point_in(geom, None, spread)
    total = extra.pop("total_area_m2", int(RNG.lognormal(9.3, 0.7)))
    free = int(total * RNG.uniform(0.05, 0.3)) if RNG.random() < 0.65 else 0
    industries = extra.pop("industries", list(RNG.choice(INDUSTRIES, size=int(RNG.integers(1, 3)), replace=False)))
    record = {
        "name": name, "type": ctype, "level": "unrated", "city_adcode": city, "district_adcode": adcode,
        "reporting_unit": unit, "address": f"{district_name}{STREETS[int(RNG.integers(len(STREETS)))]}"
                                          f"{int(RNG.integers(1, 999))}号(示例地址)",
        "lon": lon, "lat": lat,
        "specialisation": "specialized" if len(industries) == 1 else "comprehensive",
        "industries": ";".join(industries), "status": "operating", "rating": "", "rating_year": "",
        "total_area_m2": total, "available_m2": free,
        "rent_cny_m2_month": round(float(RNG.uniform(25, 110)), 0) if free else "",
        "tenants": int(RNG.integers(5, 120)), "graduates": int(RNG.integers(0, 60)), "jobs": 0,
        "operator": "", "operator_kind": str(RNG.choice(["enterprise", "enterprise", "government", "university",
                                                         "investor"])),
        "services": "", "contact": f"020-8{int(RNG.integers(1000000, 9999999))}(示例)",
        "established_year": int(RNG.integers(2008, 2017)), "level_notice": "", "level_notice_date": "",
        "source": SAMPLE_SOURCE, "is_sample": "true", "provenance": ALL_INVENTED,
    }
    record.update(extra)
    return record


def _huaibei_provenance(kind: str) -> str:
    """A named Huaibei maker space: name, type, city, industries, specialisation (and a university
    operator) from seed 002; everything else invented (levels, counties, points, areas, phones)."""
    def seed(quote: str) -> dict:
        return {"kind": "seed", "ref": SEED_002, "quote": quote}

    fields = {"*": INVENTED, "name": seed(Q_002_CHAINS), "industries": seed(Q_002_CHAINS),
              "type": seed(Q_002_COUNT), "city_adcode": seed(Q_002_COUNT), "status": seed(Q_002_COUNT),
              "specialisation": seed(Q_002_SPECIAL)}
    if kind == "university":
        fields["operator_kind"] = seed(Q_002_CHAINS)
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _allocate(weights: dict[str, int]) -> list[str]:
    return [name for name, count in weights.items() for _ in range(count)]


def guangzhou() -> list[dict]:
    """207 incubators (seed 000/001) and maker spaces towards the 2018 target (seed 001)."""
    city = "440100"
    weights = {"天河区": 40, "黄埔区": 45, "海珠区": 25, "越秀区": 15, "番禺区": 20, "白云区": 18, "荔湾区": 10,
               "南沙区": 12, "花都区": 8, "增城区": 9, "从化区": 5}
    places = _allocate(weights)
    levels = ["national"] * 21 + ["national_cultivation"] * 15 + ["municipal"] * 37 + ["unrated"] * 134
    ratings = ["A"] * 5 + ["B"] * 7 + ["C"] * 4 + [""] * 5  # 16 national incubators rated in 2015
    RNG.shuffle(places)
    areas = _scale_to_total(RNG.lognormal(10.0, 0.8, size=207), 8_550_000)
    jobs = _scale_to_total(RNG.lognormal(6.0, 0.6, size=207), 110_600)
    records = []
    for i, (district_name, level) in enumerate(zip(places, levels, strict=True)):
        short = district_name.removesuffix("区")
        unit = "广州开发区" if district_name == "黄埔区" and i % 3 != 0 else district_name
        industry = INDUSTRIES[i % len(INDUSTRIES)]
        rating = ratings[i] if level == "national" else ""
        rec = _record(city, f"{short}{industry}科技企业孵化器(示例{i + 1:03d})", "incubator", district_name,
                      reporting_unit=unit, level=level, total_area_m2=areas[i], jobs=jobs[i],
                      industries=[industry] if i % 2 else [industry, INDUSTRIES[(i + 3) % len(INDUSTRIES)]],
                      rating=rating, rating_year=2015 if rating else "")
        if level == "national":
            rec["level_notice"] = "国科发高〔示例〕号"
        records.append(rec)
    maker_weights = {"天河区": 30, "海珠区": 20, "越秀区": 12, "黄埔区": 18, "番禺区": 14, "白云区": 10,
                     "荔湾区": 8, "南沙区": 6, "花都区": 4, "增城区": 4, "从化区": 2}
    for j, district_name in enumerate(_allocate(maker_weights)):
        short = district_name.removesuffix("区")
        level = ["national", "provincial", "municipal", "district", "unrated"][j % 5]
        records.append(_record(city, f"{short}创客空间(示例{j + 1:03d})", "maker_space", district_name, level=level,
                               jobs=int(RNG.integers(10, 200)), total_area_m2=int(RNG.lognormal(7.5, 0.6))))
    return records


def wuhan() -> list[dict]:
    """Carriers across the 13 districts and 东湖高新区 (seed 003), some delisted."""
    city = "420100"
    weights = {"江岸区": 30, "江汉区": 28, "硚口区": 22, "汉阳区": 26, "武昌区": 40, "青山区": 14, "洪山区": 45,
               "东西湖区": 22, "汉南区": 6, "蔡甸区": 12, "江夏区": 20, "黄陂区": 12, "新洲区": 8}
    records = []
    types = ["incubator", "maker_space", "maker_space", "accelerator", "innovation_valley", "university_park"]
    places = _allocate(weights) + ["东湖高新区"] * 150
    for i, place in enumerate(places):
        if place == "东湖高新区":
            district_name, unit = ("洪山区" if i % 4 else "江夏区"), "东湖高新区"
        else:
            district_name, unit = place, place
        ctype = types[i % len(types)]
        level = "national" if i % 3 == 0 else ["provincial", "municipal", "district"][i % 3 - 1]
        industries = [INDUSTRIES[i % len(INDUSTRIES)]] if i % 5 in (0, 2) else INDUSTRIES[i % 4:i % 4 + 2]
        status = "delisted" if i % 19 == 7 else ("suspended" if i % 41 == 5 else "operating")
        short = (unit if unit == "东湖高新区" else district_name).removesuffix("区")
        records.append(_record(city, f"{short}{industries[0]}载体(示例{i + 1:03d})", ctype, district_name,
                               reporting_unit=unit, level=level, industries=industries, status=status,
                               jobs=int(RNG.integers(20, 400)),
                               contact=f"027-8{int(RNG.integers(1000000, 9999999))}(示例)"))
    return records


def huaibei() -> list[dict]:
    """The 8 maker spaces of seed 002: 2 national, 5 provincial, 1 municipal; units as published."""
    city = "340600"
    source = "seed 002 淮北市政协0024号提案答复 (name, industries); level, point, areas illustrative"
    named = [
        ("淮海壹号众创空间", "相山区", "相山区", "national", ["电子商务"], "enterprise"),
        ("矿山机电众创空间", "烈山区", "烈山区", "national", ["机械制造", "生物医药"], "enterprise"),
        ("易创众创空间", "相山区", "相山区", "provincial", ["电子信息"], "enterprise"),
        ("宝创众创空间", "杜集区", "杜集区", "provincial", ["电子信息"], "enterprise"),
        ("淮北师范大学绘梦空间", "相山区", "相山区", "provincial", ["大学生创新创业"], "university"),
    ]
    unnamed = [
        ("濉溪示例众创空间", "濉溪县", "濉溪县", "provincial", ["新材料"], "enterprise"),
        ("相山示例众创空间", "相山区", "相山区", "provincial", ["文化创意"], "enterprise"),
        ("高新区示例众创空间", "相山区", "淮北高新区", "municipal", ["智能制造"], "government"),
    ]
    records = []
    for rows, src in ((named, source), (unnamed, SAMPLE_SOURCE)):
        for name, district_name, unit, level, industries, kind in rows:
            extra = {"provenance": _huaibei_provenance(kind)} if rows is named else {}
            records.append(_record(city, name, "maker_space", district_name, reporting_unit=unit, level=level,
                                   industries=industries, operator_kind=kind, source=src, spread=0.08,
                                   specialisation="specialized", total_area_m2=int(RNG.integers(800, 6000)),
                                   jobs=int(RNG.integers(20, 150)),
                                   contact=f"0561-3{int(RNG.integers(100000, 999999))}(示例)", **extra))
    return records


def shenzhen() -> list[dict]:
    """Nanshan's whole incubation chain (seed 004) and a few carriers elsewhere in Shenzhen."""
    city = "440300"
    chain = {"nursery": 6, "incubator": 18, "accelerator": 6, "tech_park": 5, "rd_hq": 4}
    records = []
    n = 0
    for ctype, count in chain.items():
        for _ in range(count):
            n += 1
            word = ["苗圃", "孵化器", "加速器", "专业园", "研发总部"][list(chain).index(ctype)]
            records.append(_record(city, f"南山{word}"
                                         f"(示例{n:03d})", ctype, "南山区", level=["national", "municipal",
                                                                              "district"][n % 3],
                                   jobs=int(RNG.integers(30, 900)), spread=0.18,
                                   contact=f"0755-8{int(RNG.integers(1000000, 9999999))}(示例)"))
    for district_name in ["福田区", "宝安区", "龙岗区", "龙华区", "罗湖区", "光明区", "坪山区", "盐田区"]:
        for k in range(3):
            n += 1
            ctype = ["incubator", "maker_space", "accelerator"][k]
            records.append(_record(city, f"{district_name.removesuffix('区')}{['孵化器', '众创空间', '加速器'][k]}"
                                         f"(示例{n:03d})", ctype, district_name, level="municipal",
                                   jobs=int(RNG.integers(30, 500)),
                                   contact=f"0755-2{int(RNG.integers(1000000, 9999999))}(示例)"))
    return records


def main() -> None:
    records = guangzhou() + wuhan() + huaibei() + shenzhen()
    path = ROOT / "data" / "carriers.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(CARRIER_COLUMNS))
        writer.writeheader()
        for record in records:
            writer.writerow({k: record.get(k, "") for k in CARRIER_COLUMNS})
    print(f"wrote {len(records)} carriers to {path}")


if __name__ == "__main__":
    main()
