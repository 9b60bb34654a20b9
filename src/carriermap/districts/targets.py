"""Targets: what each one counts, its deadline, and whether it was met by then or is overdue.

A target (seed 001: 150 maker spaces in Guangzhou by 2018; seed 003: Wuhan's 600 carriers,
200 national, 50 % specialised by 2025) is judged on the register **as of its deadline**
(the end of its year, China time): from a frozen quarter ending then, or rebuilt from the
history (:func:`carriermap.asof.carriers_as_of`). Before the deadline it is ``open`` and
measured on the live data. After it, it is ``met`` or ``overdue``; when the register holds
nothing as of the deadline (it started later), the target is ``overdue`` with no evidence
(``evidence = "none"``) and only today's figure is given.

Progress counted from any sample record is itself sample: ``sample_records`` says how many of
the ``counted`` records are invented, and ``is_sample`` is set (as it is for a sample target).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pandas as pd

from carriermap import codes
from carriermap.asof import carriers_as_of, first_record_at, start_of_day
from carriermap.boundaries import districts
from carriermap.districts.metrics import _unit_keys

AsOf = Callable[[datetime], "pd.DataFrame | None"]


@dataclass(frozen=True)
class Counts:
    """What a target metric counts: carriers of ``types`` at ``levels`` (empty: any), or a share."""

    types: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    share_of: str | None = None  # the specialisation whose share is measured (``specialized``)


DEFINITIONS: dict[str, Counts] = {
    "carriers": Counts(),  # seed 003: 众创孵化载体总量 — every type in the register
    "national": Counts(levels=tuple(sorted(codes.NATIONAL_LEVELS))),
    "specialized_share": Counts(share_of="specialized"),
    "maker_spaces": Counts(types=("maker_space",)),
    "incubators": Counts(types=("incubator",)),
}
STATUSES: tuple[str, ...] = ("open", "met", "overdue")
EVIDENCE: tuple[str, ...] = ("live", "snapshot", "history", "none")


def deadline_of(year: int) -> datetime:
    """The instant a target "by ``year``" falls due: the end of 31 December, China time."""
    return start_of_day(date(int(year) + 1, 1, 1))


@dataclass(frozen=True)
class Measure:
    """A metric measured on a set of carriers: the value and how many records (and sample ones) it counts."""

    value: float
    counted: int
    sample_records: int


def measure(carriers: pd.DataFrame, metric: str) -> Measure:
    """``metric`` over ``carriers`` (delisted ones are never counted)."""
    what = DEFINITIONS[metric]
    active = carriers[carriers["status"] != "delisted"]
    if what.types:
        active = active[active["type"].isin(what.types)]
    if what.levels:
        active = active[active["level"].isin(what.levels)]
    samples = int(active["is_sample"].fillna(False).astype(bool).sum()) if len(active) else 0
    if what.share_of is not None:
        count = len(active)
        share = round(float((active["specialisation"] == what.share_of).sum() / count), 4) if count else 0.0
        return Measure(share, count, samples)
    return Measure(float(len(active)), len(active), samples)


def city_totals(carriers: pd.DataFrame, city_adcode: str) -> dict[str, Any]:
    """Every target metric over the city's active carriers (the trend's city-wide figures)."""
    frame = carriers[carriers["city_adcode"].astype(str) == str(city_adcode)]
    return {metric: _number(measure(frame, metric).value) for metric in DEFINITIONS}


# What :func:`target_progress` reads of the live carriers (``Store.carriers(city, columns=TARGET_COLUMNS)``).
TARGET_COLUMNS = ("city_adcode", "district_adcode", "reporting_unit", "status", "type", "level", "specialisation",
                  "is_sample")


def _unit(target: dict[str, Any]) -> str | None:
    unit = target.get("unit")
    return None if unit is None or (isinstance(unit, float) and np.isnan(unit)) or unit == "" else str(unit)


def _in_unit(frame: pd.DataFrame, unit: str | None, names: dict[str, str], city_adcode: str) -> pd.DataFrame:
    frame = frame[frame["city_adcode"].astype(str) == str(city_adcode)]
    if unit is None or frame.empty:
        return frame
    return frame[_unit_keys(frame, "reporting_unit", names) == names.get(unit, unit)]


def target_progress(carriers: pd.DataFrame, targets: pd.DataFrame, city_adcode: str, *,
                    now: datetime | None = None, as_of: AsOf | None = None) -> list[dict[str, Any]]:
    """Each target of the city judged as described in the module docstring.

    ``carriers`` is the live register; ``as_of(instant)`` gives the register at a past
    instant and where from (``(frame, "snapshot" | "history")``), or None when it holds
    nothing then (see :func:`register_as_of`). Each item: ``metric, unit, target, year,
    deadline, types, levels, status, evidence, current`` (as of the deadline, or now while
    open; None without evidence), ``current_now``, ``gap``, ``progress`` (0–1, of ``current``
    or, without evidence, of ``current_now``), ``counted``, ``sample_records``, ``is_sample``
    (the target or any counted record invented), ``target_is_sample`` and ``source``.
    """
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    gdf = districts(city_adcode)
    names = dict(zip(gdf["adcode"], gdf["name"], strict=True))
    out = []
    for target in targets[targets["city_adcode"].astype(str) == str(city_adcode)].to_dict("records"):
        metric, unit, value = target["metric"], _unit(target), float(target["value"])
        deadline = deadline_of(int(target["year"]))
        now_measure = measure(_in_unit(carriers, unit, names, city_adcode), metric)
        if moment < deadline:
            status, evidence, judged = "open", "live", now_measure
        else:
            past = as_of(deadline) if as_of is not None else None
            if past is None:
                status, evidence, judged = "overdue", "none", None
            else:
                frame, evidence = past
                judged = measure(_in_unit(frame, unit, names, city_adcode), metric)
                status = "met" if judged.value >= value else "overdue"
        basis = judged or now_measure
        what = DEFINITIONS[metric]
        out.append({
            "metric": metric, "unit": unit, "target": value, "year": int(target["year"]),
            "deadline": date(int(target["year"]), 12, 31).isoformat(),
            "types": list(what.types), "levels": list(what.levels), "status": status, "evidence": evidence,
            "current": None if judged is None else _number(judged.value), "current_now": _number(now_measure.value),
            "gap": round(max(value - basis.value, 0), 4),
            "progress": round(min(basis.value / value, 1.0), 4) if value else 1.0,
            "counted": basis.counted, "sample_records": basis.sample_records,
            "is_sample": bool(target.get("is_sample")) or basis.sample_records > 0,
            "target_is_sample": bool(target.get("is_sample")), "source": target.get("source"),
        })
    return out


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def register_as_of(store, city_adcode: str, *, hide_samples: bool = False) -> AsOf:
    """``as_of`` for :func:`target_progress` from a store: a frozen quarter whose snapshot stands
    for that instant, else the history rolled back to it; None when the city's first record is later."""
    from carriermap.snapshots import frozen_as_of

    first = first_record_at(store, city_adcode)

    def at(instant: datetime) -> tuple[pd.DataFrame, str] | None:
        frozen = frozen_as_of(store, city_adcode, instant)
        if frozen is not None:
            frame, evidence = frozen, "snapshot"
        elif first is not None and first < instant:
            frame, evidence = carriers_as_of(store, city_adcode, instant), "history"
        else:
            return None
        if hide_samples and len(frame):
            frame = frame[~frame["is_sample"].fillna(False).astype(bool)]
        return frame, evidence

    return at


def store_target_progress(store, city_adcode: str, *, live: pd.DataFrame | None = None,
                          hide_samples: bool = False, now: datetime | None = None) -> list[dict[str, Any]]:
    """:func:`target_progress` of the city's targets in ``store`` (live carriers read unless given)."""
    if live is None:
        live = store.carriers(city_adcode)
    if hide_samples and len(live):
        live = live[~live["is_sample"].fillna(False).astype(bool)]
    if now is None and getattr(store, "clock", None) is not None:
        now = store.clock()
    targets = store.targets(city_adcode)
    if hide_samples and len(targets):
        targets = targets[~targets["is_sample"].fillna(False).astype(bool)]
    return target_progress(live, targets, city_adcode, now=now,
                           as_of=register_as_of(store, city_adcode, hide_samples=hide_samples))
