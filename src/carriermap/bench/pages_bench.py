"""Benchmark section ``pages``: what a visitor of the REAL pages gets, at N carriers in one city.

Unlike the ``map`` section (the carrier layer alone, in a bare HTML page), this one starts the
app (``streamlit run app.py``) on a SQLite database holding N synthetic carriers in Guangzhou
and opens ``/``, ``/districts`` and ``/find_space`` in headless Chromium (``--browser``). For
each page it reports, from the browser's own network log (Chrome DevTools Protocol):

- ``ws_bytes``: bytes received over Streamlit's websocket during the first visit (the script's
  output: list rows, map component arguments, tables, charts);
- ``http_bytes``: bytes of HTTP responses (the app's JS/CSS, the map iframe, Leaflet assets);
- ``drawn_s``: seconds from navigation until the page's content is drawn (for ``/``: the
  carriers on the map canvas, also on find space's picking map, and for every page the end of
  the script's run as Streamlit marks it, and its last websocket message), for a
  new visitor once the server has served the page once (imports and shared caches warm);
- ``rss_mb``: the server's resident memory after that visit.

For ``/`` it also times a filter change (typing a search in the sidebar until the map shows the
new count) and its websocket bytes, and the server's memory with :data:`SESSIONS` sessions open
at once (light websocket clients that each ran the map page, see the ``load`` section).
Sizes: 10,000 and 100,000 (``--sizes`` to choose, e.g. ``--sizes 10000,100000,1000000``;
``--quick``: 2,000).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from carriermap.bench.browser import launch
from carriermap.bench.load_bench import rss_with_sessions
from carriermap.bench.postgis_bench import load_sqlite, synthetic_carriers
from carriermap.bench.server import RunningApp, start_app, stop_app
from carriermap.i18n import t

CITY = "440100"
SIZES = (10_000, 100_000)
QUICK_SIZES = (2_000,)
SESSIONS = 10
_CARRIERS_DRAWN = ("() => { const c = document.querySelector('canvas.cm-carriers');"
                   " return !!c && !!c.dataset.total ? +c.dataset.total : -1; }")
# Streamlit marks its root with the script's state: "notRunning" once a run has finished (a long
# run draws its title early and may send nothing for seconds, so a quiet websocket is not enough).
_SCRIPT_DONE = ("() => !!document.querySelector('[data-testid=\"stMain\"] h1') && "
                "!!document.querySelector('[data-testid=\"stApp\"][data-test-script-state=\"notRunning\"]') && "
                "!document.querySelector('[data-testid=\"stSkeleton\"]')")
_MAP_PAGES = ("/", "/find_space")  # pages whose map draws the carriers on a canvas


class Traffic:
    """Bytes a page receives, counted from the DevTools network events of its own target."""

    def __init__(self, page) -> None:
        self.ws = 0
        self.http = 0
        self.last_at = time.perf_counter()  # when the last websocket frame arrived
        session = page.context.new_cdp_session(page)
        session.send("Network.enable")
        session.on("Network.webSocketFrameReceived", self._frame)
        session.on("Network.loadingFinished", self._loaded)
        self._session = session

    def _frame(self, event: dict) -> None:
        response = event["response"]
        payload = response.get("payloadData", "")
        self.ws += len(payload) * 3 // 4 if response.get("opcode") == 2 else len(payload.encode())
        self.last_at = time.perf_counter()

    def _loaded(self, event: dict) -> None:
        self.http += int(event.get("encodedDataLength", 0))

    def snapshot(self) -> tuple[int, int]:
        """(websocket bytes, HTTP bytes) so far."""
        return self.ws, self.http


def _carriers_drawn(page, timeout_s: float = 300) -> int:
    """Wait for the map iframe's canvas layer; return the number of carriers it draws."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "st_folium" in frame.url:
                try:
                    total = frame.evaluate(_CARRIERS_DRAWN)
                except Exception:  # the frame is (re)loading
                    total = -1
                if total >= 0:
                    return int(total)
        page.wait_for_timeout(50)
    raise TimeoutError("the map did not draw its carriers")


