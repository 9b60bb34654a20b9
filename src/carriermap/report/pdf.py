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

from carriermap.formatting import now_local, number
from carriermap.i18n import t
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


_ZH_NUMERALS = "一二三四五六七八九十"


def _heading(pdf: FPDF, text: str) -> None:
    """A numbered section heading (一、二、… in Chinese, 1. 2. … in English)."""
    pdf.section_count = getattr(pdf, "section_count", 0) + 1
    n = pdf.section_count
    lang = getattr(pdf, "lang", "zh")
    number_ = f"{_ZH_NUMERALS[n - 1]}、" if lang == "zh" and n <= len(_ZH_NUMERALS) else f"{n}. "
    pdf.set_font(FONT, size=13)
    pdf.cell(0, 10, plain(number_ + text), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=9)


def _cell(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool) and not pd.isna(value):
        return number(value, 1 if isinstance(value, float) and not float(value).is_integer() else None)
    return plain(value)


_TOTAL = FontFace(fill_color=(238, 238, 238))
_GROUP = FontFace(fill_color=(232, 240, 232))


def _table(pdf: FPDF, frame: pd.DataFrame, widths: tuple[float, ...] | None = None,
           total_last: bool = False, groups: list[tuple[int, list[Any]]] | None = None) -> None:
    """A table with numbers right-aligned; ``total_last`` shades the totals row; ``groups`` puts a
    shaded subtotal row before the given row indexes."""
    pdf.set_font(FONT, size=8)
    headings = FontFace(emphasis=None, fill_color=(225, 233, 242))
    align = tuple("RIGHT" if pd.api.types.is_numeric_dtype(frame[c]) and i else "LEFT"
                  for i, c in enumerate(frame.columns))
    starts = dict(groups or [])
    with pdf.table(col_widths=widths, headings_style=headings, line_height=5.5, text_align=align,
                   repeat_headings=1) as table:
        table.row([plain(c) for c in frame.columns])
        for index, record in enumerate(frame.itertuples(index=False)):
            if index in starts:
                table.row([_cell(v) for v in starts[index]], style=_GROUP)
            last = total_last and index == len(frame) - 1
            table.row([_cell(v) for v in record], style=_TOTAL if last else None)
    pdf.ln(4)


def _summary_page(pdf: FPDF, data: ReportData) -> None:
    """Page 1: title, as-of line, headline figures, targets, changes since the last frozen quarter."""
    pdf.set_font(FONT, size=18)
    pdf.cell(0, 12, plain(data.title), new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.set_font(FONT, size=9)
    pdf.multi_cell(0, 5, plain(data.t("finish.report.as_of", source=data.as_of, time=now_local())),
                   new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.ln(2)
    summary = data.summary
    _heading(pdf, data.t("finish.report.section.headline"))
    pdf.set_font(FONT, size=9)
    with pdf.table(line_height=7, text_align="CENTER",
                   headings_style=FontFace(emphasis=None, fill_color=(225, 233, 242))) as table:
        table.row([plain(name) for name, _ in summary.headline])
        table.row([plain(value) for _, value in summary.headline])
    pdf.ln(3)
    if not summary.targets.empty:
        _heading(pdf, data.t("finish.report.section.targets"))
        frame = summary.targets
        with pdf.table(line_height=6, text_align=("LEFT", "CENTER", "RIGHT", "RIGHT", "RIGHT"),
                       headings_style=FontFace(emphasis=None, fill_color=(225, 233, 242))) as table:
            table.row([plain(c) for c in frame.columns])
            for record in frame.itertuples(index=False):
                table.row([plain(v) for v in record])
        pdf.ln(3)
    _heading(pdf, data.t("finish.report.section.changes"))
    for line in summary.changes:
        pdf.multi_cell(0, 5.5, plain("· " + line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(FONT, size=8)
    pdf.set_text_color(110)
    pdf.multi_cell(0, 4.5, plain(data.t("data.report.sample_note")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0)


def _free_space_groups(frame: pd.DataFrame, lang: str) -> list[tuple[int, list[Any]]]:
    """Subtotal rows (district, count, free m²) before each district's first row."""
    district, free = frame.columns[1], frame.columns[3]
    out, start = [], 0
    for name, group in frame.groupby(district, sort=False):
        out.append((start, [t("finish.report.subtotal", lang, district=name, count=len(group)), "", "",
                            float(pd.to_numeric(group[free], errors="coerce").sum()), "", ""]))
        start += len(group)
    return out


def render_pdf(data: ReportData) -> bytes:
    """The report's PDF bytes: a summary page, the map, counts by type and level (with totals),
    the change since the last frozen quarter, and the free space grouped by district."""
    pdf = _ReportPDF(plain(data.title))
    pdf.lang = data.lang
    pdf.set_title(plain(data.title))
    pdf.set_creator("carriermap")
    pdf.add_font(FONT, fname=str(cjk_font()), collection_font_number=0)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    if data.summary is not None:
        _summary_page(pdf, data)
        pdf.add_page()
    _heading(pdf, data.t("finish.report.section.map"))
    png = render_map(data.city.adcode, data.carriers, highlight=data.district_adcode, lang=data.lang)
    pdf.image(io.BytesIO(png), x=pdf.l_margin + 30, h=pdf.eph - 20)
    pdf.add_page()
    _heading(pdf, data.t("data.report.section.by_type"))
    _table(pdf, data.by_type, total_last=True)
    _heading(pdf, data.t("data.report.section.by_level"))
    _table(pdf, data.by_level, total_last=True)
    _heading(pdf, data.t("provenance.sheet"))
    pdf.multi_cell(0, 5, plain(data.invented_note), new_x="LMARGIN", new_y="NEXT")
    _table(pdf, data.invented)
    pdf.add_page()
    _heading(pdf, data.t("data.report.section.change"))
    pdf.multi_cell(0, 5, plain(data.change_note), new_x="LMARGIN", new_y="NEXT")
    _table(pdf, data.change, total_last=True)
    _heading(pdf, data.t("data.report.section.free_space", count=len(data.free_space)))
    if data.free_space.empty:
        pdf.multi_cell(0, 5, data.t("data.report.free_space.none"), new_x="LMARGIN", new_y="NEXT")
    else:
        _table(pdf, data.free_space, widths=(62, 22, 70, 22, 22, 40),
               groups=_free_space_groups(data.free_space, data.lang))
    return bytes(pdf.output())
