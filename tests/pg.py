"""Running tests on both backends: SQLite (embedded) and PostgreSQL + PostGIS.

Mark a test (or a module, ``pytestmark``) with ``@pytest.mark.both_backends`` and every
database fixture it uses (``db_url``, ``store``, ``empty_store``, ``blank_db_url``, ``cli_env``)
runs once per backend; the ``backend`` parameter says which. ``@pytest.mark.postgis_only``
runs on PostgreSQL alone (database-side spatial SQL). Unmarked tests stay on SQLite.

The PostgreSQL server is ``$CARRIERMAP_TEST_PG_URL`` (a role that may create databases) when
set, else a throwaway cluster started here on a free loopback port and stopped at the end
(:class:`carriermap.store.pgcluster.LocalCluster`). Each test gets its own database, copied
from a seeded template (fast). Without a server: skipped locally with the reason, a failure
in CI (``CI`` set). ``CARRIERMAP_TEST_BACKENDS=sqlite`` runs only the SQLite half.
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Iterator

import pytest

from carriermap.store.pgcluster import ClusterUnavailable, LocalCluster, create_database, drop_database, wait_ready
from tests.clock import seed_test_register

PG_URL_ENV = "CARRIERMAP_TEST_PG_URL"
BACKENDS_ENV = "CARRIERMAP_TEST_BACKENDS"


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "both_backends: run on SQLite and on PostgreSQL + PostGIS (parameter backend)")
    config.addinivalue_line("markers", "postgis_only: run on PostgreSQL + PostGIS only (database-side spatial SQL)")


def pytest_generate_tests(metafunc) -> None:
    if "backend" not in metafunc.fixturenames:
        return
    closest = next((m.name for m in metafunc.definition.iter_markers() if m.name in ("postgis_only", "both_backends")),
                   None)
    if closest is None:
        return
    names = ("postgresql",) if closest == "postgis_only" else ("sqlite", "postgresql")
    wanted = [b.strip() for b in os.environ.get(BACKENDS_ENV, "sqlite,postgresql").split(",") if b.strip()]
    params = [pytest.param(name, marks=[pytest.mark.postgres] if name == "postgresql" else [], id=name)
              for name in names if name in wanted]
    metafunc.parametrize("backend", params)


@pytest.fixture
def backend() -> str:
    """The backend of an unmarked test: SQLite."""
    return "sqlite"


class PgServer:
    """A PostgreSQL server the tests may create and drop databases on."""

    def __init__(self, url: str):
        self.url = url
        self._prefix = f"cmtest_{uuid.uuid4().hex[:8]}"
        self._numbers = itertools.count()
        self._template: str | None = None

    def new_database(self, *, template: str | None = None, postgis: bool = True) -> tuple[str, str]:
        """A new database (empty with PostGIS, or a copy of ``template``): (name, url)."""
        name = f"{self._prefix}_{next(self._numbers)}"
        return name, create_database(self.url, name, template=template, postgis=postgis)

    def seeded_template(self) -> str:
        """Name of a database filled from ``data/`` once per session (copied per test)."""
        if self._template is None:
            name, url = self.new_database()
            seed_test_register(url)
            self._template = name
        return self._template

    def drop(self, name: str) -> None:
        drop_database(self.url, name)


def _unavailable(message: str):
    if os.environ.get("CI"):
        pytest.fail(f"PostgreSQL is required in CI: {message}")
    pytest.skip(f"no PostgreSQL server: {message}")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """The PostgreSQL + PostGIS server of this test session (see the module docstring)."""
    url = os.environ.get(PG_URL_ENV, "").strip()
    if url:
        try:
            wait_ready(url, timeout=10)
        except Exception as error:  # noqa: BLE001 - any connection failure means "no server"
            _unavailable(f"${PG_URL_ENV} does not answer: {str(error).splitlines()[0]}")
        server = PgServer(url)
        yield server
        if server._template:
            server.drop(server._template)
        return
    cluster = LocalCluster()
    try:
        cluster.start()
    except ClusterUnavailable as error:
        _unavailable(str(error))
    try:
        yield PgServer(cluster.url)
    finally:
        cluster.stop()


@pytest.fixture
def db_url(request, backend, tmp_path) -> Iterator[str]:
    """URL of a private copy of the seeded database (tests may change it freely)."""
    yield from _database_url(request, backend, tmp_path, seeded=True)


@pytest.fixture
def blank_db_url(request, backend, tmp_path) -> Iterator[str]:
    """URL of a private database with no tables yet (PostgreSQL: PostGIS installed)."""
    yield from _database_url(request, backend, tmp_path, seeded=False)


def _database_url(request, backend: str, tmp_path, *, seeded: bool) -> Iterator[str]:
    """A private database of ``backend``: a copy of the seeded one, or one with no tables."""
    if backend == "sqlite":
        if seeded:
            import shutil

            target = tmp_path / "carriermap.sqlite"
            shutil.copy(request.getfixturevalue("seeded_db_file"), target)
        else:
            target = tmp_path / f"blank-{uuid.uuid4().hex[:6]}.sqlite"
        yield f"sqlite:///{target}"
        return
    server: PgServer = request.getfixturevalue("pg_server")
    name, url = server.new_database(template=server.seeded_template() if seeded else None)
    yield url
    server.drop(name)
