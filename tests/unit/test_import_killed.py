"""An import killed (SIGKILL) in the middle of its transaction leaves the database as it was."""

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from carriermap.bench.import_bench import sample_file
from carriermap.store import Store

pytestmark = pytest.mark.both_backends  # SQLite and PostgreSQL + PostGIS (tests/pg.py)

CHILD = textwrap.dedent("""
    import sys, time
    from sqlalchemy import event
    from carriermap.store import Store
    from carriermap.importing import commit_import, plan_import

    store = Store.open(sys.argv[1])
    plan = plan_import(sys.argv[2], city="440100", store=store)
    assert plan.ok, plan.errors("en")[:3]

    @event.listens_for(store.engine, "after_cursor_execute")
    def pause(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("INSERT INTO changes ("):
            inside = cursor.connection.execute("SELECT count(*) FROM carriers").fetchone()[0]
            print("MID", inside, flush=True)
            time.sleep(120)

    commit_import(store, plan, "killed")
    print("COMMITTED", flush=True)
""")


def test_killed_import_leaves_the_database_unchanged(db_url, tmp_path, backend):
    path = tmp_path / "big.csv"
    path.write_bytes(sample_file(5_000))
    store = Store.open(db_url)
    version, count = store.data_version(), len(store.carriers())
    store.engine.dispose()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    child = subprocess.Popen([sys.executable, "-c", CHILD, db_url, str(path)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=env, text=True)
    try:
        line = child.stdout.readline()
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=60)
    assert line.startswith("MID"), child.stderr.read()
    assert int(line.split()[1]) == count + 5_000  # the rows were written inside the open transaction
    assert child.returncode == -signal.SIGKILL
    reopened = Store.open(db_url)
    assert reopened.data_version() == version and len(reopened.carriers()) == count
    reopened.engine.dispose()
    if backend != "sqlite":
        return  # PostgreSQL rolls the dead session's transaction back; nothing to check in a file
    database = db_url.removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
