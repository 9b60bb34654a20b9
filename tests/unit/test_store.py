"""The store: seeded from data/, versioned writes, optimistic checks, undo, all-or-nothing."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from carriermap.model import clean_carrier
from carriermap.store import ConflictError, Store, UndoError, schema
from carriermap.store.repository import Update

pytestmark = pytest.mark.both_backends


def new_carrier(name="新孵化器", **extra):
    record, problems = clean_carrier({"name": name, "type": "incubator", "city_adcode": "440100",
                                      "district_adcode": "440106", "lon": 113.36, "lat": 23.13, **extra})
    assert problems == []
    return record


def test_empty_database_is_filled_once(blank_db_url):
    url = blank_db_url
    first = Store.open(url)
    count = len(first.carriers())
    assert count > 800
    again = Store.open(url)
    assert len(again.carriers()) == count
    assert len(again.changesets()) == 1
    first.engine.dispose()
    again.engine.dispose()


def test_insert_update_and_history(store):
    created = store.apply(actor="alice", kind="edit", inserts=[new_carrier()])
    (carrier_id,) = created.inserted
    before = store.carrier(carrier_id)
    assert before["version"] == 1
    changed = store.apply(actor="bob", kind="edit",
                          updates=[Update(carrier_id, {"available_m2": 300.0}, expected_version=1)])
    assert changed.updated == [carrier_id]
    history = store.history(carrier_id)
    assert list(history["actor"]) == ["bob", "alice"]
    assert history.iloc[0]["fields"] == ["available_m2"]
    assert history.iloc[0]["before"]["available_m2"] is None and history.iloc[0]["after"]["available_m2"] == 300.0


def test_same_values_are_not_a_change(store):
    carrier = store.carriers("340600").iloc[0]
    result = store.apply(actor="x", kind="edit", updates=[Update(int(carrier["id"]), {"name": carrier["name"]})])
    assert result.changeset_id is None and result.unchanged == [int(carrier["id"])]


def test_stale_version_is_a_conflict_and_writes_nothing(store):
    carrier_id = int(store.carriers("340600").iloc[0]["id"])
    store.apply(actor="a", kind="edit", updates=[Update(carrier_id, {"contact": "1"}, expected_version=1)])
    with pytest.raises(ConflictError) as error:
        store.apply(actor="b", kind="edit", inserts=[new_carrier("不应写入")],
                    updates=[Update(carrier_id, {"contact": "2"}, expected_version=1)])
    assert error.value.current["contact"] == "1"
    assert "不应写入" not in set(store.carriers("440100")["name"])


def test_undo_restores_exact_values_and_removes_inserts(store):
    carrier_id = int(store.carriers("340600").iloc[0]["id"])
    original = store.carrier(carrier_id)
    count = len(store.carriers())
    result = store.apply(actor="a", kind="import", inserts=[new_carrier("导入一"), new_carrier("导入二")],
                         updates=[Update(carrier_id, {"available_m2": 1.0, "industries": ["新材料"]})])
    assert len(store.carriers()) == count + 2
    store.undo(result.changeset_id, actor="a")
    assert len(store.carriers()) == count
    restored = store.carrier(carrier_id)
    for field in ("available_m2", "industries", "name", "lon", "lat"):
        assert restored[field] == original[field]
    with pytest.raises(UndoError):
        store.undo(result.changeset_id, actor="a")


def test_undo_refuses_when_later_changes_depend(store):
    carrier_id = int(store.carriers("340600").iloc[0]["id"])
    first = store.apply(actor="a", kind="edit", updates=[Update(carrier_id, {"contact": "1"})])
    store.apply(actor="b", kind="edit", updates=[Update(carrier_id, {"contact": "2"})])
    with pytest.raises(UndoError, match="later"):
        store.undo(first.changeset_id, actor="a")


def test_failure_midway_leaves_nothing(store):
    before = store.data_version()
    bad = new_carrier("坏记录")
    bad["type"] = None  # violates NOT NULL: the whole change set must roll back
    with pytest.raises(IntegrityError):
        store.apply(actor="a", kind="import", inserts=[new_carrier("好记录"), bad])
    assert store.data_version() == before
    with store.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(schema.carriers)
                                  .where(schema.carriers.c.name == "好记录")).scalar_one() == 0


def test_reading_only_some_columns(store):
    full = store.carriers("340600")
    some = store.carriers("340600", columns=["name", "lon", "district_adcode"])
    assert list(some.columns) == ["id", "name", "lon", "district_adcode"]
    assert some.to_dict("records") == full[["id", "name", "lon", "district_adcode"]].to_dict("records")
