"""The districts table for people: localised unit names and headers, number formats, exports.

:func:`carriermap.districts.metrics.unit_metrics` computes the figures; this module only presents them.
Numbers stay numbers (formats are attached, not baked into text), so a spreadsheet can sum them.
"""

from __future__ import annotations

import io
from typing import Any, Literal

import openpyxl
import pandas as pd
from openpyxl.utils import get_column_letter

from carriermap import codes, invented
from carriermap.boundaries import district_names, districts
from carriermap.cities import City
from carriermap.districts.metrics import GROUPINGS, TOTAL, UNASSIGNED, GroupBy, selected, total_row, unit_metrics
from carriermap.districts.selection import describe
from carriermap.districts.targets import target_progress
from carriermap.export import to_csv_bytes, to_xlsx_bytes
from carriermap.filters import MapFilters
from carriermap.formatting import now_local, percent_columns, sentence, source_text
from carriermap.i18n import catalogue, label, normalise_language, t
from carriermap.safety import md_text

Kind = Literal["text", "count", "m2", "people", "share", "density", "km2"]

# Optional breakdowns: hidden on the page when the whole city has none (they stay in exports).
TYPE_COLUMNS = tuple(f"type_{c}" for c in codes.CARRIER_TYPES)
LEVEL_COLUMNS = tuple(f"level_{c}" for c in codes.LEVELS if c not in codes.NATIONAL_LEVELS)
RATING_COLUMNS = tuple(f"rating_{c}" for c in codes.RATINGS)
BREAKDOWNS = (*TYPE_COLUMNS, *LEVEL_COLUMNS, *RATING_COLUMNS)

_FIXED_KINDS: dict[str, Kind] = {
    "unit": "text", "carriers": "count", "national": "count", "specialized": "count",
    "specialized_share": "share", "total_area_m2": "m2", "available_m2": "m2", "tenants": "count",
    "graduates": "count", "jobs": "people", "area_km2": "km2", "per_100km2": "density", "delisted": "count",
    "unplaced": "count",
}
# Order of the table: who, how many, what kind, how good, how big, what it does for people, density.
COLUMNS: tuple[str, ...] = (
    "unit", "carriers", "unplaced", "national", *TYPE_COLUMNS, *LEVEL_COLUMNS, "specialized", "specialized_share",
    *RATING_COLUMNS, "total_area_m2", "available_m2", "tenants", "graduates", "jobs", "area_km2",
    "per_100km2", "delisted",
)
# The page shows two narrower tables (each fits a report page): the figures, and the composition.
# The land area itself is left to the exports (the density column carries it on screen).
OVERVIEW: tuple[str, ...] = ("unit", "carriers", "unplaced", "specialized_share", "total_area_m2", "available_m2", "tenants",
                             "graduates", "jobs", "per_100km2")
COMPOSITION: tuple[str, ...] = ("unit", *TYPE_COLUMNS, "national", *LEVEL_COLUMNS, "specialized", *RATING_COLUMNS,
                                "delisted")
# Metrics worth a choropleth or a bar chart (whole-unit figures, not breakdowns).
CHART_METRICS: tuple[str, ...] = ("carriers", "national", "specialized_share", "per_100km2", "total_area_m2",
                                  "available_m2", "tenants", "graduates", "jobs", "delisted")
# Exports hold percentages as percentage numbers (39.3 under a "(%)" header), never fractions.
EXCEL_FORMATS: dict[Kind, str] = {"count": "#,##0", "people": "#,##0", "m2": "#,##0", "share": "0.0",
                                  "density": "#,##0.00", "km2": "#,##0.0"}


def column_kind(column: str) -> Kind:
    """How a column's values are measured (decides the unit in the header and the number format)."""
    return "count" if column in BREAKDOWNS else _FIXED_KINDS.get(column, "text")


