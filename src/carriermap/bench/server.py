"""A Streamlit server of the app in a subprocess on a free loopback port (benchmarks and browser tests)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from carriermap.paths import PROJECT_DIR


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class RunningApp:
    """A started server: its address, process, database and log file."""

    url: str
    process: subprocess.Popen
    db_url: str
    log: Path

    def rss_bytes(self) -> int:
        """Resident memory of the server process now (Linux ``/proc``; 0 elsewhere)."""
        try:
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0


def start_app(directory: Path, db_url: str, extra_env: dict[str, str] | None = None,
              timeout_s: float = 60) -> RunningApp:
    """Start ``streamlit run serve.py`` (app plus sign-in cookie routes) on a free port; wait for its health check."""
    port = free_port()
    log = Path(directory) / f"streamlit-{port}.log"
    env = {**os.environ, "CARRIERMAP_DATABASE_URL": db_url, **(extra_env or {})}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(PROJECT_DIR / "serve.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=PROJECT_DIR, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout_s
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
