"""Pending changes: submit, list, approve, reject, and what undoing each step does.

Every step is a change set (kinds ``submit``, ``approve``, ``reject``) with who and when, so it
shows in the history and can be undone like any change: undoing a submission withdraws it,
undoing an approval restores the carrier and puts the change back to pending, undoing a
rejection puts it back to pending. Every step checks permissions here, in the library.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from sqlalchemy import insert, select, update

from carriermap.freshness.facts import changed_facts
from carriermap.messages import KeyedError
from carriermap.permissions import PermissionDenied, User, require_change
from carriermap.review.rules import REVIEW_KINDS, can_review, can_withdraw
from carriermap.snapshots import refuse_if_frozen
from carriermap.store import ConflictError, NotFoundError, Store, UndoError, schema
from carriermap.store.engine import write_transaction
from carriermap.store.repository import ChangeSetResult, Update
from carriermap.versions import prepare_edit

PENDING, APPROVED, REJECTED, WITHDRAWN = "pending", "approved", "rejected", "withdrawn"
STATES: tuple[str, ...] = (PENDING, APPROVED, REJECTED, WITHDRAWN)
REVIEW_COLUMNS: tuple[str, ...] = ("id", "city_adcode", "carrier_id", "kind", "level", "values", "base_version",
                                   "actor", "created_at", "state", "decided_by", "decided_at", "reason",
                                   "submitted_changeset", "decided_changeset")
MAX_REASON = 500


class ReviewError(KeyedError):
    """A review step that cannot be taken (not pending, no reason, …); ``key`` says why."""


def _moment(now: datetime | None) -> datetime:
    return (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)


def _changeset(conn, actor: str, kind: str, summary: str, city_adcode: str, created_at: str) -> int:
    return int(conn.execute(insert(schema.changesets).values(
        actor=actor, created_at=created_at, kind=kind, summary=summary, city_adcode=city_adcode,
    )).inserted_primary_key[0])


def _row(raw) -> dict[str, Any]:
    row = dict(raw)
    row["values"] = json.loads(row["values"])
    return row


def submit(store: Store, user: User, record: dict[str, Any], values: dict[str, Any], *, kind: str, level: str,
           expected_version: int | None = None, now: datetime | None = None) -> ChangeSetResult:
    """Keep ``user``'s change of carrier ``record`` as pending for a reviewer at ``level``.

    The values are validated now (a bad value is refused at once, nothing kept) and the change
    is checked with :func:`carriermap.permissions.require_change` (scope before and after, and
    only fields the proposer's role may change), as if it were written now. Returns a result
    whose ``review_id`` names the pending change and ``changeset_id`` the ``submit`` change set.
    """
    changed = prepare_edit(record, values)
    require_change(user, record, {**record, **changed})  # in scope before and after, fields the role may change
    if expected_version is not None and int(record["version"]) != int(expected_version):
        raise ConflictError(int(record["id"]), int(expected_version), record)
    stamp = _moment(now).isoformat()
    with write_transaction(store.engine) as conn:
        changeset_id = _changeset(conn, user.name, "submit", f"submit {kind} #{record['id']}: {', '.join(sorted(values))}",
                                  record["city_adcode"], stamp)
        review_id = conn.execute(insert(schema.reviews).values(
            city_adcode=record["city_adcode"], carrier_id=int(record["id"]), kind=kind, level=level,
            values=json.dumps(changed, ensure_ascii=False, default=str), base_version=record.get("version"),
            actor=user.name, created_at=stamp, state=PENDING, submitted_changeset=changeset_id,
        )).inserted_primary_key[0]
    return ChangeSetResult(changeset_id=changeset_id, review_id=int(review_id))


def reviews(store: Store, city_adcode: str | None = None, *, state: str | None = PENDING,
            carrier_id: int | None = None, actor: str | None = None) -> pd.DataFrame:
    """Reviews (oldest first), optionally of one city, state, carrier or proposer; ``values`` as dicts."""
    table = schema.reviews
    query = select(table).order_by(table.c.id)
    if city_adcode is not None:
        query = query.where(table.c.city_adcode == str(city_adcode))
    if state is not None:
        query = query.where(table.c.state == state)
    if carrier_id is not None:
        query = query.where(table.c.carrier_id == int(carrier_id))
    if actor is not None:
        query = query.where(table.c.actor == actor)
    with store.engine.connect() as conn:
        rows = [_row(r) for r in conn.execute(query).mappings()]
    return pd.DataFrame(rows, columns=list(REVIEW_COLUMNS))


def get_review(store: Store, review_id: int) -> dict[str, Any]:
    """One review as a record; :class:`NotFoundError` when there is none."""
    with store.engine.connect() as conn:
        raw = conn.execute(select(schema.reviews).where(schema.reviews.c.id == int(review_id))).mappings().first()
    if raw is None:
        raise NotFoundError(f"no review {review_id}")
    return _row(raw)


def pending_counts(store: Store, city_adcode: str) -> dict[int, int]:
    """Pending reviews per carrier id of a city (for the quality table)."""
    frame = reviews(store, city_adcode, state=PENDING)
    return {int(k): int(v) for k, v in frame["carrier_id"].value_counts().items()} if not frame.empty else {}


def may_review(store: Store, user: User | None, review: dict[str, Any]) -> bool:
    """True when ``user`` may approve or reject ``review`` now (see :func:`carriermap.review.rules.can_review`)."""
    if review["state"] != PENDING:
        return False
    try:
        carrier = store.carrier(int(review["carrier_id"]))
    except NotFoundError:
        return False
    return can_review(user, review["level"], review["actor"], carrier, {**carrier, **review["values"]})


def _decide(store: Store, user: User | None, review_id: int, now: datetime | None) -> tuple[dict, dict, datetime]:
    review = get_review(store, review_id)
    if review["state"] != PENDING:
        raise ReviewError("review.error.not_pending", review=int(review_id), state=review["state"])
    carrier = store.carrier(int(review["carrier_id"]))
    if not can_review(user, review["level"], review["actor"], carrier, {**carrier, **review["values"]}):
        raise PermissionDenied("review.error.not_reviewer", review=int(review_id), user=user.name if user else "")
    moment = _moment(now)
    refuse_if_frozen(store, carrier["city_adcode"], moment)
    return review, carrier, moment


def _close(conn, review_id: int, state: str, user: User, stamp: str, changeset_id: int, reason: str | None) -> None:
    table = schema.reviews
    done = conn.execute(update(table).where(table.c.id == int(review_id), table.c.state == PENDING).values(
        state=state, decided_by=user.name, decided_at=stamp, decided_changeset=changeset_id, reason=reason))
    if done.rowcount != 1:  # decided by someone else meanwhile: roll the whole step back
        raise ReviewError("review.error.not_pending", review=int(review_id), state="?")


def approve(store: Store, user: User | None, review_id: int, *, now: datetime | None = None) -> ChangeSetResult:
    """Publish a pending change: its values are written onto the carrier as an ``approve`` change set.

    Only the proposed fields are written (a field someone else changed meanwhile is kept); the
    values are validated again, and the store checks the reviewer's rights on the record as
    stored (:func:`carriermap.permissions.require_change` as the write's guard). The facts count
    as confirmed by the proposer. Returns the change set.
    """
    review, carrier, moment = _decide(store, user, review_id, now)
    values = prepare_edit(carrier, review["values"])
    stamp = moment.isoformat()
    if changed_facts(carrier, {**carrier, **values}):
        values = {**values, "confirmed_at": stamp, "confirmed_by": review["actor"]}
    summary = f"approve review #{int(review_id)} by {review['actor']}"
    with write_transaction(store.engine) as conn:
        result = store.apply(actor=user.name, kind="approve", summary=summary, city_adcode=carrier["city_adcode"],
                             updates=[Update(int(carrier["id"]), values)], connection=conn,
                             guard=lambda before, after: require_change(user, before, after))
        if result.changeset_id is None:  # nothing left to change: the approval is still kept
            result.changeset_id = _changeset(conn, user.name, "approve", summary, carrier["city_adcode"], stamp)
        _close(conn, review_id, APPROVED, user, stamp, result.changeset_id, None)
    result.review_id = int(review_id)
    return result


def reject(store: Store, user: User | None, review_id: int, reason: str, *,
           now: datetime | None = None) -> ChangeSetResult:
    """Send a pending change back with ``reason`` (required; the proposer reads it). Nothing is published."""
    text = str(reason or "").strip()
    if not text:
        raise ReviewError("review.error.reason_required", review=int(review_id))
    if len(text) > MAX_REASON:
        raise ReviewError("review.error.reason_too_long", review=int(review_id), max=MAX_REASON)
    review, carrier, moment = _decide(store, user, review_id, now)
    stamp = moment.isoformat()
    with write_transaction(store.engine) as conn:
        changeset_id = _changeset(conn, user.name, "reject",  # the reason also stays in the history
                                  f"reject review #{int(review_id)} by {review['actor']}: {text}",
                                  carrier["city_adcode"], stamp)
        _close(conn, review_id, REJECTED, user, stamp, changeset_id, text)
    return ChangeSetResult(changeset_id=changeset_id, review_id=int(review_id))


def review_of_changeset(store: Store, changeset_id: int) -> dict[str, Any] | None:
    """The review a ``submit``/``approve``/``reject`` change set belongs to, or None."""
    table = schema.reviews
    with store.engine.connect() as conn:
        raw = conn.execute(select(table).where(
            (table.c.submitted_changeset == int(changeset_id)) | (table.c.decided_changeset == int(changeset_id))
        )).mappings().first()
    return None if raw is None else _row(raw)


def can_undo_step(store: Store, user: User | None, kind: str, changeset_id: int) -> bool:
    """May ``user`` undo review step ``changeset_id``? A submission: its proposer (or a reviewer);
    an approval or rejection: whoever may review that change."""
    review = review_of_changeset(store, changeset_id)
    if review is None or kind not in REVIEW_KINDS:
        return False
    try:
        carrier = store.carrier(int(review["carrier_id"]))
    except NotFoundError:
        return False
    after = {**carrier, **review["values"]}
    reviewer = can_review(user, review["level"], review["actor"], carrier, after)
    if kind == "submit":
        return can_withdraw(user, review["actor"], carrier) or reviewer
    return reviewer


def after_undo(conn, target: dict[str, Any]) -> None:
    """Inside :meth:`Store.undo`'s transaction: put the review of an undone step back where it was.

    Undoing a submission withdraws a still-pending change (refused once it was decided: undo the
    decision first); undoing an approval or rejection makes the change pending again.
    """
    kind = target.get("kind")
    if kind not in REVIEW_KINDS:
        return
    table = schema.reviews
    if kind == "submit":
        row = conn.execute(select(table.c.id, table.c.state)
                           .where(table.c.submitted_changeset == target["id"])).mappings().first()
        if row is None:
            return
        if row["state"] != PENDING:
            raise UndoError(f"review #{row['id']} was {row['state']}; undo that decision first")
        conn.execute(update(table).where(table.c.id == row["id"]).values(state=WITHDRAWN))
        return
    conn.execute(update(table).where(table.c.decided_changeset == target["id"]).values(
        state=PENDING, decided_by=None, decided_at=None, decided_changeset=None, reason=None))
