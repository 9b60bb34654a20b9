"""Nearby results for people: route links, labelled columns, downloads and near-miss sentences.

:mod:`carriermap.space.search` finds and ranks; this module only presents, so the page, the CLI
and the downloads show the same columns.
"""

from __future__ import annotations

import pandas as pd

from carriermap.boundaries import district_names
from carriermap.freshness.age import OLD, confirmed_text
from carriermap.i18n import label, t
from carriermap.safety import md_text
from carriermap.space.routes import amap_route_urls, osm_route_urls
from carriermap.space.search import Suggestion

RESULT_COLUMNS: tuple[str, ...] = (
    "rank", "name", "distance_km", "available_m2", "rent_cny_m2_month", "confirmed", "type", "level", "industries",
    "district", "address", "contact", "amap_url", "osm_url", "is_sample", "id", "lon", "lat", "distance_m",
)
CLI_COLUMNS: tuple[str, ...] = (
    "id", "name", "lon", "lat", "distance_m", "available_m2", "rent_cny_m2_month", "type", "level", "industries",
    "district_adcode", "address", "contact", "confirmed_days", "freshness", "amap_url", "osm_url", "is_sample",
)


def with_links(results: pd.DataFrame, origin: tuple[float, float] | None, origin_name: str = "") -> pd.DataFrame:
    """``results`` plus ``amap_url`` (GCJ-02) and ``osm_url`` (WGS-84) routes from ``origin``."""
    out = results.copy()
    lons, lats = out["lon"].astype(float).tolist(), out["lat"].astype(float).tolist()
    out["amap_url"] = amap_route_urls(lons, lats, out["name"], origin, origin_name)
    out["osm_url"] = osm_route_urls(lons, lats, origin)
    return out


def result_table(results: pd.DataFrame, origin: tuple[float, float] | None, lang: str = "zh",
                 origin_name: str = "") -> pd.DataFrame:
    """One row per result, nearest first, with labels in ``lang`` and route links (columns :data:`RESULT_COLUMNS`)."""
    out = with_links(results, origin, origin_name)
    names = district_names(lang)
    separator = "、" if lang == "zh" else ", "
    out["rank"] = range(1, len(out) + 1)
    out["distance_km"] = (out["distance_m"].astype(float) / 1000.0).round(2)
    out["type"] = out["type"].map(lambda code: label("type", code, lang))
    out["level"] = out["level"].map(lambda code: label("level", code, lang))
    out["industries"] = out["industries"].map(
        lambda items: separator.join(items) if isinstance(items, (list, tuple)) else (items or ""))
    out["district"] = out["district_adcode"].map(lambda code: names.get(code, code or ""))
    out["confirmed"] = _confirmed_column(out, lang)
    return out[list(RESULT_COLUMNS)].reset_index(drop=True)


FIRST_COLUMNS: tuple[str, ...] = (
    "rank", "name", "distance_km", "available_m2", "rent_cny_m2_month", "confirmed", "address", "amap_url",
)
MORE_COLUMNS: tuple[str, ...] = ("type", "level", "industries", "district", "contact", "osm_url", "is_sample")


def _confirmed_column(out: pd.DataFrame, lang: str) -> list[str]:
    """"confirmed N days ago", marked when older than the city's fresh window (see ``rank_by_freshness``)."""
    if "confirmed_days" not in out:
        return [""] * len(out)
    marks = out["freshness"] if "freshness" in out else pd.Series("", index=out.index)
    return [t("fresh.old_mark", lang, text=confirmed_text(days, lang)) if mark == OLD else confirmed_text(days, lang)
            for days, mark in zip(out["confirmed_days"], marks, strict=True)]


def column_labels(lang: str = "zh") -> dict[str, str]:
    """Header of each result column in ``lang``."""
    return {column: t(f"find_space.col.{column}", lang) for column in RESULT_COLUMNS}


def download_frame(results: pd.DataFrame, origin: tuple[float, float] | None, lang: str = "zh",
                   origin_name: str = "") -> pd.DataFrame:
    """Every result as :func:`result_table` makes it, with headers in ``lang`` (export it with
    :mod:`carriermap.export`, which neutralises cells)."""
    return result_table(results, origin, lang, origin_name).rename(columns=column_labels(lang))


def suggestion_text(suggestion: Suggestion, lang: str = "zh", *, markdown: bool = False) -> str:
    """One sentence: which need to relax, to what, and the carrier that would then fit.

    With ``markdown`` the carrier's name is escaped (:func:`carriermap.safety.md_text`) for a page.
    """
    name = suggestion.carrier.get("name", "")
    return t(f"find_space.suggest.{suggestion.kind}", lang, value=f"{suggestion.value:g}",
             name=md_text(name) if markdown else name, km=f"{suggestion.distance_m / 1000.0:.1f}",
             area=f"{float(suggestion.carrier.get('available_m2') or 0):g}")
