"""Editors' accounts and server-side sessions, kept in the database.

* Passwords are hashed with Argon2id (``argon2-cffi``) at OWASP's recommended minimum
  (19 MiB memory, 2 iterations, 1 lane); only the PHC string is stored.
* At most five passwords are verified per name typed in any 15 minutes: each attempt takes a
  slot in one atomic database step *before* its hash is verified (:func:`reserve_attempt`),
  and the attempt that takes the fifth slot locks the name for 15 minutes — a cooldown, not a
  permanent lock (anyone could otherwise lock an editor out for good). Attempts are counted
  per name typed, known or not, so the answers do not reveal which accounts exist, and per
  source address when the server sees it (:data:`MAX_PER_ADDRESS`, against guessing many names).
* A session is a random token; the database keeps only its SHA-256, an expiry (8 hours)
  and a revocation time. Signing out revokes it server-side: a copied token is useless.

Every function takes ``now`` (a callable returning an aware UTC ``datetime``) so tests
can move the clock.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, insert, select, update

from carriermap.messages import KeyedError
from carriermap.permissions import ROLES, User
from carriermap.store import Store, schema
from carriermap.store.engine import write_transaction

Clock = Callable[[], datetime]

MAX_FAILURES = 5  # passwords verified per name per LOCK_DURATION (sliding window)
MAX_PER_ADDRESS = 30  # passwords verified per source address per LOCK_DURATION, whatever the names
LOCK_DURATION = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=8)
MIN_PASSWORD_LENGTH = 10
HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1, hash_len=32, salt_len=16, type=Type.ID)
_DUMMY_HASH = HASHER.hash("carriermap-no-such-user")  # equal work for unknown names


def utc_clock() -> datetime:
    """The real clock (UTC)."""
    return datetime.now(UTC)


class AuthError(KeyedError):
    """Sign-in or account problem; ``key``/``params`` name a catalogue message."""


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def _parse(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _user(row) -> User:
    return User(id=int(row["id"]), name=row["name"], role=row["role"], scope=row["scope"])


def validate_scope(store: Store, role: str, scope: str | None) -> str | None:
    """The normalised scope for ``role``; :class:`AuthError` when it is missing or unknown."""
    from carriermap.boundaries import district_names
    from carriermap.cities import all_cities

    scope = (scope or "").strip() or None
    if role not in ROLES:
        raise AuthError("data.error.bad_role", role=role, allowed=", ".join(ROLES))
    if role == "admin":
        return None
    if scope is None:
        raise AuthError("data.error.scope_required", role=role)
    if role == "city_official" and scope not in {c.adcode for c in all_cities()}:
        raise AuthError("data.error.bad_scope", role=role, scope=scope)
    if role == "district_official":
        zones = {zone.name for city in all_cities() for zone in city.zones}
        units = set(store.carriers()["reporting_unit"].dropna())
        if scope not in district_names() and scope not in zones | units:
            raise AuthError("data.error.bad_scope", role=role, scope=scope)
    if role == "operator":
        ids = [part.strip() for part in scope.replace(",", ",").split(",") if part.strip()]
        if not ids or not all(part.isdigit() for part in ids):
            raise AuthError("data.error.bad_scope", role=role, scope=scope)
        known = set(store.carriers()["id"].astype(int))
        if missing := [part for part in ids if int(part) not in known]:
            raise AuthError("data.error.bad_scope", role=role, scope=",".join(missing))
        scope = ",".join(ids)
    return scope


def create_user(store: Store, name: str, password: str, role: str, scope: str | None = None,
                *, now: Clock = utc_clock) -> User:
    """Create an account; the password is hashed (Argon2id) and never stored."""
    name = (name or "").strip()
    if not name or len(name) > 64:
        raise AuthError("data.error.bad_name")
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AuthError("data.error.short_password", minimum=MIN_PASSWORD_LENGTH)
    scope = validate_scope(store, role, scope)
    hashed = HASHER.hash(password)
    with write_transaction(store.engine) as conn:
        if conn.execute(select(schema.users.c.id).where(schema.users.c.name == name)).first():
            raise AuthError("data.error.user_exists", name=name)
        new_id = conn.execute(insert(schema.users).values(
            name=name, password_hash=hashed, role=role, scope=scope, created_at=_iso(now()), disabled=False,
        )).inserted_primary_key[0]
    return User(id=int(new_id), name=name, role=role, scope=scope)


def _throttle_key(kind: str, key: str) -> str:
    """The stored key: short names as typed, long ones (no account has them) as a digest."""
    return key if len(key) <= 64 else "sha256:" + hashlib.sha256(key.encode("utf-8")).hexdigest()


def _throttle_rows(conn, keys: list[tuple[str, str]]) -> dict[tuple[str, str], dict]:
    """The throttle rows of ``keys``, created when missing, locked until the transaction ends.

    SQLite: the caller's ``BEGIN IMMEDIATE`` already holds the one write lock. PostgreSQL:
    ``INSERT … ON CONFLICT DO NOTHING`` then ``SELECT … FOR UPDATE``: a parallel attempt on the
    same key waits here until this one has counted itself.
    """
    table = schema.sign_in_throttle
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    rows = {}
    for kind, key in sorted(keys):  # one order everywhere: no deadlock between two attempts
        conn.execute(dialect_insert(table).values(kind=kind, key=key, recent="[]", locked_until=None)
                     .on_conflict_do_nothing())
        row = conn.execute(select(table).where(table.c.kind == kind, table.c.key == key)
                           .with_for_update()).mappings().one()
        rows[(kind, key)] = dict(row)
    return rows


@dataclass(frozen=True)
class Attempt:
    """A granted right to verify one password: who, from where, when, and whether it used the last slot."""

    name_key: str
    address_key: str | None
    moment: datetime
    last_slot: bool


def reserve_attempt(store: Store, name: str, address: str | None = None, *, now: Clock = utc_clock) -> Attempt:
    """Count one password verification for ``name`` (and ``address``) — or refuse it — atomically.

    One write transaction (SQLite ``BEGIN IMMEDIATE``; PostgreSQL row locks) reads the sliding
    window of the name (and of the source address, when known), refuses while either is locked
    (:class:`AuthError` ``data.error.locked``, the password is then never checked), else records
    this attempt. The attempt that fills the window locks the name for :data:`LOCK_DURATION`
    at once, before its password is verified, so however many threads, sessions or processes
    try at the same moment, at most :data:`MAX_FAILURES` passwords are verified per name per
    15 minutes. Nothing here ever shortens or clears a lock; only a right password does
    (:func:`authenticate`) or an admin (:func:`unlock`).
    """
    moment = now()
    keys = [("name", _throttle_key("name", name))]
    if address:
        keys.append(("address", _throttle_key("address", address)))
    table = schema.sign_in_throttle
    with write_transaction(store.engine) as conn:
        rows = _throttle_rows(conn, keys)
        windows = {}
        for (kind, key), row in rows.items():
            until = _parse(row["locked_until"])
            recent = [t for t in map(_parse, json.loads(row["recent"] or "[]")) if moment - t < LOCK_DURATION]
            limit = MAX_FAILURES if kind == "name" else MAX_PER_ADDRESS
            if until is not None and until > moment:
                raise AuthError("data.error.locked", minutes=_minutes_left(until, moment))
            if len(recent) >= limit:  # a full window without a lock (e.g. the limit was lowered): refuse too
                raise AuthError("data.error.locked", minutes=_minutes_left(min(recent) + LOCK_DURATION, moment))
            windows[(kind, key)] = (recent, limit)
        last_slot = False
        for (kind, key), (recent, limit) in windows.items():
            recent.append(moment)
            lock = moment + LOCK_DURATION if len(recent) >= limit else None
            last_slot = last_slot or (kind == "name" and lock is not None)
            conn.execute(update(table).where(table.c.kind == kind, table.c.key == key).values(
                recent=json.dumps([t.isoformat() for t in recent]),
                locked_until=lock.isoformat() if lock else None))
    return Attempt(keys[0][1], keys[1][1] if address else None, moment, last_slot)


def locked_until(store: Store, name: str, *, now: Clock = utc_clock) -> datetime | None:
    """When the lock on ``name`` ends, or None when it is not locked."""
    table = schema.sign_in_throttle
    with store.engine.connect() as conn:
        row = conn.execute(select(table.c.locked_until).where(
            table.c.kind == "name", table.c.key == _throttle_key("name", name))).first()
    until = _parse(row[0]) if row else None
    return until if until is not None and until > now() else None


def _forget_success(conn, attempt: Attempt) -> None:
    """A right password: the name's window starts afresh; the address keeps its other attempts."""
    table = schema.sign_in_throttle
    conn.execute(delete(table).where(table.c.kind == "name", table.c.key == attempt.name_key))
    if attempt.address_key is None:
        return
    row = conn.execute(select(table.c.recent).where(table.c.kind == "address", table.c.key == attempt.address_key)
                       .with_for_update()).first()
    if row is not None:
        recent = json.loads(row[0] or "[]")
        if attempt.moment.isoformat() in recent:
            recent.remove(attempt.moment.isoformat())
        conn.execute(update(table).where(table.c.kind == "address", table.c.key == attempt.address_key)
                     .values(recent=json.dumps(recent)))


