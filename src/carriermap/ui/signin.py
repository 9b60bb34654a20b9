"""Sign-in, the signed-in bar and sign-out for the data page.

The session token lives in this browser session's server-side state (``st.session_state``)
and, when the app is started through ``serve.py``, in an HttpOnly, SameSite=Strict cookie
(Secure over HTTPS) that Streamlit sends with every new connection, so a reload or a new tab
stays signed in for the session's 8 hours (:mod:`carriermap.web.session_cookie`). Never in a
cache shared between users, in the URL or in storage page script can read. Each run checks
the token against the database, so expiry and sign-out take effect at once, in every tab.
"""

from __future__ import annotations

import streamlit as st

from carriermap.auth import SESSION_LIFETIME, AuthError, authenticate, session_user, sign_out
from carriermap.permissions import User
from carriermap.store import StoreBusy
from carriermap.ui.context import PageContext
from carriermap.web.session_cookie import COOKIE_NAME, HANDOFFS, handoff_script, signout_script

TOKEN_KEY = "data.token"
_SCRIPT_KEY = "data.cookie_script"


def _cookie_token() -> str | None:
    try:
        value = st.context.cookies.get(COOKIE_NAME)
    except (AttributeError, RuntimeError):  # no browser connection (script tests)
        return None
    return value if isinstance(value, str) and value else None


def _run_cookie_script() -> None:
    """Send the pending cookie hand-off or cookie removal once (a no-op without ``serve.py``)."""
    script = st.session_state.pop(_SCRIPT_KEY, None)
    if script:
        st.html(script, unsafe_allow_javascript=True)


def current_user(ctx: PageContext) -> User | None:
    """The signed-in user of this browser session, or None (expired and revoked sessions included).

    A live session cookie signs a new tab or a reloaded page in; a stale one is ignored.
    """
    _run_cookie_script()
    token = st.session_state.get(TOKEN_KEY)
    user = session_user(ctx.store, token)
    if user is None and token:
        st.session_state.pop(TOKEN_KEY, None)
        st.warning(ctx.t("data.signin.expired"))
        return None
    if user is None:
        cookie = _cookie_token()
        user = session_user(ctx.store, cookie)
        if user is not None:
            st.session_state[TOKEN_KEY] = cookie
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
    st.caption(ctx.t("finish.signin.first_account"))
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
        code = HANDOFFS.issue(token, int(SESSION_LIFETIME.total_seconds()))
        st.session_state[_SCRIPT_KEY] = handoff_script(code)
        st.rerun()


def account_bar(ctx: PageContext, user: User) -> None:
    """Who is signed in, with which role and scope (by name), and the sign-out button."""
    from carriermap.history_view import scope_name

    left, right = st.columns([5, 1])
    scope = f" · {scope_name(user.role, user.scope, ctx.lang)}" if user.scope else ""
    left.text(ctx.plain("data.signin.as", name=user.name, role=ctx.plain(f"data.role.{user.role}"), scope=scope))
    if right.button(ctx.t("data.signin.out"), key="data.signout"):
        sign_out(ctx.store, st.session_state.pop(TOKEN_KEY, None))
        st.session_state[_SCRIPT_KEY] = signout_script()
        st.rerun()
