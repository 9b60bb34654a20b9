"""How a carrier reads to the public: its detail panel, the list view and the map legend.

Pure functions from records/DataFrames to labelled values (zh or en); the page only draws
them. The legend and the details are HTML drawn by ``st.markdown``, so every text in them goes through
:func:`carriermap.safety.md_text` (HTML *and* Markdown escaped).
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

import pandas as pd

from carriermap import codes
from carriermap.boundaries import district_names
from carriermap.freshness.age import confirmed_text, confirmed_texts, record_days, utc_now
from carriermap.i18n import label, t
from carriermap.safety import md_text


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == "" or value == []


def _area(value: Any, lang: str) -> str | None:
    if _blank(value):
        return None
    return t("map.unit.m2", lang, value=f"{float(value):,.0f}")


def _rating(record: dict[str, Any], lang: str) -> str | None:
    rating = record.get("rating")
    if _blank(rating):
        return None
    year = record.get("rating_year")
    text = label("rating", rating, lang)
    return text if _blank(year) else t("map.rating_year", lang, rating=text, year=int(year))


def _rent(value: Any, lang: str) -> str | None:
    return None if _blank(value) else t("fresh.unit.rent", lang, value=f"{float(value):,.1f}")


def detail_rows(record: dict[str, Any], lang: str = "zh", now: datetime | None = None) -> list[tuple[str, str]]:
    """``(label, value)`` pairs of a carrier's public details; blank values read "—".

    Type, level, rating, status, specialisation, address, district, total area, free space,
    rent, industries, operator, contact and when those facts were confirmed ("confirmed 3 days
    ago", counted to ``now``), in that order. Values are plain text (not HTML).
    """
    none = t("map.none", lang)
    districts = district_names(lang)
    values: list[tuple[str, Any]] = [
        ("map.field.type", label("type", record.get("type"), lang)),
        ("map.field.level", label("level", record.get("level"), lang)),
        ("map.field.rating", _rating(record, lang)),
        ("map.field.status", label("status", record.get("status"), lang)),
        ("map.field.specialisation", label("specialisation", record.get("specialisation"), lang)),
        ("map.field.address", record.get("address")),
        ("map.field.district", districts.get(str(record.get("district_adcode")), record.get("district_adcode"))),
        ("map.field.total_area", _area(record.get("total_area_m2"), lang)),
        ("map.field.available", _area(record.get("available_m2"), lang)),
        ("fresh.field.rent", _rent(record.get("rent_cny_m2_month"), lang)),
        ("map.field.industries", "、".join(record.get("industries") or []) if lang == "zh"
         else ", ".join(record.get("industries") or [])),
        ("map.field.operator", record.get("operator")),
        ("map.field.contact", record.get("contact")),
        ("fresh.field.confirmed", confirmed_text(record_days(record, now or utc_now()), lang)),
    ]
    return [(t(key, lang), none if _blank(value) else str(value)) for key, value in values]


LIST_COLUMNS: tuple[str, ...] = ("name", "type", "level", "district", "available_m2", "confirmed", "total_area_m2",
                                 "jobs", "status", "is_sample")


def list_frame(carriers: pd.DataFrame, lang: str = "zh", now: datetime | None = None) -> pd.DataFrame:
    """The carriers as the list view shows them: labels instead of codes, numbers as numbers.

    Columns are named in ``lang``; the index is the carrier id. ``confirmed`` says how long ago
    the free space (and rent, contact) was confirmed, counted to ``now``.
    """
    districts = district_names(lang)
    frame = pd.DataFrame({
        "name": carriers["name"].astype(object),
        "type": carriers["type"].map(lambda c: label("type", c, lang)),
        "level": carriers["level"].map(lambda c: label("level", c, lang)),
        "district": carriers["district_adcode"].map(lambda c: districts.get(str(c), c)),
        "available_m2": pd.to_numeric(carriers["available_m2"], errors="coerce"),
        "confirmed": confirmed_texts(carriers, now or utc_now(), lang),
        "total_area_m2": pd.to_numeric(carriers["total_area_m2"], errors="coerce"),
        "jobs": pd.to_numeric(carriers["jobs"], errors="coerce"),
        "status": carriers["status"].map(lambda c: label("status", c, lang)),
        "is_sample": carriers["is_sample"].astype(bool),
    })
    frame.index = carriers["id"].to_numpy()
    headers = {"name": "map.field.name", "type": "map.field.type", "level": "map.field.level",
               "district": "map.field.district", "available_m2": "map.field.available",
               "confirmed": "fresh.field.confirmed",
               "total_area_m2": "map.field.total_area", "jobs": "map.field.jobs", "status": "map.field.status",
               "is_sample": "map.field.sample"}
    return frame.rename(columns={column: t(key, lang) for column, key in headers.items()})


def type_counts(carriers: pd.DataFrame) -> dict[str, int]:
    """Carriers per type code, in vocabulary order (types with none left out)."""
    counts = carriers["type"].astype(object).value_counts()
    return {code: int(counts[code]) for code in codes.CARRIER_TYPES if code in counts.index}


def legend_html(counts: dict[str, int], lang: str = "zh") -> str:
    """The map legend: one coloured dot, label and count per carrier type, and the dashed line key."""
    items = []
    for code, count in counts.items():
        colour = codes.TYPE_COLOURS[code]
        items.append(
            f'<span class="cm-legend-item" style="display:inline-flex;align-items:center;margin:0 14px 4px 0">'
            f'<span style="width:12px;height:12px;border-radius:50%;background:{colour};border:1.5px solid #fff;'
            f'box-shadow:0 0 0 1px #999;margin-right:6px"></span>{md_text(label("type", code, lang))}'
            f'&nbsp;<b>{count}</b></span>')
    items.append(
        '<span style="display:inline-flex;align-items:center;margin:0 14px 4px 0;color:#555">'
        '<span style="width:26px;border-top:3px dashed #c0392b;margin-right:6px"></span>'
        f'{md_text(t("map.legend.schematic", lang))}</span>')
    return f'<div class="cm-legend" style="font-size:0.9rem;line-height:1.6">{"".join(items)}</div>'


def details_html(record: dict[str, Any], lang: str = "zh", now: datetime | None = None) -> str:
    """The detail panel of one carrier as HTML: its name, a sample mark, then :func:`detail_rows`.

    Every value is escaped with :func:`md_text`, so ``<img onerror=…>`` or ``![x](http://…)``
    shows as text.
    """
    parts = [f'<div class="cm-details"><div class="cm-details-name" style="font-size:1.15rem;font-weight:600;'
             f'margin-bottom:6px">{md_text(record.get("name"))}</div>']
    if record.get("is_sample"):
        parts.append('<div class="cm-sample" style="background:#fff4e5;border-left:4px solid #e67e22;'
                     f'padding:4px 8px;margin-bottom:8px;font-size:0.85rem">{md_text(t("map.details.sample", lang))}'
                     '</div>')
    parts.append('<table style="font-size:0.88rem;border-collapse:collapse;width:100%">')
    for name, value in detail_rows(record, lang, now):
        parts.append(f'<tr><th style="text-align:left;vertical-align:top;padding:3px 8px 3px 0;color:#555;'
                     f'white-space:nowrap;font-weight:500">{md_text(name)}</th>'
                     f'<td style="padding:3px 0">{md_text(value)}</td></tr>')
    parts.append("</table></div>")
    return "".join(parts)
