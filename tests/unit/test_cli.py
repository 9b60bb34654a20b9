"""The CLI: export, metrics, and one-line errors with a non-zero exit."""

import io
import json
import subprocess
import sys

import openpyxl
import pandas as pd


def run(args, env, check=True):
    result = subprocess.run([sys.executable, "-m", "carriermap", *args], capture_output=True, env=env, timeout=120)
    if check:
        assert result.returncode == 0, result.stderr.decode()
    return result


def test_unknown_city_is_one_line_and_non_zero(cli_env):
    result = run(["--lang", "en", "metrics", "--city", "999999"], cli_env, check=False)
    assert result.returncode != 0
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "unknown city 999999" in lines[0] and "440100" in lines[0]


def test_unreadable_file_is_one_line_and_non_zero(cli_env, tmp_path):
    missing = run(["--lang", "en", "import", str(tmp_path / "nope.csv")], cli_env, check=False)
    assert missing.returncode != 0 and len(missing.stderr.decode().strip().splitlines()) == 1
    binary = tmp_path / "photo.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    result = run(["--lang", "en", "import", str(binary)], cli_env, check=False)
    assert result.returncode != 0 and len(result.stderr.decode().strip().splitlines()) == 1


def test_export_formats(cli_env, tmp_path):
    csv_bytes = run(["export", "--city", "340600", "--format", "csv"], cli_env).stdout
    assert csv_bytes.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(csv_bytes), dtype=str)
    for column in ("name", "type", "level", "status", "district", "reporting_unit", "lon", "lat", "total_area_m2",
                   "available_m2", "jobs", "is_sample"):
        assert column in frame.columns
    run(["export", "--city", "340600", "--format", "xlsx", "-o", str(tmp_path / "c.xlsx")], cli_env)
    sheet = openpyxl.load_workbook(tmp_path / "c.xlsx").active
    assert sheet.max_row == 9
    geo = json.loads(run(["export", "--city", "340600", "--format", "geojson"], cli_env).stdout)
    assert len(geo["features"]) == 8 and geo["features"][0]["geometry"]["type"] == "Point"


def test_metrics_json(cli_env):
    payload = json.loads(run(["metrics", "--city", "340600", "--by", "reporting_unit", "--format", "json"],
                             cli_env).stdout)
    units = {row["unit"]: row["carriers"] for row in payload["rows"]}
    assert units == {"濉溪县": 1, "相山区": 4, "杜集区": 1, "烈山区": 1, "淮北高新区": 1}
    assert isinstance(payload["targets"], list)


def test_metrics_table_and_csv(cli_env):
    assert "相山区" in run(["metrics", "--city", "340600", "--format", "table"], cli_env).stdout.decode()
    csv_text = run(["metrics", "--city", "340600", "--format", "csv"], cli_env).stdout.decode()
    assert csv_text.splitlines()[0].startswith("unit,")
