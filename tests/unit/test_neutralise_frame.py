"""Neutralising a frame column by column changes exactly the cells the per-cell rule changes."""

from decimal import Decimal

import numpy as np
import pandas as pd

from carriermap.export import neutralise_frame
from carriermap.safety import neutralise_cell


def _old_neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The cell-by-cell neutralising the vectorised one replaced."""
    out = frame.copy()
    out.columns = [neutralise_cell(column) for column in out.columns]
    for index in range(out.shape[1]):
        series = out.iloc[:, index]
        if not (pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series)
                or pd.api.types.is_datetime64_any_dtype(series)):
            out.isetitem(index, series.astype(object).map(neutralise_cell).astype(object))
    return out


def _same(a: object, b: object) -> bool:
    """The same value of the same type; any two blanks (None, NaN) are the same blank.

    A number may be an int where the old function gave a float: ``Series.map`` turned an object
    column of integers with blanks into floats (a CSV showed ``2025.0``); the new one leaves them.
    """
    if pd.api.types.is_scalar(a) and pd.api.types.is_scalar(b) and pd.isna(a) and pd.isna(b):
        return True
    if isinstance(a, int) and not isinstance(a, bool) and type(b) is float:
        return a == b
    return type(a) is type(b) and a == b


def test_vectorised_neutralising_changes_exactly_the_cells_the_per_cell_rule_changes():
    texts = ["=1", "+1", "-1", "@a", "\t=1", "\r=1", "\n=1", "＝1", "＋1", "－1", "＠1", "  =1", "\u3000\u3000-1",
             " \u3000 @", " ", "\u3000", "", "a=1", "'=1", "\u00a0=1", "x\n=1", "天河", None, np.nan, "-"]
    frame = pd.DataFrame({
        "object": pd.Series(texts, dtype=object),
        "str": pd.array([t if isinstance(t, str) else None for t in texts], dtype="str"),
        "category": pd.Categorical([t if isinstance(t, str) else None for t in texts]),
        "mixed": pd.Series([1, "=1", 2.5, None, True, Decimal(1), b"=x", ["=a"], "ok"] + texts[:16], dtype=object),
        "ints": pd.Series([5, None] * 12 + [-1], dtype=object),
        "numbers": np.arange(25) - 12, "when": pd.date_range("2024-01-01", periods=25),
    })
    frame.columns = ["=object", "str", "@category", "mixed", "ints", "-numbers", "when"]
    before = frame.copy()
    new, old = neutralise_frame(frame), _old_neutralise_frame(frame)
    pd.testing.assert_frame_equal(frame, before)  # the caller's frame is left as it was
    assert list(new.columns) == list(old.columns)
    for column in range(frame.shape[1]):
        pairs = zip(new.iloc[:, column].astype(object).tolist(), old.iloc[:, column].astype(object).tolist(), strict=True)
        assert all(_same(a, b) for a, b in pairs), frame.columns[column]


def test_neutralising_goes_by_position_when_index_labels_repeat():
    frame = pd.DataFrame({"s": ["=a", "b", "=c"]}, index=[0, 0, 1])
    assert neutralise_frame(frame)["s"].tolist() == ["'=a", "b", "'=c"]
