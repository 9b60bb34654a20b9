"""City metrics tallied by the database equal the DataFrame path, value for value, on both backends."""

import pandas as pd
import pytest
from sqlalchemy import delete, update

from carriermap.cities import all_cities
from carriermap.districts.metrics import unit_metrics
from carriermap.districts.metrics_sql import unit_metrics_from_store
from carriermap.model import clean_carrier
from carriermap.store import schema

pytestmark = pytest.mark.both_backends
GROUPINGS = ("district", "reporting_unit")


def assert_same(store, city: str) -> pd.DataFrame:
    carriers = store.carriers(city)
    for by in GROUPINGS:
        expected = unit_metrics(carriers, city, by)
        pd.testing.assert_frame_equal(unit_metrics_from_store(store, city, by), expected, check_exact=True)
    return expected


def test_bundled_cities_equal_the_dataframe_path(store):
    for city in all_cities():
        rows = assert_same(store, city.adcode)
        assert rows["carriers"].sum() > 0


def _insert(store, **fields) -> int:
    record, problems = clean_carrier({"type": "incubator", "city_adcode": "420100", "lon": 114.40, "lat": 30.50,
                                      **fields})
    assert problems == [], problems
    return store.apply(actor="t", kind="edit", inserts=[record]).inserted[0]


def test_awkward_records_are_counted_the_same(store):
    _insert(store, name="无人数", tenants=None, jobs=None)  # an integer sum with a gap becomes a float sum
    _insert(store, name="空格单位", reporting_unit="  东湖高新区  ")  # counted under the trimmed name
    _insert(store, name="只有注销", reporting_unit="新开发区", status="delisted")  # a unit with delisted carriers only
    orphan = _insert(store, name="无区", rating="A", rating_year=2024, level="national", specialisation="specialized")
    with store.engine.begin() as connection:  # a point in no district (e.g. boundaries changed since)
        connection.execute(update(schema.carriers).where(schema.carriers.c.id == orphan)
                           .values(district_adcode=None))
    rows = assert_same(store, "420100")
    by_unit = unit_metrics_from_store(store, "420100", "reporting_unit").set_index("unit")
    assert by_unit.at["新开发区", "carriers"] == 0 and by_unit.at["新开发区", "delisted"] == 1
    assert by_unit.at["unassigned", "rating_A"] == 1
    assert rows["tenants"].dtype == "float64"


def test_city_without_carriers(store):
    with store.engine.begin() as connection:
        connection.execute(delete(schema.carriers).where(schema.carriers.c.city_adcode == "340600"))
    rows = assert_same(store, "340600")
    assert rows["carriers"].sum() == 0 and rows["delisted"].sum() == 0
