"""Deployment settings read from the environment or ``.streamlit/secrets.toml``.

``CARRIERMAP_SAMPLE_DATA=0`` (or ``sample_data = false`` in ``.streamlit/secrets.toml``) makes a
sample-free deployment: a new database is filled only with what the sources say (records with
``is_sample = false``), and every page leaves sample records out whatever the database holds.
The environment wins over the secrets file.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path

from carriermap.paths import PROJECT_DIR

SAMPLE_DATA_ENV = "CARRIERMAP_SAMPLE_DATA"
SAMPLE_DATA_SECRET = "sample_data"
_FALSE = {"0", "false", "no", "off"}


def _secrets_files() -> tuple[Path, ...]:
    return (Path.cwd() / ".streamlit" / "secrets.toml", PROJECT_DIR / ".streamlit" / "secrets.toml")


def sample_data_enabled(environ: Mapping[str, str] | None = None, files: Iterable[Path] | None = None) -> bool:
    """False when the deployment asks for real data only (see the module docstring); True by default."""
    environ = os.environ if environ is None else environ
    raw = environ.get(SAMPLE_DATA_ENV, "").strip()
    if raw:
        return raw.lower() not in _FALSE
    for path in _secrets_files() if files is None else files:
        try:
            value = tomllib.loads(path.read_text(encoding="utf-8")).get(SAMPLE_DATA_SECRET)
        except (OSError, tomllib.TOMLDecodeError):
            continue
        if value is not None:
            return str(value).strip().lower() not in _FALSE
    return True
