"""The invented flags of a shared frame (:func:`carriermap.invented.with_flags`): column-wise, the same
answer as asking :mod:`carriermap.provenance` row by row."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from carriermap import invented, provenance

INVENTED = {"kind": "invented"}
SEED = {"kind": "seed", "source": "001", "quote": "…"}


def _frame() -> pd.DataFrame:
    sources = [
        json.dumps({"*": INVENTED}),                       # every field invented
        json.dumps({"*": INVENTED, "name": SEED}),         # the name sourced, the rest invented
        json.dumps({"level": INVENTED}),                   # only the level
        None,                                              # written before provenance: the sample mark decides
        None,
        "",                                                # blank text counts as none
        "not json",                                        # unreadable: no entries, the sample mark decides
        json.dumps({"*": INVENTED}),
    ]
    return pd.DataFrame({
        "id": range(1, 9),
        "name": ["a", "b", "c", "d", "e", "f", "g", ""],  # the last name is blank: never counted
        "level": ["national", None, "provincial", "city", None, "city", "city", "city"],
        "district_adcode": pd.array(["440106", "440106", None, "440104", "440104", "", "440111", "440111"],
                                    dtype="str"),
        "available_m2": [1.0, np.nan, 0.0, 5.0, np.nan, 2.0, 3.0, 4.0],
        "total_area_m2": pd.array([10, None, 30, 40, 50, None, 70, 80], dtype="Int64"),
        "jobs": [1, 2, 3, 4, 5, 6, 7, 8],
        "is_sample": [False, False, True, True, False, True, False, True],
        "provenance": sources,
    })


def _row_by_row(frame: pd.DataFrame, field: str) -> list[bool]:
    """The definition: a value is invented when it is not blank and its provenance (or, with none,
    the sample mark) says so."""
    out = []
    for record in frame.to_dict("records"):
        value = record.get(field)
        blank = value is None or value is pd.NA or value == "" or (isinstance(value, float) and np.isnan(value))
        source = record["provenance"]
        by_source = (provenance.is_invented(source, field) if provenance.parse(source)
                     else bool(record["is_sample"]))
        out.append(not blank and by_source)
    return out


@pytest.mark.parametrize("field", invented.FLAGGED_FIELDS)
def test_flags_match_the_row_by_row_definition(field):
    frame = _frame()
    flagged = invented.with_flags(frame)
    assert flagged[invented.flag_column(field)].tolist() == _row_by_row(frame, field)
    assert invented.invented_mask(frame, field).tolist() == _row_by_row(frame, field)  # no flag columns


def test_flags_of_a_frame_without_provenance_follow_the_sample_mark():
    frame = _frame().drop(columns="provenance")
    assert invented.with_flags(frame)[invented.flag_column("name")].tolist() == (
        frame["is_sample"] & frame["name"].ne("")).tolist()


def test_flags_of_an_empty_frame():
    flagged = invented.with_flags(_frame().head(0))
    assert all(flagged[invented.flag_column(field)].dtype == bool for field in invented.FLAGGED_FIELDS)
    assert flagged.empty
