"""Trend by quarter from frozen snapshots (rows inserted as the ``freeze`` command writes them)."""

import json

from sqlalchemy import insert

from carriermap.districts.metrics import unit_metrics
from carriermap.districts.trend import city_trend, snapshots, unit_trend
from carriermap.store import schema


def _freeze(store, city, quarter, carriers):
    records = json.loads(carriers.to_json(orient="records", force_ascii=False))
    with store.engine.begin() as connection:
        connection.execute(insert(schema.snapshots).values(
            city_adcode=city, quarter=quarter, frozen_at="2026-07-01T00:00:00Z", actor="tester",
            carriers=json.dumps(records, ensure_ascii=False)))


def test_no_snapshots_means_no_trend(store):
    assert snapshots(store.engine, "420100") == []
    assert city_trend([], "420100").empty
    assert unit_trend([], "420100", "district", "carriers").empty


def test_quarters_in_order_with_the_figures_of_each(store):
    carriers = store.carriers("420100")
    earlier = carriers.iloc[:300].copy()
    _freeze(store, "420100", "2026Q2", carriers)
    _freeze(store, "420100", "2026Q1", earlier)
    _freeze(store, "440100", "2026Q1", store.carriers("440100"))
    snaps = snapshots(store.engine, "420100")
    assert [s.quarter for s in snaps] == ["2026Q1", "2026Q2"]
    trend = city_trend(snaps, "420100").set_index("quarter")
    assert trend.at["2026Q1", "carriers"] == (earlier["status"] != "delisted").sum()
    assert trend.at["2026Q2", "carriers"] == (carriers["status"] != "delisted").sum()
    assert trend.at["2026Q2", "jobs"] > trend.at["2026Q1", "jobs"]
    per_unit = unit_trend(snaps, "420100", "reporting_unit", "carriers")
    latest = per_unit[per_unit["quarter"] == "2026Q2"].set_index("unit")["value"]
    live = unit_metrics(carriers, "420100", "reporting_unit").set_index("unit")["carriers"]
    assert latest.to_dict() == live.to_dict()


def test_a_malformed_quarter_is_skipped(store):
    _freeze(store, "420100", "Q3-2026", store.carriers("420100"))
    assert snapshots(store.engine, "420100") == []
