"""Versioned edits: edit, delist (kept), relist, history field by field, undo of each."""

import pytest

from carriermap.store import ConflictError
from carriermap.versions import EditRejected, delist, edit_carrier, field_changes, relist

pytestmark = pytest.mark.both_backends  # SQLite and PostgreSQL + PostGIS (tests/pg.py)


def first_carrier(store):
    return store.carrier(int(store.carriers("440100").iloc[0]["id"]))


def test_delist_keeps_the_carrier_and_relist_brings_it_back(store):
    carrier = first_carrier(store)
    count = len(store.carriers())
    changeset = delist(store, carrier["id"], actor="official")
    assert store.carrier(carrier["id"])["status"] == "delisted" and len(store.carriers()) == count
    assert carrier["id"] not in set(store.carriers("440100", include_delisted=False)["id"])
    changes = field_changes(store, carrier_id=carrier["id"])
    first = changes.iloc[0]
    assert (first["kind"], first["field"], first["before"], first["after"], first["actor"]) == \
        ("delist", "status", "operating", "delisted", "official")
    relist(store, carrier["id"], actor="official")
    assert store.carrier(carrier["id"])["status"] == "operating"
    store.undo(store.changesets().iloc[0]["id"], actor="official")  # undo the relist
    assert store.carrier(carrier["id"])["status"] == "delisted"
    assert changeset is not None


def test_edit_is_validated_and_a_moved_point_gets_its_district(store):
    carrier = first_carrier(store)
    with pytest.raises(EditRejected) as error:
        edit_carrier(store, carrier["id"], {"available_m2": -1, "type": "castle"}, actor="x")
    assert {p.field for p in error.value.problems} == {"available_m2", "type"}
    edit_carrier(store, carrier["id"], {"lon": 113.339581, "lat": 23.05967}, actor="x")
    assert store.carrier(carrier["id"])["district_adcode"] == "440105"
    with pytest.raises(EditRejected):
        edit_carrier(store, carrier["id"], {"lon": 116.8, "lat": 33.95}, actor="x")  # outside the city


def test_stale_edit_is_a_conflict(store):
    carrier = first_carrier(store)
    edit_carrier(store, carrier["id"], {"contact": "1"}, actor="a", expected_version=carrier["version"])
    with pytest.raises(ConflictError):
        edit_carrier(store, carrier["id"], {"contact": "2"}, actor="b", expected_version=carrier["version"])
    assert store.carrier(carrier["id"])["contact"] == "1"


def test_undo_of_an_edit_restores_the_exact_previous_values(store):
    carrier = first_carrier(store)
    changeset = edit_carrier(store, carrier["id"], {"available_m2": 12.5, "industries": ["新材料"]}, actor="a")
    store.undo(changeset, actor="a")
    restored = store.carrier(carrier["id"])
    assert restored["available_m2"] == carrier["available_m2"] and restored["industries"] == carrier["industries"]


def test_ids_of_undone_inserts_are_never_reused(store):
    from carriermap.model import clean_carrier

    record, _ = clean_carrier({"name": "撤销后", "type": "incubator", "city_adcode": "440100",
                               "district_adcode": "440105", "lon": 113.339581, "lat": 23.05967})
    first = store.apply(actor="a", kind="import", inserts=[record])
    store.undo(first.changeset_id, actor="a")
    second = store.apply(actor="a", kind="import", inserts=[record])
    assert second.inserted[0] > first.inserted[0]
    assert list(store.history(first.inserted[0])["action"]) == ["delete", "insert"]
