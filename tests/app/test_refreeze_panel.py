"""The data page's frozen quarters: every freeze listed, and an admin re-freezing with a kept reason (AppTest)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from carriermap.auth import create_user
from carriermap.snapshots import freeze, freeze_history

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse-battery"


@pytest.fixture
def signed_in(store, db_url, monkeypatch):
    """Sign a user in on the data page of Guangzhou, 2026Q2 frozen: a function of (name, role, scope)."""
    monkeypatch.setenv("CARRIERMAP_DATABASE_URL", db_url)
    freeze(store, "440100", "2026Q2", "first")

    def sign_in(name: str, role: str, scope: str | None = None) -> AppTest:
        create_user(store, name, PASSWORD, role, scope)
        app = AppTest.from_file(str(ROOT / "pages" / "data.py"), default_timeout=90)
        app.query_params["city"] = "440100"
        app.run()
        app.text_input(key="data.signin.name").input(name)
        app.text_input(key="data.signin.password").input(PASSWORD)
        return app.button[0].click().run()

    return sign_in


def test_admin_refreezes_with_a_reason_and_both_freezes_are_listed(store, signed_in):
    app = signed_in("boss", "admin")
    assert not app.exception
    submit = [b for b in app.button if b.label == "重新冻结"][0]
    submit.click().run()  # no reason: refused, nothing written
    assert any("原因" in e.value for e in app.error) and len(freeze_history(store, "440100")) == 1
    app.text_input(key="data.refreeze.reason").input("核对后重新冻结")
    [b for b in app.button if b.label == "重新冻结"][0].click().run()
    assert not app.exception
    history = freeze_history(store, "440100")
    assert history[["revision", "reason"]].to_dict("records") == [
        {"revision": 2, "reason": "核对后重新冻结"}, {"revision": 1, "reason": None}]


def test_city_official_sees_the_history_but_no_refreeze_form(signed_in):
    app = signed_in("gz", "city_official", "440100")
    assert not app.exception
    assert "data.refreeze.reason" not in [w.key for w in app.text_input]
    assert any("冻结记录" in e.label for e in app.expander)
