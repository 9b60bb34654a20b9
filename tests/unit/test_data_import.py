"""Importing from the data page: the editor's scope covers every row, or nothing is written."""

import pytest

from carriermap.editing import import_plan
from carriermap.importer import plan_import
from carriermap.permissions import PermissionDenied, User
from tests.unit.import_helpers import TIANHE, csv_bytes, row

pytestmark = pytest.mark.both_backends  # SQLite and PostgreSQL + PostGIS (tests/pg.py)

ADMIN = User(1, "boss", "admin")
HAIZHU_OFFICIAL = User(2, "hz", "district_official", "440105")


def _plan(store, rows):
    plan = plan_import(csv_bytes(rows), "upload.csv", city="440100", store=store)
    assert plan.ok, plan.errors("en")
    return plan


def test_admin_imports_and_the_change_set_can_be_undone(store):
    before = len(store.carriers("440100"))
    changeset = import_plan(store, ADMIN, _plan(store, [row("页面导入孵化器甲"), row("页面导入孵化器乙")]))
    assert len(store.carriers("440100")) == before + 2
    store.undo(changeset, actor="boss")
    assert len(store.carriers("440100")) == before


def test_district_official_cannot_import_a_row_of_another_district(store):
    version = store.data_version()
    plan = _plan(store, [row("海珠新孵化器"), row("天河新孵化器", lon=TIANHE[0], lat=TIANHE[1])])
    with pytest.raises(PermissionDenied) as refused:
        import_plan(store, HAIZHU_OFFICIAL, plan)
    assert refused.value.key == "data.error.import_row_not_in_scope"
    assert refused.value.params["row"] == 3 and refused.value.params["name"] == "天河新孵化器"
    assert store.data_version() == version


def test_district_official_imports_own_district(store):
    changeset = import_plan(store, HAIZHU_OFFICIAL, _plan(store, [row("海珠新孵化器")]))
    assert changeset is not None


def test_operators_do_not_import(store):
    with pytest.raises(PermissionDenied):
        import_plan(store, User(3, "ops", "operator", "1"), _plan(store, [row("任意")]))
