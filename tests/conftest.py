"""Shared fixtures: a fresh database per test, the bundled data, the running app."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from carriermap.store import Store


@pytest.fixture(scope="session")
def seeded_db_file(tmp_path_factory) -> Path:
    """A SQLite database filled from ``data/`` once per test session (copy it to change it)."""
    path = tmp_path_factory.mktemp("db") / "seeded.sqlite"
    Store.open(f"sqlite:///{path}").engine.dispose()
    return path


@pytest.fixture
def db_url(tmp_path, seeded_db_file) -> str:
    """URL of a private copy of the seeded database (tests may change it freely)."""
    import shutil

    target = tmp_path / "carriermap.sqlite"
    shutil.copy(seeded_db_file, target)
    return f"sqlite:///{target}"


@pytest.fixture
def store(db_url) -> Store:
    """A store on a private copy of the seeded database."""
    opened = Store.open(db_url)
    yield opened
    opened.engine.dispose()


@pytest.fixture
def empty_store(tmp_path) -> Store:
    """A store with the schema and no data."""
    opened = Store.open(f"sqlite:///{tmp_path / 'empty.sqlite'}", seed=False)
    yield opened
    opened.engine.dispose()


@pytest.fixture
def cli_env(db_url, monkeypatch):
    """Environment for CLI subprocesses pointing at the private database."""
    monkeypatch.setenv("CARRIERMAP_DATABASE_URL", db_url)
    return {**os.environ, "CARRIERMAP_DATABASE_URL": db_url}
