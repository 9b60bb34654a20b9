"""Review on or off, per city: the database's value, else ``data/city_settings.json`` (off by default)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select, update

from carriermap.freshness.settings import city_settings
from carriermap.permissions import PermissionDenied, User, can_manage_city
from carriermap.store import Store, schema
from carriermap.store.engine import write_transaction


def review_required(store: Store, city_adcode: str) -> bool:
    """True when changes in the city wait for a reviewer before they are published."""
    table = schema.city_settings
    with store.engine.connect() as conn:
        stored = conn.execute(select(table.c.review_required)
                              .where(table.c.city_adcode == str(city_adcode))).scalar()
    return city_settings(city_adcode).review_required if stored is None else bool(stored)


def set_review_required(store: Store, user: User | None, city_adcode: str, required: bool,
                        *, now: datetime | None = None) -> None:
    """Switch review on or off for a city: its city official or an admin (who and when are kept).

    Switching it off leaves pending changes pending: reviewers still decide them.
    """
    if not can_manage_city(user, city_adcode):
        raise PermissionDenied("review.error.settings_not_allowed", user=user.name if user else "")
    table = schema.city_settings
    values = {"review_required": bool(required), "updated_by": user.name,
              "updated_at": (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0).isoformat()}
    with write_transaction(store.engine) as conn:
        done = conn.execute(update(table).where(table.c.city_adcode == str(city_adcode)).values(**values))
        if done.rowcount == 0:
            conn.execute(insert(table).values(city_adcode=str(city_adcode), **values))
