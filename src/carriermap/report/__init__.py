"""The quarterly report of a city or one district: a map image, counts by type and level per
district, the change since the last frozen quarter, and the carriers with free space.

:func:`build_report` gives the bytes of a PDF (Chinese text in an embedded subset of an
open CJK font) or an XLSX workbook; the CLI ``report`` command and the data page call it.
"""

from __future__ import annotations

from carriermap.report.content import ReportData, collect
from carriermap.store import Store

FORMATS: tuple[str, ...] = ("pdf", "xlsx")


def build_report(store: Store, city_adcode: str, quarter: str, fmt: str = "pdf", *,
                 district_adcode: str | None = None, lang: str = "zh") -> bytes:
    """The report as ``fmt`` (``pdf`` or ``xlsx``) bytes."""
    data = collect(store, city_adcode, quarter, district_adcode=district_adcode, lang=lang)
    if fmt == "pdf":
        from carriermap.report.pdf import render_pdf

        return render_pdf(data)
    if fmt == "xlsx":
        from carriermap.report.workbook import render_xlsx

        return render_xlsx(data)
    raise ValueError(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")


__all__ = ["FORMATS", "ReportData", "build_report", "collect"]
