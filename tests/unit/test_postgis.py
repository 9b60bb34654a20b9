"""Nearby search in PostGIS: the same carriers, in the same order, as geodesic maths on WGS-84."""

import pytest
from pyproj import Geod
from sqlalchemy import text

from carriermap.model import clean_carrier
from carriermap.store.repository import Update

pytestmark = pytest.mark.postgis_only
GEOD = Geod(ellps="WGS84")


def reference(carriers, lon, lat, radius_m):
    """Ids within radius_m by brute force (pyproj's geodesic inverse), nearest first, ties by id."""
    _, _, dist = GEOD.inv([lon] * len(carriers), [lat] * len(carriers), list(carriers["lon"]), list(carriers["lat"]))
    close = [(d, int(i)) for d, i in zip(dist, carriers["id"], strict=True) if d <= radius_m]
    near_edge = [d for d in dist if abs(d - radius_m) < 0.01]
    assert not near_edge, "a carrier sits on the circle: pick another radius"
    return [i for _, i in sorted(close)]


@pytest.mark.parametrize("radius_m", [300, 1500, 5000, 25000])
def test_nearby_equals_geodesic_reference(store, radius_m):
    carriers = store.carriers()
    centres = [(113.3245, 23.1067), (114.3055, 30.5928), (116.7983, 33.9717)]  # Guangzhou, Wuhan, Huaibei
    centres += [(float(r.lon), float(r.lat)) for r in carriers.iloc[::97].itertuples()]  # on a carrier
    found_any = False
    for lon, lat in centres:
        expected = reference(carriers, lon, lat, radius_m)
        assert store.nearby_ids(lon, lat, radius_m) == expected
        found_any |= bool(expected)
    assert found_any


def test_nearby_filters_city_and_delisted(store):
    carriers = store.carriers()
    lon, lat = 113.3245, 23.1067
    expected = reference(carriers, lon, lat, 8000)
    delisted = set(carriers.loc[carriers["status"] == "delisted", "id"].astype(int))
    assert store.nearby_ids(lon, lat, 8000, city_adcode="440100") == expected
    assert store.nearby_ids(lon, lat, 8000, city_adcode="420100") == []
    assert store.nearby_ids(lon, lat, 8000, include_delisted=False) == [i for i in expected if i not in delisted]


def test_geography_follows_every_write(store):
    record, problems = clean_carrier({"name": "移动测试", "type": "incubator", "city_adcode": "440100",
                                      "lon": 113.2000, "lat": 23.3000})
    assert problems == []
    (carrier_id,) = store.apply(actor="a", kind="edit", inserts=[record]).inserted
    assert carrier_id in store.nearby_ids(113.2000, 23.3000, 10)
    moved = store.apply(actor="a", kind="edit", updates=[Update(carrier_id, {"lon": 113.2500, "lat": 23.3500})])
    assert carrier_id not in store.nearby_ids(113.2000, 23.3000, 10)
    assert carrier_id in store.nearby_ids(113.2500, 23.3500, 10)
    store.undo(moved.changeset_id, actor="a")
    assert carrier_id in store.nearby_ids(113.2000, 23.3000, 10)


