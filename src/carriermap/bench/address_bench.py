"""Bench section ``addresses``: 10,000 address-only rows to unplaced carriers, districts parsed offline.

The held-out truth is built from the bundled carriers (``data/carriers.csv``): each has an
address and a district derived from its point, never from the text. Their addresses are
rewritten the ways real lists write them (with province and city, with short names such as
广州天河…, with full-width spaces, with the street alone, with a development-zone name
instead of the district) and parsed back; a parse **agrees** when it gives the district of
the point, is **wrong** when it gives another one, **unknown** when it gives none (the row is
then flagged for an editor, which is the safe outcome). Street-only rows have no district in
the text at all: they measure that the parser does not guess.

Rows: our parser alone (rows/s, agreement); ``cpca`` on the same addresses when
``CARRIERMAP_BENCH_CPCA_PATH`` names a folder where it is installed (run in a subprocess,
so its own pandas never mixes with ours); the whole import of 10,000 address-only rows
(plan + one transaction, rows/s) next to the current import of 10,000 rows with coordinates.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from carriermap.addresses import parse_addresses
from carriermap.cities import get_city
from carriermap.paths import CARRIERS_FILE

CITY = "440100"
STYLES = ("as_written", "province_city", "short_names", "spaced", "street_only", "zone")


def _street(address: str, district: str) -> str:
    return address.replace("(示例地址)", "").replace(district, "", 1)


def held_out(rows: int, seed: int = 11, city: str | None = None) -> pd.DataFrame:
    """``rows`` addresses (name, address, style, truth district adcode) rewritten from the bundled carriers."""
    from carriermap.boundaries import district_names

    bundled = pd.read_csv(CARRIERS_FILE, dtype=str, keep_default_na=False)
    bundled = bundled[bundled["district_adcode"] != ""]
    if city:
        bundled = bundled[bundled["city_adcode"] == city]
    names = district_names("zh")
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(bundled), rows)
    styles = rng.choice(STYLES, rows, p=[0.25, 0.25, 0.2, 0.1, 0.1, 0.1])
    out = []
    for i, (pick, style) in enumerate(zip(picks, styles, strict=True)):
        carrier = bundled.iloc[int(pick)]
        truth, district = carrier["district_adcode"], names.get(carrier["district_adcode"], "")
        town = get_city(carrier["city_adcode"])
        street = _street(carrier["address"], district)
        zones = [z.name for z in town.zones if z.district_adcode == truth]
        if style == "zone" and not zones:
            style = "province_city"
        text = {
            "as_written": carrier["address"],
            "province_city": f"{town.province}{town.name}{district}{street}",
            "short_names": f"{town.name.removesuffix('市')}{district.removesuffix('区')}{street}",
            "spaced": f"{town.name} {district}\u3000{street}",
            "street_only": street,
            "zone": f"{town.name}{zones[0] if zones else ''}{street}",
        }[style]
        out.append({"name": f"基准地址载体{i:05d}", "address": text, "style": style, "truth": truth,
                    "city_adcode": carrier["city_adcode"]})
    return pd.DataFrame(out)


def agreement(found: list[str | None], truth: pd.Series) -> dict[str, float]:
    """Shares of parses that agree with the truth, are wrong, or give no district."""
    found_series = pd.Series(found, index=truth.index, dtype=object)
    known = found_series.notna() & (found_series != "")
    agree = known & (found_series == truth)
    total = len(truth) or 1
    return {"agree": round(float(agree.sum()) / total, 4), "wrong": round(float((known & ~agree).sum()) / total, 4),
            "unknown": round(float((~known).sum()) / total, 4)}


def _ours(frame: pd.DataFrame, city_known: bool) -> dict:
    """Our parser with no hint, or told each row's city (as an import is: ``--city`` or the file's vote)."""
    start = time.perf_counter()
    if city_known:
        found = [parse_addresses([address], city)[0].district_adcode
                 for address, city in zip(frame["address"], frame["city_adcode"], strict=True)]
    else:
        found = [m.district_adcode for m in parse_addresses(frame["address"], None)]
    elapsed = time.perf_counter() - start
    case = "our parser, city known (as in an import)" if city_known else "our parser, no city hint"
    return {"case": case, "rows": len(frame), "seconds": round(elapsed, 3),
            "rows_per_s": round(len(frame) / elapsed), **agreement(found, frame["truth"]),
            "agree_when_district_written": _written(found, frame)}


def _written(found: list[str | None], frame: pd.DataFrame) -> float:
    """Agreement on the rows whose text names a district or zone (all but street-only)."""
    mask = frame["style"] != "street_only"
    return agreement([f for f, m in zip(found, mask, strict=True) if m], frame.loc[mask, "truth"])["agree"]


_CPCA_SCRIPT = """
import json, sys, time
import cpca
addresses = json.load(open(sys.argv[1], encoding="utf-8"))
start = time.perf_counter()
frame = cpca.transform(addresses)
elapsed = time.perf_counter() - start
codes = [None if c != c or c is None or not str(c).strip() or len(str(c)) != 6 or str(c).endswith("00") else str(c)
         for c in frame["adcode"]]
