"""Validation of carrier records (one place, used by every entry path)."""

from carriermap.model import clean_carrier

BASE = {"name": "测试孵化器", "type": "孵化器", "city_adcode": "440100", "lon": "113.36", "lat": "23.12"}


def keys(problems):
    return {(p.field, p.key) for p in problems}


def test_labels_and_codes_are_accepted():
    record, problems = clean_carrier({**BASE, "level": "国家级", "status": "Operating", "industries": "人工智能;生物医药"})
    assert problems == []
    assert record["type"] == "incubator" and record["level"] == "national" and record["status"] == "operating"
    assert record["industries"] == ["人工智能", "生物医药"]


def test_defaults():
    record, _ = clean_carrier(BASE)
    assert record["level"] == "unrated" and record["status"] == "operating" and record["is_sample"] is False


def test_unknown_type_lists_allowed():
    _, problems = clean_carrier({**BASE, "type": "孵化园"})
    (problem,) = problems
    assert problem.field == "type" and "incubator" in problem.params["allowed"]


def test_numbers():
    record, problems = clean_carrier({**BASE, "total_area_m2": "1,200 平方米", "available_m2": "200"})
    assert problems == [] and record["total_area_m2"] == 1200.0
    _, problems = clean_carrier({**BASE, "total_area_m2": "很大"})
    assert keys(problems) == {("total_area_m2", "error.not_number")}
    _, problems = clean_carrier({**BASE, "total_area_m2": "-5"})
    assert keys(problems) == {("total_area_m2", "error.negative")}


def test_free_area_larger_than_total():
    _, problems = clean_carrier({**BASE, "total_area_m2": "100", "available_m2": "200"})
    assert keys(problems) == {("available_m2", "error.free_exceeds_total")}


def test_swapped_coordinates_are_named():
    _, problems = clean_carrier({**BASE, "lon": "23.12", "lat": "113.36"})
    assert keys(problems) == {("lon", "error.swapped_lonlat")}


def test_required():
    _, problems = clean_carrier({"type": "incubator"})
    assert {("name", "error.required"), ("lon", "error.point_or_address")} <= keys(problems)


def test_an_address_without_a_point_is_an_unplaced_carrier():
    record, problems = clean_carrier({"name": "A", "type": "incubator", "city_adcode": "440100",
                                      "address": "广州市天河区科韵路16号"})
    assert problems == [] and record["lon"] is None and record["lat"] is None


def test_half_a_point_is_refused():
    _, problems = clean_carrier({"name": "A", "type": "incubator", "city_adcode": "440100", "lon": 113.3,
                                 "address": "天河区"})
    assert ("lat", "error.point_half") in keys(problems)
