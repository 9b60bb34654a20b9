"""Scopes checked in the library, quick edits, conflicts, delist/relist and undo."""

import pytest

from carriermap.editing import EditError, quick_edit, set_status, undo_changeset
from carriermap.permissions import PermissionDenied, User, can_edit, can_report

pytestmark = pytest.mark.both_backends  # SQLite and PostgreSQL + PostGIS (tests/pg.py)

ADMIN = User(1, "boss", "admin")
HAIZHU = User(2, "hz", "district_official", "440105")
GUANGZHOU = User(3, "gz", "city_official", "440100")


def _first(store, district):
    frame = store.carriers("440100")
    return frame[frame["district_adcode"] == district].iloc[0].to_dict()


def test_district_official_cannot_change_another_district(store):
    tianhe = _first(store, "440106")
    assert not can_edit(HAIZHU, tianhe)
    with pytest.raises(PermissionDenied) as refused:
        quick_edit(store, HAIZHU, tianhe["id"], {"available_m2": 1}, tianhe["version"])
    assert refused.value.key == "data.error.not_in_scope"
    assert store.carrier(tianhe["id"])["available_m2"] == tianhe["available_m2"]
    haizhu = _first(store, "440105")
    quick_edit(store, HAIZHU, haizhu["id"], {"available_m2": 1}, haizhu["version"])
    assert store.carrier(haizhu["id"])["available_m2"] == 1


def test_operator_changes_only_their_carriers(store):
    mine, other = _first(store, "440105"), _first(store, "440106")
    operator = User(4, "ops", "operator", str(mine["id"]))
    quick_edit(store, operator, mine["id"], {"available_m2": "300", "rent_cny_m2_month": 55, "contact": "020-1"},
               mine["version"])
    saved = store.carrier(mine["id"])
    assert (saved["available_m2"], saved["rent_cny_m2_month"], saved["contact"]) == (300, 55, "020-1")
    with pytest.raises(PermissionDenied):
        quick_edit(store, operator, other["id"], {"available_m2": 1}, other["version"])
    with pytest.raises(PermissionDenied):  # delisting is an official act
        set_status(store, operator, mine["id"], "delisted", saved["version"])
    assert not can_report(operator, "440100")


def test_quick_edit_validates_and_changes_nothing_on_error(store):
    record = _first(store, "440105")
    with pytest.raises(EditError) as bad:
        quick_edit(store, ADMIN, record["id"], {"available_m2": record["total_area_m2"] + 1, "rent_cny_m2_month": -3},
                   record["version"])
    assert {p.field for p in bad.value.problems} == {"rent_cny_m2_month", "available_m2"}  # every problem at once
    with pytest.raises(EditError) as too_big:
        quick_edit(store, ADMIN, record["id"], {"available_m2": record["total_area_m2"] + 1}, record["version"])
    assert too_big.value.problems[0].key == "error.free_exceeds_total"
    with pytest.raises(EditError):  # a quick edit cannot move a carrier
        quick_edit(store, ADMIN, record["id"], {"district_adcode": "440106"}, record["version"])
    assert store.carrier(record["id"])["version"] == record["version"]


def test_second_editor_is_told_and_shown_the_new_values(store):
    from carriermap.store import ConflictError

    record = _first(store, "440105")
    seen = record["version"]  # both editors opened the form at this version
    quick_edit(store, HAIZHU, record["id"], {"available_m2": 111}, seen)
    with pytest.raises(ConflictError) as conflict:
        quick_edit(store, GUANGZHOU, record["id"], {"available_m2": 222}, seen)
    assert conflict.value.current["available_m2"] == 111
    assert conflict.value.current["version"] == seen + 1
    assert store.carrier(record["id"])["available_m2"] == 111


def test_delist_relist_and_undo(store):
    record = _first(store, "440105")
    result = set_status(store, HAIZHU, record["id"], "delisted", record["version"], reason="停止运营")
    assert store.carrier(record["id"])["status"] == "delisted"
    history = store.history(record["id"])
    assert history.iloc[0]["kind"] == "delist" and history.iloc[0]["actor"] == "hz"
    outsider = User(5, "th", "district_official", "440106")
    with pytest.raises(PermissionDenied):
        undo_changeset(store, outsider, result.changeset_id)
    undo_changeset(store, HAIZHU, result.changeset_id)
    assert store.carrier(record["id"])["status"] == "operating"


def test_operator_cannot_undo_an_import(store):
    record = _first(store, "440105")
    operator = User(4, "ops", "operator", str(record["id"]))
    seed_changeset = int(store.history(record["id"]).iloc[-1]["changeset_id"])
    with pytest.raises(PermissionDenied):
        undo_changeset(store, operator, seed_changeset)
