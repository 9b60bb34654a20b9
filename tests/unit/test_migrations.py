"""Schema versions: Alembic brings a new or old database to the schema of store/schema.py, on both backends."""

import json
import subprocess
import sys

import pytest
from sqlalchemy import Column, Integer, Table, text

from carriermap.store import Store, schema
from carriermap.store.engine import make_engine
from carriermap.store.migrate import current, differences, head

pytestmark = pytest.mark.both_backends


def cli(*args, check=True):
    result = subprocess.run([sys.executable, "-m", "carriermap", "--lang", "en", *args], capture_output=True,
                            text=True, timeout=300)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_new_database_matches_schema_py(empty_store):
    # Fails when a table or column was added to store/schema.py without a migration:
    # run `python -m carriermap db revision -m "what changed"` (docs/deploy.md).
    assert differences(empty_store.engine) == []
    with empty_store.engine.connect() as connection:
        assert current(connection) == head()


def test_a_schema_change_without_migration_is_noticed(empty_store):
    scratch = Table("scratch_table", schema.metadata, Column("id", Integer, primary_key=True))
    try:
        found = differences(empty_store.engine)
    finally:
        schema.metadata.remove(scratch)
    assert [op[0] for op in found] == ["add_table"] and found[0][1].name == "scratch_table"


def test_database_made_before_alembic_is_upgraded_in_place(blank_db_url, backend):
    engine = make_engine(blank_db_url)
    first_release = [schema.carriers, schema.changesets, schema.changes, schema.features, schema.targets,
                     schema.snapshots]
    schema.metadata.create_all(engine, tables=first_release)  # how the first release created its tables
    with engine.begin() as connection:
        connection.execute(schema.changesets.insert().values(actor="old", created_at="2026-01-01T00:00:00+00:00",
                                                             kind="edit", summary="kept"))
    engine.dispose()
    store = Store.open(blank_db_url)
    assert list(store.changesets()["summary"]) == ["kept"]  # not refilled, nothing lost
    with store.engine.connect() as connection:
        assert current(connection) == head()
    if backend == "postgresql":
        assert store.nearby_ids(113.3, 23.1, 1000) == []  # the geography column was added
    store.engine.dispose()


def test_db_upgrade_command_migrates_and_fills_once(blank_db_url):
    first = json.loads(cli("--database", blank_db_url, "db", "upgrade").stdout)
    assert first["before"] is None and first["after"] == head() and first["filled"] is True
    again = json.loads(cli("--database", blank_db_url, "db", "current").stdout)
    assert again["current"] == again["head"] == head()
    second = json.loads(cli("--database", blank_db_url, "db", "upgrade").stdout)
    assert second["before"] == head() and second["filled"] is False


