"""Unbounded and invisible input: limits declared once in the model, checked on every write path.

Import (CSV), quick edit and the store's own last check, on SQLite and PostgreSQL: huge names,
NUL bytes, zero-width and bidi characters, names of nothing visible, NaN/infinity, implausible
areas and rents, full-width digits.
"""

import json
import subprocess
import sys

import pytest

from carriermap.editing import EditError, quick_edit
from carriermap.importing import commit_import, plan_import
from carriermap.model import FIELDS_BY_NAME, MAX_AREA_M2, MAX_RENT, clean_carrier, clean_value
from carriermap.permissions import User
from carriermap.store import InvalidRecordError
from carriermap.store.repository import Update
from tests.unit.import_helpers import HEADER_ZH, csv_bytes, problems_at, row, snapshot

pytestmark = pytest.mark.both_backends

ADMIN = User(1, "admin", "admin")
NAME_COLUMN, TOTAL_COLUMN, FREE_COLUMN = HEADER_ZH[0], HEADER_ZH[7], HEADER_ZH[8]


def _plan(store, rows):
    return plan_import(csv_bytes(rows), "x.csv", city="440100", store=store)


def _rejected(store, rows, where, key):
    before = snapshot(store)
    plan = _plan(store, rows)
    assert problems_at(plan).get(where) == key, plan.errors("en")
    assert all(len(str(e["value"] or "")) <= 81 for e in plan.errors("en"))  # a huge cell is not echoed back
    with pytest.raises(ValueError):
        commit_import(store, plan, "test")
    assert snapshot(store) == before
    return plan


@pytest.mark.parametrize("name", ["名" * 100_000, "a" * 201], ids=["100k", "201"])
def test_names_longer_than_the_model_allows_are_refused_with_row_and_column(store, name):
    plan = _rejected(store, [row(name)], (2, NAME_COLUMN), "error.too_long")
    assert "200" in plan.errors("en")[0]["message"]


@pytest.mark.parametrize("name, char", ids=["zwsp", "bidi", "escape", "bom", "filler"], argvalues=[
    ("天河\u200b孵化器", "U+200B"),                  # zero-width space
    ("\u202eretsam\u202c孵化器", "U+202E"),          # bidi override
    ("孵化器\x1b[31m红\x1b[0m", "U+001B"),          # terminal escape code
    ("\ufeff孵化器", "U+FEFF"),                      # byte-order mark inside a cell
    ("\u3164\u3164", "U+3164"),                       # Hangul filler: a blank-looking name
])
def test_hidden_characters_are_refused_naming_the_character(store, name, char):
    plan = _rejected(store, [row(name)], (2, NAME_COLUMN), "error.hidden_char")
    assert char in plan.errors("en")[0]["message"]


def test_a_nul_byte_after_the_first_4_kb_is_refused_naming_row_and_column(store):
    rows = [row(f"新孵化器{i}", address="广州市海珠区" * 10) for i in range(40)] + [row("天河\x00孵化器")]
    assert csv_bytes(rows).index(b"\x00") > 4096
    plan = _rejected(store, rows, (42, NAME_COLUMN), "error.hidden_char")
    assert "U+0000" in [e for e in plan.errors("en") if e["row"] == 42][0]["message"]


def test_name_of_only_invisible_marks_is_refused(store):
    _rejected(store, [row("\u0301\u0301\u3000")], (2, NAME_COLUMN), "error.only_invisible")


def test_a_name_differing_only_by_a_zero_width_character_does_not_rename_a_carrier(store):
    carrier = store.carriers("440100").iloc[0]
    sneaky = carrier["name"][:1] + "\u200b" + carrier["name"][1:]
    rows = [row(sneaky, lon=str(carrier["lon"]), lat=str(carrier["lat"]), total="", free="")]
    before = snapshot(store)
    plan = _plan(store, rows)
    assert not plan.ok and problems_at(plan)[(2, NAME_COLUMN)] == "error.hidden_char"
    assert snapshot(store) == before
    assert store.carrier(int(carrier["id"]))["name"] == carrier["name"]