def column_header(column: str, lang: str = "zh") -> str:
    """The header of ``column`` in ``lang``, with its unit, e.g. ``孵化器(家)`` or ``Jobs``."""
    kind = column_kind(column)
    # Read the catalogue directly: an empty unit (English counts) is meant, not a missing string.
    unit = catalogue(normalise_language(lang)).get(f"districts.unit.{kind}", "")
    for prefix, vocabulary in (("type_", "type"), ("level_", "level"), ("rating_", "rating")):
        if column.startswith(prefix):
            name = t(f"districts.col.{vocabulary}", lang, label=label(vocabulary, column[len(prefix):], lang))
            return sentence(f"{name}{unit}", lang)
    return sentence(f"{t(f'districts.col.{column}', lang)}{unit}", lang)  # 占比（%） like 总数（家）


def unit_label(unit: str, unit_code: str, city: City, lang: str = "zh") -> str:
    """A unit's name in ``lang``: district names from the boundaries, zone names from the city."""
    if unit_code in (TOTAL, UNASSIGNED):
        return t(f"districts.{unit_code}", lang)
    if lang == "zh":
        return unit
    zones = {zone.name: zone.name_en for zone in city.zones}
    return district_names("en").get(unit_code) or zones.get(unit, unit)


def table(rows: pd.DataFrame, city: City, lang: str = "zh", *, hide_empty: bool = False,
          with_total: bool = True, columns: tuple[str, ...] = COLUMNS) -> pd.DataFrame:
    """The rows of :func:`unit_metrics` for display: ``unit`` named in ``lang``, ``columns`` in
    order, a total row last. Keys stay codes; :func:`column_header` names them.

    ``hide_empty`` drops breakdown columns that are zero in every unit (e.g. no rated carrier).
    """
    frame = pd.concat([rows, pd.DataFrame([total_row(rows)])], ignore_index=True) if with_total else rows.copy()
    frame["unit"] = [unit_label(u, c, city, lang) for u, c in zip(frame["unit"], frame["unit_code"], strict=True)]
    keep = [c for c in columns if not (hide_empty and c in BREAKDOWNS and not rows[c].any())]
    return frame[keep].reset_index(drop=True)


