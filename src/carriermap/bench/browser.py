"""Headless Chromium for benchmark sections that load pages (``--browser``).

Debian's Chromium (``CARRIERMAP_CHROMIUM``, default ``/usr/bin/chromium``) driven by
Playwright, with background networking off: nothing is fetched from the internet.
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


def start_streamlit(db_url: str, log_path: str, timeout_s: float = 90) -> tuple[str, object]:
    """Start ``streamlit run app.py`` on a free loopback port over ``db_url``; return (url, process)."""
    import socket
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "CARRIERMAP_DATABASE_URL": db_url}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(root / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=root, env=env, stdout=open(log_path, "w"), stderr=subprocess.STDOUT,  # noqa: SIM115 - lives with the process
        start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return url, process
        except OSError:
            time.sleep(0.3)
    stop_streamlit(process)
    raise RuntimeError(f"Streamlit did not start (log: {log_path})")


def stop_streamlit(process) -> None:
    """Stop a server started by :func:`start_streamlit` (its process group)."""
    import signal

    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except Exception:
            os.killpg(process.pid, signal.SIGKILL)
