"""The list's server-side pages: sort order, page arithmetic, blanks last, stable ties."""

import numpy as np
import pandas as pd

from carriermap import listing


def _frame(n: int = 120) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    return pd.DataFrame({
        "id": np.arange(1, n + 1), "name": [f"载体{i:03d}" for i in rng.permutation(n)],
        "type": rng.choice(["incubator", "maker_space"], n), "level": "unrated", "district_adcode": "440105",
        "available_m2": np.where(rng.random(n) < 0.2, np.nan, rng.integers(0, 5000, n)),
        "total_area_m2": 1000.0, "jobs": rng.integers(0, 50, n),
    })


def test_pages_cover_every_row_once_in_sorted_order():
    frame = _frame()
    seen = []
    for number in range(1, listing.page_count(len(frame)) + 1):
        page = listing.page_of(frame, "name", False, number)
        assert len(page.rows) <= listing.PAGE_SIZE
        seen.extend(page.rows["name"])
    assert seen == sorted(frame["name"]) and len(seen) == len(frame)


def test_descending_numbers_put_blanks_last_and_ties_by_id():
    frame = _frame()
    rows = pd.concat([listing.page_of(frame, "available_m2", True, n).rows for n in (1, 2, 3)])
    values = rows["available_m2"].to_numpy()
    known = values[~np.isnan(values)]
    assert list(known) == sorted(known, reverse=True)
    assert np.isnan(values[len(known):]).all()
    ties = rows[rows["available_m2"] == known[0]]["id"].tolist()
    assert ties == sorted(ties)


def test_page_numbers_from_anywhere_are_clamped():
    assert listing.clamp_page("²", 500) == 1
    assert listing.clamp_page("99999999999999999999", 500) == 10
    assert listing.clamp_page(-3, 500) == 1
    empty = listing.page_of(_frame().iloc[0:0], "name", False, 4)
    assert empty.number == 1 and empty.count == 1 and empty.first == 0 and empty.rows.empty


def test_unknown_sort_key_falls_back_to_id():
    frame = _frame().sample(frac=1.0, random_state=1)
    page = listing.page_of(frame, "no_such_column", False, 1)
    assert page.rows["id"].tolist() == list(range(1, 51))
