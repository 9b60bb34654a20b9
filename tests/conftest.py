"""Shared fixtures: a fresh database per test, the bundled data, the running app.

Database fixtures follow the ``backend`` parameter: SQLite unless the test is marked
``both_backends`` (then also PostgreSQL + PostGIS). ``db_url`` and ``blank_db_url`` live in
:mod:`tests.pg`, loaded as a plugin.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from carriermap.store import Store
from tests.clock import seed_test_register

pytest_plugins = ("tests.pg",)


@pytest.fixture(scope="session")
def seeded_db_file(tmp_path_factory) -> Path:
    """A SQLite database filled from ``data/`` once per test session, dated :data:`SEEDED_AT` (copy it to change it)."""
    path = tmp_path_factory.mktemp("db") / "seeded.sqlite"
    seed_test_register(f"sqlite:///{path}")
    return path


@pytest.fixture
def store(db_url) -> Store:
    """A store on a private copy of the seeded database."""
    opened = Store.open(db_url)
    yield opened
    opened.engine.dispose()


@pytest.fixture
def empty_store(blank_db_url) -> Store:
    """A store with the schema and no data."""
    opened = Store.open(blank_db_url, seed=False)
    yield opened
    opened.engine.dispose()


@pytest.fixture
def cli_env(db_url, monkeypatch):
    """Environment for CLI subprocesses pointing at the private database."""
    monkeypatch.setenv("CARRIERMAP_DATABASE_URL", db_url)
    return {**os.environ, "CARRIERMAP_DATABASE_URL": db_url}
