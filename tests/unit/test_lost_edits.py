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
        _busy_on_postgresql(store)
        return
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


def _new(name):
    from carriermap.model import clean_carrier

    record, problems = clean_carrier({"name": name, "type": "incubator", "city_adcode": "340600",
                                      "district_adcode": "340603", "lon": 116.78, "lat": 33.98})
    assert not problems
    return record


def test_a_large_write_lets_other_editors_in_between_batches(store, monkeypatch):
    from carriermap.store import Store, repository
    from carriermap.store.engine import make_engine

    carrier_id = _id(store)
    other = Store(make_engine(str(store.engine.url.render_as_string(hide_password=False))))
    edits = []

    def pause(_seconds):  # between two batches: another editor saves a quick edit at once
        edits.append(other.apply(actor="b", kind="edit",
                                 updates=[Update(carrier_id, {"contact": f"between-{len(edits)}"})]).changeset_id)

    monkeypatch.setattr(repository.time, "sleep", pause)
    count = len(store.carriers())
    result = store.apply_in_batches(actor="a", kind="import", summary="big.csv",
                                    inserts=[_new(f"批量{i}") for i in range(12)], batch_rows=5)
    other.engine.dispose()
    assert len(edits) == 2 and all(edits)  # two pauses (3 batches), each let a write through
    assert len(store.carriers()) == count + 12 and len(result.inserted) == 12
    history = store.changesets()
    assert history[history["id"] == result.changeset_id]["summary"].item() == "big.csv"  # finished, not "…"
    store.undo(result.changeset_id, actor="a")  # one change set: one undo removes all 12
    assert len(store.carriers()) == count


def test_a_failing_later_batch_leaves_the_data_as_it_was(store, monkeypatch):
    from carriermap.store import ConflictError, repository

    monkeypatch.setattr(repository.time, "sleep", lambda _s: None)
    carrier_id = _id(store)
    count, stale = len(store.carriers()), store.carrier(carrier_id)["version"] - 1
    with pytest.raises(ConflictError):
        store.apply_in_batches(actor="a", kind="import", inserts=[_new(f"批量{i}") for i in range(6)],
                               updates=[Update(carrier_id, {"contact": "x"}, expected_version=stale)], batch_rows=3)
    assert len(store.carriers()) == count and store.carrier(carrier_id)["contact"] != "x"


def test_the_cli_names_the_field_and_the_newer_value_when_undo_is_refused(store, db_url, capsys):
    from carriermap.cli import main as cli_main

    carrier_id = _id(store)
    first = _edit(store, carrier_id, contact="A")
    _edit(store, carrier_id, contact="0561-5555555")
    assert cli_main(["--database", db_url, "--lang", "en", "undo", str(first)]) == 2
    error = capsys.readouterr().err
    assert "0561-5555555" in error and "contact" in error and "Traceback" not in error


def _busy_on_postgresql(store) -> None:
    """PostgreSQL: another writer holds the write lock (every write transaction takes it, so change
    sets commit in id order); a write that cannot get it in time is "busy", and nothing is written."""
    import carriermap.store.engine as engine
    from carriermap.store import Store

    url = store.engine.url.update_query_dict({"options": "-c lock_timeout=200"})
    carrier_id = _id(store)
    before = store.carrier(carrier_id)
    quick = engine.make_engine(url.render_as_string(hide_password=False))
    with store.engine.connect() as blocker:
        blocker.exec_driver_sql(f"SELECT pg_advisory_lock({engine.WRITE_LOCK_KEY})")
        try:
            with pytest.raises(StoreBusy):
                Store(quick).apply(actor="a", kind="edit", updates=[Update(carrier_id, {"contact": "x"})])
        finally:
            blocker.exec_driver_sql(f"SELECT pg_advisory_unlock({engine.WRITE_LOCK_KEY})")
            quick.dispose()
    assert store.carrier(carrier_id) == before
