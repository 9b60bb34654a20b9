"""The offline address parser: city and district from the text of Chinese addresses."""

import pytest

from carriermap.addresses import parse_address


@pytest.mark.parametrize(("text", "district"), [
    ("广东省广州市天河区科韵路16号", "440106"),
    ("广州天河科韵路16号", "440106"),  # short city and district names right after each other
    ("天河区黄埔大道西638号", "440106"),  # a road named after another district does not move it
    ("萝岗区科学城开源大道11号", "440112"),  # merged into 黄埔区 in 2014
    ("从化市温泉镇", "440117"),  # a county-level city until 2014
    ("深圳市龙华新区观澜街道", "440309"),
    ("湖北省武汉市东湖新技术开发区高新大道999号", "420111"),
    ("淮北市濉溪县", "340621"),
    ("深圳南山科技园", "440305"),
])
def test_district_from_the_boundaries_names_and_aliases(text, district):
    assert parse_address(text).district_adcode == district
    assert parse_address(text).covered


def test_a_zone_gives_its_reporting_unit():
    found = parse_address("武汉东湖新技术开发区高新大道999号")
    assert found.reporting_unit == "东湖高新区" and found.city_adcode == "420100"


def test_addresses_in_other_cities_are_recognised_as_such():
    beijing = parse_address("北京市海淀区中关村大街1号")
    assert beijing.city_adcode == "110100" and beijing.district_adcode == "110108" and not beijing.covered
    foshan = parse_address("广东省佛山市南海区桂城街道")
    assert foshan.city_adcode == "440600" and not foshan.covered
    assert parse_address("海淀区中关村大街").city_adcode == "110100"  # a district name unique in China


def test_ambiguous_or_missing_districts_are_not_guessed():
    assert parse_address("黄埔大道西100号").precision == "none"  # a road, not 黄埔区
    assert parse_address("鼓楼区中山路").precision == "none"  # 鼓楼区 exists in several cities
    assert parse_address("南京市鼓楼区中山路").district_adcode == "320106"  # the city says which
    assert parse_address("广州市科技路1号").precision == "city"
    assert parse_address("").precision == "none"
