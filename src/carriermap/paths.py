"""Where the project's bundled files live (data, boundaries, catalogues, static assets)."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
DATA_DIR = PROJECT_DIR / "data"
GEO_DIR = PROJECT_DIR / "geo"
LOCALES_DIR = PROJECT_DIR / "locales"
STATIC_DIR = PROJECT_DIR / "static"
VAR_DIR = Path(os.environ.get("CARRIERMAP_VAR_DIR", PROJECT_DIR / "var"))

DISTRICTS_FILE = GEO_DIR / "districts.geojson"
CITIES_FILE = DATA_DIR / "cities.json"
CARRIERS_FILE = DATA_DIR / "carriers.csv"
FEATURES_FILE = DATA_DIR / "features.geojson"
TARGETS_FILE = DATA_DIR / "targets.csv"
FACTS_FILE = DATA_DIR / "facts.csv"
PLACES_FILE = DATA_DIR / "places.csv"
