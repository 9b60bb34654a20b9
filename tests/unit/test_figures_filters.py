"""Published figures under the map's filters: Guangzhou's incubators (seed 000) from the CLI, the XLSX
and the SQL tally path, and the filters' SQL form agreeing with their DataFrame form on both backends."""

import json
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest

from carriermap import filters
from carriermap.districts.metrics import total_row, unit_metrics
from carriermap.districts.metrics_sql import unit_metrics_from_store
from carriermap.districts.table import column_header
from carriermap.model import clean_carrier

PUBLISHED = {"carriers": 207, "national": 21, "total_area_m2": 8_550_000}


def _cli(env, *args):
    return subprocess.run([sys.executable, "-m", "carriermap", *args], capture_output=True, env=env, timeout=120)


def test_metrics_type_flag_reproduces_guangzhou_incubators(cli_env):
    result = _cli(cli_env, "metrics", "--city", "440100", "--type", "incubator")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    rows = pd.DataFrame(payload["rows"])
    assert payload["filters"]["type"] == "incubator"
    assert rows["carriers"].sum() == 207 and rows["national"].sum() == 21
    assert rows["total_area_m2"].sum() == 8_550_000 and rows["jobs"].sum() > 110_000
    unfiltered = pd.DataFrame(json.loads(_cli(cli_env, "metrics", "--city", "440100").stdout)["rows"])
    assert unfiltered["carriers"].sum() > 207  # the invented maker spaces are what the filter leaves out


def test_repeated_and_comma_flags_and_unknown_codes(cli_env):
    both = json.loads(_cli(cli_env, "metrics", "--city", "440100", "--type", "incubator,maker_space").stdout)
    repeated = json.loads(_cli(cli_env, "metrics", "--city", "440100", "--type", "incubator",
                               "--type", "maker_space").stdout)
    assert both["rows"] == repeated["rows"]
    national = json.loads(_cli(cli_env, "metrics", "--city", "440100", "--type", "incubator",
                               "--level", "national").stdout)
    assert sum(r["carriers"] for r in national["rows"]) == 21
    bad = _cli(cli_env, "metrics", "--city", "440100", "--type", "incubatr")
    assert bad.returncode == 2 and "incubatr" in bad.stderr.decode() and "incubator" in bad.stderr.decode()
    assert b"Traceback" not in bad.stderr


def test_xlsx_with_type_flag_reproduces_and_says_what_it_counts(cli_env, tmp_path):
    target = tmp_path / "gz.xlsx"
    result = _cli(cli_env, "metrics", "--city", "440100", "--type", "incubator", "--format", "xlsx", "-o", str(target))
    assert result.returncode == 0, result.stderr
    book = openpyxl.load_workbook(target)
    for sheet in ("按行政区", "按统计单位"):
        values = list(book[sheet].iter_rows(values_only=True))
        assert values[-1][0] == "合计"
        total = {column: values[-1][values[0].index(column_header(column))]
                 for column in ("carriers", "national", "total_area_m2", "jobs")}
        assert {k: total[k] for k in PUBLISHED} == PUBLISHED and total["jobs"] > 110_000
    notes = {row[0]: row[1] for row in book["说明"].iter_rows(min_row=2, values_only=True)}
    assert "孵化器" in notes["统计范围"]


def _insert(store, **fields) -> int:
    record, problems = clean_carrier({"type": "incubator", "city_adcode": "420100", "lon": 114.40, "lat": 30.50,
                                      **fields})
    assert problems == [], problems
    return store.apply(actor="t", kind="edit", inserts=[record]).inserted[0]


SELECTIONS = [
    filters.from_cli({"type": ["incubator"]}),
    filters.from_cli({"level": ["national,provincial"], "spec": ["specialized"]}),
    filters.from_cli({"industry": ["100%_AI", "人工智能"], "status": ["operating"]}),
    filters.from_cli({"status": ["delisted"]}),
    filters.MapFilters(hide_samples=True),
    filters.MapFilters(query="50%_off"),
]


@pytest.mark.both_backends
@pytest.mark.parametrize("selection", SELECTIONS, ids=lambda s: json.dumps(s.to_query(), ensure_ascii=False))
def test_sql_tallies_honour_every_filter_like_the_dataframe(store, selection):
    _insert(store, name="真名孵化器", is_sample=False, industries=["100%_AI"], level="national")
    _insert(store, name="折扣 50%_off 空间", industries=["1000 AI"], specialisation="specialized",
            level="provincial", is_sample=True)
    _insert(store, name="别的空间 50x off", industries=["人工智能"], status="suspended")
    carriers = store.carriers("420100")
    for by in ("district", "reporting_unit"):
        expected = unit_metrics(carriers, "420100", by, selection)
        pd.testing.assert_frame_equal(unit_metrics_from_store(store, "420100", by, selection), expected,
                                      check_exact=True)
    counted = filters.apply(carriers, selection.counting_delisted())
    total = total_row(expected)
    assert total["carriers"] + total["delisted"] == len(counted)


def test_status_filter_narrows_active_carriers_and_delisted_stay_counted_apart(store):
    carriers = store.carriers("420100")
    operating = total_row(unit_metrics(carriers, "420100", "district", filters.from_cli({"status": ["operating"]})))
    everything = total_row(unit_metrics(carriers, "420100", "district"))
    assert operating["carriers"] == int((carriers["status"] == "operating").sum()) < everything["carriers"]
    assert operating["delisted"] == everything["delisted"] == int((carriers["status"] == "delisted").sum()) > 0


def test_hide_samples_leaves_only_sourced_records(store):
    real = _insert(store, name="有来源的孵化器", is_sample=False)
    frame = filters.apply(store.carriers("420100"), filters.MapFilters(hide_samples=True))
    assert frame["id"].tolist() == [real]
    assert filters.from_query({"samples": "hide"}).hide_samples
    assert filters.MapFilters(hide_samples=True).to_query() == {"samples": "hide"}


def test_trend_counts_the_frozen_quarters_under_the_same_filters(store):
    from datetime import UTC, datetime

    from carriermap.districts.trend import city_trend, snapshots, unit_trend
    from carriermap.snapshots import freeze

    freeze(store, "440100", "2026Q3", "boss", now=datetime(2026, 10, 2, tzinfo=UTC))
    snaps = snapshots(store.engine, "440100")
    incubators = filters.from_cli({"type": ["incubator"]})
    assert city_trend(snaps, "440100", incubators)["carriers"].tolist() == [207]
    assert city_trend(snaps, "440100")["carriers"].tolist() == [335]
    assert unit_trend(snaps, "440100", "district", "national", incubators)["value"].sum() == 21
