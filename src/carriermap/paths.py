"""Where the project's files live: bundled (data, boundaries, catalogues) and written at run time
(the database under ``var/``, the served Leaflet files under ``static/``).

The run-time folders follow the app being run, not the clone that happened to do an editable
install: ``$CARRIERMAP_HOME`` when set, else the folder of the script Streamlit runs
(``serve.py``/``app.py``), else the working directory when it holds the app, else this
package's project folder. ``$CARRIERMAP_VAR_DIR`` moves the database folder on its own.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
HOME_SETTING, VAR_SETTING = "CARRIERMAP_HOME", "CARRIERMAP_VAR_DIR"


def app_home(environ: dict[str, str] | None = None, argv0: str | None = None, cwd: Path | None = None) -> Path:
    """The folder whose ``var/`` and ``static/`` the running app uses (see the module docstring)."""
    environ = os.environ if environ is None else environ
    if environ.get(HOME_SETTING):
        return Path(environ[HOME_SETTING]).expanduser().resolve()
    script = Path(argv0 if argv0 is not None else (sys.argv[0] if sys.argv else "")).expanduser()
    for candidate in (script.resolve().parent if script.name else None, (cwd or Path.cwd()).resolve()):
        if candidate is not None and (candidate / "app.py").is_file():
            return candidate
    return PROJECT_DIR


HOME = app_home()
DATA_DIR = PROJECT_DIR / "data"
GEO_DIR = PROJECT_DIR / "geo"
LOCALES_DIR = PROJECT_DIR / "locales"
STATIC_DIR = HOME / "static"
VAR_DIR = Path(os.environ.get(VAR_SETTING) or HOME / "var")

DISTRICTS_FILE = GEO_DIR / "districts.geojson"
CITIES_FILE = DATA_DIR / "cities.json"
CARRIERS_FILE = DATA_DIR / "carriers.csv"
FEATURES_FILE = DATA_DIR / "features.geojson"
TARGETS_FILE = DATA_DIR / "targets.csv"
FACTS_FILE = DATA_DIR / "facts.csv"
PLACES_FILE = DATA_DIR / "places.csv"
