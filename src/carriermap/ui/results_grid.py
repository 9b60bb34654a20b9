"""Find space's results grid: the columns a founder decides on first, a one-click route link, the rest on demand."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from carriermap.i18n import t
from carriermap.space.results import FIRST_COLUMNS, MORE_COLUMNS, column_labels


def result_columns(table: pd.DataFrame, lang: str = "zh") -> tuple[list[str], dict]:
    """The grid's first columns (what a founder decides on, and a one-click route) and every column's config.

    ``confirmed`` ("confirmed N days ago", marked when old) sits after the rent; columns the
    table lacks are left out. The rest (:data:`MORE_COLUMNS`) is shown on demand.
    """
    names = column_labels(lang)
    config = {column: st.column_config.Column(names[column]) for column in (*FIRST_COLUMNS, *MORE_COLUMNS)}
    config["amap_url"] = st.column_config.LinkColumn(names["amap_url"], display_text=t("find_space.link.amap", lang))
    config["osm_url"] = st.column_config.LinkColumn(names["osm_url"], display_text=t("find_space.link.osm", lang))
    config["distance_km"] = st.column_config.NumberColumn(names["distance_km"], format="%.2f")
    config["name"] = st.column_config.TextColumn(names["name"], width="medium")
    config["address"] = st.column_config.TextColumn(names["address"], width="medium")
    return [c for c in FIRST_COLUMNS if c in table], config
