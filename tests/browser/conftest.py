"""Browser tests: Streamlit in a subprocess on a free loopback port, headless Debian Chromium.

No network is used: Chromium runs with background networking off and the app serves its own
Leaflet. Locally, without /usr/bin/chromium, the tests are skipped with the reason; in CI
(``CI`` set) a missing browser is an error, never a skip.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from carriermap.bench.browser import CHROMIUM, CHROMIUM_ARGS
from carriermap.bench.server import RunningApp, start_app, stop_app  # noqa: F401 - re-exported for the tests

ROOT = Path(__file__).resolve().parents[2]


def _require_browser() -> None:
    if Path(CHROMIUM).exists():
        return
    message = f"Chromium not found at {CHROMIUM} (Debian package 'chromium'; .ci/run installs it)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def seeded_copy(seeded_db_file: Path, directory: Path) -> str:
    """Copy the session's seeded database into ``directory``; return the copy's URL."""
    target = directory / "carriermap.sqlite"
    shutil.copy(seeded_db_file, target)
    return f"sqlite:///{target}"


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


def open_tab(page, name: str, timeout: float = 60_000) -> None:
    """Open the tab called ``name`` and wait until the run it starts has drawn the tab's content
    (a lazy tab's panel stays empty until then, so waiting for a quiet app alone can be too early)."""
    tab = page.get_by_role("tab", name=name)
    tab.click()
    page.wait_for_function(
        """(name) => {
            const tab = [...document.querySelectorAll('[role="tab"]')].find(t => t.innerText.trim() === name);
            if (!tab || tab.getAttribute('aria-selected') !== 'true') return false;
            const panel = [...document.querySelectorAll('[role="tabpanel"]')].find(p => p.checkVisibility());
            return !!(panel && panel.querySelector('[data-testid="stElementContainer"]'));
        }""", arg=name, timeout=timeout)
    wait_for_app(page, timeout)


def download(page, button, tries: int = 3, timeout: float = 20_000):
    """Click a download ``button`` (a locator) and return the download.

    A deferred download names the file of the run that drew the button; when a rerun (a map's
    first report, a lazy tab) lands between drawing and clicking, Streamlit drops that file and
    the click brings nothing, as a person would see. Like them, click again once the app is idle.
    """
    for attempt in range(tries):
        wait_for_app(page)
        try:
            with page.expect_download(timeout=timeout) as info:
                button.click()
            return info.value
        except PlaywrightTimeout:
            if attempt == tries - 1:
                raise
    raise AssertionError("unreachable")


def import_uploader(page):
    """The data page's import file input (the notice tab has an uploader too; only the import takes GeoJSON)."""
    return page.locator("[data-testid='stFileUploaderDropzoneInput'][accept*='.geojson']")


def upload_to_import(page, path) -> None:
    """Open the data page's import tab and upload ``path`` once the tab's rerun has settled
    (the tabs are keyed: a switch reruns the page)."""
    page.get_by_role("tab", name="导入").click()
    wait_for_app(page)
    import_uploader(page).set_input_files(str(path))


def sign_in(page, app, name: str, password: str = "correct-horse-battery", timeout: int = 30_000) -> None:
    """Open /data and sign in as ``name``; wait for the signed-in bar (the catalogue writes a full-width colon)."""
    page.goto(app.url + "/data?city=440100")
    wait_for_app(page, max(timeout, 60_000))
    page.get_by_label("账号").fill(name)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录", exact=True).click()
    page.get_by_text(f"已登录\uff1a{name}").wait_for(timeout=timeout)
