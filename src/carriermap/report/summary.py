"""The report's first page: headline figures, targets and progress, and what changed since the
last frozen quarter (new, delisted, level changes, free space), as text in the report's language.

Pure functions over carrier frames (the quarter's and the previous frozen quarter's); numbers
are written by :mod:`carriermap.formatting`, so the page, the exports and the report agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from carriermap import codes
from carriermap.districts.targets import target_progress
from carriermap.formatting import area, number, percent
from carriermap.i18n import label, t

MAX_NAMES = 8  # names listed per change line; the rest are counted


@dataclass
class Summary:
    """What the first page says."""

    headline: list[tuple[str, str]]  # (label, value as text)
    targets: pd.DataFrame  # metric, year, target, current, progress (text), for the whole city
    changes: list[str] = field(default_factory=list)  # sentences


def _active(frame: pd.DataFrame | None) -> pd.DataFrame:
    if frame is None or frame.empty:
        return pd.DataFrame(columns=["id", "name", "level", "available_m2"])
    return frame[frame["status"] != "delisted"]


def _free(frame: pd.DataFrame | None) -> float:
    active = _active(frame)
    return float(pd.to_numeric(active.get("available_m2"), errors="coerce").fillna(0).sum()) if len(active) else 0.0


def headline(carriers: pd.DataFrame, lang: str) -> list[tuple[str, str]]:
    """The quarter's headline figures: carriers, national-level, specialised share, areas, tenants, jobs."""
    active = _active(carriers)
    count = len(active)

    def total(column: str) -> float:
        return float(pd.to_numeric(active.get(column), errors="coerce").fillna(0).sum()) if count else 0.0

    specialised = float((active["specialisation"] == "specialized").sum() / count) if count else None
    return [
        (t("finish.report.headline.carriers", lang), number(count)),
        (t("finish.report.headline.national", lang), number(int(active["level"].isin(codes.NATIONAL_LEVELS).sum()))),
        (t("finish.report.headline.specialized_share", lang), percent(specialised)),
        (t("finish.report.headline.total_area", lang), area(total("total_area_m2"), lang) + " m²"),
        (t("finish.report.headline.free", lang), area(total("available_m2"), lang) + " m²"),
        (t("finish.report.headline.tenants", lang), number(total("tenants"))),
        (t("finish.report.headline.jobs", lang), number(total("jobs"))),
    ]


def targets_table(carriers: pd.DataFrame, targets: pd.DataFrame, city_adcode: str, lang: str) -> pd.DataFrame:
    """The city-wide targets with current value and progress, as text (shares in percent)."""
    rows = []
    for item in target_progress(carriers, targets, city_adcode):
        if item["unit"] is not None:
            continue
        share = item["metric"].endswith("_share")

        def show(value, share=share):
            return percent(value) if share else number(value)

        rows.append({t("districts.target.metric", lang): label("metric", item["metric"], lang),
                     t("districts.target.year", lang): str(item["year"]),
                     t("districts.target.target", lang): show(item["target"]),
                     t("districts.target.current", lang): show(item["current"]),
                     t("districts.target.progress", lang): percent(item["progress"])})
    return pd.DataFrame(rows)


def _names(frame: pd.DataFrame, lang: str) -> str:
    names = [str(n) for n in frame["name"].tolist()]
    shown = t("finish.report.name_sep", lang).join(names[:MAX_NAMES])
    if len(names) > MAX_NAMES:
        shown += t("finish.report.and_more", lang, count=len(names) - MAX_NAMES)
    return shown


def changes(now: pd.DataFrame, before: pd.DataFrame | None, previous_quarter: str | None, lang: str) -> list[str]:
    """Sentences saying what changed since the last frozen quarter (or that there is none to compare)."""
    if before is None or previous_quarter is None:
        return [t("data.report.change.none", lang)]
    now_active, before_active = _active(now), _active(before)
    new_ids = set(now_active["id"].astype(int)) - set(before_active["id"].astype(int))
    gone_ids = set(before_active["id"].astype(int)) - set(now_active["id"].astype(int))
    lines = [t("data.report.change.since", lang, quarter=previous_quarter)]
    added = now_active[now_active["id"].astype(int).isin(new_ids)]
    lines.append(t("finish.report.change.new", lang, count=len(added)) +
                 (t("finish.report.change.names", lang, names=_names(added, lang)) if len(added) else ""))
    removed = before_active[before_active["id"].astype(int).isin(gone_ids)]
    lines.append(t("finish.report.change.delisted", lang, count=len(removed)) +
                 (t("finish.report.change.names", lang, names=_names(removed, lang)) if len(removed) else ""))
    both = now_active.merge(before_active[["id", "level"]], on="id", suffixes=("", "_before"))
    moved = both[both["level"] != both["level_before"]]
    items = [t("finish.report.change.level_item", lang, name=r["name"], before=label("level", r["level_before"], lang),
               after=label("level", r["level"], lang)) for r in moved.head(MAX_NAMES).to_dict("records")]
    lines.append(t("finish.report.change.levels", lang, count=len(moved)) +
                 (t("finish.report.change.names", lang, names=t("finish.report.name_sep", lang).join(items))
                  if items else ""))
    free_now, free_before = _free(now), _free(before)
    lines.append(t("finish.report.change.free", lang, before=area(free_before, lang), now=area(free_now, lang),
                   delta=("+" if free_now >= free_before else "−") + area(abs(free_now - free_before), lang)))
    return lines  # the catalogue's sentences are already in the language's style; names stay as typed
