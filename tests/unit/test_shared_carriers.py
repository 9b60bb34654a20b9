"""The shared carrier frame of a process (:mod:`carriermap.web.shared_carriers`): after writes it is
patched with the carriers they touched, and is always equal to reading the city whole."""

from __future__ import annotations

import pandas as pd
import pytest

from carriermap.invented import with_flags
from carriermap.model import clean_carrier
from carriermap.store.repository import Update
from carriermap.web.shared_carriers import SharedCarriers, patched

pytestmark = pytest.mark.both_backends

CITY = "440100"


def _shared(store) -> SharedCarriers:
    return SharedCarriers(lambda city, ids: with_flags(store.carriers(city, ids=ids)), store.touched_since,
                          store.data_version)


def _whole(store) -> pd.DataFrame:
    return with_flags(store.carriers(CITY))


def _new(name: str, city: str = CITY, district: str = "440106") -> dict:
    record, problems = clean_carrier({"name": name, "type": "incubator", "city_adcode": city,
                                      "district_adcode": district, "lon": 113.36, "lat": 23.13})
    assert problems == []
    return record


def _same(frame: pd.DataFrame, whole: pd.DataFrame) -> None:
    """The same carriers and values (a column with no blank left may read back as integers whole)."""
    pd.testing.assert_frame_equal(frame, whole, check_dtype=False)


def _current(shared: SharedCarriers, store) -> pd.DataFrame:
    return shared.frame(CITY, store.data_version())


def test_edits_inserts_and_undos_are_patched_in_and_match_a_whole_read(store):
    shared = _shared(store)
    _same(_current(shared, store), _whole(store))
    some = _whole(store)["id"].iloc[[3, 10]].tolist()
    store.apply(actor="a", kind="edit", updates=[Update(some[0], {"available_m2": 1234.0, "name": "改名孵化器"})])
    _same(_current(shared, store), _whole(store))
    inserted = store.apply(actor="a", kind="edit", inserts=[_new("新孵化器甲"), _new("新孵化器乙")])
    frame = _current(shared, store)
    assert set(inserted.inserted) <= set(frame["id"])
    _same(frame, _whole(store))
    store.undo(inserted.changeset_id, actor="a")  # the two carriers are removed again
    store.apply(actor="a", kind="status", updates=[Update(some[1], {"status": "delisted"})])
    frame = _current(shared, store)
    assert not set(inserted.inserted) & set(frame["id"])
    _same(frame, _whole(store))
    assert shared.counts.whole_reads == 1 and shared.counts.patches == 3


def test_a_write_in_another_city_leaves_the_frame_as_it_was(store):
    shared = _shared(store)
    before = _current(shared, store)
    store.apply(actor="a", kind="edit", inserts=[_new("武汉新载体", city="420100", district="420106")])
    after = _current(shared, store)
    pd.testing.assert_frame_equal(after, before)
    _same(after, _whole(store))
    assert shared.counts.whole_reads == 1


def test_a_large_write_reads_the_city_whole(store):
    shared = _shared(store)
    frame = _current(shared, store)
    store.apply(actor="a", kind="import", updates=[Update(int(i), {"available_m2": 7.0}) for i in frame["id"]])
    _same(_current(shared, store), _whole(store))
    assert shared.counts.whole_reads == 2 and shared.counts.patches == 0


def test_an_older_version_asked_gets_the_newer_frame_but_a_database_put_back_is_read_again(store):
    shared = _shared(store)
    old_version = store.data_version()
    _current(shared, store)
    store.apply(actor="a", kind="edit", inserts=[_new("新孵化器丙")])
    newest = _current(shared, store)
    assert shared.frame(CITY, old_version) is newest  # a session that read the version a moment earlier
    versions = iter([old_version] * 10)
    put_back = SharedCarriers(shared._read, store.touched_since, lambda: next(versions))
    put_back._entries = shared._entries  # the same frames, but the database now says an older version
    put_back.frame(CITY, old_version)
    assert put_back.counts.whole_reads == 1