json.dump({"seconds": elapsed, "codes": codes}, sys.stdout)
"""


def _cpca(frame: pd.DataFrame) -> dict | None:
    folder = os.environ.get("CARRIERMAP_BENCH_CPCA_PATH")
    if not folder:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "addresses.json"
        source.write_text(json.dumps(list(frame["address"]), ensure_ascii=False), encoding="utf-8")
        done = subprocess.run([sys.executable, "-c", _CPCA_SCRIPT, str(source)], capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": folder}, timeout=600, check=False)
    if done.returncode != 0:
        return {"case": "cpca 0.5.5", "error": done.stderr.strip().splitlines()[-1][:200]}
    result = json.loads(done.stdout)
    return {"case": "cpca (same addresses)", "rows": len(frame), "seconds": round(result["seconds"], 3),
            "rows_per_s": round(len(frame) / result["seconds"]), **agreement(result["codes"], frame["truth"]),
            "agree_when_district_written": _written(result["codes"], frame)}


def _import_rows(rows: int) -> tuple[dict, dict]:
    """The whole import: address-only rows vs the current import (rows with coordinates)."""
    from carriermap.bench.import_bench import _fresh_store, _ours, _warm_up, sample_file
    from carriermap.importing import commit_import, plan_import

    frame = held_out(rows, seed=5, city=CITY)
    data = pd.DataFrame({"名称": frame["name"], "类型": "科技企业孵化器", "地址": frame["address"]}).to_csv(
        index=False).encode("utf-8-sig")
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        _warm_up(directory, None)
        store = _fresh_store(directory, "addresses.sqlite")
        start = time.perf_counter()
        plan = plan_import(data, "addresses.csv", city=CITY, store=store)
        assert plan.ok, plan.errors("en")[:3]
        commit_import(store, plan, "bench")
        elapsed = time.perf_counter() - start
        written = store.carriers(CITY)
        store.engine.dispose()
        current, count = _ours(sample_file(rows), directory, None)
    by_name = written.set_index("name")["district_adcode"]
    found = [by_name.get(name) for name in frame["name"]]
    found = [None if f is None or (isinstance(f, float) and f != f) else f for f in found]
    ours = {"case": f"import {rows} address-only rows (unplaced)", "rows": rows, "seconds": round(elapsed, 2),
            "rows_per_s": round(rows / elapsed), "written": len(written), **agreement(found, frame["truth"])}
    current_row = {"case": f"current import, {rows} rows with coordinates", "rows": rows, "seconds": round(current, 2),
                   "rows_per_s": round(rows / current), "written": count}
    return ours, current_row


def run(options) -> list[dict]:
    """Our parser, cpca when available, and the import with and without coordinates."""
    rows = 1_000 if getattr(options, "quick", False) else 10_000
    frame = held_out(rows)
    out = [_ours(frame, city_known=False), _ours(frame, city_known=True)]
    cpca = _cpca(frame)
    if cpca:
        out.append(cpca)
    out.extend(_import_rows(rows))
    return out
