"""The carriers that have no point yet, as the map page and the data page list them."""

from __future__ import annotations

import pandas as pd

from carriermap.boundaries import district_names
from carriermap.i18n import label, t
from carriermap.location import needing_location


def unplaced_frame(carriers: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Name, type, district (or "district unknown"), address and state of each carrier without a point.

    Columns are named in ``lang``; the index is the carrier id. Unlocated ones come first.
    """
    frame = needing_location(carriers)
    names = district_names(lang)
    unknown = t("lists.district_unknown", lang)
    out = pd.DataFrame({
        "name": frame["name"].astype(object),
        "type": frame["type"].map(lambda c: label("type", c, lang)),
        "district": frame["district_adcode"].map(lambda c: names.get(str(c), str(c)) if pd.notna(c) and c else unknown),
        "address": frame["address"].astype(object).where(frame["address"].notna(), ""),
        "placement": frame["placement"].map(lambda s: t(f"lists.placement.{s}", lang)),
    })
    out.index = frame["id"].to_numpy()
    return out.rename(columns={c: t(f"lists.column.{c}", lang) for c in out.columns})
