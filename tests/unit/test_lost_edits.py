"""No edit is lost without a word: undo after undo/redo, re-importing an old export, a busy database."""

import pytest

from carriermap.store import StoreBusy, UndoConflict, UndoError
from carriermap.store.repository import Update

pytestmark = pytest.mark.both_backends


def _id(store):
    return int(store.carriers("340600").iloc[0]["id"])


def _edit(store, carrier_id, **values):
    return store.apply(actor="a", kind="edit", updates=[Update(carrier_id, values)]).changeset_id


def test_undo_redo_then_undo_an_earlier_change_refuses_instead_of_dropping_the_redone_value(store):
    carrier_id = _id(store)
    first = _edit(store, carrier_id, contact="A")
    second = _edit(store, carrier_id, contact="B")
    undo = store.undo(second, actor="a").changeset_id  # contact back to A
    store.undo(undo, actor="a")  # redo: contact B again
    with pytest.raises(UndoConflict) as refused:
        store.undo(first, actor="a")
    assert store.carrier(carrier_id)["contact"] == "B"  # the redone value is kept
    conflict = refused.value.conflicts[0]
    assert conflict["field"] == "contact" and conflict["value"] == "B" and conflict["changeset"] > undo
    assert isinstance(refused.value, UndoError)


def test_undoing_step_by_step_works_and_later_edits_of_other_fields_are_kept(store):
    carrier_id = _id(store)
    original = store.carrier(carrier_id)
    first = _edit(store, carrier_id, contact="A")
    second = _edit(store, carrier_id, contact="B")
    _edit(store, carrier_id, available_m2=12.0)  # another field, later
    store.undo(second, actor="a")
    store.undo(first, actor="a")  # clean: contact is A again, which is what `first` wrote
    now = store.carrier(carrier_id)
    assert now["contact"] == original["contact"] and now["available_m2"] == 12.0


def test_a_later_edit_of_the_same_field_blocks_undo_even_when_it_wrote_the_same_value(store):
    carrier_id = _id(store)
    first = _edit(store, carrier_id, contact="A")
    _edit(store, carrier_id, contact="B")
    _edit(store, carrier_id, contact="A")  # someone set it back by hand: that is their edit
    with pytest.raises(UndoConflict):
        store.undo(first, actor="a")
    assert store.carrier(carrier_id)["contact"] == "A"


def test_a_locked_database_is_a_busy_error_not_a_traceback(store, backend, monkeypatch):
    if backend != "sqlite":
        pytest.skip("SQLite's single write lock")
    import sqlite3

    import carriermap.store.engine as engine

    path = store.engine.url.database
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 200)
    quick = engine.make_engine(str(store.engine.url))
    try:
        from carriermap.store import Store

        with pytest.raises(StoreBusy):
            Store(quick).apply(actor="a", kind="edit", updates=[Update(_id(store), {"contact": "x"})])
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
        quick.dispose()


def _export(store, drop=()):
    from carriermap.export import export_frame, to_csv_bytes

    frame = export_frame(store.carriers("340600"))
    return to_csv_bytes(frame.drop(columns=list(drop)))


def _reimport(store, data):
    from carriermap.importer import plan_import

    return plan_import(data, "export.csv", city="340600", store=store)


def test_reimporting_an_old_export_is_a_conflict_not_an_overwrite(store):
    from carriermap.importer import commit_import

    carrier_id = _id(store)
    exported = _export(store)
    _edit(store, carrier_id, contact="0561-9999999")  # someone edits after the export
    plan = _reimport(store, exported)
    assert not plan.ok
    problems = [p for p in plan.errors("en") if "9999999" in p["message"]]
    assert len(problems) == 1 and problems[0]["column"] == "contact" and problems[0]["row"] is not None
    assert "version" in problems[0]["message"]
    with pytest.raises(Exception):  # noqa: B017 - a plan with problems is never written
        commit_import(store, plan, "a")
    assert store.carrier(carrier_id)["contact"] == "0561-9999999"
    fresh = _reimport(store, _export(store))  # a fresh export goes in (nothing to change)
    assert fresh.ok and fresh.counts["changed"] == 0


def test_an_export_without_versions_is_said_to_be_older_than_the_data(store):
    carrier_id = _id(store)
    exported = _export(store, drop=("version",))
    import time

    time.sleep(1.1)  # updated_at is kept to the second
    _edit(store, carrier_id, contact="0561-8888888")
    plan = _reimport(store, exported)
    messages = [p for p in plan.errors("en") if "8888888" in p["message"]]
    assert len(messages) == 1 and "older than the data" in messages[0]["message"]
    assert store.carrier(carrier_id)["contact"] == "0561-8888888"
