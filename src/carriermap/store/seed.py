"""Filling an empty database from the bundled files in ``data/``."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from carriermap.model import Field, clean_carrier, clean_value
from carriermap.paths import CARRIERS_FILE, FEATURES_FILE, TARGETS_FILE
from carriermap.placement import place
from carriermap.store import schema
from carriermap.store.engine import setup_lock, write_transaction

SEED_ACTOR = "system"


class BundledDataError(RuntimeError):
    """The bundled data does not validate (a bug in ``data/``, caught by the tests)."""


def load_bundled_carriers(path: Path = CARRIERS_FILE) -> list[dict[str, Any]]:
    """The bundled carriers, validated and placed; raises :class:`BundledDataError` listing every problem."""
    with path.open(encoding="utf-8", newline="") as handle:
        raw_rows = list(csv.DictReader(handle))
    records, errors = [], []
    for line, raw in enumerate(raw_rows, start=2):
        record, problems = clean_carrier(raw)
        records.append(record)
        errors.extend(f"{path.name}:{line}: {p.field}={p.value!r}: {p.key} {p.params}" for p in problems)
    for index, problems in place(records).items():
        errors.extend(f"{path.name}:{index + 2}: {p.field}={p.value!r}: {p.key} {p.params}" for p in problems)
    if errors:
        raise BundledDataError("\n".join(errors))
    return records


def load_bundled_features(path: Path = FEATURES_FILE) -> list[dict[str, Any]]:
    """Corridors, clusters and zones from the bundled GeoJSON."""
    collection = json.loads(path.read_text(encoding="utf-8"))
    return [{**feature["properties"], "geometry": feature["geometry"]} for feature in collection["features"]]


def load_bundled_targets(path: Path = TARGETS_FILE) -> list[dict[str, Any]]:
    """Targets from the bundled CSV (``unit`` empty for the whole city)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    flag = Field("is_sample", "bool")
    return [{"city_adcode": r["city_adcode"], "unit": r["unit"] or None, "metric": r["metric"],
             "value": float(r["value"]), "year": int(r["year"]), "source": r["source"],
             "is_sample": clean_value(flag, r["is_sample"])[0] or False} for r in rows]


def real_only(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records the sources state (``is_sample`` false): what a sample-free deployment starts with."""
    return [record for record in records if not record.get("is_sample")]


def seed_if_empty(store, *, samples: bool | None = None) -> bool:
    """Fill the database from ``data/`` if it has never held a carrier; True when it did.

    ``samples=False`` (default: :func:`carriermap.settings.sample_data_enabled`) fills it with
    the sourced records only: real carriers, corridors, zones and targets, no invented ones.
    Runs in one write transaction that re-checks emptiness, so two processes starting on
    the same new database fill it once.
    """
    if samples is None:
        from carriermap.settings import sample_data_enabled

        samples = sample_data_enabled()
    with store.engine.connect() as connection:
        if connection.execute(select(func.count()).select_from(schema.changesets)).scalar_one():
            return False
    carriers = load_bundled_carriers()
    features, targets = load_bundled_features(), load_bundled_targets()
    if not samples:
        carriers, features, targets = real_only(carriers), real_only(features), real_only(targets)
    with write_transaction(store.engine) as connection:
        setup_lock(connection)
        if connection.execute(select(func.count()).select_from(schema.changesets)).scalar_one():
            return False
        store.replace_reference_data(features, targets, connection)
        summary = "bundled data (data/)" if samples else "bundled data (data/), sourced records only"
        result = store.apply(actor=SEED_ACTOR, kind="seed", summary=summary, inserts=carriers, connection=connection)
        if result.changeset_id is None:  # nothing sourced to insert: still mark the database as filled
            store.mark_filled(connection, summary)
    return True
