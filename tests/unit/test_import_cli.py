"""The CLI: import (text/json, dry run, exit 2), history and undo."""

import json
import subprocess
import sys

import pytest

from carriermap.store import Store
from tests.unit.import_helpers import TIANHE, csv_bytes, row

pytestmark = pytest.mark.both_backends  # SQLite and PostgreSQL + PostGIS (tests/pg.py)


def run(args, env):
    return subprocess.run([sys.executable, "-m", "carriermap", *args], capture_output=True, env=env, timeout=120)


def test_rejected_file_exits_2_with_json_errors_and_writes_nothing(cli_env, db_url, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes([row("好的"), row("坏的", type_="孵化中心"), row("反了", lon="23.1", lat="113.3")]))
    before = Store.open(db_url).data_version()
    result = run(["--lang", "en", "import", str(path), "--city", "440100", "--format", "json"], cli_env)
    assert result.returncode == 2
    errors = json.loads(result.stdout)["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(3, "类型"), (4, "经度")]
    assert set(errors[0]) == {"row", "column", "value", "message"} and errors[0]["value"] == "孵化中心"
    assert "swapped" in errors[1]["message"]
    text = run(["--lang", "en", "import", str(path)], cli_env)
    assert text.returncode == 2 and 'row 3, column "类型"' in text.stderr.decode()
    assert Store.open(db_url).data_version() == before


def test_dry_run_then_import_then_history_and_undo(cli_env, db_url, tmp_path):
    path = tmp_path / "good.csv"
    path.write_bytes(csv_bytes([row("命令行载体甲"), row("命令行载体乙", lon=TIANHE[0], lat=TIANHE[1])], encoding="gbk"))
    store = Store.open(db_url)
    count = len(store.carriers())
    dry = run(["--lang", "en", "import", str(path), "--dry-run", "--format", "json"], cli_env)
    assert dry.returncode == 0 and json.loads(dry.stdout)["new"] == 2 and not json.loads(dry.stdout)["written"]
    assert len(store.carriers()) == count
    done = run(["--lang", "en", "import", str(path), "--actor", "alice"], cli_env)
    assert done.returncode == 0 and "2 new" in done.stdout.decode()
    assert len(store.carriers()) == count + 2
    again = json.loads(run(["import", str(path), "--format", "json"], cli_env).stdout)
    assert again["unchanged"] == 2 and again["changeset"] is None
    history = json.loads(run(["history", "--format", "json", "--limit", "5"], cli_env).stdout)["rows"]
    latest = history[0]
    assert latest["actor"] == "alice" and latest["kind"] == "import" and latest["changes"] == 2
    undone = run(["undo", str(latest["id"])], cli_env)
    assert undone.returncode == 0, undone.stderr
    assert len(store.carriers()) == count
    refused = run(["--lang", "en", "undo", str(latest["id"])], cli_env)
    assert refused.returncode == 2 and "already undone" in refused.stderr.decode()
    missing = run(["--lang", "en", "undo", "99999"], cli_env)
    assert missing.returncode == 2 and "No change set #99999" in missing.stderr.decode()


def test_history_of_one_carrier_lists_fields_before_and_after(cli_env, db_url, tmp_path):
    store = Store.open(db_url)
    carrier = store.carriers("440100").iloc[0]
    path = tmp_path / "edit.csv"
    path.write_bytes(csv_bytes([row(carrier["name"], type_=carrier["type"], level=carrier["level"],
                                    lon=str(carrier["lon"]), lat=str(carrier["lat"]), total=str(carrier["total_area_m2"]),
                                    free="1", contact=carrier["contact"])]))
    assert run(["import", str(path)], cli_env).returncode == 0
    rows = json.loads(run(["history", "--carrier", str(carrier["id"]), "--format", "json"], cli_env).stdout)["rows"]
    assert rows[0]["field"] == "available_m2" and rows[0]["after"] == 1.0
    assert rows[0]["before"] == carrier["available_m2"] and rows[-1]["action"] == "insert"
