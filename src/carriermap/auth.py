"""Editors' accounts and server-side sessions, kept in the database.

* Passwords are hashed with Argon2id (``argon2-cffi``) at OWASP's recommended minimum
  (19 MiB memory, 2 iterations, 1 lane); only the PHC string is stored.
* Five wrong passwords in a row lock the account name for 15 minutes — a cooldown, not a
  permanent lock (anyone could otherwise lock an editor out for good). Attempts are
  counted per name typed, known or not, so the answers do not reveal which accounts exist.
* A session is a random token; the database keeps only its SHA-256, an expiry (8 hours)
  and a revocation time. Signing out revokes it server-side: a copied token is useless.

Every function takes ``now`` (a callable returning an aware UTC ``datetime``) so tests
can move the clock.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, insert, select, update

from carriermap.messages import KeyedError
from carriermap.permissions import ROLES, User
from carriermap.store import Store, schema
from carriermap.store.engine import write_transaction

Clock = Callable[[], datetime]

MAX_FAILURES = 5
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


def locked_until(store: Store, name: str, *, now: Clock = utc_clock) -> datetime | None:
    """When the lock on ``name`` ends, or None when it is not locked."""
    with store.engine.connect() as conn:
        row = conn.execute(select(schema.login_attempts).where(schema.login_attempts.c.name == name)).mappings().first()
    until = _parse(row["locked_until"]) if row else None
    return until if until is not None and until > now() else None


def _record_failure(store: Store, name: str, moment: datetime) -> datetime | None:
    """Count one failure; lock when it is the fifth. Returns the lock's end if now locked."""
    table = schema.login_attempts
    with write_transaction(store.engine) as conn:
        row = conn.execute(select(table).where(table.c.name == name)).mappings().first()
        failures = 1
        if row is not None:
            previous_lock, last = _parse(row["locked_until"]), _parse(row["last_failure_at"])
            stale = last is None or moment - last > LOCK_DURATION  # old failures are forgotten
            expired = previous_lock is not None and previous_lock <= moment
            failures = 1 if stale or expired else row["failures"] + 1
        until = moment + LOCK_DURATION if failures >= MAX_FAILURES else None
        values = {"failures": 0 if until else failures, "last_failure_at": _iso(moment),
                  "locked_until": _iso(until) if until else None}
        if row is None:
            conn.execute(insert(table).values(name=name, **values))
        else:
            conn.execute(update(table).where(table.c.name == name).values(**values))
    return until


def authenticate(store: Store, name: str, password: str, *, now: Clock = utc_clock) -> tuple[str, User]:
    """Check a name and password; return a new session token and the user.

    Raises :class:`AuthError` ``data.error.locked`` while the name is locked (even with the
    right password) and ``data.error.bad_credentials`` otherwise, never saying which part
    was wrong.
    """
    name = (name or "").strip()
    until = locked_until(store, name, now=now)
    if until is not None:
        raise AuthError("data.error.locked", minutes=_minutes_left(until, now()))
    with store.engine.connect() as conn:
        row = conn.execute(select(schema.users).where(schema.users.c.name == name)).mappings().first()
    stored = row["password_hash"] if row is not None and not row["disabled"] else _DUMMY_HASH
    try:
        HASHER.verify(stored, password or "")
        ok = row is not None and not row["disabled"]
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    moment = now()
    if not ok:
        until = _record_failure(store, name, moment)
        if until is not None:
            raise AuthError("data.error.locked", minutes=_minutes_left(until, moment))
        raise AuthError("data.error.bad_credentials")
    token = secrets.token_urlsafe(32)
    with write_transaction(store.engine) as conn:
        conn.execute(delete(schema.login_attempts).where(schema.login_attempts.c.name == name))
        if HASHER.check_needs_rehash(row["password_hash"]):
            conn.execute(update(schema.users).where(schema.users.c.id == row["id"])
                         .values(password_hash=HASHER.hash(password)))
        conn.execute(insert(schema.sessions).values(
            token_hash=_token_hash(token), user_id=row["id"], created_at=_iso(moment),
            expires_at=_iso(moment + SESSION_LIFETIME), revoked_at=None))
    return token, _user(row)


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
    hashed = HASHER.hash(password)
    with write_transaction(store.engine) as conn:
        row = conn.execute(select(schema.users.c.id).where(schema.users.c.name == name)).first()
        if row is None:
            raise AuthError("data.error.no_user", name=name)
        conn.execute(update(schema.users).where(schema.users.c.id == row[0]).values(password_hash=hashed))
        conn.execute(update(schema.sessions).where(schema.sessions.c.user_id == row[0],
                                                   schema.sessions.c.revoked_at.is_(None))
                     .values(revoked_at=_iso(utc_clock())))
