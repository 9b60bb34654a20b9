"""Bench section ``import``: 10,000 rows validated and committed in one transaction vs row by row.

Ours: :func:`carriermap.importing.plan_import` on the file's bytes (read, validate, convert,
place, match) and :func:`carriermap.importing.commit_import` (one change set, one
transaction, executemany). The naive way: the same validation and placement per row, each
row written in its own transaction, as a loop over a spreadsheet usually does it. The naive
loop runs on a sample (it is slow by design) and is reported in rows per second.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from carriermap.boundaries import city_outline
from carriermap.model import clean_carrier
from carriermap.placement import place

CITY = "440100"


def sample_file(rows: int, seed: int = 7) -> bytes:
    """A CSV (zh headers, UTF-8 with BOM) of ``rows`` made-up carriers with points inside Guangzhou."""
    rng = np.random.default_rng(seed)
    outline = city_outline(CITY)
    minx, miny, maxx, maxy = outline.bounds
    lon, lat = np.empty(0), np.empty(0)
    while len(lon) < rows:
        x, y = rng.uniform(minx, maxx, rows * 3), rng.uniform(miny, maxy, rows * 3)
        inside = shapely.contains_xy(outline, x, y)
        lon, lat = np.concatenate([lon, x[inside]]), np.concatenate([lat, y[inside]])
    total = rng.integers(500, 50_000, rows)
    frame = pd.DataFrame({
        "名称": [f"基准测试载体{i:05d}" for i in range(rows)],
        "类型": rng.choice(["孵化器", "众创空间", "maker_space", "accelerator"], rows),
        "级别": rng.choice(["国家级", "省级", "市级", "unrated"], rows),
        "经度": np.round(lon[:rows], 6), "纬度": np.round(lat[:rows], 6),
        "孵化面积(平方米)": total, "可供面积(平方米)": (total * rng.uniform(0, 1, rows)).round(0),
        "联系电话": [f"020-{8000_0000 + i}" for i in range(rows)],
    })
    return frame.to_csv(index=False).encode("utf-8-sig")


def _fresh_store(directory: Path, name: str, database: str | None = None):
    """An empty store: a new SQLite file, or (``--database`` on PostgreSQL) a scratch schema.

    The scratch schema (``carriermap_bench_<name>``, dropped first) is first on the
    connection's ``search_path``, so the real tables of that database are never touched.
    """
    from sqlalchemy import create_engine, text

    from carriermap.store import Store

    if not database or database.startswith("sqlite"):
        return Store.open(f"sqlite:///{directory / name}", seed=False)
    scratch = "carriermap_bench_" + Path(name).stem
    admin = create_engine(database)
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {scratch} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {scratch}"))
    admin.dispose()
    store = Store(create_engine(database, connect_args={"options": f"-csearch_path={scratch},public"}))
    store.create_schema()
    return store


def _drop_scratch(database: str | None) -> None:
    if not database or database.startswith("sqlite"):
        return
    from sqlalchemy import create_engine, text

    admin = create_engine(database)
    with admin.begin() as connection:
        for name in ("warm", "ours", "naive"):
            connection.execute(text(f"DROP SCHEMA IF EXISTS carriermap_bench_{name} CASCADE"))
    admin.dispose()


def _ours(data: bytes, directory: Path, database: str | None) -> tuple[float, int]:
    from carriermap.importing import commit_import, plan_import

    store = _fresh_store(directory, "ours.sqlite", database)
    start = time.perf_counter()
    plan = plan_import(data, "bench.csv", city=CITY, store=store)
    assert plan.ok, plan.errors("en")[:3]
    commit_import(store, plan, "bench")
    elapsed = time.perf_counter() - start
    count = len(store.carriers(CITY))
    store.engine.dispose()
    return elapsed, count


def _row_by_row(data: bytes, rows: int, directory: Path, database: str | None) -> float:
    import io

    store = _fresh_store(directory, "naive.sqlite", database)
    frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False).head(rows)
    names = {"名称": "name", "类型": "type", "级别": "level", "经度": "lon", "纬度": "lat",
             "孵化面积(平方米)": "total_area_m2", "可供面积(平方米)": "available_m2", "联系电话": "contact"}
    start = time.perf_counter()
    for raw in frame.rename(columns=names).to_dict("records"):
        record, problems = clean_carrier({**raw, "city_adcode": CITY})
        problems += place([record]).get(0, [])
        assert not problems, problems
        store.apply(actor="bench", kind="import", city_adcode=CITY, inserts=[record])
    elapsed = time.perf_counter() - start
    store.engine.dispose()
    return elapsed


def _warm_up(directory: Path, database: str | None) -> None:
    """Load boundaries, catalogues and SQLAlchemy's compiled statements once, untimed, for both."""
    from carriermap.importing import plan_import

    store = _fresh_store(directory, "warm.sqlite", database)
    plan_import(sample_file(50, seed=1), "warm.csv", city=CITY, store=store)
    store.engine.dispose()


def run(options) -> list[dict]:
    """Rows per second of our import and of the row-by-row loop (the loop on a sample)."""
    rows = 1_000 if getattr(options, "quick", False) else 10_000
    naive_rows = 200 if getattr(options, "quick", False) else 1_000
    data = sample_file(rows)
    database = getattr(options, "database", None)
    backend = "sqlite" if not database or database.startswith("sqlite") else "postgresql"
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        try:
            _warm_up(directory, database)
            ours, written = _ours(data, directory, database)
            naive = _row_by_row(data, naive_rows, directory, database)
        finally:
            _drop_scratch(database)
    ours_rate, naive_rate = rows / ours, naive_rows / naive
    return [
        {"case": f"one transaction, {rows} rows", "backend": backend, "rows": rows, "seconds": round(ours, 2),
         "rows_per_s": round(ours_rate), "written": written, "speedup": round(ours_rate / naive_rate, 1)},
        {"case": f"row by row, {naive_rows} rows", "backend": backend, "rows": naive_rows, "seconds": round(naive, 2),
         "rows_per_s": round(naive_rate), "written": naive_rows, "speedup": 1.0},
    ]
