"""The editor's sign-in cookie: HttpOnly, SameSite=Strict, Secure over HTTPS, revoked by sign-out.

A Streamlit script cannot set response headers, so the cookie is set by two tiny HTTP
routes mounted beside the app through Streamlit's supported ``st.App(routes=...)`` hook
(``serve.py``):

* ``POST /api/carriermap/session`` takes a one-time *hand-off code* (random, 60 seconds,
  single use) that the signed-in page sends once, and answers with ``Set-Cookie`` holding
  the session token. The token itself never appears in the URL, in page script or in
  browser storage that script can read; the code is useless once exchanged or expired.
* ``POST /api/carriermap/signout`` revokes the session named by the cookie in the
  database and expires the cookie. Only same-origin requests are accepted.

The sessions themselves stay server-side (:mod:`carriermap.auth`): the page checks the
token against the database on every run, so sign-out and expiry take effect in every tab.
Hand-off codes are kept in this process's memory; behind several replicas the sticky
routing that Streamlit already needs (uploads, websocket) sends the exchange to the same one.
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections.abc import Callable

COOKIE_NAME = "carriermap_session"
SESSION_PATH = "/api/carriermap/session"
SIGNOUT_PATH = "/api/carriermap/signout"
HANDOFF_SECONDS = 60.0
SECURE_SETTING = "CARRIERMAP_COOKIE_SECURE"  # "1": always Secure; "0": never; unset: when the request is HTTPS


class HandoffRegistry:
    """One-time codes that stand for a session token for a short while (thread-safe)."""

    def __init__(self, lifetime: float = HANDOFF_SECONDS, clock: Callable[[], float] = time.monotonic):
        self._codes: dict[str, tuple[str, int, float]] = {}
        self._lock = threading.Lock()
        self._lifetime, self._clock = lifetime, clock

    def issue(self, token: str, max_age: int) -> str:
        """A new code for ``token`` (whose cookie should live ``max_age`` seconds)."""
        code = secrets.token_urlsafe(24)
        with self._lock:
            now = self._clock()
            self._codes = {k: v for k, v in self._codes.items() if v[2] > now}
            self._codes[code] = (token, max_age, now + self._lifetime)
        return code

    def redeem(self, code: str) -> tuple[str, int] | None:
        """The token and cookie age for ``code`` once (None when unknown, used or expired)."""
        with self._lock:
            entry = self._codes.pop(code or "", None)
        if entry is None or entry[2] <= self._clock():
            return None
        return entry[0], entry[1]


HANDOFFS = HandoffRegistry()


def cookie_secure(scheme: str, forwarded_proto: str | None) -> bool:
    """Whether the cookie gets ``Secure``: the setting wins; otherwise when the browser used HTTPS."""
    setting = os.environ.get(SECURE_SETTING, "").strip()
    if setting in {"0", "1"}:
        return setting == "1"
    proto = (forwarded_proto or "").split(",")[0].strip().lower()
    return scheme == "https" or proto == "https"


def _same_origin(request) -> bool:
    """Refuse cross-site posts: ``Sec-Fetch-Site`` (or ``Origin``) must name this site."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site in {"same-origin", "none"}
    origin = request.headers.get("origin")
    return origin is None or origin.split("://", 1)[-1] == request.headers.get("host")


def _set_cookie(response, request, value: str, max_age: int) -> None:
    response.set_cookie(COOKIE_NAME, value, max_age=max_age, path="/", httponly=True, samesite="strict",
                        secure=cookie_secure(request.url.scheme, request.headers.get("x-forwarded-proto")))


async def _session(request):
    from starlette.responses import Response

    if not _same_origin(request):
        return Response(status_code=403)
    code = (await request.body()).decode("ascii", "replace").strip()
    redeemed = HANDOFFS.redeem(code)
    if redeemed is None:
        return Response(status_code=400)
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    _set_cookie(response, request, redeemed[0], redeemed[1])
    return response


def _store():
    from carriermap.store import Store
    from carriermap.store.engine import default_url

    return Store.open(default_url())


async def _signout(request):
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import Response

    from carriermap.auth import sign_out

    if not _same_origin(request):
        return Response(status_code=403)
    token = request.cookies.get(COOKIE_NAME)
    if token:
        await run_in_threadpool(lambda: sign_out(_store(), token))
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    _set_cookie(response, request, "", 0)
    return response


def routes() -> list:
    """The two Starlette routes to pass to ``st.App(routes=...)``."""
    from starlette.routing import Route

    return [Route(SESSION_PATH, _session, methods=["POST"]), Route(SIGNOUT_PATH, _signout, methods=["POST"])]


def handoff_script(code: str) -> str:
    """The page script that exchanges ``code`` for the cookie (same origin, POST body, no URL)."""
    return ("<script>fetch(" + repr(SESSION_PATH) + ",{method:'POST',credentials:'same-origin',"
            "headers:{'Content-Type':'text/plain'},body:" + repr(code) + "});</script>")


def signout_script() -> str:
    """The page script that revokes the cookie's session and expires the cookie."""
    return "<script>fetch(" + repr(SIGNOUT_PATH) + ",{method:'POST',credentials:'same-origin'});</script>"
