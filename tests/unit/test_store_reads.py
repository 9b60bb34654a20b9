"""Reading carriers: industry lists parsed once per distinct text, one list per row."""

import json

import pandas as pd

from carriermap.store.repository import parse_json_lists


def test_lists_equal_a_parse_per_row_and_are_not_shared():
    raw = pd.Series(['["AI","生物医药"]', None, "", '["AI","生物医药"]', "[]", '["新材料"]'], index=[5, 6, 7, 8, 9, 10])
    parsed = parse_json_lists(raw)
    assert list(parsed.index) == [5, 6, 7, 8, 9, 10]
    assert parsed.tolist() == [json.loads(r) if isinstance(r, str) and r else [] for r in raw]
    assert parsed[5] is not parsed[8]  # the same text, two lists
    parsed[5].append("x")
    assert parsed[8] == ["AI", "生物医药"]


def test_store_reads_industries_as_lists(store):
    frame = store.carriers("420100")
    assert all(isinstance(items, list) for items in frame["industries"])
    assert any(items for items in frame["industries"])