def test_replicas_starting_together_on_a_new_database_fill_it_once(blank_db_url):
    code = "import sys; from carriermap.store import Store; print(len(Store.open(sys.argv[1]).carriers()))"
    workers = [subprocess.Popen([sys.executable, "-c", code, blank_db_url], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [w.communicate(timeout=300) for w in workers]
    assert all(w.returncode == 0 for w in workers), [err for _, err in outputs]
    counts = {int(out) for out, _ in outputs}
    assert len(counts) == 1 and counts.pop() > 800
    store = Store.open(blank_db_url)
    assert len(store.changesets()) == 1
    with store.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM features")).scalar_one() > 0
    store.engine.dispose()


def test_sqlite_never_reuses_a_carrier_id(tmp_path):
    """An undone import removes its carriers; the next carrier gets a new id, not theirs."""
    from carriermap.model import clean_carrier
    from carriermap.store import Store

    store = Store.open(f"sqlite:///{tmp_path / 'ids.sqlite'}")
    record, _ = clean_carrier({"name": "临时", "type": "incubator", "city_adcode": "440100", "lon": 113.36,
                               "lat": 23.13, "district_adcode": "440106"})
    first = store.apply(actor="a", kind="import", inserts=[record])
    store.undo(first.changeset_id, actor="a")
    second = store.apply(actor="a", kind="import", inserts=[{**record, "name": "另一个"}])
    assert second.inserted[0] > first.inserted[0]
    assert len(store.history(second.inserted[0])) == 1


def _carrier_indexes(engine) -> set[str]:
    query = {"postgresql": "SELECT indexname FROM pg_indexes WHERE tablename = 'carriers'",
             "sqlite": "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'carriers'"}
    with engine.connect() as connection:
        return set(connection.execute(text(query[engine.dialect.name])).scalars())


def test_0012_puts_the_city_in_the_free_space_index_and_goes_down_and_up(store, backend):
    """PostgreSQL: 0012 swaps ix_carriers_geog_free for (geog, city_adcode); the same candidates either way.
    SQLite: a no-op both ways."""
    from alembic import command

    from carriermap.store.migrate import config, upgrade
    from carriermap.store.postgis import FreeSpaceCandidates, geography_box_statement

    def candidates() -> list[int] | None:  # by the geography box, the query 0012's index served
        if store.nearby_source("440100") is None:
            return None
        source = FreeSpaceCandidates(store.engine, "440100", statement=geography_box_statement)
        return sorted(source.candidate_ids(113.3245, 23.1067, 10_000).tolist())

    at_head, found = _carrier_indexes(store.engine), candidates()
    with store.engine.begin() as connection:
        command.downgrade(config(connection), "0011")
    before = _carrier_indexes(store.engine)
    assert candidates() == found
    upgrade(store.engine)
    assert _carrier_indexes(store.engine) == at_head and candidates() == found
    if backend == "sqlite":
        assert before == at_head and found is None
    else:  # at head 0013 has replaced 0012's index
        assert "ix_carriers_geog_city_free" not in at_head and "ix_carriers_geog_free" in before - at_head
        assert len(found) > 10


def _carrier_columns(engine) -> set[str]:
    import warnings

    from sqlalchemy import inspect

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SQLAlchemy does not know PostGIS's geography type
        return {column["name"] for column in inspect(engine).get_columns("carriers")}


def test_0013_adds_the_lonlat_point_and_its_index_and_goes_down_and_up(store, backend):
    """PostgreSQL: 0013 adds carriers.lonlat and ix_carriers_lonlat_free, drops 0012's index; the same
    candidates either way (down: the geography box). SQLite: a no-op both ways."""
    from alembic import command

    from carriermap.store.migrate import config, upgrade
    from carriermap.store.postgis import FreeSpaceCandidates, geography_box_statement

    def candidates(statement=None) -> list[int] | None:
        source = store.nearby_source("440100")
        if source is not None and statement is not None:
            source = FreeSpaceCandidates(store.engine, "440100", statement=statement)
        return None if source is None else sorted(source.candidate_ids(113.3245, 23.1067, 10_000).tolist())

    at_head, columns, found = _carrier_indexes(store.engine), _carrier_columns(store.engine), candidates()
    with store.engine.begin() as connection:
        command.downgrade(config(connection), "0012")
    before, columns_before = _carrier_indexes(store.engine), _carrier_columns(store.engine)
    before_found = candidates(geography_box_statement)
    upgrade(store.engine)
    assert _carrier_indexes(store.engine) == at_head and _carrier_columns(store.engine) == columns
    assert candidates() == found
    if backend == "sqlite":
        assert before == at_head and columns_before == columns and found is None
    else:
        assert at_head - before == {"ix_carriers_lonlat_free"} and before - at_head == {"ix_carriers_geog_city_free"}
        assert columns - columns_before == {"lonlat"}
        carriers = store.carriers().set_index("id")
        free = set(carriers.index[(carriers["available_m2"] > 0) & (carriers["status"] == "operating")])
        within = set(store.nearby_ids(113.3245, 23.1067, 10_000, city_adcode="440100")) & free
        assert len(within) > 10 and within <= set(found) and within <= set(before_found)  # both boxes hold the circle
