"""The data page without a browser (Streamlit AppTest): sign-in, scope, conflict, sign-out."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from carriermap.auth import create_user

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse-battery"


@pytest.fixture
def page(store, db_url, monkeypatch):
    """The data page of Guangzhou, on a private database, not signed in yet."""
    monkeypatch.setenv("CARRIERMAP_DATABASE_URL", db_url)
    app = AppTest.from_file(str(ROOT / "pages" / "data.py"), default_timeout=60)  # the page alone: the router's
    app.query_params["city"] = "440100"  # st.navigation drops AppTest's form-submit clicks (Streamlit 1.67)
    return app.run()


def _sign_in(app: AppTest, name: str, password: str = PASSWORD) -> AppTest:
    app.text_input(key="data.signin.name").input(name)
    app.text_input(key="data.signin.password").input(password)
    return app.button[0].click().run()


def _carrier(store, district):
    frame = store.carriers("440100")
    return frame[frame["district_adcode"] == district].iloc[0].to_dict()


def test_district_official_sees_no_edit_control_for_another_district(store, page):
    create_user(store, "hz", PASSWORD, "district_official", "440105")
    app = _sign_in(page, "hz")
    assert not app.exception
    options = app.selectbox(key="data.carrier").options
    tianhe, haizhu = _carrier(store, "440106"), _carrier(store, "440105")
    assert not any(tianhe["name"] in option for option in options)
    assert any(haizhu["name"] in option for option in options)
    assert all("440105" in str(store.carrier(int(o.rsplit("#", 1)[1]))["district_adcode"]) for o in options)


def test_wrong_password_is_refused_and_no_edit_control_shown(store, page):
    create_user(store, "hz", PASSWORD, "district_official", "440105")
    app = _sign_in(page, "hz", "not the password")
    assert app.error and "密码" in app.error[0].value
    assert "data.carrier" not in [w.key for w in app.selectbox] and not app.number_input  # no picker, no form


def test_concurrent_edit_is_refused_and_shows_new_values(store, page):
    from carriermap.editing import quick_edit
    from carriermap.permissions import User

    record = _carrier(store, "440105")
    create_user(store, "ops", PASSWORD, "operator", str(record["id"]))
    app = _sign_in(page, "ops")
    app.number_input(key=f"data.free.{record['id']}.{record['version']}").set_value(123.0)
    quick_edit(store, User(9, "other", "admin"), record["id"], {"available_m2": 77}, record["version"])
    submit = [b for b in app.button if b.label == "保存"][0]
    app = submit.click().run()
    assert store.carrier(record["id"])["available_m2"] == 77  # not overwritten
    warnings = " ".join(w.value for w in app.warning)
    assert "其他人刚刚修改" in warnings and "77" in warnings


def test_sign_out_revokes_the_session(store, page):
    create_user(store, "boss", PASSWORD, "admin")
    app = _sign_in(page, "boss")
    token = app.session_state["data.token"]
    app = app.button(key="data.signout").click().run()
    from carriermap.auth import session_user

    assert session_user(store, token) is None
    assert app.text_input(key="data.signin.name")