@pytest.mark.parametrize("total, free, column, key", [
    ("1e308", "", TOTAL_COLUMN, "error.too_large"),
    ("20000000", "", TOTAL_COLUMN, "error.too_large"),
    ("nan", "", TOTAL_COLUMN, "error.not_number"),
    ("inf", "", TOTAL_COLUMN, "error.not_number"),
    ("1000", "-5", FREE_COLUMN, "error.negative"),
])
def test_numbers_must_be_finite_and_plausible(store, total, free, column, key):
    _rejected(store, [row("新孵化器", total=total, free=free)], (2, column), key)


def test_full_width_digits_and_codes_are_normalised():
    assert clean_value(FIELDS_BY_NAME["total_area_m2"], "１２，３４５") == (12345.0, None)
    assert clean_value(FIELDS_BY_NAME["type"], "ｉｎｃｕｂａｔｏｒ") == ("incubator", None)
    assert clean_value(FIELDS_BY_NAME["city_adcode"], "４４０１００") == ("440100", None)
    assert clean_value(FIELDS_BY_NAME["total_area_m2"], "١٢")[1].key == "error.not_number"  # not NFKC digits
    name, problem = clean_value(FIELDS_BY_NAME["name"], "Cafe\u0301 孵化器")  # NFC: é composed, CJK kept
    assert problem is None and name == "Café 孵化器"


def test_excel_serial_dates_become_dates():
    spec = FIELDS_BY_NAME["level_notice_date"]
    assert clean_value(spec, "45292") == ("2024-01-01", None)
    assert clean_value(spec, 45292) == ("2024-01-01", None)
    assert clean_value(spec, "2024年3月5日") == ("2024-03-05", None)


def test_quick_edit_refuses_out_of_range_and_hidden_values(store):
    record = store.carriers("440100").iloc[0].to_dict()
    for values, key in (({"rent_cny_m2_month": MAX_RENT + 1}, "error.too_large"),
                        ({"available_m2": float("inf")}, "error.not_finite"),
                        ({"contact": "020\u200b1234"}, "error.hidden_char"),
                        ({"contact": "x" * 5000}, "error.too_long")):
        with pytest.raises(EditError) as refused:
            quick_edit(store, ADMIN, int(record["id"]), values, int(record["version"]))
        assert refused.value.problems[0].key == key
    assert store.carrier(int(record["id"]))["version"] == record["version"]


def test_the_store_refuses_a_record_that_skipped_validation(store):
    """A future write path that forgets clean_carrier still cannot store a 1 MB name or an infinite area."""
    good, _ = clean_carrier({"name": "新孵化器", "type": "incubator", "city_adcode": "440100",
                             "lon": 113.3, "lat": 23.1})
    before = snapshot(store)
    with pytest.raises(InvalidRecordError):
        store.apply(actor="t", kind="import", inserts=[{**good, "name": "x" * 1_000_000}])
    with pytest.raises(InvalidRecordError):
        store.apply(actor="t", kind="edit", updates=[Update(1, {"total_area_m2": MAX_AREA_M2 * 10})])
    with pytest.raises(InvalidRecordError):
        store.apply(actor="t", kind="edit", updates=[Update(1, {"address": "a\x00b"})])
    assert snapshot(store) == before


def test_metrics_json_is_always_valid_json(store, cli_env):
    """Even with an infinite area already in the database (written before these checks), JSON stays JSON."""
    from sqlalchemy import update

    from carriermap.store import schema

    with store.engine.begin() as conn:
        conn.execute(update(schema.carriers).where(schema.carriers.c.id == 1).values(total_area_m2=1e308))
        conn.execute(update(schema.carriers).where(schema.carriers.c.id == 2).values(total_area_m2=1e308))
    city = store.carrier(1)["city_adcode"]
    out = subprocess.run([sys.executable, "-m", "carriermap", "metrics", "--city", city, "--format", "json"],
                         capture_output=True, text=True, env=cli_env, timeout=300)
    assert out.returncode == 0, out.stderr
    json.loads(out.stdout, parse_constant=lambda name: pytest.fail(f"{name} in JSON"))
