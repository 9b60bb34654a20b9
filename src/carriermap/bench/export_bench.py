"""Benchmark section ``export``: exporting N carriers as XLSX and CSV, time and peak memory.

Each approach runs in a fresh child process (so its peak resident memory is its own) on the
same synthetic carriers: ``ours`` (:func:`carriermap.export.write_export`: the column-wise
writer of :mod:`carriermap.xlsx_writer`), ``xlsxwriter_constant_memory`` (what the export did
before: XlsxWriter in constant-memory mode, cell by cell; kept here as :func:`xlsxwriter_bytes`,
also the baseline the tests compare cell types against), ``pandas_openpyxl`` (the usual
``DataFrame.to_excel`` with openpyxl) and ``csv`` (ours) for scale. Each row says the
one-minute load average when its child started: the machines are shared.
"""

from __future__ import annotations

import io
import math
import multiprocessing
import os
import resource
import time

N = 100_000
QUICK_N = 10_000
APPROACHES = ("ours", "xlsxwriter_constant_memory", "pandas_openpyxl", "csv")
_XLSXWRITER_OPTIONS = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                       "strings_to_numbers": False}


def _column_cells(series) -> list[object]:
    """A column's cells as plain Python values for XlsxWriter (None for blanks), converted once per column."""
    import numpy as np
    import pandas as pd

    from carriermap.xlsx_writer import cell_value

    if pd.api.types.is_bool_dtype(series):
        return [None if pd.isna(v) else bool(v) for v in series.tolist()]
    if pd.api.types.is_numeric_dtype(series):
        values = series.to_numpy(dtype="float64", na_value=np.nan)
        cells = values.tolist()
        return [v if math.isfinite(v) else None for v in cells] if not np.isfinite(values).all() else cells
    return [cell_value(v) for v in series.tolist()]


def xlsxwriter_bytes(sheets) -> bytes:
    """The previous XLSX export: XlsxWriter, constant memory, each cell written by its own type."""
    import xlsxwriter

    from carriermap.export import neutralise_frame
    from carriermap.xlsx_writer import cell_value

    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, _XLSXWRITER_OPTIONS) as book:
        header = book.add_format({"bold": True})
        for name, frame in sheets.items():
            worksheet = book.add_worksheet(name[:31])
            safe = neutralise_frame(frame)
            worksheet.write_row(0, 0, [str(cell_value(column)) for column in safe.columns], header)
            columns = [_column_cells(safe.iloc[:, index]) for index in range(safe.shape[1])]
            for number, row in enumerate(zip(*columns, strict=True), start=1):
                for column, value in enumerate(row):
                    if value is None:
                        continue
                    if value is True or value is False:
                        worksheet.write_boolean(number, column, value)
                    elif isinstance(value, str):
                        worksheet.write_string(number, column, value)
                    else:
                        worksheet.write_number(number, column, value)
    return buffer.getvalue()


def _frame(n: int):
    from carriermap.bench.postgis_bench import search_frame, synthetic_carriers

    frame = search_frame(synthetic_carriers(n, city_adcode="440100"))
    for column in ("address", "operator", "contact", "services"):
        frame[column] = "示例地址 " + frame["id"].astype(str)
    return frame


def _child(approach: str, n: int, queue) -> None:
    import pandas as pd

    from carriermap.export import export_frame, neutralise_frame, write_export
    from carriermap.model import CARRIER_COLUMNS

    load = os.getloadavg()[0]
    carriers = _frame(n)
    for column in CARRIER_COLUMNS:
        if column not in carriers:
            carriers[column] = None
    start, cpu = time.perf_counter(), time.process_time()
    if approach == "pandas_openpyxl":
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            neutralise_frame(export_frame(carriers)).to_excel(writer, sheet_name="carriers", index=False)
        size = len(buffer.getvalue())
    elif approach == "xlsxwriter_constant_memory":
        size = len(xlsxwriter_bytes({"carriers": export_frame(carriers)}))
    else:
        size = len(write_export(carriers, "csv" if approach == "csv" else "xlsx", None))
    queue.put({"seconds": round(time.perf_counter() - start, 2), "cpu_seconds": round(time.process_time() - cpu, 2),
               "bytes": size, "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
               "load_1m": round(load, 2)})


def run(options) -> list[dict]:
    """Rows ``{"n", "approach", "seconds", "cpu_seconds", "bytes", "peak_rss_mb", "load_1m"}``.

    The peak is that of the whole child process (building the synthetic carriers included).
    """
    n = QUICK_N if getattr(options, "quick", False) else N
    context = multiprocessing.get_context("spawn")
    rows = []
    for approach in APPROACHES:
        queue = context.Queue()
        child = context.Process(target=_child, args=(approach, n, queue))
        child.start()
        result = queue.get()
        child.join()
        rows.append({"n": n, "approach": approach, **result})
    return rows