def authenticate(store: Store, name: str, password: str, *, address: str | None = None,
                 now: Clock = utc_clock) -> tuple[str, User]:
    """Check a name and password; return a new session token and the user.

    :func:`reserve_attempt` counts the attempt (per name and per source ``address`` when the
    server knows it) before the hash is verified. Raises :class:`AuthError`
    ``data.error.locked`` while the name or address is locked (even with the right password)
    and ``data.error.bad_credentials`` otherwise, never saying which part was wrong.
    """
    name = (name or "").strip()
    attempt = reserve_attempt(store, name, address, now=now)
    with store.engine.connect() as conn:
        row = conn.execute(select(schema.users).where(schema.users.c.name == name)).mappings().first()
    stored = row["password_hash"] if row is not None and not row["disabled"] else _DUMMY_HASH
    try:
        HASHER.verify(stored, password or "")
        ok = row is not None and not row["disabled"]
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    moment = attempt.moment
    if not ok:
        if attempt.last_slot:
            raise AuthError("data.error.locked", minutes=_minutes_left(moment + LOCK_DURATION, moment))
        raise AuthError("data.error.bad_credentials")
    token = secrets.token_urlsafe(32)
    with write_transaction(store.engine) as conn:
        _forget_success(conn, attempt)
        if HASHER.check_needs_rehash(row["password_hash"]):
            conn.execute(update(schema.users).where(schema.users.c.id == row["id"])
                         .values(password_hash=HASHER.hash(password)))
        conn.execute(insert(schema.sessions).values(
            token_hash=_token_hash(token), user_id=row["id"], created_at=_iso(moment),
            expires_at=_iso(moment + SESSION_LIFETIME), revoked_at=None))
    return token, _user(row)


