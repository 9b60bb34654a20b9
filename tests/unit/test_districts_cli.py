"""``carriermap metrics``: the issue's JSON shape, and rows that add up to the exported records."""

import io
import json
import subprocess
import sys

import pandas as pd
import pytest


def _run(args, env):
    result = subprocess.run([sys.executable, "-m", "carriermap", *args], capture_output=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout


@pytest.mark.parametrize("by", ["district", "reporting_unit"])
def test_metrics_rows_sum_to_the_exported_records(cli_env, by):
    payload = json.loads(_run(["metrics", "--city", "420100", "--by", by, "--format", "json"], cli_env))
    exported = pd.read_csv(io.BytesIO(_run(["export", "--city", "420100", "--format", "csv"], cli_env)),
                           dtype=str, encoding="utf-8-sig")
    rows = payload["rows"]
    assert sum(r["carriers"] + r["delisted"] for r in rows) == len(exported)
    assert sum(r["carriers"] for r in rows) == (exported["status"] != "delisted").sum()
    assert {"unit", "carriers", "national", "specialized_share", "per_100km2", "jobs"} <= set(rows[0])
    assert ("东湖高新区" in {r["unit"] for r in rows}) == (by == "reporting_unit")


def test_metrics_targets_shape(cli_env):
    payload = json.loads(_run(["metrics", "--city", "420100", "--format", "json"], cli_env))
    city = [t for t in payload["targets"] if t["unit"] is None]
    assert {(t["metric"], t["target"], t["year"]) for t in city} == {
        ("carriers", 600, 2025), ("national", 200, 2025), ("specialized_share", 0.5, 2025)}
    assert all({"metric", "target", "current", "year", "gap", "progress"} <= set(t) for t in payload["targets"])


def test_metrics_xlsx_is_the_page_workbook(cli_env, tmp_path):
    import openpyxl

    target = tmp_path / "wuhan.xlsx"
    _run(["metrics", "--city", "420100", "--format", "xlsx", "-o", str(target)], cli_env)
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["按行政区", "按统计单位", "目标", "说明", "示例值统计"]
    missing = subprocess.run([sys.executable, "-m", "carriermap", "--lang", "en", "metrics", "--city", "420100",
                              "--format", "xlsx"], capture_output=True, env=cli_env, timeout=120)
    assert missing.returncode == 2 and "-o" in missing.stderr.decode() and len(missing.stderr.splitlines()) == 1


def test_metrics_json_says_how_many_counted_values_are_invented(cli_env):
    payload = json.loads(_run(["metrics", "--city", "340600", "--format", "json"], cli_env))
    total = next(row for row in payload["invented"] if row["unit"] == "total")
    active = sum(row["carriers"] for row in payload["rows"] if row["unit"] != "total")
    assert total["carriers"] == active == 8
    assert total["invented_records"] == 3  # the five maker spaces the Huaibei text names are real records
    assert total["invented_level"] == 8  # which of them are national the text does not say
    filtered = json.loads(_run(["metrics", "--city", "440100", "--type", "incubator", "--format", "json"], cli_env))
    assert next(row for row in filtered["invented"] if row["unit"] == "total")["carriers"] == 207
