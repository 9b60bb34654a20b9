"""Sign-in, the signed-in bar and sign-out for the data page.

The session token lives only in this browser session's server-side state
(``st.session_state``), never in a cache shared between users, a cookie or the URL; each run
checks it against the database, so expiry and sign-out take effect at once.
"""

from __future__ import annotations

import streamlit as st

from carriermap.auth import AuthError, authenticate, session_user, sign_out
from carriermap.permissions import User
from carriermap.store import StoreBusy
from carriermap.ui.context import PageContext

TOKEN_KEY = "data.token"


def current_user(ctx: PageContext) -> User | None:
    """The signed-in user of this browser session, or None (expired and revoked sessions included)."""
    user = session_user(ctx.store, st.session_state.get(TOKEN_KEY))
    if user is None and st.session_state.get(TOKEN_KEY):
        st.session_state.pop(TOKEN_KEY, None)
        st.warning(ctx.t("data.signin.expired"))
    return user


def client_address() -> str | None:
    """The browser's address as the server sees it (None on localhost): the sign-in throttle's second key.

    Streamlit takes it from the WebSocket connection; behind a reverse proxy it is the proxy's
    address unless the proxy is set up to pass the client's on.
    """
    try:
        address = st.context.ip_address
    except Exception:  # noqa: BLE001 - no script context (bare mode): no address to count
        return None
    return address[:64] if isinstance(address, str) and address else None


def sign_in_form(ctx: PageContext) -> None:
    """The sign-in form; on success the page reruns signed in."""
    st.caption(ctx.t("data.signin.why"))
    with st.form("data.signin"):
        name = st.text_input(ctx.t("data.signin.name"), key="data.signin.name")
        password = st.text_input(ctx.t("data.signin.password"), type="password", key="data.signin.password")
        submitted = st.form_submit_button(ctx.t("data.signin.submit"), type="primary")
    if submitted:
        try:
            token, _user = authenticate(ctx.store, name, password, address=client_address())
        except AuthError as error:
            st.error(ctx.t(error.key, **error.params))
            return
        except StoreBusy:
            st.error(ctx.t("store.error.busy"))
            return
        st.session_state[TOKEN_KEY] = token
        st.rerun()


def account_bar(ctx: PageContext, user: User) -> None:
    """Who is signed in, with which role and scope, and the sign-out button."""
    left, right = st.columns([5, 1])
    scope = f" · {user.scope}" if user.scope else ""
    left.text(ctx.plain("data.signin.as", name=user.name, role=ctx.plain(f"data.role.{user.role}"), scope=scope))
    if right.button(ctx.t("data.signin.out"), key="data.signout"):
        sign_out(ctx.store, st.session_state.pop(TOKEN_KEY, None))
        st.rerun()