def unlock(store: Store, name: str) -> bool:
    """Admin: clear the sign-in lock and the window of ``name``; True when there was one."""
    table = schema.sign_in_throttle
    with write_transaction(store.engine) as conn:
        done = conn.execute(delete(table).where(table.c.kind == "name", table.c.key == _throttle_key("name", name)))
    return bool(done.rowcount)


def _change_account(store: Store, name: str, values: dict, moment: datetime) -> None:
    """Set ``values`` on the account ``name`` and revoke its open sessions, in one transaction."""
    with write_transaction(store.engine) as conn:
        row = conn.execute(select(schema.users.c.id).where(schema.users.c.name == name)).first()
        if row is None:
            raise AuthError("data.error.no_user", name=name)
        conn.execute(update(schema.users).where(schema.users.c.id == row[0]).values(**values))
        conn.execute(update(schema.sessions).where(schema.sessions.c.user_id == row[0],
                                                   schema.sessions.c.revoked_at.is_(None))
                     .values(revoked_at=_iso(moment)))


def disable(store: Store, name: str, *, now: Clock = utc_clock) -> None:
    """Admin: disable an account and revoke its sessions at once (it can no longer sign in)."""
    _change_account(store, name, {"disabled": True}, now())


def _minutes_left(until: datetime, moment: datetime) -> int:
    return max(1, int((until - moment).total_seconds() + 59) // 60)


def session_user(store: Store, token: str | None, *, now: Clock = utc_clock) -> User | None:
    """The user of a live session: None when the token is unknown, expired, revoked or disabled."""
    if not token:
        return None
    s, u = schema.sessions, schema.users
    with store.engine.connect() as conn:
        row = conn.execute(select(u, s.c.expires_at, s.c.revoked_at).join(s, s.c.user_id == u.c.id)
                           .where(s.c.token_hash == _token_hash(token))).mappings().first()
    if row is None or row["revoked_at"] is not None or row["disabled"]:
        return None
    if _parse(row["expires_at"]) <= now():
        return None
    return _user(row)


def sign_out(store: Store, token: str | None, *, now: Clock = utc_clock) -> None:
    """Revoke the session server-side (the token stops working everywhere)."""
    if not token:
        return
    with write_transaction(store.engine) as conn:
        conn.execute(update(schema.sessions).where(schema.sessions.c.token_hash == _token_hash(token),
                                                   schema.sessions.c.revoked_at.is_(None))
                     .values(revoked_at=_iso(now())))


def set_password(store: Store, name: str, password: str) -> None:
    """Replace a user's password (hashed) and revoke their sessions."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AuthError("data.error.short_password", minimum=MIN_PASSWORD_LENGTH)
    _change_account(store, name, {"password_hash": HASHER.hash(password)}, utc_clock())
