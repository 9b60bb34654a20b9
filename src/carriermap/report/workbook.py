"""The report as an XLSX workbook: one sheet per section, the map as an image, cells neutralised."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl.drawing.image import Image as SheetImage

from carriermap.export import export_frame, to_xlsx_bytes
from carriermap.report.content import ReportData
from carriermap.report.mapimage import render_map


def render_xlsx(data: ReportData) -> bytes:
    """XLSX bytes: summary with the map, counts by type and level, change, free space, carriers."""
    items = [data.t("data.report.col.title"), data.t("data.report.col.source"), data.t("data.report.section.change"),
             data.t("provenance.sheet")]
    summary = pd.DataFrame({data.t("data.report.col.item"): items,
                            data.t("data.report.col.value"): [data.title, data.source_note, data.change_note,
                                                              data.invented_note]})
    sheets = {
        data.t("data.report.sheet.summary"): summary,
        data.t("data.report.sheet.by_type"): data.by_type,
        data.t("data.report.sheet.by_level"): data.by_level,
        data.t("data.report.sheet.change"): data.change,
        data.t("data.report.sheet.free_space"): data.free_space,
        data.t("provenance.sheet"): data.invented,
        data.t("data.report.sheet.carriers"): export_frame(data.carriers, data.lang) if not data.carriers.empty
        else data.carriers,
    }

    def finish(book) -> None:
        first = book[data.t("data.report.sheet.summary")[:31]]
        first.column_dimensions["A"].width, first.column_dimensions["B"].width = 24, 80
        picture = SheetImage(io.BytesIO(render_map(data.city.adcode, data.carriers, highlight=data.district_adcode,
                                                   lang=data.lang)))
        picture.width, picture.height = 800, 550
        first.add_image(picture, "A7")

    return to_xlsx_bytes(sheets, finish)
