"""A throwaway local PostgreSQL + PostGIS cluster, for the tests and the benchmark.

:class:`LocalCluster` runs ``initdb`` and ``pg_ctl`` from Debian's ``/usr/lib/postgresql/<v>/bin``
into a temporary directory, listens on a free loopback port (trust authentication, loopback
only, ``fsync`` off: it holds nothing worth keeping) and removes everything on :meth:`stop`.
PostgreSQL refuses to run as root, so when we are root the server runs as the ``postgres``
system user (``subprocess`` ``user=``). Not for production: a deployment uses its own server.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

SUPERUSER = "postgres"


class ClusterUnavailable(RuntimeError):
    """No PostgreSQL binaries, no PostGIS, or the server did not start (the message says which)."""


def find_bin_dir() -> Path | None:
    """The newest ``/usr/lib/postgresql/<version>/bin`` holding ``initdb``, or None."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                        key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0)
    return Path(candidates[-1]).parent if candidates else None


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def admin_url(url: str, database: str) -> str:
    """``url`` with its database part replaced by ``database``."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(database=database).render_as_string(hide_password=False)


class LocalCluster:
    """A PostgreSQL server of our own, started by :meth:`start` and removed by :meth:`stop`."""

    def __init__(self) -> None:
        self.bin_dir = find_bin_dir()
        self.root: Path | None = None
        self.port: int | None = None
        self._user: str | None = None

    @property
    def url(self) -> str:
        """SQLAlchemy URL of the ``postgres`` maintenance database."""
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run([str(self.bin_dir / args[0]), *args[1:]], user=self._user, capture_output=True,
                              text=True, check=check, timeout=120, cwd=self.root)

    def start(self) -> LocalCluster:
        """initdb, start the server, wait until it accepts connections; raises :class:`ClusterUnavailable`."""
        if self.bin_dir is None:
            raise ClusterUnavailable("PostgreSQL binaries not found under /usr/lib/postgresql/*/bin "
                                     "(Debian packages 'postgresql' and 'postgis'; .ci/run installs them)")
        if not glob.glob(f"/usr/share/postgresql/{self.bin_dir.parent.name}/extension/postgis.control"):
            raise ClusterUnavailable(f"PostGIS is not installed for PostgreSQL {self.bin_dir.parent.name} "
                                     "(Debian package 'postgis')")
        self.root = Path(tempfile.mkdtemp(prefix="carriermap-pg-"))
        if os.geteuid() == 0:
            try:
                entry = pwd.getpwnam("postgres")
            except KeyError as error:
                raise ClusterUnavailable("running as root and there is no 'postgres' user to run the server") from error
            self._user = "postgres"
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        self.port = free_port()
        data = self.root / "data"
        try:
            self._run("initdb", "-D", str(data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
                      "--locale=C.UTF-8", "--no-sync")
            options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -F "
                       "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200 "
                       "-c shared_buffers=256MB")
            self._run("pg_ctl", "-D", str(data), "-l", str(self.root / "server.log"), "-o", options, "-w",
                      "-t", "60", "start")
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as error:
            log = self.root / "server.log"
            detail = getattr(error, "stderr", "") or ""
            if log.exists():
                detail += log.read_text(errors="replace")[-2000:]
            self.stop()
            raise ClusterUnavailable(f"could not start PostgreSQL: {error}\n{detail}") from error
        return self

    def stop(self) -> None:
        """Stop the server (immediately: it holds nothing worth keeping) and delete its files."""
        if self.root is None:
            return
        data = self.root / "data"
        if (data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)
        self.root = None

    def __enter__(self) -> LocalCluster:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def create_database(server_url: str, name: str, *, template: str | None = None, postgis: bool = True) -> str:
    """Create database ``name`` on the server of ``server_url`` (a copy of ``template`` if given); its URL."""
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            clause = f' TEMPLATE "{template}"' if template else ""
            connection.execute(text(f'CREATE DATABASE "{name}"{clause}'))
    finally:
        engine.dispose()
    url = admin_url(server_url, name)
    if postgis and template is None:
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
        finally:
            engine.dispose()
    return url


def drop_database(server_url: str, name: str) -> None:
    """Drop database ``name`` (disconnecting its sessions); no error if it is gone."""
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()


def wait_ready(url: str, timeout: float = 30.0) -> None:
    """Wait until the server at ``url`` accepts connections."""
    deadline = time.monotonic() + timeout
    engine = create_engine(url)
    try:
        while True:
            try:
                with engine.connect() as connection:
                    connection.execute(text("SELECT 1"))
                return
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
    finally:
        engine.dispose()