def localised(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """``frame`` with headers in ``lang`` (for exports)."""
    return frame.rename(columns={c: column_header(c, lang) for c in frame.columns})


def screen_table(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """``frame`` (from :func:`table`) as the text a person reads: headers in ``lang``, figures formatted
    with :func:`format_value` (``—`` where there is none). ``st.table`` renders cells as Markdown, so a
    unit's name is escaped. Plain strings: the page sends them as they are (no styler to run per visit)."""
    def cell(kind: Kind):
        if kind == "text":
            return lambda value: md_text(format_value(value, kind, lang))
        return lambda value: format_value(value, kind, lang)

    return localised(pd.DataFrame({c: [cell(column_kind(c))(v) for v in frame[c]] for c in frame.columns},
                                  index=frame.index), lang)


TARGET_COLUMNS: tuple[str, ...] = ("metric", "counts", "scope", "deadline", "status", "target", "current",
                                   "current_now", "gap", "progress", "evidence", "sample_records", "counted",
                                   "is_sample", "source")
_TARGET_FIGURES = ("target", "current", "current_now", "gap")


def counts_text(item: dict[str, Any], lang: str = "zh") -> str:
    """What a target counts, in words: ``孵化器(任何级别)``, ``国家级(任何类型)``, ``专业型占比``."""
    types = [label("type", code, lang) for code in item["types"]]
    levels = [label("level", code, lang) for code in item["levels"]]
    if item["metric"].endswith("_share"):
        return t("figures.target.counts.share", lang)
    return t("figures.target.counts", lang, types="、".join(types) or t("figures.target.any_type", lang),
             levels="、".join(levels) or t("figures.target.any_level", lang))


def target_rows(progress: list[dict[str, Any]], city: City, lang: str = "zh") -> pd.DataFrame:
    """Targets of :func:`carriermap.districts.targets.target_progress` as a table (:data:`TARGET_COLUMNS`
    plus ``share``): what each counts, its deadline and status, the figure as of the deadline and now."""
    out = []
    for item in progress:
        scope = t("districts.scope.city", lang) if item["unit"] is None else unit_label(
            item["unit"], district_code(item["unit"], city), city, lang)
        out.append({"metric": label("metric", item["metric"], lang), "counts": counts_text(item, lang),
                    "scope": scope, "deadline": item["deadline"],
                    "status": t(f"figures.target.status.{item['status']}", lang),
                    "target": item["target"], "current": item["current"], "current_now": item["current_now"],
                    "gap": item["gap"], "progress": item["progress"],
                    "evidence": t(f"figures.target.evidence.{item['evidence']}", lang),
                    "sample_records": item["sample_records"], "counted": item["counted"],
                    "is_sample": item["is_sample"], "source": item["source"] or "",
                    "share": item["metric"].endswith("_share")})
    return pd.DataFrame(out, columns=[*TARGET_COLUMNS, "share"])


def target_line(item: dict[str, Any], lang: str = "zh") -> str:
    """One target in a sentence for the page (plain text): what, by when, status, figures, sample share."""
    kind: Kind = "share" if item["metric"].endswith("_share") else "count"
    fields = {"metric": label("metric", item["metric"], lang), "counts": counts_text(item, lang),
              "deadline": item["deadline"], "target": format_value(item["target"], kind, lang),
              "current": format_value(item["current"], kind, lang),
              "now": format_value(item["current_now"], kind, lang), "gap": format_value(item["gap"], kind, lang),
              "evidence": t(f"figures.target.evidence.{item['evidence']}", lang)}
    key = {"open": "open", "met": "met"}.get(item["status"], "overdue" if item["current"] is not None else "unknown")
    text = t(f"figures.target.line.{key}", lang, **fields)
    if item["sample_records"]:
        text += t("figures.target.line.sample", lang, sample=item["sample_records"], counted=item["counted"])
    elif item["target_is_sample"]:
        text += t("figures.target.line.sample_target", lang)
    return text


def target_header(column: str, lang: str = "zh") -> str:
    """The header of a column of :func:`target_rows` in ``lang``."""
    own = f"figures.target.col.{column}"
    return t(own, lang) if own in catalogue(normalise_language(lang)) else t(f"districts.target.{column}", lang)


def delisted_rows(frame: pd.DataFrame, city: City, lang: str = "zh") -> pd.DataFrame:
    """Delisted carriers (from :func:`carriermap.districts.metrics.delisted`) as ``name, unit, type`` in ``lang``."""
    return pd.DataFrame({
        "name": frame["name"],
        "unit": [unit_label(u, district_code(u, city), city, lang) for u in frame["unit"]],
        "type": [label("type", c, lang) for c in frame["type"]],
    })


def district_code(unit: str, city: City) -> str:
    """The adcode of the city's district named ``unit`` (``unit`` itself for zones and adcodes)."""
    gdf = districts(city.adcode)
    return dict(zip(gdf["name"], gdf["adcode"], strict=True)).get(unit, unit)


def format_value(value: Any, kind: Kind, lang: str = "zh") -> str:
    """A figure as text for tooltips and captions: ``1,234``, ``39.8%``, ``4.80``; ``—`` when missing."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if kind == "share":
        return f"{float(value):.1%}"
    if kind in ("density", "km2"):
        return f"{float(value):,.2f}" if kind == "density" else f"{float(value):,.1f}"
    if kind == "text":
        return str(value)
    return f"{float(value):,.0f}"


def _format_sheet(sheet, frame: pd.DataFrame) -> None:
    """Number formats by column kind, a frozen header and readable widths."""
    sheet.freeze_panes = "B2"
    for index, column in enumerate(frame.columns, start=1):
        letter = get_column_letter(index)
        number_format = EXCEL_FORMATS.get(column_kind(column))
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
        width = max([len(column_header(column)) * 2, *(len(str(v)) * 2 for v in frame[column].head(50))], default=8)
        sheet.column_dimensions[letter].width = min(max(width, 8), 40)


def _as_percentages(frame: pd.DataFrame) -> pd.DataFrame:
    """A view's table for export: its share columns as percentages (39.3, not 0.393)."""
    return percent_columns(frame, [c for c in frame.columns if column_kind(c) == "share"])


def _format_targets(sheet, shares: list[bool]) -> None:
    """Shares as percentages, counts with separators, progress as a percentage."""
    letter = {name: get_column_letter(index) for index, name in enumerate(TARGET_COLUMNS, start=1)}
    for name, width in (("metric", 18), ("counts", 24), ("scope", 14), ("status", 12), ("evidence", 22),
                        ("source", 60)):
        sheet.column_dimensions[letter[name]].width = width
    for row, share in enumerate(shares, start=2):
        for name in _TARGET_FIGURES:
            sheet[f"{letter[name]}{row}"].number_format = EXCEL_FORMATS["share" if share else "count"]
        sheet[f"{letter['progress']}{row}"].number_format = "0%"


def workbook(carriers: pd.DataFrame, targets: pd.DataFrame, city: City, lang: str = "zh",
             data_version: int | None = None, *, selection: MapFilters | None = None,
             progress: list[dict[str, Any]] | None = None) -> bytes:
    """An XLSX report: one sheet per view (by district, by reporting unit), the targets and notes.

    ``selection`` (the map's filters) decides which carriers the views count; the notes say it.
    ``progress`` is the targets judged with the history
    (:func:`carriermap.districts.targets.store_target_progress`); without it they are judged on
    ``carriers`` alone (a passed deadline then has no evidence).
    Headers are in ``lang``; numbers are numbers with formats; text is neutralised against formulas.
    """
    views = {by: table(unit_metrics(carriers, city.adcode, by, selection), city, lang) for by in GROUPINGS}
    judged = progress if progress is not None else target_progress(carriers, targets, city.adcode)
    target_table = target_rows(judged, city, lang)
    shares = target_table.pop("share").tolist()
    if "source" in target_table:  # the document's name, no internal tags or English notes
        target_table["source"] = [source_text(s, False, lang) for s in target_table["source"]]
    target_sheet = target_table.rename(columns={c: target_header(c, lang) for c in target_table.columns})
    notes = pd.DataFrame({t("districts.notes.item", lang): [t("districts.notes.city", lang),
                                                            t("districts.notes.generated", lang),
                                                            t("districts.notes.version", lang),
                                                            t("figures.notes.selection", lang),
                                                            t("districts.notes.sample", lang)],
                          t("districts.notes.value", lang): [
                              f"{city.display_name(lang)} ({city.adcode})",
                              t("finish.time.local", lang, time=now_local()),
                              "" if data_version is None else str(data_version),
                              describe(selection, lang),
                              invented.invented_note(selected(carriers, selection), lang)]})
    sheets = {t(f"districts.view.{by}", lang): localised(_as_percentages(frame), lang) for by, frame in views.items()}
    sheets[t("districts.sheet.targets", lang)] = target_sheet
    sheets[t("districts.sheet.notes", lang)] = notes
    sheets[t("provenance.sheet", lang)] = invented.sheet(selected(carriers, selection), city.adcode, GROUPINGS, lang,
                                                         view_name=lambda by: t(f"districts.view.{by}", lang))
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(sheets)))
    for by, frame in views.items():
        _format_sheet(book[t(f"districts.view.{by}", lang)[:31]], frame)
    _format_targets(book[t("districts.sheet.targets", lang)[:31]], shares)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv(rows: pd.DataFrame, city: City, lang: str = "zh") -> bytes:
    """The table of one view as CSV (UTF-8 with BOM, headers in ``lang``, cells neutralised)."""
    return to_csv_bytes(localised(_as_percentages(table(rows, city, lang)), lang))


def view_name(by: GroupBy, lang: str = "zh") -> str:
    """The name of a view (``按行政区`` / ``By reporting unit``)."""
    return t(f"districts.view.{by}", lang)


def class_labels(bounds: list[float], kind: Kind, lang: str = "zh") -> list[str]:
    """Legend labels of classes with upper ``bounds``: ``≤ 10``, ``10 – 25``, …"""
    labels = []
    for index, upper in enumerate(bounds):
        text = format_value(upper, kind, lang)
        labels.append(f"≤ {text}" if index == 0 else f"{format_value(bounds[index - 1], kind, lang)} – {text}")
    return labels
