"""Benchmark section ``export``: exporting N carriers as XLSX and CSV, time and peak memory.

Each approach runs in a fresh child process (so its peak resident memory is its own) on the
same synthetic carriers: ``xlsxwriter_constant_memory`` (ours, :func:`carriermap.export.write_export`),
``pandas_openpyxl`` (the usual ``DataFrame.to_excel`` with openpyxl, what the export used
before) and ``csv`` (ours) for scale.
"""

from __future__ import annotations

import multiprocessing
import resource
import time

N = 100_000
QUICK_N = 10_000


def _frame(n: int):
    from carriermap.bench.postgis_bench import search_frame, synthetic_carriers

    frame = search_frame(synthetic_carriers(n, city_adcode="440100"))
    for column in ("address", "operator", "contact", "services"):
        frame[column] = "示例地址 " + frame["id"].astype(str)
    return frame


def _child(approach: str, n: int, queue) -> None:
    import io

    import pandas as pd

    from carriermap.export import export_frame, neutralise_frame, write_export
    from carriermap.model import CARRIER_COLUMNS

    carriers = _frame(n)
    for column in CARRIER_COLUMNS:
        if column not in carriers:
            carriers[column] = None
    start = time.perf_counter()
    if approach == "pandas_openpyxl":
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            neutralise_frame(export_frame(carriers)).to_excel(writer, sheet_name="carriers", index=False)
        size = len(buffer.getvalue())
    else:
        size = len(write_export(carriers, "csv" if approach == "csv" else "xlsx", None))
    seconds = time.perf_counter() - start
    queue.put({"seconds": round(seconds, 2), "bytes": size,
               "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)})


def run(options) -> list[dict]:
    """Rows ``{"n", "approach", "seconds", "bytes", "peak_rss_mb"}`` (peak of the whole child process)."""
    n = QUICK_N if getattr(options, "quick", False) else N
    context = multiprocessing.get_context("spawn")
    rows = []
    for approach in ("xlsxwriter_constant_memory", "pandas_openpyxl", "csv"):
        queue = context.Queue()
        child = context.Process(target=_child, args=(approach, n, queue))
        child.start()
        result = queue.get()
        child.join()
        rows.append({"n": n, "approach": approach, **result})
    return rows
