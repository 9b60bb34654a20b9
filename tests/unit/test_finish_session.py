"""The sign-in cookie's hand-off codes, its Secure rule, run-time paths, and `user add` without a terminal."""

import os
import subprocess
import sys
from pathlib import Path

from carriermap.paths import app_home
from carriermap.web.session_cookie import HandoffRegistry, cookie_secure, handoff_script


def test_handoff_codes_work_once_and_expire():
    now = [0.0]
    registry = HandoffRegistry(lifetime=60, clock=lambda: now[0])
    code = registry.issue("the-token", 28800)
    assert code != "the-token" and "the-token" not in handoff_script(code)
    assert registry.redeem(code) == ("the-token", 28800)
    assert registry.redeem(code) is None  # single use
    late = registry.issue("other", 10)
    now[0] = 61
    assert registry.redeem(late) is None and registry.redeem("guess") is None


def test_cookie_is_secure_over_https_or_when_set(monkeypatch):
    monkeypatch.delenv("CARRIERMAP_COOKIE_SECURE", raising=False)
    assert not cookie_secure("http", None)
    assert cookie_secure("https", None) and cookie_secure("http", "https")  # behind the TLS proxy
    monkeypatch.setenv("CARRIERMAP_COOKIE_SECURE", "1")
    assert cookie_secure("http", None)


def test_run_time_folders_follow_the_app_not_the_installed_clone(tmp_path):
    (tmp_path / "app.py").write_text("")
    assert app_home({}, argv0=str(tmp_path / "serve.py"), cwd=Path("/")) == tmp_path
    assert app_home({}, argv0="", cwd=tmp_path) == tmp_path
    assert app_home({"CARRIERMAP_HOME": str(tmp_path / "x")}, argv0="", cwd=Path("/")) == tmp_path / "x"


def test_user_add_without_a_terminal_says_what_to_do(tmp_path):
    env = {**os.environ, "CARRIERMAP_DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite"}
    result = subprocess.run([sys.executable, "-m", "carriermap", "user", "add", "boss", "--role", "admin"],
                            stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and "EOFError" not in result.stderr
    assert "--password-stdin" in result.stderr
