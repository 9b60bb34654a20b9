"""Headless Chromium for benchmark sections that load pages (``--browser``).

Debian's Chromium (``CARRIERMAP_CHROMIUM``, default ``/usr/bin/chromium``) driven by
Playwright, with background networking off: nothing is fetched from the internet. The app
server itself is started by :mod:`carriermap.bench.server` (``start_app``/``stop_app``).
"""

from __future__ import annotations

import os

CHROMIUM = os.environ.get("CARRIERMAP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


def launch(playwright):
    """A headless Chromium browser from a started Playwright."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
