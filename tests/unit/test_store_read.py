"""Reading a city's carriers a chunk of rows at a time gives the frame of a single read."""

import pandas as pd

import carriermap.store.repository as repository
from carriermap.model import clean_carrier


def _carrier(name: str, filled: bool) -> dict:
    raw = {"name": name, "type": "incubator", "city_adcode": "340600", "lon": 116.80, "lat": 33.96,
           "status": "operating"}
    if filled:
        raw.update({"jobs": 12, "tenants": 3, "contact": "0561-1234567", "rating": "A", "rating_year": 2023,
                    "available_m2": 150.5})
    record, problems = clean_carrier(raw)
    assert not problems, problems
    return record


def test_chunked_read_keeps_the_types_of_a_single_read(empty_store, monkeypatch):
    # the first chunk has every optional field blank, the second has them: each chunk alone types them differently
    records = [_carrier(f"空{i}", False) for i in range(3)] + [_carrier(f"满{i}", True) for i in range(4)]
    empty_store.apply(actor="t", kind="import", inserts=records)
    monkeypatch.setattr(repository, "READ_CHUNK_ROWS", 3)
    chunked = empty_store.carriers("340600")
    monkeypatch.setattr(repository, "READ_CHUNK_ROWS", 10**9)
    single = empty_store.carriers("340600")
    assert len(chunked) == 7
    pd.testing.assert_frame_equal(chunked, single)
    assert chunked["jobs"].isna().sum() == 3 and chunked["jobs"].max() == 12
