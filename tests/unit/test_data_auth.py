"""Editors' accounts: hashing, lockout with a cooldown, sessions that expire and sign out."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from carriermap.auth import AuthError, authenticate, create_user, session_user, sign_out
from carriermap.store import schema

PASSWORD = "correct-horse-battery"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self):
        self.now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)


@pytest.fixture
def clock():
    return Clock()


def test_password_is_stored_as_argon2id_only(store):
    create_user(store, "ops", PASSWORD, "operator", "2")
    with store.engine.connect() as conn:
        stored = conn.execute(select(schema.users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert PASSWORD not in stored


def test_bad_scope_and_short_password_are_refused(store):
    with pytest.raises(AuthError) as short:
        create_user(store, "a", "short", "admin")
    assert short.value.key == "data.error.short_password"
    with pytest.raises(AuthError) as scope:
        create_user(store, "b", PASSWORD, "district_official", "999999")
    assert scope.value.key == "data.error.bad_scope"
    with pytest.raises(AuthError) as missing:
        create_user(store, "c", PASSWORD, "operator")
    assert missing.value.key == "data.error.scope_required"


def test_five_failures_lock_for_fifteen_minutes_then_unlock(store, clock):
    create_user(store, "hz", PASSWORD, "district_official", "440105")
    for _ in range(4):
        with pytest.raises(AuthError) as wrong:
            authenticate(store, "hz", "wrong password", now=clock)
        assert wrong.value.key == "data.error.bad_credentials"
    with pytest.raises(AuthError) as fifth:
        authenticate(store, "hz", "wrong password", now=clock)
    assert fifth.value.key == "data.error.locked"
    clock.advance(minutes=14)
    with pytest.raises(AuthError) as still:  # even the right password is refused while locked
        authenticate(store, "hz", PASSWORD, now=clock)
    assert still.value.key == "data.error.locked" and still.value.params["minutes"] == 1
    clock.advance(minutes=1, seconds=1)
    token, user = authenticate(store, "hz", PASSWORD, now=clock)
    assert user.name == "hz" and session_user(store, token, now=clock) == user


def test_unknown_names_are_counted_too(store, clock):
    for _ in range(5):
        with pytest.raises(AuthError):
            authenticate(store, "nobody", "x", now=clock)
    with pytest.raises(AuthError) as locked:
        authenticate(store, "nobody", "x", now=clock)
    assert locked.value.key == "data.error.locked"


def test_old_failures_are_forgotten(store, clock):
    create_user(store, "ops", PASSWORD, "operator", "2")
    for _ in range(4):
        with pytest.raises(AuthError):
            authenticate(store, "ops", "wrong", now=clock)
    clock.advance(hours=1)
    with pytest.raises(AuthError) as wrong:
        authenticate(store, "ops", "wrong", now=clock)
    assert wrong.value.key == "data.error.bad_credentials"


def test_sessions_expire_and_sign_out_revokes(store, clock):
    create_user(store, "boss", PASSWORD, "admin")
    token, _ = authenticate(store, "boss", PASSWORD, now=clock)
    clock.advance(hours=7, minutes=59)
    assert session_user(store, token, now=clock) is not None
    clock.advance(minutes=2)
    assert session_user(store, token, now=clock) is None  # expired after 8 hours
    token, _ = authenticate(store, "boss", PASSWORD, now=clock)
    sign_out(store, token, now=clock)
    assert session_user(store, token, now=clock) is None  # revoked server-side
    with store.engine.connect() as conn:
        kept = conn.execute(select(schema.sessions.c.token_hash)).scalars().all()
    assert token not in kept
