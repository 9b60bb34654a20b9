"""Benchmark section ``map``: drawing n carriers — naive markers, FastMarkerCluster, ours.

For n = 1,000, 10,000 and 100,000 synthetic carriers (random points in Guangzhou, eight
types) each approach builds a self-hosted map and renders its HTML:

- ``naive``: one ``folium.Marker`` with an escaped popup per carrier. Above
  :data:`NAIVE_CAP` carriers it is built for the cap and scaled linearly (the row says
  ``"extrapolated_from"``): at 100k it takes minutes and the page never becomes usable.
- ``fastmarkercluster``: folium's ``FastMarkerCluster`` (coordinates as one array, markers
  created and clustered by Leaflet.markercluster in the browser), served locally.
- ``ours``: :class:`carriermap.mapview.carrier_layer.CarrierLayer`.

Rows: ``{"n", "approach", "build_s", "payload_bytes"}`` and, with ``--browser``, ``load_s``:
seconds from navigation until the carriers are drawn in headless Chromium (pages and the
vendored Leaflet served from a loopback HTTP server; no network).
"""

from __future__ import annotations

import functools
import http.server
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import folium
import numpy as np
import pandas as pd
from folium.plugins import FastMarkerCluster

from carriermap import codes
from carriermap.mapview.assets import MARKERCLUSTER_CSS, MARKERCLUSTER_JS, ensure_assets, localise
from carriermap.mapview.basemaps import base_map
from carriermap.mapview.carrier_layer import CarrierLayer
from carriermap.safety import html_text

SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (1_000, 5_000)
NAIVE_CAP = 10_000
QUICK_NAIVE_CAP = 2_000
CENTER = (113.35, 23.2)
_BBOX = (113.1, 22.6, 113.9, 23.8)  # west, south, east, north (WGS-84)

# What "drawn" means for each approach, checked in the page.
_DRAWN = {
    "naive": "() => document.querySelectorAll('.leaflet-marker-icon').length > 0",
    "fastmarkercluster": "() => document.querySelectorAll('.marker-cluster, .leaflet-marker-icon').length > 0",
    "ours": "() => { const c = document.querySelector('canvas.cm-carriers');"
            " return !!c && (+c.dataset.singles + +c.dataset.clusters) > 0; }",
}


def synthetic_carriers(n: int, seed: int = 7) -> pd.DataFrame:
    """``n`` random carriers (id, name, type, lon, lat, address) inside Guangzhou's box."""
    rng = np.random.default_rng(seed)
    west, south, east, north = _BBOX
    types = np.array(codes.CARRIER_TYPES, dtype=object)
    ids = np.arange(1, n + 1)
    return pd.DataFrame({
        "id": ids,
        "name": [f"示例载体 {i}" for i in ids],
        "type": types[rng.integers(0, len(types), n)],
        "lon": rng.uniform(west, east, n).round(6),
        "lat": rng.uniform(south, north, n).round(6),
        "address": [f"示例路 {i} 号" for i in ids],
    })


def _map() -> folium.Map:
    return base_map(CENTER, 10, "none")


# folium's Popup parses its HTML with jQuery's ``$``; offline we give it the same parse.
_JQUERY_PARSE_SHIM = ("<script>window.$ = window.$ || function (html) { var d = document.createElement('div');"
                      " d.innerHTML = html; return [d.firstElementChild]; };</script>")


def build_naive(carriers: pd.DataFrame) -> folium.Map:
    """One ``folium.Marker`` with a popup per carrier (the approach to beat)."""
    fmap = _map()
    fmap.get_root().header.add_child(folium.Element(_JQUERY_PARSE_SHIM), name="jquery_parse_shim")
    for row in carriers.itertuples(index=False):
        popup = f"<b>{html_text(row.name)}</b><br>{html_text(row.type)}<br>{html_text(row.address)}"
        folium.Marker([row.lat, row.lon], popup=folium.Popup(popup), tooltip=html_text(row.name)).add_to(fmap)
    return fmap


_FMC_CALLBACK = """function (row) {
    var marker = L.marker(new L.LatLng(row[0], row[1]));
    return marker;
}"""


def build_fastmarkercluster(carriers: pd.DataFrame) -> folium.Map:
    """folium's FastMarkerCluster with self-hosted plugin files and a callback needing no plugin."""
    fmap = _map()
    layer = FastMarkerCluster(carriers[["lat", "lon"]].to_numpy().tolist(), callback=_FMC_CALLBACK)
    localise(layer, MARKERCLUSTER_JS, MARKERCLUSTER_CSS)
    layer.add_to(fmap)
    return fmap


def build_ours(carriers: pd.DataFrame) -> folium.Map:
    """The canvas layer the map page uses."""
    fmap = _map()
    group = folium.FeatureGroup(name="carriers").add_to(fmap)
    CarrierLayer(carriers, {code: code for code in codes.CARRIER_TYPES}).add_to(group)
    return fmap


BUILDERS: dict[str, Callable[[pd.DataFrame], folium.Map]] = {
    "naive": build_naive, "fastmarkercluster": build_fastmarkercluster, "ours": build_ours,
}


def build(approach: str, carriers: pd.DataFrame) -> tuple[float, str]:
    """Build the map and render its HTML; return (seconds, html)."""
    start = time.perf_counter()
    html = BUILDERS[approach](carriers).get_root().render()
    return time.perf_counter() - start, html


class _Server:
    """A loopback HTTP server for the benchmark pages and the vendored Leaflet."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="carriermap-bench-"))
        static = self.root / "app" / "static"
        static.mkdir(parents=True)
        (static / "vendor").symlink_to(ensure_assets(), target_is_directory=True)
        handler = functools.partial(_QuietHandler, directory=str(self.root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, name: str, html: str) -> str:
        (self.root / name).write_text(html, encoding="utf-8")
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/{name}"

    def close(self) -> None:
        self.httpd.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # noqa: D102 - keep the benchmark output clean
        pass


def _load_seconds(browser, url: str, approach: str, timeout_s: float = 600) -> float:
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    try:
        start = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        page.wait_for_function(_DRAWN[approach], polling="raf", timeout=timeout_s * 1000)
        return time.perf_counter() - start
    finally:
        page.close()


def run(options) -> list[dict]:
    """Rows for every size and approach (see the module docstring)."""
    quick = bool(getattr(options, "quick", False))
    sizes, cap = (QUICK_SIZES, QUICK_NAIVE_CAP) if quick else (SIZES, NAIVE_CAP)
    with_browser = bool(getattr(options, "browser", False))
    server = browser = playwright = None
    if with_browser:
        from playwright.sync_api import sync_playwright

        from carriermap.bench.browser import launch

        server = _Server()
        playwright = sync_playwright().start()
        browser = launch(playwright)
    rows = []
    try:
        for n in sizes:
            carriers = synthetic_carriers(n)
            for approach in BUILDERS:
                measured = min(n, cap) if approach == "naive" else n
                build_s, html = build(approach, carriers.head(measured))
                factor = n / measured
                row = {"n": n, "approach": approach, "build_s": round(build_s * factor, 3),
                       "payload_bytes": int(len(html.encode("utf-8")) * factor)}
                if factor != 1:
                    row["extrapolated_from"] = measured
                if with_browser:
                    load_s = _load_seconds(browser, server.url(f"{approach}-{measured}.html", html), approach)
                    row["load_s"] = round(load_s * factor, 3)
                rows.append(row)
    finally:
        if browser is not None:
            browser.close()
            playwright.stop()
            server.close()
    return rows
