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


def seed_test_register(url: str) -> None:
    """Fill the database at ``url`` from ``data/`` dated :data:`SEEDED_AT`, its listings confirmed today.

    The change sets keep the fixed date (quarters do not depend on the day the tests run); the
    confirmations are today's, so find space and the quality table do not age with the calendar
    (a listing unconfirmed for 180 days is hidden from founders).
    """
    from sqlalchemy import update

    from carriermap.store import Store, schema
    from carriermap.store.engine import write_transaction

    store = Store.open(url, clock=lambda: SEEDED_AT)
    today = datetime.now(UTC).replace(microsecond=0).isoformat()
    with write_transaction(store.engine) as connection:
        connection.execute(update(schema.carriers).values(confirmed_at=today))
    store.engine.dispose()
