"""Map filters: URL query <-> filter state, and which carriers they keep."""

import pandas as pd
import pytest

from carriermap import filters
from carriermap.filters import MapFilters


@pytest.fixture
def carriers() -> pd.DataFrame:
    return pd.DataFrame({
        "id": [1, 2, 3, 4, 5],
        "name": ["天河孵化器", "海珠众创空间", "Pazhou Accelerator", "黄埔孵化器", "番禺苗圃"],
        "address": ["天河路1号", "海珠路2号", "琶洲大道3号", "科学城4号", "番禺路5号"],
        "type": ["incubator", "maker_space", "accelerator", "incubator", "nursery"],
        "level": ["national", "provincial", "municipal", "national", "unrated"],
        "specialisation": ["specialized", "comprehensive", None, "specialized", "comprehensive"],
        "industries": [["人工智能"], ["电子商务"], ["人工智能", "生物医药"], [], ["生物医药"]],
        "status": ["operating", "operating", "suspended", "delisted", "operating"],
        "district_adcode": ["440106", "440105", "440105", "440112", "440113"],
    })


def ids(frame: pd.DataFrame) -> list[int]:
    return frame["id"].tolist()


def test_defaults_hide_delisted_only(carriers):
    assert ids(filters.apply(carriers, MapFilters())) == [1, 2, 3, 5]


def test_a_link_with_no_filters_gives_the_defaults():
    assert filters.from_query({"city": "440100", "lang": "zh"}) == MapFilters()
    assert MapFilters().to_query() == {}


def test_query_round_trip():
    state = MapFilters(types=("maker_space", "incubator"), levels=("national",), industries=("人工智能",),
                       statuses=("operating", "delisted"), districts=("440105",), query="孵化")
    params = state.to_query()
    assert params["type"] == "maker_space,incubator"
    assert params["q"] == "孵化"
    again = filters.from_query(params)
    assert again.types == ("maker_space", "incubator")
    assert again == filters.from_query(again.to_query())


def test_unknown_codes_in_a_hand_edited_link_are_dropped():
    state = filters.from_query({"type": "incubator,<script>,castle", "level": "national,nope"})
    assert state.types == ("incubator",)
    assert state.levels == ("national",)


def test_repeated_parameters_are_accepted():
    assert filters.from_query({"type": ["incubator", "accelerator"]}).types == ("incubator", "accelerator")


def test_empty_status_shows_every_status(carriers):
    state = filters.from_query({"status": ""})
    assert state.statuses == ()
    assert ids(filters.apply(carriers, state)) == [1, 2, 3, 4, 5]
    assert filters.from_query(state.to_query()) == state


def test_each_filter_narrows_the_carriers(carriers):
    assert ids(filters.apply(carriers, MapFilters(types=("incubator",)))) == [1]
    assert ids(filters.apply(carriers, MapFilters(levels=("national",), statuses=()))) == [1, 4]
    assert ids(filters.apply(carriers, MapFilters(specialisations=("comprehensive",)))) == [2, 5]
    assert ids(filters.apply(carriers, MapFilters(industries=("人工智能",)))) == [1, 3]
    assert ids(filters.apply(carriers, MapFilters(districts=("440105",)))) == [2, 3]
    assert ids(filters.apply(carriers, MapFilters(statuses=("delisted",)))) == [4]


def test_search_matches_name_or_address_case_insensitively(carriers):
    assert ids(filters.apply(carriers, MapFilters(query="pazhou"))) == [3]
    assert ids(filters.apply(carriers, MapFilters(query="海珠路"))) == [2]
    assert ids(filters.apply(carriers, MapFilters(query="(.*"))) == []  # not a regular expression


def test_search_text_is_trimmed_and_capped():
    state = filters.from_query({"q": "  天河   孵化器 " + "x" * 500})
    assert state.query.startswith("天河 孵化器 x")
    assert len(state.query) == filters.MAX_QUERY_LENGTH


def test_filters_combine(carriers):
    state = MapFilters(types=("incubator", "accelerator"), industries=("人工智能",))
    assert ids(filters.apply(carriers, state)) == [1, 3]


def test_industry_options_most_common_first(carriers):
    assert filters.industries_of(carriers)[:2] == ["人工智能", "生物医药"]
