"""Confirmation day counts with an injected clock, labels, and find-space freshness ranking."""

from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from carriermap.freshness.age import (
    confirmed_days,
    confirmed_text,
    days_since,
    freshness,
    freshness_marks,
    rank_by_freshness,
)
from carriermap.freshness.facts import stamp_confirmation
from carriermap.freshness.settings import CitySettings, city_settings

NOW = datetime(2026, 7, 15, 4, 0, tzinfo=UTC)  # 12:00 in China
SETTINGS = CitySettings(fresh_days=30, hide_after_days=180, quality_days=90)


def iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def test_days_count_calendar_days_in_china_time():
    stamps = pd.Series([iso(NOW), iso(NOW - timedelta(hours=3)), iso(datetime(2026, 7, 14, 15, 30, tzinfo=UTC)),
                        iso(datetime(2026, 7, 14, 16, 30, tzinfo=UTC)), iso(NOW - timedelta(days=60)), None])
    days = days_since(stamps, NOW).tolist()
    # 23:30 on the 14th in China is yesterday; 00:30 on the 15th in China is today
    assert days[:5] == [0, 0, 1, 0, 60]
    assert pd.isna(days[5])


def test_the_same_record_ages_as_the_clock_moves():
    frame = pd.DataFrame({"confirmed_at": [iso(NOW)]})
    assert confirmed_days(frame, NOW).iloc[0] == 0
    assert confirmed_days(frame, NOW + timedelta(days=31)).iloc[0] == 31
    assert confirmed_text(0, "zh") == "确认于今天"
    assert confirmed_text(1, "en") == "confirmed yesterday"
    assert confirmed_text(31, "en") == "confirmed 31 days ago"
    assert confirmed_text(float("nan"), "zh") == "从未确认"


@pytest.mark.parametrize(("days", "expected"), [(0, "fresh"), (30, "fresh"), (31, "old"), (180, "old"),
                                               (181, "hidden"), (float("nan"), "hidden")])
def test_freshness_thresholds(days, expected):
    assert freshness(days, SETTINGS) == expected


def test_marks_of_many_day_counts_are_those_of_one():
    days = [0, 30, 30.5, 31, 180, 181, float("nan"), 5000]
    assert freshness_marks(np.array(days), SETTINGS).tolist() == [freshness(d, SETTINGS) for d in days]
    assert freshness_marks(np.array([]), SETTINGS).tolist() == []


def results() -> pd.DataFrame:
    """Nearest first, as the search returns them: never confirmed, 200-day-old, 60-day-old, fresh."""
    return pd.DataFrame({
        "id": [4, 1, 2, 3],
        "name": ["never", "very old", "old", "fresh"],
        "distance_m": [50.0, 100.0, 200.0, 900.0],
        "confirmed_at": [None, iso(NOW - timedelta(days=200)), iso(NOW - timedelta(days=60)),
                         iso(NOW - timedelta(days=2))],
    })


def test_fresh_listing_first_then_old_one_and_stale_ones_hidden():
    ranked = rank_by_freshness(results(), SETTINGS, NOW)
    assert ranked["name"].tolist() == ["fresh", "old"]
    assert ranked["freshness"].tolist() == ["fresh", "old"]
    assert ranked["confirmed_days"].tolist() == [2, 60]
    assert ranked["freshness"].dtype == object and ranked.index.tolist() == [0, 1]
    assert list(ranked.columns) == [*results().columns, "confirmed_days", "freshness"]


def test_founder_can_ask_for_stale_listings_too():
    ranked = rank_by_freshness(results(), SETTINGS, NOW, include_stale=True)
    assert ranked["name"].tolist() == ["fresh", "old", "never", "very old"]  # hidden group by distance


def test_thresholds_are_per_city_settings():
    wider = CitySettings(fresh_days=90, hide_after_days=365)
    ranked = rank_by_freshness(results(), wider, NOW)
    assert ranked["name"].tolist() == ["old", "fresh", "very old"]  # 60 and 2 days are fresh (by distance)
    assert city_settings("440100") == CitySettings()  # bundled defaults: 30 / 180 / 90, review off


def test_an_edit_of_a_fact_confirms_and_other_edits_keep_the_date():
    before = {"available_m2": 100.0, "contact": "a", "name": "x", "confirmed_at": "2026-01-01T00:00:00+00:00",
              "confirmed_by": "ops"}
    assert stamp_confirmation(before, {**before, "available_m2": 80}, "me", "NOW") == {"confirmed_at": "NOW",
                                                                                       "confirmed_by": "me"}
    assert stamp_confirmation(before, {**before, "available_m2": 100}, "me", "NOW")["confirmed_by"] == "ops"
    assert stamp_confirmation(before, {**before, "name": "y"}, "me", "NOW")["confirmed_at"] == before["confirmed_at"]
    assert stamp_confirmation(None, {"name": "new"}, "importer", "NOW") == {"confirmed_at": "NOW",
                                                                              "confirmed_by": "importer"}
