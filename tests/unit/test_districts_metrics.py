"""Figures per district / reporting unit: every record counted once, delisted apart, areas in km²."""

import json
from datetime import UTC, datetime

import pandas as pd
import pytest
from pyproj import Geod

from carriermap import codes
from carriermap.boundaries import districts
from carriermap.cities import all_cities
from carriermap.districts.metrics import UNASSIGNED, delisted, total_row, unit_metrics
from carriermap.districts.targets import target_progress
from carriermap.export import export_frame


@pytest.mark.parametrize("by", ["district", "reporting_unit"])
def test_rows_sum_to_the_exported_records(store, by):
    for city in all_cities():
        exported = export_frame(store.carriers(city.adcode))
        rows = unit_metrics(store.carriers(city.adcode), city.adcode, by)
        assert rows["carriers"].sum() + rows["delisted"].sum() == len(exported), city.adcode
        active = exported[exported["status"] != "delisted"]
        for ctype in codes.CARRIER_TYPES:
            assert rows[f"type_{ctype}"].sum() == (active["type"] == ctype).sum(), (city.adcode, ctype)
        assert rows["jobs"].sum() == pytest.approx(pd.to_numeric(active["jobs"]).sum())
        assert rows["national"].sum() == (active["level"] == "national").sum()


def test_reporting_units_split_zones_from_their_district(store):
    carriers = store.carriers("420100")
    by_unit = unit_metrics(carriers, "420100", "reporting_unit").set_index("unit")
    by_district = unit_metrics(carriers, "420100", "district").set_index("unit")
    assert "东湖高新区" in by_unit.index and "东湖高新区" not in by_district.index
    assert set(districts("420100")["name"]) <= set(by_unit.index)
    # The zone's carriers are taken out of the districts they lie in; the city total is the same.
    assert by_unit["carriers"].sum() == by_district["carriers"].sum()
    shared = by_district.index
    assert (by_unit.loc[shared, "carriers"] <= by_district["carriers"]).all()
    assert by_unit.loc[shared, "carriers"].sum() + by_unit.at["东湖高新区", "carriers"] == by_district["carriers"].sum()
    # A zone has no legal boundary: no land area, no density (never a density from a schematic circle).
    assert pd.isna(by_unit.at["东湖高新区", "area_km2"]) and pd.isna(by_unit.at["东湖高新区", "per_100km2"])


def test_delisted_carriers_are_not_counted_but_listed_apart(store):
    carriers = store.carriers("420100")
    before = unit_metrics(carriers, "420100", "district").set_index("unit")
    target = carriers.index[(carriers["district_adcode"] == "420102") & (carriers["status"] == "operating")][0]
    carriers.loc[target, "status"] = "delisted"
    after = unit_metrics(carriers, "420100", "district").set_index("unit")
    assert after.at["江岸区", "carriers"] == before.at["江岸区", "carriers"] - 1
    assert after.at["江岸区", "delisted"] == before.at["江岸区", "delisted"] + 1
    listed = delisted(carriers, "420100", "district")
    assert carriers.at[target, "name"] in set(listed["name"])
    assert set(listed["unit"]) <= set(after.index)


def test_density_uses_equal_area_square_kilometres(store):
    rows = unit_metrics(store.carriers("420100"), "420100", "district").set_index("unit_code")
    geod = Geod(ellps="WGS84")
    shapes = districts("420100").set_index("adcode")
    for code in ("420102", "420115"):
        geodesic_km2 = abs(geod.geometry_area_perimeter(shapes.at[code, "geometry"])[0]) / 1e6
        assert rows.at[code, "area_km2"] == pytest.approx(geodesic_km2, rel=0.005)
        assert rows.at[code, "per_100km2"] == pytest.approx(rows.at[code, "carriers"] / geodesic_km2 * 100, rel=0.01)


def test_carriers_outside_every_district_get_their_own_row(store):
    carriers = store.carriers("340600")
    carriers.loc[carriers.index[0], "district_adcode"] = None
    rows = unit_metrics(carriers, "340600", "district")
    assert rows.iloc[-1]["unit"] == UNASSIGNED and rows.iloc[-1]["carriers"] == 1
    assert rows["carriers"].sum() + rows["delisted"].sum() == len(carriers)


def test_total_row_recomputes_share_and_density(store):
    rows = unit_metrics(store.carriers("420100"), "420100", "reporting_unit")
    total = total_row(rows)
    assert total["carriers"] == rows["carriers"].sum()
    assert total["specialized_share"] == pytest.approx(rows["specialized"].sum() / rows["carriers"].sum(), abs=1e-4)
    assert total["area_km2"] == pytest.approx(districts("420100")["area_km2"].sum(), abs=0.1)
    assert json.dumps(total)  # plain Python values, ready for JSON


def test_unknown_grouping_is_refused(store):
    with pytest.raises(ValueError, match="reporting_unit"):
        unit_metrics(store.carriers("420100"), "420100", "street")


def test_wuhan_targets_have_current_value_gap_and_progress(store):
    carriers = store.carriers("420100")
    before_deadline = datetime(2025, 6, 1, tzinfo=UTC)  # while the 2025 targets were open
    progress = target_progress(carriers, store.targets("420100"), "420100", now=before_deadline)
    city = {p["metric"]: p for p in progress if p["unit"] is None}
    active = carriers[carriers["status"] != "delisted"]
    assert city["carriers"]["target"] == 600 and city["carriers"]["current"] == len(active)
    assert city["carriers"]["gap"] == 600 - len(active) and city["carriers"]["status"] == "open"
    assert city["national"]["target"] == 200 and city["national"]["levels"] == ["national"]
    assert city["specialized_share"]["target"] == 0.5
    assert 0 < city["specialized_share"]["progress"] <= 1
    zone = next(p for p in progress if p["unit"] == "东湖高新区")
    rows = unit_metrics(carriers, "420100", "reporting_unit").set_index("unit")
    assert zone["current"] == rows.at["东湖高新区", "carriers"] and zone["is_sample"]
    # the city target is real (seed 003) but its progress is counted from invented records: marked sample
    assert not city["carriers"]["target_is_sample"] and city["carriers"]["is_sample"]
    assert city["carriers"]["sample_records"] == city["carriers"]["counted"] == len(active)


def test_guangzhou_maker_space_target(store):
    progress = target_progress(store.carriers("440100"), store.targets("440100"), "440100")
    (maker,) = [p for p in progress if p["metric"] == "maker_spaces"]
    assert (maker["target"], maker["year"], maker["types"]) == (150, 2018, ["maker_space"]) and maker["gap"] > 0
    # 2018 is long past and the register holds nothing from then: overdue, not "open", no figure invented
    assert (maker["status"], maker["evidence"], maker["current"]) == ("overdue", "none", None)
