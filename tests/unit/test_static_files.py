"""Files named by their content for the map (:mod:`carriermap.mapview.static_files`): written once,
and a superseded one deleted after a grace period unless it was wanted again."""

from __future__ import annotations

import os

from carriermap.mapview.static_files import retire, write_named_by_content


def test_same_text_same_file_written_once(tmp_path):
    first = write_named_by_content(tmp_path, "carriers", "[1,2,3]")
    assert write_named_by_content(tmp_path, "carriers", "[1,2,3]") == first
    second = write_named_by_content(tmp_path, "carriers", "[1,2]")
    assert second != first
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([first, second])


def test_a_retired_file_goes_after_the_grace_period(tmp_path):
    old = tmp_path / write_named_by_content(tmp_path, "carriers", "old")
    os.utime(old, (1000.0, 1000.0))
    assert retire(old, grace_s=600, now=2000.0) == []  # a page drawn a moment ago may still fetch it
    assert old.exists()
    newer = tmp_path / write_named_by_content(tmp_path, "carriers", "newer")
    assert retire(newer, grace_s=600, now=2700.0) == [old]
    assert not old.exists() and newer.exists()


def test_a_retired_file_wanted_again_stays(tmp_path):
    again = tmp_path / write_named_by_content(tmp_path, "carriers", "back again")
    os.utime(again, (1000.0, 1000.0))
    retire(again, grace_s=600, now=2000.0)
    write_named_by_content(tmp_path, "carriers", "back again")  # an undo brought the same carriers back
    other = tmp_path / write_named_by_content(tmp_path, "carriers", "other")
    retire(other, grace_s=600, now=5000.0)
    assert again.exists()


def test_a_file_another_process_touched_after_retirement_stays(tmp_path):
    shared = tmp_path / write_named_by_content(tmp_path, "carriers", "shared by replicas")
    os.utime(shared, (1000.0, 1000.0))
    retire(shared, grace_s=600, now=2000.0)
    os.utime(shared, (2100.0, 2100.0))  # another replica wrote or reused it since
    trigger = tmp_path / write_named_by_content(tmp_path, "carriers", "trigger")
    retire(trigger, grace_s=600, now=9000.0)
    assert shared.exists()
