"""One click: "these facts are still accurate" — a versioned confirmation that changes no value."""

from __future__ import annotations

from datetime import UTC, datetime

from carriermap.permissions import User, require_change, require_edit
from carriermap.snapshots import refuse_if_frozen
from carriermap.store import Store
from carriermap.store.repository import ChangeSetResult, Update


def confirm(store: Store, user: User | None, carrier_id: int, expected_version: int | None = None,
            *, now: datetime | None = None) -> ChangeSetResult:
    """Record that ``user`` confirmed carrier ``carrier_id``'s free space, rent, contact and status now.

    Checked like an edit (:func:`carriermap.permissions.require_edit`); a change set of kind
    ``confirm`` that only sets ``confirmed_at``/``confirmed_by``, so it shows in the history and
    can be undone. Confirmations need no review: they change nothing the public reads but the date.
    Raises :class:`carriermap.store.ConflictError` when ``expected_version`` is stale.
    """
    record = store.carrier(int(carrier_id))
    require_edit(user, record)
    moment = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    refuse_if_frozen(store, record["city_adcode"], moment)
    values = {"confirmed_at": moment.isoformat(), "confirmed_by": user.name}
    return store.apply(actor=user.name, kind="confirm", city_adcode=record["city_adcode"],
                       summary=f"confirm #{int(carrier_id)}",
                       updates=[Update(int(carrier_id), values, expected_version=expected_version)],
                       guard=lambda before, after: require_change(user, before, after))
