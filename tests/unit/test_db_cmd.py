"""``carriermap db backup``: a consistent copy of the live SQLite file; PostgreSQL is pointed to pg_dump."""

import json
import subprocess
import sys

from carriermap.store import Store
from carriermap.store.repository import Update


def cli(*args):
    return subprocess.run([sys.executable, "-m", "carriermap", "--lang", "en", *args], capture_output=True,
                          text=True, timeout=120)


def test_backup_of_a_live_database_opens_with_the_same_data(store, db_url, tmp_path):
    carrier_id = int(store.carriers("340600").iloc[0]["id"])
    store.apply(actor="a", kind="edit", updates=[Update(carrier_id, {"contact": "before backup"})])
    with store.engine.connect() as reader:  # another session is using the database meanwhile
        reader.exec_driver_sql("SELECT count(*) FROM carriers").scalar_one()
        result = cli("--database", db_url, "db", "backup", str(tmp_path / "copy.sqlite"))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["bytes"] > 0
    copy = Store.open(f"sqlite:///{tmp_path / 'copy.sqlite'}")
    assert copy.carrier(carrier_id)["contact"] == "before backup"
    assert len(copy.carriers()) == len(store.carriers()) and len(copy.changesets()) == len(store.changesets())
    copy.engine.dispose()


def test_backup_never_overwrites(db_url, tmp_path):
    target = tmp_path / "exists.sqlite"
    target.write_bytes(b"keep me")
    result = cli("--database", db_url, "db", "backup", str(target))
    assert result.returncode == 2 and "already exists" in result.stderr and len(result.stderr.splitlines()) == 1
    assert target.read_bytes() == b"keep me"


def test_backup_of_postgresql_points_to_pg_dump(tmp_path):
    result = cli("--database", "postgresql+psycopg://carriermap@127.0.0.1:1/carriermap", "db", "backup",
                 str(tmp_path / "x"))
    assert result.returncode == 2 and "pg_dump" in result.stderr and not (tmp_path / "x").exists()
