"""Self-hosted map assets: Leaflet and its plugins served by the app, never from a CDN.

folium and streamlit-folium load Leaflet from public CDNs by default; government intranets
and many networks cannot reach them, and the tests run offline. :func:`ensure_assets`
copies the files from the pinned ``XStatic-*`` packages into ``static/vendor/``, which
Streamlit serves at ``/app/static/vendor/`` (``server.enableStaticServing``); the map runs in
an iframe, so URLs are absolute. :func:`localise` points an element's ``default_js`` and
``default_css`` at those copies.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from carriermap.paths import STATIC_DIR

VENDOR_DIR = STATIC_DIR / "vendor"
STATIC_URL = "/app/static/vendor"


def _sources() -> dict[str, Path]:
    import xstatic.pkg.leaflet as leaflet
    import xstatic.pkg.leaflet_markercluster as markercluster

    return {"leaflet": Path(leaflet.BASE_DIR), "markercluster": Path(markercluster.BASE_DIR)}


def ensure_assets(target: Path = VENDOR_DIR) -> Path:
    """Copy the vendored JS/CSS (and Leaflet's images) under ``target`` if missing; return it."""
    for name, source in _sources().items():
        destination = target / name
        marker = destination / ".complete"
        if marker.exists():
            continue
        destination.mkdir(parents=True, exist_ok=True)
        for item in source.iterdir():
            if item.suffix == ".map" or item.name.endswith((".esm.js", "-src.js")):
                continue
            if item.is_dir():
                shutil.copytree(item, destination / item.name, dirs_exist_ok=True)
            else:
                shutil.copy2(item, destination / item.name)
        marker.write_text("ok\n")
    return target


def asset_url(relative: str, base_url: str = STATIC_URL) -> str:
    """The absolute URL of a vendored file, e.g. ``asset_url("leaflet/leaflet.js")``."""
    return f"{base_url}/{relative}"


LEAFLET_JS = [("leaflet", asset_url("leaflet/leaflet.js"))]
LEAFLET_CSS = [("leaflet_css", asset_url("leaflet/leaflet.css"))]
MARKERCLUSTER_JS = [("markerclusterjs", asset_url("markercluster/leaflet.markercluster.js"))]
MARKERCLUSTER_CSS = [("markerclustercss", asset_url("markercluster/MarkerCluster.css")),
                     ("markerclusterdefaultcss", asset_url("markercluster/MarkerCluster.Default.css"))]


def localise(element, js: list[tuple[str, str]], css: list[tuple[str, str]]):
    """Replace ``element``'s CDN script/style lists with self-hosted ones; returns the element."""
    element.default_js = list(js)
    element.default_css = list(css)
    return element
