"""Browser tests: Streamlit in a subprocess on a free loopback port, headless Debian Chromium.

No network is used: Chromium runs with background networking off and the app serves its own
Leaflet. Locally, without /usr/bin/chromium, the tests are skipped with the reason; in CI
(``CI`` set) a missing browser is an error, never a skip.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CARRIERMAP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _require_browser() -> None:
    if Path(CHROMIUM).exists():
        return
    message = f"Chromium not found at {CHROMIUM} (Debian package 'chromium'; .ci/run installs it)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


class RunningApp:
    """A Streamlit server started for the tests."""

    def __init__(self, url: str, process: subprocess.Popen, db_url: str, log: Path):
        self.url, self.process, self.db_url, self.log = url, process, db_url, log


def seeded_copy(seeded_db_file: Path, directory: Path) -> str:
    """Copy the session's seeded database into ``directory``; return the copy's URL."""
    target = directory / "carriermap.sqlite"
    shutil.copy(seeded_db_file, target)
    return f"sqlite:///{target}"


def start_app(tmp_path: Path, db_url: str, extra_env: dict[str, str] | None = None) -> RunningApp:
    """Start ``streamlit run serve.py`` (the app with its sign-in cookie routes) on a free port; wait until it answers."""
    port = _free_port()
    log = tmp_path / f"streamlit-{port}.log"
    env = {**os.environ, "CARRIERMAP_DATABASE_URL": db_url, **(extra_env or {})}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "serve.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return RunningApp(url, process, db_url, log)
        except OSError:
            time.sleep(0.3)
        if process.poll() is not None:
            break
    stop_app(process)
    raise RuntimeError(f"Streamlit did not start:\n{log.read_text()[-3000:]}")


def stop_app(process: subprocess.Popen) -> None:
    """Stop the server and its children by process group."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session."""
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def app_server(tmp_path_factory, seeded_db_file):
    """The app on a private copy of the seeded database, shared by read-only browser tests."""
    _require_browser()
    directory = tmp_path_factory.mktemp("app")
    app = start_app(directory, seeded_copy(seeded_db_file, directory))
    yield app
    stop_app(app.process)


@pytest.fixture
def page(browser):
    """A fresh page (own context) with a 1400×900 viewport; console errors are collected."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    new_page = context.new_page()
    new_page.console_errors = []
    new_page.on("console", lambda m: new_page.console_errors.append(m.text) if m.type == "error" else None)
    yield new_page
    context.close()


SCREENSHOTS = ROOT / "var" / "screenshots"


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under ``var/screenshots`` (for people to look at)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def wait_for_app(page, timeout: float = 60_000) -> None:
    """Wait until Streamlit has finished running the script (no 'running' widget, no skeleton)."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]') && "
        "!document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=timeout)
    page.wait_for_timeout(300)

