"""What the quarterly report says, computed once for both formats (PDF and XLSX).

The quarter's data is its frozen snapshot when there is one; for an ended quarter not frozen,
the register as of the quarter's last instant (from the history); for the running quarter,
the live data. The change
is measured against the latest frozen quarter before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from carriermap import codes
from carriermap.boundaries import district_names
from carriermap.cities import City, get_city
from carriermap.districts.metrics import unit_metrics
from carriermap.formatting import local_time, quarter_name
from carriermap.i18n import label, t
from carriermap.invented import invented_by_unit, invented_note
from carriermap.invented import localised as invented_localised
from carriermap.report.summary import Summary, changes, headline, targets_table
from carriermap.snapshots import Quarter, frozen_at, parse_quarter, previous_frozen, quarter_carriers, snapshot
from carriermap.store import Store

FREE_SPACE_COLUMNS: tuple[str, ...] = ("name", "district", "address", "available_m2", "rent_cny_m2_month", "contact")


@dataclass
class ReportData:
    """Everything a report shows, as frames with header labels in the report's language."""

    city: City
    quarter: Quarter
    lang: str
    district_adcode: str | None
    title: str
    source_note: str
    carriers: pd.DataFrame  # the carriers in scope (delisted included), Store.carriers shape
    all_districts: list[str]  # adcodes of the city's districts (for the map)
    by_type: pd.DataFrame
    by_level: pd.DataFrame
    change: pd.DataFrame
    change_note: str
    free_space: pd.DataFrame  # sorted by district adcode, then free space (largest first)
    invented: pd.DataFrame  # per district: how many counted records and values are invented
    invented_note: str
    summary: Summary | None = None
    as_of: str = ""  # which data the figures are: "frozen 2026Q3 (…)" or "live data"

    def t(self, key: str, **fields: Any) -> str:
        """Catalogue text in the report's language."""
        return t(key, self.lang, **fields)


def _in_scope(frame: pd.DataFrame, district_adcode: str | None) -> pd.DataFrame:
    if district_adcode is None or frame.empty:
        return frame
    return frame[frame["district_adcode"].astype(str) == str(district_adcode)]


def _counts(metrics: pd.DataFrame, prefix: str, vocabulary: str, values: tuple[str, ...], lang: str) -> pd.DataFrame:
    columns = {"unit": t("data.report.col.district", lang), "carriers": t("data.report.col.total", lang)}
    columns |= {f"{prefix}{code}": label(vocabulary, code, lang) for code in values}
    return metrics[list(columns)].rename(columns=columns)


def _metrics(carriers: pd.DataFrame, city: City, district_adcode: str | None, lang: str) -> pd.DataFrame:
    metrics = unit_metrics(carriers, city.adcode, "district")
    metrics["unit"] = metrics["unit_code"].map(district_names(lang)).fillna(metrics["unit"])
    if district_adcode is not None:
        metrics = metrics[metrics["unit_code"] == str(district_adcode)]
    return metrics.sort_values("unit_code", kind="stable").reset_index(drop=True)  # districts by adcode