def _script_done(page, traffic: Traffic | None = None, timeout_s: float = 300) -> None:
    """Wait until the page has a title, Streamlit shows no running script and (given ``traffic``)
    the websocket has been quiet for a second: a long script run draws its title first."""
    deadline = time.monotonic() + timeout_s
    quiet_since, last = time.monotonic(), None
    while time.monotonic() < deadline:
        page.wait_for_function(_SCRIPT_DONE, timeout=timeout_s * 1000)
        now = traffic.snapshot()[0] if traffic is not None else 0
        if now != last:
            quiet_since, last = time.monotonic(), now
        elif time.monotonic() - quiet_since >= (1.0 if traffic is not None else 0.15):
            return
        page.wait_for_timeout(100)


def _first_visit(browser, app: RunningApp, path: str) -> tuple[dict[str, Any], Any]:
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = context.new_page()
    traffic = Traffic(page)
    start = time.perf_counter()
    page.goto(f"{app.url}{path}?city={CITY}")
    if path in _MAP_PAGES:
        _carriers_drawn(page)
    drawn_at = time.perf_counter()
    _script_done(page, traffic)
    drawn = max(drawn_at, traffic.last_at) - start  # the canvas drawn and the script's last message in
    page.wait_for_timeout(500)  # late frames (component iframe, fonts) count as part of the visit
    ws, http = traffic.snapshot()
    return {"ws_bytes": ws, "http_bytes": http, "drawn_s": round(drawn, 2),
            "rss_mb": round(app.rss_bytes() / 2**20, 1)}, (context, page, traffic)


def _filter_change(page, traffic: Traffic) -> dict[str, Any]:
    """Type a search into the sidebar; time until the map draws the new count."""
    before_ws, _ = traffic.snapshot()
    before = _carriers_drawn(page)
    box = page.get_by_label(t("map.filter.query", "zh"))
    start = time.perf_counter()
    box.fill("载体 1")
    box.press("Enter")
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and _carriers_drawn(page) == before:
        page.wait_for_timeout(20)
    changed = time.perf_counter() - start
    _script_done(page, traffic)
    ws, _ = traffic.snapshot()
    return {"filter_change_s": round(changed, 2), "filter_change_ws_bytes": ws - before_ws}


def _sizes(options) -> tuple[int, ...]:
    given = getattr(options, "sizes", None)
    if given:
        return tuple(int(size) for size in str(given).split(","))
    return QUICK_SIZES if getattr(options, "quick", False) else SIZES


def run(options) -> list[dict]:
    """One row per (size, page); needs ``--browser``."""
    if not getattr(options, "browser", False):
        return [{"skipped": "the pages section loads pages in Chromium: add --browser"}]
    from playwright.sync_api import sync_playwright

    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="carriermap-pages-") as scratch, sync_playwright() as playwright:
        browser = launch(playwright)
        for n in _sizes(options):
            database = Path(scratch) / f"pages-{n}.sqlite"
            store, _ = load_sqlite(database, synthetic_carriers(n, city_adcode=CITY))
            store.engine.dispose()
            app = start_app(Path(scratch), f"sqlite:///{database}", timeout_s=120)
            try:
                idle = round(app.rss_bytes() / 2**20, 1)
                for path in ("/", "/districts", "/find_space"):
                    _first_visit(browser, app, path)[1][0].close()  # the process's first run: imports, caches
                    row, (context, page, traffic) = _first_visit(browser, app, path)
                    row = {"n": n, "page": path, "measures": "the page a visitor gets", "idle_rss_mb": idle, **row}
                    if path == "/":
                        row.update(_filter_change(page, traffic))
                    context.close()
                    if path == "/":
                        row[f"rss_{SESSIONS}_sessions_mb"] = round(rss_with_sessions(app, SESSIONS) / 2**20, 1)
                    rows.append(row)
            finally:
                stop_app(app.process)
        browser.close()
    return rows
