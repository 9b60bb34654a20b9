"""Browser: an editor stays signed in across reloads and new tabs (HttpOnly cookie), until sign-out."""

import pytest

from carriermap.auth import create_user
from carriermap.web.session_cookie import COOKIE_NAME
from tests.browser.conftest import seeded_copy, sign_in, start_app, stop_app, wait_for_app

pytestmark = pytest.mark.browser
PASSWORD = "correct-horse-battery"


@pytest.fixture
def editor_app(tmp_path, seeded_db_file):
    from carriermap.store import Store

    db_url = seeded_copy(seeded_db_file, tmp_path)
    store = Store.open(db_url)
    create_user(store, "boss", PASSWORD, "admin")
    create_user(store, "hz", PASSWORD, "district_official", "440105")
    app = start_app(tmp_path, db_url)
    yield store, app
    stop_app(app.process)
    store.engine.dispose()


def _signed_in(page, name: str) -> bool:
    wait_for_app(page)
    try:
        page.get_by_text(f"已登录\uff1a{name}").wait_for(timeout=15_000)
        return True
    except Exception:  # noqa: BLE001 - playwright timeout: not signed in
        return False


def test_session_survives_reload_and_new_tab_until_sign_out(editor_app, browser):
    store, app = editor_app
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(app.url + "/data?city=440100")
        wait_for_app(page)
        page.get_by_text("python -m carriermap user add").first.wait_for(timeout=30_000)  # first-account hint
        sign_in(page, app, "hz")
        page.get_by_text("区级用户 · 海珠区").first.wait_for(timeout=30_000)  # scope by name, not 440105
        page.wait_for_function("() => true")
        for _ in range(50):  # the page exchanges its one-time code for the cookie
            if any(c["name"] == COOKIE_NAME for c in context.cookies()):
                break
            page.wait_for_timeout(100)
        cookie = next(c for c in context.cookies() if c["name"] == COOKIE_NAME)
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and not cookie["secure"]  # plain HTTP here
        assert page.evaluate("document.cookie").find(COOKIE_NAME) == -1  # script cannot read it
        assert COOKIE_NAME not in page.url and "token" not in page.url
        assert page.evaluate("JSON.stringify(localStorage) + JSON.stringify(sessionStorage)").find(
            cookie["value"]) == -1

        page.reload()
        assert _signed_in(page, "hz"), "a reload signed the editor out"
        other = context.new_page()
        other.goto(app.url + "/data?city=440100")
        assert _signed_in(other, "hz"), "a new tab is not signed in"

        page.get_by_role("button", name="退出登录").click()
        page.get_by_role("button", name="登录", exact=True).wait_for(timeout=30_000)
        page.reload()
        wait_for_app(page)
        page.get_by_role("button", name="登录", exact=True).wait_for(timeout=30_000)
        assert not _signed_in(page, "hz")
        other.reload()
        wait_for_app(other)
        other.get_by_role("button", name="登录", exact=True).wait_for(timeout=30_000)  # revoked everywhere
        assert page.locator("[data-testid='stException']").count() == 0
    finally:
        context.close()


def test_cookie_exchange_refuses_unknown_codes_and_other_sites(editor_app):
    import urllib.error
    import urllib.request

    _store, app = editor_app
    for headers in ({}, {"Sec-Fetch-Site": "cross-site"}):
        request = urllib.request.Request(app.url + "/api/carriermap/session", data=b"made-up-code",
                                         headers=headers, method="POST")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code in (400, 403)
        assert "set-cookie" not in {k.lower() for k in refused.value.headers}
