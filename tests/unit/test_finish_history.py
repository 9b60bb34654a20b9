"""History for people: labels, Beijing time, only what changed, scope names, delist reasons."""

import pytest

from carriermap.editing import EditError, set_status
from carriermap.history_view import history_rows, scope_name
from carriermap.i18n import t
from carriermap.permissions import User
from carriermap.versions import edit_carrier

HAIZHU = User(2, "hz", "district_official", "440105")
CHANGES = t("finish.history.col.changes", "zh")


def test_scopes_are_named():
    assert scope_name("district_official", "440105", "zh") == "海珠区"
    assert scope_name("city_official", "440100", "zh") == "广州市"
    assert scope_name("operator", "12,15", "zh") == "载体 #12, #15"


def test_history_shows_labels_beijing_time_and_only_changed_fields(store):
    record = store.carriers("440100").query("district_adcode == '440105'").iloc[0]
    old = record["available_m2"]
    values = {"total_area_m2": 1999999.0, "available_m2": 999999.0, "contact": record["contact"]}
    edit_carrier(store, int(record["id"]), values, actor="hz")
    rows = history_rows(store.history(int(record["id"])), "zh")
    latest = rows.iloc[0]
    changes = latest[CHANGES]
    assert "可供面积" in changes and "999,999" in changes and "available_m2" not in changes
    assert "联系" not in changes  # submitted but unchanged: not listed
    assert f"{old:,.0f}" in changes
    when = latest["时间"]
    assert len(when) == 16 and "T" not in when and "+00:00" not in when


def test_delisting_needs_a_reason_and_keeps_it_in_history(store):
    record = store.carriers("440100").query("district_adcode == '440105' and level == 'national'").iloc[0]
    with pytest.raises(EditError):
        set_status(store, HAIZHU, int(record["id"]), "delisted", int(record["version"]), reason="  ")
    assert store.carrier(int(record["id"]))["status"] != "delisted"
    set_status(store, HAIZHU, int(record["id"]), "delisted", int(record["version"]), reason="停止运营,场地收回")
    rows = history_rows(store.history(int(record["id"])), "zh")
    assert rows.iloc[0]["原因"] == "停止运营,场地收回"
    assert "运营中 → 已摘牌" in rows.iloc[0][CHANGES]
