"""Time in tests: a fixed seed date and a clock the test moves by hand (no sleeps)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

# When the test register was filled: a fixed instant, so frozen quarters from 2026Q3 on
# (which must not end before the register's first record) do not depend on the day the tests run.
SEEDED_AT = datetime(2026, 6, 30, 8, 0, tzinfo=UTC)


class Clock:
    """A clock for :class:`carriermap.store.Store` (``clock=``): returns ``now``, moved by :meth:`set`/:meth:`advance`."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, now: datetime) -> None:
        """Jump to ``now``."""
        self.now = now

    def advance(self, **delta: float) -> None:
        """Move forward by ``timedelta(**delta)``."""
        self.now += timedelta(**delta)
