"""Benchmark section ``page`` (needs ``--browser``): what a person feels on the map page in Chromium.

The app runs under Streamlit on a loopback port over a scratch SQLite database: the bundled
data, and (without ``--quick``) Guangzhou grown to :data:`LARGE` carriers (bundled records
repeated with their points jittered by up to ~2 km). Rows ``{"case", "carriers", "seconds"}``:

- ``page load (cold)`` / ``page load (warm)``: from navigation to the moment the carriers are
  drawn on the map's canvas (the first visit also fills the server's caches);
- ``filter change``: from pressing Enter in the name/address search to the moment the map
  has redrawn the filtered carriers (script rerun + layer update, no remount), median of
  :data:`FILTER_QUERIES`;
- ``find space radius N km``: on ``/find_space`` with a search point in the URL, from pressing
  Enter on the new radius (:data:`RADII_KM`, in turn) to the moment the results layer draws the
  new number of results (``results``);
- ``districts page (cold)`` / ``districts page (warm)``: from navigation to ``/districts`` (a new
  document: the browser starts the app again) until Streamlit marks the script's run finished
  (table, charts and map sent);
- ``districts page (from the map's sidebar)``: from a click on the sidebar's link on the map page
  (the app already loaded, as a person moves between pages) until that run is finished, median of
  :data:`DISTRICTS_FROM_MAP`.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

CITY = "440100"
LARGE = 100_000
FILTER_QUERIES = ("天河", "", "科技", "", "黄埔", "")
SEARCH_POINT = "113.324500,23.119000"  # 珠江新城, in the densest part of the bundled data
RADII_KM = (3, 5, 8)
DISTRICTS_FROM_MAP = 3  # times the districts page is reached from the map's sidebar (median)
START_RADIUS_KM = 2  # find space opens with this radius; each round of radius changes ends on it again
RADIUS_ROUNDS = 3  # each radius change timed this many times; the median is reported
_RESULTS = ("() => { const f = [...document.querySelectorAll('iframe')].find(i => i.src.includes('st_folium'));"
            " if (!f || !f.contentWindow || !f.contentWindow.cmCarriers) return null;"  # the map is not drawn yet
            " const c = f.contentDocument.querySelector('canvas.cm-results');"
            " return c && c.dataset.count ? c.dataset.count : '0'; }")  # no results layer: none found
_RUN_DONE = ("() => !!document.querySelector('[data-testid=\"stMain\"] h1') && "
             "!!document.querySelector('[data-testid=\"stApp\"][data-test-script-state=\"notRunning\"]')")
_DRAWN = ("() => { const f = [...document.querySelectorAll('iframe')].find(i => i.src.includes('st_folium'));"
          " if (!f) return null; const c = f.contentDocument && f.contentDocument.querySelector('canvas.cm-carriers');"
          " return c && (+c.dataset.singles + +c.dataset.clusters) > 0 ? c.dataset.total : null; }")


def _database(directory: Path, size: int | None) -> str:
    """A scratch database: the bundled data, grown to ``size`` Guangzhou carriers when given."""
    from carriermap.model import clean_carrier
    from carriermap.store import Store

    url = f"sqlite:///{directory / f'page-{size or 0}.sqlite'}"
    store = Store.open(url)
    if size:
        base = store.carriers(CITY)
        rng = np.random.default_rng(7)
        records = []
        keep = ("name", "type", "level", "city_adcode", "district_adcode", "address", "lon", "lat", "status",
                "available_m2", "total_m2", "rent_cny_m2_month", "is_sample")
        rows = base.to_dict("records")
        for k in range(size - len(base)):
            row = {key: rows[k % len(rows)].get(key) for key in keep if key in base.columns}
            row["name"] = f"{row['name']}·{k}"
            row["lon"] = round(float(row["lon"]) + rng.uniform(-0.02, 0.02), 6)
            row["lat"] = round(float(row["lat"]) + rng.uniform(-0.02, 0.02), 6)
            record, problems = clean_carrier({key: value for key, value in row.items() if value == value})
            if not problems:
                records.append(record)
        store.apply(actor="bench", kind="import", city_adcode=CITY, inserts=records)
    store.engine.dispose()
    return url


def _wait_drawn(page, previous: str | None = None, timeout_s: float = 300) -> str:
    page.wait_for_function(f"() => {{ const t = ({_DRAWN})(); return t && t !== {previous!r} ? t : null; }}"
                           if previous is not None else _DRAWN, polling="raf", timeout=timeout_s * 1000)
    return page.evaluate(_DRAWN)


def _measure(browser, url: str, carriers: int) -> list[dict]:
    rows = []
    page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    try:
        for case in ("page load (cold)", "page load (warm)"):
            start = time.perf_counter()
            page.goto(f"{url}/?city={CITY}", wait_until="commit")
            _wait_drawn(page)
            rows.append({"case": case, "carriers": carriers, "seconds": round(time.perf_counter() - start, 3)})
        page.wait_for_timeout(1500)
        box = page.get_by_label("名称或地址搜索")
        times = []
        for query in FILTER_QUERIES:
            before = page.evaluate(_DRAWN)
            box.fill(query)
            start = time.perf_counter()
            box.press("Enter")
            _wait_drawn(page, before)
            times.append(time.perf_counter() - start)
            page.wait_for_timeout(500)
        rows.append({"case": "filter change", "carriers": carriers, "seconds": round(statistics.median(times), 3),
                     "max_s": round(max(times), 3)})
        rows.extend(_radius_changes(page, url, carriers))
        rows.extend(_districts_visits(page, url, carriers))
    finally:
        page.close()
    return rows


def _radius_changes(page, url: str, carriers: int) -> list[dict]:
    """Find space: time each radius change until the results layer shows the new count.

    Each change is timed :data:`RADIUS_ROUNDS` times (back to the start radius between rounds, so
    every round starts from the same results) and the median is reported: one change is a few
    hundred milliseconds, and a single timing on a shared machine can be twice the usual one.
    """
    from carriermap.i18n import t

    page.goto(f"{url}/find_space?city={CITY}&at={SEARCH_POINT}&r={START_RADIUS_KM:g}")
    page.wait_for_function(_RESULTS, polling="raf", timeout=300_000)
    page.wait_for_timeout(1000)
    box = page.get_by_label(t("find_space.needs.radius_km", "zh"), exact=True)
    seconds: dict[float, list[float]] = {radius: [] for radius in RADII_KM}
    counts: dict[float, int] = {}
    for _ in range(RADIUS_ROUNDS):
        for radius in (*RADII_KM, START_RADIUS_KM):
            before = page.evaluate(_RESULTS)
            box.fill(f"{radius:g}")
            start = time.perf_counter()
            box.press("Enter")
            count = page.wait_for_function(
                f"() => {{ const n = ({_RESULTS})(); return n && n !== {before!r} ? n : null; }}",
                polling="raf", timeout=300_000).json_value()
            if radius in seconds:
                seconds[radius].append(time.perf_counter() - start)
                counts[radius] = int(count)
            page.wait_for_timeout(500)
    return [{"case": f"find space radius {radius} km", "carriers": carriers,
             "seconds": round(statistics.median(seconds[radius]), 3), "results": counts[radius]}
            for radius in RADII_KM]


def _districts_visits(page, url: str, carriers: int) -> list[dict]:
    """The districts page: opened by its address (a new tab's first and second visit, the browser loading
    the app each time), then reached from the map by the sidebar's link (the app already loaded), until
    its script run is finished."""
    from carriermap.i18n import t

    rows = []
    for case in ("districts page (cold)", "districts page (warm)"):
        start = time.perf_counter()
        page.goto(f"{url}/districts?city={CITY}", wait_until="commit")
        page.wait_for_function(_RUN_DONE, polling="raf", timeout=300_000)
        rows.append({"case": case, "carriers": carriers, "seconds": round(time.perf_counter() - start, 3)})
    title = t("page.districts", "zh")
    times = []
    for _ in range(DISTRICTS_FROM_MAP):
        page.goto(f"{url}/?city={CITY}", wait_until="commit")
        _wait_drawn(page)
        page.wait_for_function(_RUN_DONE, polling="raf", timeout=300_000)
        link = page.locator("[data-testid='stSidebarNav'] a", has_text=title)
        start = time.perf_counter()
        link.click()
        page.wait_for_function(f"() => ({_RUN_DONE})() && document.querySelector('[data-testid=\"stMain\"] h1')"
                               f".textContent.includes({title!r})", polling="raf", timeout=300_000)
        times.append(time.perf_counter() - start)
    rows.append({"case": "districts page (from the map's sidebar)", "carriers": carriers,
                 "seconds": round(statistics.median(times), 3), "max_s": round(max(times), 3)})
    return rows


def run(options) -> list[dict]:
    """Rows for the bundled data and (not ``--quick``) :data:`LARGE` carriers; none without ``--browser``."""
    if not getattr(options, "browser", False):
        return []
    from playwright.sync_api import sync_playwright

    from carriermap.bench.browser import launch
    from carriermap.bench.server import start_app, stop_app

    sizes = (None,) if getattr(options, "quick", False) else (None, LARGE)
    directory = Path(tempfile.mkdtemp(prefix="carriermap-page-bench-"))
    rows = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            for size in sizes:
                db_url = _database(directory, size)
                app = start_app(directory, db_url, timeout_s=90)
                try:
                    from carriermap.store import Store

                    store = Store.open(db_url)
                    carriers = len(store.carriers(CITY))
                    store.engine.dispose()
                    rows.extend(_measure(browser, app.url, carriers))
                finally:
                    stop_app(app.process)
        finally:
            browser.close()
    return rows
