"""The report as a PDF (fpdf2), with an embedded subset of the CJK font.

Text from the data is drawn as plain text (never parsed as markup); :func:`plain` removes
control characters and caps each cell's length so a hostile value cannot break the layout.
"""

from __future__ import annotations

import io
import logging
import re
from typing import Any

import pandas as pd
from fpdf import FPDF
from fpdf.fonts import FontFace

from carriermap.report.content import ReportData
from carriermap.report.fonts import cjk_font
from carriermap.report.mapimage import render_map

FONT = "cjk"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")
MAX_CELL = 120
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # "NOT subset" chatter about unused tables


def plain(value: Any) -> str:
    """A cell value as safe plain text: no control or bidi characters, at most ``MAX_CELL`` chars."""
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        value = f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"
    text = _CONTROL.sub("", str(value)).replace("\n", " ")
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


class _ReportPDF(FPDF):
    def __init__(self, footer_text: str):
        super().__init__(orientation="landscape", format="A4")
        self.footer_text = footer_text

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.set_text_color(110)
        self.cell(0, 8, f"{self.footer_text} · {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0)


def _heading(pdf: FPDF, text: str) -> None:
    pdf.set_font(FONT, size=14)
    pdf.cell(0, 10, plain(text), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=9)


def _table(pdf: FPDF, frame: pd.DataFrame, widths: tuple[float, ...] | None = None) -> None:
    pdf.set_font(FONT, size=8)
    headings = FontFace(emphasis=None, fill_color=(225, 233, 242))
    with pdf.table(col_widths=widths, headings_style=headings, line_height=5.5, text_align="LEFT",
                   repeat_headings=1) as table:
        table.row([plain(c) for c in frame.columns])
        for record in frame.itertuples(index=False):
            table.row([plain(v) for v in record])
    pdf.ln(4)


def render_pdf(data: ReportData) -> bytes:
    """The report's PDF bytes: title and map, counts by type and level, change, free space."""
    pdf = _ReportPDF(plain(data.title))
    pdf.set_title(plain(data.title))
    pdf.set_creator("carriermap")
    pdf.add_font(FONT, fname=str(cjk_font()), collection_font_number=0)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font(FONT, size=18)
    pdf.cell(0, 12, plain(data.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=9)
    pdf.multi_cell(0, 5, plain(f"{data.source_note} {data.invented_note}"), new_x="LMARGIN", new_y="NEXT")
    png = render_map(data.city.adcode, data.carriers, highlight=data.district_adcode, lang=data.lang)
    pdf.image(io.BytesIO(png), x=pdf.l_margin + 20, w=pdf.epw - 40)
    pdf.add_page()
    _heading(pdf, data.t("data.report.section.by_type"))
    _table(pdf, data.by_type)
    _heading(pdf, data.t("data.report.section.by_level"))
    _table(pdf, data.by_level)
    _heading(pdf, data.t("provenance.sheet"))
    pdf.multi_cell(0, 5, plain(data.invented_note), new_x="LMARGIN", new_y="NEXT")
    _table(pdf, data.invented)
    pdf.add_page()
    _heading(pdf, data.t("data.report.section.change"))
    pdf.multi_cell(0, 5, plain(data.change_note), new_x="LMARGIN", new_y="NEXT")
    _table(pdf, data.change)
    _heading(pdf, data.t("data.report.section.free_space", count=len(data.free_space)))
    if data.free_space.empty:
        pdf.multi_cell(0, 5, data.t("data.report.free_space.none"), new_x="LMARGIN", new_y="NEXT")
    else:
        _table(pdf, data.free_space, widths=(62, 22, 70, 20, 20, 40))
    return bytes(pdf.output())