def test_nearby_query_can_use_the_gist_index(store):
    # The index must be on the expression ST_DWithin uses, or every search scans the table.
    from carriermap.store.postgis import nearby_query

    query = nearby_query(113.3, 23.1, 2000)
    compiled = query.compile(store.engine, compile_kwargs={"literal_binds": True})
    with store.engine.begin() as connection:
        connection.execute(text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(connection.execute(text(f"EXPLAIN {compiled}")).scalars())
    assert "ix_carriers_geog" in plan, plan


def test_find_space_candidates_use_the_partial_index_and_are_carriers_with_free_space(store):
    # The planner can only pick ix_carriers_lonlat_free when the query repeats its predicate with
    # constants; it answers from the index alone (it holds id and city_adcode, migration 0013), not
    # with a bitmap of the city's btree (migration 0012).
    from carriermap.store.postgis import free_space_query

    compiled = free_space_query(113.3, 23.1, 10_000, city_adcode="440100").compile(
        store.engine, compile_kwargs={"literal_binds": True})
    with store.engine.begin() as connection:
        connection.execute(text("SET LOCAL enable_seqscan = off"))
        connection.execute(text("SET LOCAL enable_bitmapscan = off"))  # a tiny table: say what the index can do
        plan = "\n".join(connection.execute(text(f"EXPLAIN {compiled}")).scalars())
    assert "Index Only Scan using ix_carriers_lonlat_free" in plan and "BitmapAnd" not in plan, plan
    assert any("Index Cond" in line and "lonlat <@" in line for line in plan.splitlines()), plan
    carriers = store.carriers().set_index("id")
    found = store.nearby_source("440100").candidate_ids(113.3245, 23.1067, 10_000)
    assert len(found) > 10
    chosen = carriers.loc[found]
    assert (chosen["available_m2"] > 0).all() and (chosen["status"] == "operating").all()
    assert (chosen["city_adcode"] == "440100").all()
    within = set(store.nearby_ids(113.3245, 23.1067, 10_000, city_adcode="440100"))
    free = set(carriers.index[(carriers["available_m2"] > 0) & (carriers["status"] == "operating")])
    assert set(found) >= within & free  # a box around the circle: a superset; NearbySearch measures each
    _, _, dist = GEOD.inv([113.3245] * len(found), [23.1067] * len(found), list(chosen["lon"]), list(chosen["lat"]))
    assert max(dist) <= 10_000 * 1.5  # the box's corners, not the whole city
    nothing = store.nearby_source("440100").candidate_ids(0.0, 0.0, 1_000)  # no row: the aggregate is NULL
    assert nothing.dtype == "int64" and len(nothing) == 0


@pytest.mark.both_backends
def test_sqlite_leaves_nearby_to_the_in_memory_index(store, backend):
    result = store.nearby_ids(113.3, 23.1, 1000)
    assert (result is None) == (backend == "sqlite")


@pytest.mark.both_backends
def test_db_maintain_keeps_every_carrier_and_the_same_results(store, db_url, backend):
    """`carriermap db maintain` (CLUSTER by location on PostGIS) changes no data and no search result."""
    import json
    import subprocess
    import sys

    from carriermap.space.search import NearbySearch, Needs

    before = store.carriers()
    search = NearbySearch(before, source=store.nearby_source())
    expected = before["id"].to_numpy()[search.hits(113.33, 23.12, Needs(radius_m=8000.0)).rows]
    result = subprocess.run([sys.executable, "-m", "carriermap", "--database", db_url, "db", "maintain"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    done = json.loads(result.stdout)["done"]
    assert any(step.startswith("CLUSTER") for step in done) if backend == "postgresql" else done == ["PRAGMA optimize"]
    after = store.carriers()
    assert after.drop(columns=["industries"]).equals(before.drop(columns=["industries"]))
    again = NearbySearch(after, source=store.nearby_source()).hits(113.33, 23.12, Needs(radius_m=8000.0)).rows
    assert len(expected) > 0 and list(after["id"].to_numpy()[again]) == list(expected)


def test_near_a_pole_or_the_antimeridian_the_candidates_come_from_the_geography_box(store):
    from carriermap.store.postgis import free_space_statement, geography_box_statement

    for lon, lat in ((179.99, 10.0), (-179.99, -40.0), (20.0, 89.5)):
        statement, values = free_space_statement(lon, lat, 5_000, city_adcode="440100")
        assert (statement, values) == geography_box_statement(lon, lat, 5_000, city_adcode="440100")
    assert len(store.nearby_source("440100").candidate_ids(179.99, 10.0, 5_000)) == 0  # and the query runs
