"""The bundled data reproduces what the seed texts publish, computed from exported records.

Guangzhou: seeds 000/001 (May 2017). Huaibei: seed 002. Wuhan: seed 003. Shenzhen Nanshan: seed 004.
"""

import io
import json
import subprocess
import sys

import pandas as pd
import pytest

from carriermap import boundaries


@pytest.fixture(scope="module")
def exported(tmp_path_factory, seeded_db_file):
    """Every city's carriers, exported through the CLI as CSV."""
    import os

    env = {**os.environ, "CARRIERMAP_DATABASE_URL": f"sqlite:///{seeded_db_file}"}
    frames = {}
    for city in ("440100", "420100", "340600", "440300"):
        out = subprocess.run([sys.executable, "-m", "carriermap", "export", "--city", city, "--format", "csv"],
                             capture_output=True, env=env, check=True, timeout=120).stdout
        frames[city] = pd.read_csv(io.BytesIO(out), dtype={"district_adcode": str})
    return frames


def test_guangzhou_incubators(exported):
    incubators = exported["440100"][exported["440100"]["type"] == "incubator"]
    assert len(incubators) == 207
    levels = incubators["level"].value_counts()
    assert levels["national"] == 21 and levels["national_cultivation"] == 15 and levels["municipal"] == 37
    assert incubators["total_area_m2"].sum() == pytest.approx(8_550_000)
    assert incubators["jobs"].sum() > 110_000
    rated = incubators[(incubators["level"] == "national") & (incubators["rating_year"] == 2015)]
    assert len(rated) == 16
    assert rated["rating"].value_counts().to_dict() == {"B": 7, "A": 5, "C": 4}


def test_guangzhou_corridors(seeded_db_file):
    from carriermap.store import Store

    features = {f["name"]: f for f in Store.open(f"sqlite:///{seeded_db_file}").features("440100")}
    corridor = features["广州科技创新走廊"]
    assert set(corridor["members"]) == {"广州开发区", "知识城", "智慧城", "琶洲互联网创新集聚区", "生物岛", "大学城",
                                        "南沙开发区", "增城开发区"}
    gs = features["广深科技创新走廊"]
    assert set(gs["members"]) == {"广深高速", "广深铁路", "广深沿江高速"}
    assert corridor["schematic"] and gs["schematic"]


def test_guangzhou_maker_space_target(cli_env):
    out = subprocess.run([sys.executable, "-m", "carriermap", "metrics", "--city", "440100"], capture_output=True,
                         env=cli_env, check=True).stdout
    targets = json.loads(out)["targets"]
    assert {"metric": "maker_spaces", "target": 150.0, "year": 2018}.items() <= targets[0].items()


def test_huaibei_maker_spaces(exported):
    frame = exported["340600"]
    assert len(frame) == 8 and set(frame["type"]) == {"maker_space"}
    assert frame["level"].value_counts().to_dict() == {"provincial": 5, "national": 2, "municipal": 1}
    assert frame["reporting_unit"].value_counts().to_dict() == {"相山区": 4, "濉溪县": 1, "杜集区": 1, "烈山区": 1,
                                                                "淮北高新区": 1}
    named = frame.set_index("name")
    assert named.loc["淮海壹号众创空间", "industries"] == "电子商务"
    assert named.loc["矿山机电众创空间", "industries"] == "机械制造;生物医药"
    assert {"易创众创空间", "宝创众创空间", "淮北师范大学绘梦空间"} <= set(frame["name"])


def test_wuhan(exported, cli_env):
    frame = exported["420100"]
    assert set(frame["district_adcode"]) == set(boundaries.districts("420100")["adcode"])  # all 13 districts
    assert "东湖高新区" in set(frame["reporting_unit"])
    assert (frame["status"] == "delisted").sum() > 0
    out = subprocess.run([sys.executable, "-m", "carriermap", "metrics", "--city", "420100"], capture_output=True,
                         env=cli_env, check=True).stdout
    targets = {(t["metric"], t["unit"]): t for t in json.loads(out)["targets"]}
    assert targets[("carriers", None)]["target"] == 600 and targets[("carriers", None)]["year"] == 2025
    assert targets[("national", None)]["target"] == 200
    assert targets[("specialized_share", None)]["target"] == 0.5


def test_shenzhen_nanshan_whole_chain(exported):
    nanshan = exported["440300"][exported["440300"]["district"] == "南山区"]
    assert {"nursery", "incubator", "accelerator", "tech_park", "rd_hq"} <= set(nanshan["type"])


@pytest.mark.parametrize("city", ["440100", "420100", "340600", "440300"])
def test_points_lie_in_their_district(exported, city):
    frame = exported[city]
    found, found_city = boundaries.locate(frame["lon"], frame["lat"])
    assert (found == frame["district_adcode"].to_numpy()).all()
    assert (found_city == city).all()


@pytest.mark.parametrize("city", ["440100", "420100", "340600", "440300"])
def test_invented_records_are_marked(exported, city):
    frame = exported[city]
    invented = frame["name"].str.contains("示例") | frame["contact"].astype(str).str.contains("示例")
    assert frame.loc[invented, "is_sample"].all()