def test_derived_values_are_built_once_per_frame_and_dropped_with_it(store):
    shared = _shared(store)
    built, dropped = [], []

    def build(frame):
        built.append(len(frame))
        return len(frame)

    version = store.data_version()
    assert shared.derived(CITY, version, "n", build, drop=dropped.append) == len(_whole(store))
    assert shared.derived(CITY, version, "n", build, drop=dropped.append) == len(_whole(store))
    assert len(built) == 1 and dropped == []
    store.apply(actor="a", kind="edit", inserts=[_new("新孵化器丁")])
    assert shared.derived(CITY, store.data_version(), "n", build, drop=dropped.append) == len(_whole(store))
    assert len(built) == 2 and dropped == [len(_whole(store)) - 1]


def test_patched_refuses_rows_that_cannot_take_the_frames_types():
    frame = pd.DataFrame({"id": [1, 2, 3], "jobs": [1.0, 2.0, 3.0]})
    assert patched(frame, pd.DataFrame({"id": [2], "jobs": ["many"]}), [2]) is None
    assert patched(frame, pd.DataFrame({"id": [2]}), [2]) is None  # a column missing
    assert patched(frame.head(0).astype(object), pd.DataFrame({"id": [2], "jobs": [1.0]}), [2]) is None
    fresh = patched(frame, pd.DataFrame({"id": [4, 2], "jobs": [None, 5.0]}), [2, 4]).frame
    assert fresh["id"].tolist() == [1, 2, 3, 4] and fresh["jobs"].tolist()[1] == 5.0
    assert pd.isna(fresh["jobs"].iloc[3])


def test_patched_names_the_columns_an_edit_changed_and_shares_the_others():
    frame = pd.DataFrame({"id": [1, 2, 3], "lon": [113.1, 113.2, 113.3], "jobs": [1, 2, 3],
                          "industries": [["a"], ["b"], []]})
    edit = patched(frame, pd.DataFrame({"id": [2], "lon": [113.2], "jobs": [None], "industries": [["b", "c"]]}), [2])
    assert edit.changed == {"jobs", "industries"}
    assert edit.frame["jobs"].dtype == "float64" and pd.isna(edit.frame["jobs"].iloc[1])  # a blank makes floats
    assert edit.frame["industries"].tolist() == [["a"], ["b", "c"], []]
    assert frame["jobs"].tolist() == [1, 2, 3] and frame["industries"].tolist()[1] == ["b"]  # the old frame kept
    added = patched(frame, pd.DataFrame({"id": [9], "lon": [113.9], "jobs": [4], "industries": [[]]}), [9])
    assert added.changed is None and added.frame["id"].tolist() == [1, 2, 3, 9]
    removed = patched(frame, pd.DataFrame({"id": [], "lon": [], "jobs": [], "industries": []}), [2])
    assert removed.changed is None and removed.frame["id"].tolist() == [1, 3]


def test_a_derived_value_that_depends_on_unchanged_columns_is_kept(store):
    shared = _shared(store)
    built = []
    version = store.data_version()

    def points(frame):
        built.append(1)
        return frame[["id", "lon", "lat"]]

    shared.derived(CITY, version, "points", points, depends=("id", "lon", "lat"))
    carrier_id = int(_whole(store)["id"].iloc[5])
    store.apply(actor="a", kind="edit", updates=[Update(carrier_id, {"available_m2": 4321.0})])
    shared.derived(CITY, store.data_version(), "points", points, depends=("id", "lon", "lat"))
    assert len(built) == 1  # free space changed, the points did not
    store.apply(actor="a", kind="edit", updates=[Update(carrier_id, {"lon": 113.41, "lat": 23.11})])
    moved = shared.derived(CITY, store.data_version(), "points", points, depends=("id", "lon", "lat"))
    assert len(built) == 2 and float(moved.set_index("id").loc[carrier_id, "lon"]) == 113.41
