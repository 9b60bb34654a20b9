"""How a carrier reads to the public: its detail panel, the list view and the map legend.

Pure functions from records/DataFrames to labelled values (zh or en); the page only draws
them. The legend and the details are HTML drawn by ``st.markdown``, so every text in them goes through
:func:`carriermap.safety.md_text` (HTML *and* Markdown escaped).
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from carriermap import codes, provenance
from carriermap.boundaries import district_names
from carriermap.freshness.age import confirmed_text, confirmed_texts, record_days, utc_now
from carriermap.i18n import label, t
from carriermap.invented import invented_mask
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


# The record field behind each row of :func:`detail_rows`, in the same order (None: the
# confirmation date, a fact about the record rather than a value with a source).
DETAIL_FIELDS: tuple[str | None, ...] = ("type", "level", "rating", "status", "specialisation", "address",
                                         "district_adcode", "total_area_m2", "available_m2", "rent_cny_m2_month",
                                         "industries", "operator", "contact", None)


def source_mark(record: dict[str, Any], field: str | None, lang: str = "zh") -> tuple[str | None, str]:
    """Where the value of ``field`` comes from: ``(kind, short text)``; ``(None, "")`` for a blank value.

    Kind is a provenance kind (``seed``, ``notice``, ``editor``, ``import``, ``invented``) or
    ``unsourced`` when nothing was recorded. Plain text, not HTML.
    """
    if field is None or _blank(record.get(field)):
        return None, ""
    found = provenance.entry(record.get("provenance"), field)
    if found is None:
        return "unsourced", t("provenance.mark.unsourced", lang)
    kind = str(found.get("kind"))
    at = str(found.get("at") or "")[:10]
    ref = str(found.get("ref") or "")
    if kind == "seed":  # "seed 002 <title>": the number here, the title with the sentence below
        ref = " ".join(ref.split()[:2])
    return kind, t(f"provenance.mark.{kind}", lang, ref=ref, at=at)


def source_quotes(record: dict[str, Any], lang: str = "zh") -> list[str]:
    """The source sentences behind the record's sourced values: ``"名称、行业:seed 002 「…」"`` lines."""
    labels = [name for name, _ in detail_rows(record, lang)]
    names = {"name": t("provenance.field.name", lang),
             **{f: n for f, n in zip(DETAIL_FIELDS, labels, strict=True) if f is not None}}
    fields = list(names)
    grouped: dict[tuple[str, str], list[str]] = {}
    for field in fields:
        found = provenance.entry(record.get("provenance"), field)
        if found and found.get("quote") and not _blank(record.get(field)):
            grouped.setdefault((str(found.get("ref") or ""), str(found["quote"])), []).append(names[field])
    joiner = "、" if lang == "zh" else ", "
    return [f"{joiner.join(labels)}: {ref} 「{quote}」" for (ref, quote), labels in grouped.items()]


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
        "invented": _invented_list(carriers, lang),
    })
    frame.index = carriers["id"].to_numpy()
    headers = {"name": "map.field.name", "type": "map.field.type", "level": "map.field.level",
               "district": "map.field.district", "available_m2": "map.field.available",
               "confirmed": "fresh.field.confirmed",
               "total_area_m2": "map.field.total_area", "jobs": "map.field.jobs", "status": "map.field.status",
               "is_sample": "map.field.sample", "invented": "provenance.column.invented"}
    return frame.rename(columns={column: t(key, lang) for column, key in headers.items()})


# The list's columns whose values may be illustrative, and how the list names them.
_LIST_SOURCED = (("name", "map.field.name"), ("level", "map.field.level"), ("district_adcode", "map.field.district"),
                 ("available_m2", "map.field.available"), ("total_area_m2", "map.field.total_area"),
                 ("jobs", "map.field.jobs"))


