"""Named places a founder can start a search from (``data/places.csv``, WGS-84).

District centres and a few landmarks per city; ``data/build_places.py`` rebuilds the file
and says where each point comes from.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from carriermap.paths import PLACES_FILE

PLACE_KINDS: tuple[str, ...] = ("landmark", "district")


@lru_cache(maxsize=1)
def _all_places() -> pd.DataFrame:
    frame = pd.read_csv(PLACES_FILE, dtype={"city_adcode": str, "district_adcode": str})
    frame["kind"] = pd.Categorical(frame["kind"], categories=PLACE_KINDS, ordered=True)
    return frame.sort_values(["city_adcode", "kind", "name"], kind="stable").reset_index(drop=True)


def places(city_adcode: str | None = None) -> pd.DataFrame:
    """Places (``city_adcode, kind, name, name_en, district_adcode, lon, lat, source``), landmarks first."""
    frame = _all_places()
    if city_adcode is not None:
        frame = frame[frame["city_adcode"] == str(city_adcode)]
    out = frame.reset_index(drop=True).copy()
    out["kind"] = out["kind"].astype(str)
    return out


def place_name(row: dict | pd.Series, lang: str = "zh") -> str:
    """The place's name in ``lang``."""
    return str(row["name_en"] if lang == "en" else row["name"])