def with_total(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``frame`` with a last row summing every numeric column (the first column says 合计/Total)."""
    if frame.empty:
        return frame
    total = {column: (pd.to_numeric(frame[column], errors="coerce").sum(min_count=1)
                      if pd.api.types.is_numeric_dtype(frame[column]) else "") for column in frame.columns}
    total[frame.columns[0]] = t("finish.report.total", lang)
    return pd.concat([frame, pd.DataFrame([total])], ignore_index=True)


def _change(now: pd.DataFrame, before: pd.DataFrame | None, city: City, district_adcode: str | None,
            lang: str) -> pd.DataFrame:
    current = _metrics(now, city, district_adcode, lang)[["unit", "carriers", "available_m2"]]
    if before is None:
        previous = current.assign(carriers=pd.NA, available_m2=pd.NA)
    else:
        previous = _metrics(before, city, district_adcode, lang)[["unit", "carriers", "available_m2"]]
    merged = current.merge(previous, on="unit", how="left", suffixes=("", "_before"))
    now_ids, before_ids = _active_ids(now), _active_ids(before)
    names = district_names(lang)
    unit_of = {int(r["id"]): names.get(r["district_adcode"], r["district_adcode"]) for r in
               pd.concat([now, before if before is not None else now]).to_dict("records")}
    added = pd.Series([unit_of[i] for i in now_ids - before_ids], dtype=object).value_counts()
    removed = pd.Series([unit_of[i] for i in before_ids - now_ids], dtype=object).value_counts()
    def moved(counts: pd.Series):
        return merged["unit"].map(counts).fillna(0).astype(int) if before is not None else pd.NA

    out = pd.DataFrame({
        t("data.report.col.district", lang): merged["unit"],
        t("data.report.col.before", lang): merged["carriers_before"],
        t("data.report.col.now", lang): merged["carriers"],
        t("data.report.col.delta", lang): merged["carriers"] - merged["carriers_before"],
        t("data.report.col.added", lang): moved(added),
        t("data.report.col.removed", lang): moved(removed),
        t("data.report.col.free_before", lang): merged["available_m2_before"],
        t("data.report.col.free_now", lang): merged["available_m2"],
    })
    return out


def _active_ids(frame: pd.DataFrame | None) -> set[int]:
    if frame is None or frame.empty:
        return set()
    return set(frame.loc[frame["status"] != "delisted", "id"].astype(int))


def _free_space(carriers: pd.DataFrame, lang: str) -> pd.DataFrame:
    names = district_names(lang)
    free = pd.to_numeric(carriers.get("available_m2"), errors="coerce")
    rows = carriers[(free > 0) & (carriers["status"] == "operating")].copy()
    rows["district"] = rows["district_adcode"].map(lambda code: names.get(code, code))
    rows["available_m2"] = pd.to_numeric(rows["available_m2"], errors="coerce")
    rows = rows.sort_values(["district_adcode", "available_m2"], ascending=[True, False], kind="stable")
    headers = {column: t(f"data.report.col.{column}", lang) for column in FREE_SPACE_COLUMNS}
    return rows[list(FREE_SPACE_COLUMNS)].rename(columns=headers).reset_index(drop=True)


def _invented(carriers: pd.DataFrame, city: City, district_adcode: str | None, lang: str) -> pd.DataFrame:
    """Per district of the report, how many of its counted records and values are invented."""
    table = invented_by_unit(_in_scope(carriers, district_adcode), city.adcode, "district")
    names = district_names(lang)
    code_of = {name: code for code, name in district_names("zh").items()}
    table["unit"] = table["unit"].map(lambda unit: names.get(code_of.get(unit, ""), unit))
    return invented_localised(table, lang)


def collect(store: Store, city_adcode: str, quarter: str | Quarter, *, district_adcode: str | None = None,
            lang: str = "zh") -> ReportData:
    """Gather the report's content for a city (or one of its districts) and quarter."""
    city = get_city(city_adcode)
    quarter = parse_quarter(str(quarter))
    carriers, origin = quarter_carriers(store, city.adcode, quarter)
    source_note = {
        "frozen": lambda: t("data.report.source.frozen", lang, quarter=str(quarter),
                            at=local_time(frozen_at(store, city.adcode, quarter), with_zone=True)),
        "history": lambda: t("figures.report.source.history", lang, quarter=str(quarter),
                             end=local_time(quarter.end_instant, with_zone=True)),
        "live": lambda: t("data.report.source.live", lang),
    }[origin]()
    previous_quarter = previous_frozen(store, city.adcode, quarter)
    before = snapshot(store, city.adcode, previous_quarter) if previous_quarter else None
    change_note = (t("data.report.change.since", lang, quarter=str(previous_quarter)) if previous_quarter
                   else t("data.report.change.none", lang))
    place = city.display_name(lang)
    if district_adcode is not None:
        place += " " + district_names(lang).get(str(district_adcode), str(district_adcode))
    metrics = _metrics(carriers, city, district_adcode, lang)
    scoped = _in_scope(carriers, district_adcode).reset_index(drop=True)
    targets = store.targets(city.adcode) if district_adcode is None else store.targets(city.adcode).iloc[0:0]
    summary = Summary(
        headline=headline(scoped, lang),
        targets=targets_table(carriers, targets, city.adcode, lang),
        changes=changes(scoped, _in_scope(before, district_adcode) if before is not None else None,
                        str(previous_quarter) if previous_quarter else None, lang))
    from carriermap.boundaries import districts

    return ReportData(
        city=city, quarter=quarter, lang=lang, district_adcode=district_adcode,
        title=t("data.report.title", lang, place=place, quarter=quarter_name(quarter, lang)),
        source_note=source_note,
        carriers=scoped, summary=summary, as_of=source_note,
        all_districts=list(districts(city.adcode)["adcode"]),
        by_type=with_total(_counts(metrics, "type_", "type", codes.CARRIER_TYPES, lang), lang),
        by_level=with_total(_counts(metrics, "level_", "level", codes.LEVELS, lang), lang),
        change=with_total(_change(carriers, before, city, district_adcode, lang), lang),
        change_note=change_note,
        free_space=_free_space(_in_scope(carriers, district_adcode), lang),
        invented=_invented(carriers, city, district_adcode, lang),
        invented_note=invented_note(_in_scope(carriers, district_adcode), lang),
    )