def _invented_list(carriers: pd.DataFrame, lang: str) -> list[str]:
    """Per carrier, which of the list's values are illustrative: "全部", "无" or their names."""
    joiner = "、" if lang == "zh" else ", "
    present = {field: carriers[field].map(lambda v: not _blank(v)).to_numpy(dtype=bool) if field in carriers
               else np.zeros(len(carriers), dtype=bool) for field, _ in _LIST_SOURCED}
    invented = {field: invented_mask(carriers, field).to_numpy(dtype=bool) for field, _ in _LIST_SOURCED}
    out = []
    for row in range(len(carriers)):
        shown = [key for field, key in _LIST_SOURCED if present[field][row]]
        made_up = [key for field, key in _LIST_SOURCED if present[field][row] and invented[field][row]]
        if made_up and len(made_up) == len(shown):
            out.append(t("provenance.list.all", lang))
        else:
            out.append(joiner.join(t(key, lang) for key in made_up) or t("provenance.list.none", lang))
    return out


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


def _provenance_summary(record: dict[str, Any], lang: str) -> str:
    """One sentence on how much of the record is illustrative (empty without provenance)."""
    if not provenance.parse(record.get("provenance")):
        return t("map.details.sample", lang) if record.get("is_sample") else ""
    kinds = [source_mark(record, field, lang)[0] for field in ("name", *DETAIL_FIELDS)]
    present = [kind for kind in kinds if kind is not None]
    invented = sum(kind == provenance.INVENTED for kind in present)
    if invented and invented == len(present):
        return t("provenance.details.all_invented", lang)
    if not invented:
        return t("provenance.details.none_invented", lang)
    return t("provenance.details.summary", lang, invented=invented, sourced=len(present) - invented)


_MARK_STYLE = {"invented": "background:#fff4e5;color:#a04000", "unsourced": "background:#eee;color:#555"}


def _mark_html(kind: str | None, text: str) -> str:
    if kind is None:
        return ""
    style = _MARK_STYLE.get(kind, "background:#e8f5e9;color:#1e6b30")
    return (f'<span class="cm-mark cm-mark-{md_text(kind)}" style="{style};border-radius:3px;padding:0 4px;'
            f'font-size:0.75rem;display:inline-block">{md_text(text)}</span>')


def details_html(record: dict[str, Any], lang: str = "zh", now: datetime | None = None) -> str:
    """The detail panel of one carrier as HTML: its name, how much is illustrative, then
    :func:`detail_rows`, each value marked with where it comes from (:func:`source_mark`), and
    the source sentences.

    Every value is escaped with :func:`md_text`, so ``<img onerror=…>`` or ``![x](http://…)``
    shows as text.
    """
    parts = [f'<div class="cm-details"><div style="margin-bottom:6px"><span class="cm-details-name" '
             f'style="font-size:1.15rem;font-weight:600">{md_text(record.get("name"))}</span> '
             f'{_mark_html(*source_mark(record, "name", lang))}</div>']
    summary = _provenance_summary(record, lang)
    if summary:
        invented = bool(provenance.invented_fields(record)) or (record.get("is_sample") and
                                                               not provenance.parse(record.get("provenance")))
        colour = "#e67e22" if invented else "#27ae60"
        parts.append(f'<div class="cm-sample" style="background:#fafafa;border-left:4px solid {colour};'
                     f'padding:4px 8px;margin-bottom:8px;font-size:0.85rem">{md_text(summary)}</div>')
    parts.append('<table style="font-size:0.88rem;border-collapse:collapse;width:100%">')
    for (name, value), field in zip(detail_rows(record, lang, now), DETAIL_FIELDS, strict=True):
        parts.append(f'<tr><th style="text-align:left;vertical-align:top;padding:3px 8px 3px 0;color:#555;'
                     f'white-space:nowrap;font-weight:500">{md_text(name)}</th>'
                     f'<td style="padding:3px 0">{md_text(value)} '
                     f'{_mark_html(*source_mark(record, field, lang))}</td></tr>')
    parts.append("</table>")
    quotes = source_quotes(record, lang)
    if quotes:
        parts.append(f'<div class="cm-quotes" style="font-size:0.8rem;color:#555;margin-top:6px">'
                     f'<b>{md_text(t("provenance.details.quotes", lang))}</b>'
                     + "".join(f"<div>{md_text(q)}</div>" for q in quotes) + "</div>")
    parts.append("</div>")
    return "".join(parts)
