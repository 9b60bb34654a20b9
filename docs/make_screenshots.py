"""Regenerate the public pages' screenshots in ``docs/screenshots/`` from a fresh start.

A new SQLite database seeded from ``data/``, a new Streamlit server, headless Chromium at a
desk (1440 × 900) and a phone (390 × 844). Run from the repository root:
``PYTHONPATH=src python docs/make_screenshots.py``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from carriermap.bench.browser import launch
from carriermap.bench.server import start_app, stop_app
from carriermap.store import Store

OUT = Path(__file__).with_name("screenshots")
SIZES = {"desk": (1440, 900), "phone": (390, 844)}
VIEWS = {  # name -> (path and query, what to wait for in the map frame)
    "map-district": ("/?city=440100&district=440105", "window.map && window.map._cmView && window.cmCarriers"),
    "map-carrier-link": ("/?city=440100&carrier=5", "window.cmCarriers && window.cmCarriers.ring"),
    "find-space-search": ("/find_space?city=440100&at=113.264171,23.128177&r=3",
                          "window.cmResults && window.cmResults.placed"),
    "map-embed": ("/?city=440100&district=440106&embed=true", "window.cmCarriers && window.cmCarriers.counts"),
}


def _map_ready(page, ready: str) -> None:
    for _ in range(240):
        for frame in page.frames:
            if "st_folium" in frame.url:
                try:
                    if frame.evaluate(f"() => !!({ready})"):
                        return
                except Exception:  # the frame is (re)loading
                    pass
        page.wait_for_timeout(250)
    raise RuntimeError(f"map not ready: {ready}")


def main() -> None:
    """Take every view at every size."""
    OUT.mkdir(exist_ok=True)
    directory = Path(tempfile.mkdtemp(prefix="carriermap-shots-"))
    db_url = f"sqlite:///{directory / 'fresh.sqlite'}"
    Store.open(db_url).engine.dispose()
    app = start_app(directory, db_url, timeout_s=90)
    url = app.url
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            for size, (width, height) in SIZES.items():
                context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                              has_touch=size == "phone")
                page = context.new_page()
                for name, (path, ready) in VIEWS.items():
                    page.goto(url + path)
                    page.wait_for_selector("[data-testid='stApp']")
                    _map_ready(page, ready)
                    page.wait_for_timeout(2500)  # tiles give up offline; the notice settles
                    page.screenshot(path=str(OUT / f"{name}-{size}.png"))
                context.close()
            browser.close()
    finally:
        stop_app(app.process)


if __name__ == "__main__":
    main()
