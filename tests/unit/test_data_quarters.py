"""Frozen quarters (format, refusals) and the quarterly report (PDF text and image, XLSX)."""

import io
import json
from datetime import UTC, date, datetime

import openpyxl
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from carriermap.boundaries import districts
from carriermap.editing import quick_edit
from carriermap.permissions import User
from carriermap.report import build_report
from carriermap.snapshots import QuarterError, freeze, parse_quarter, snapshot
from carriermap.store import schema

ADMIN = User(1, "boss", "admin")
AFTER_Q3 = datetime(2026, 10, 2, 8, 0, tzinfo=UTC)


def test_quarter_parsing():
    assert str(parse_quarter("2026q3")) == "2026Q3" and str(parse_quarter("2026-Q1").previous()) == "2025Q4"
    with pytest.raises(QuarterError):
        parse_quarter("2026Q5")


def test_snapshot_row_has_the_agreed_format(store):
    freeze(store, "440100", "2026Q3", "boss", now=AFTER_Q3)
    with store.engine.connect() as conn:
        row = conn.execute(select(schema.snapshots)).mappings().one()
    assert (row["city_adcode"], row["quarter"], row["actor"]) == ("440100", "2026Q3", "boss")
    assert datetime.fromisoformat(row["frozen_at"]) == AFTER_Q3
    frozen = json.loads(row["carriers"])
    live = store.carriers("440100")
    assert len(frozen) == len(live) and set(frozen[0]) == set(live.columns)
    assert isinstance(frozen[0]["industries"], list) and frozen[0]["id"] == int(live.iloc[0]["id"])


def test_frozen_quarter_cannot_be_changed(store):
    freeze(store, "440100", "2026Q3", "boss", now=AFTER_Q3)
    with pytest.raises(QuarterError) as again:
        freeze(store, "440100", "2026Q3", "boss", now=AFTER_Q3)
    assert again.value.key == "figures.error.already_frozen"
    with pytest.raises(QuarterError) as early:
        freeze(store, "440100", "2026Q4", "boss", now=AFTER_Q3)
    assert early.value.key == "data.error.quarter_not_over"
    record = store.carriers("440100").iloc[0].to_dict()
    with pytest.raises(QuarterError) as dated:  # an edit dated inside the frozen quarter
        quick_edit(store, ADMIN, record["id"], {"available_m2": 5}, record["version"], as_of=date(2026, 8, 1))
    assert dated.value.key == "data.error.quarter_frozen"
    quick_edit(store, ADMIN, record["id"], {"available_m2": 5}, record["version"])  # today: live data only
    assert store.carrier(record["id"])["available_m2"] == 5
    frozen = snapshot(store, "440100", "2026Q3")
    assert frozen.set_index("id").loc[record["id"], "available_m2"] == record["available_m2"]


def test_pdf_has_district_names_as_text_and_a_map_image(store):
    freeze(store, "440100", "2026Q3", "boss", now=AFTER_Q3)
    record = store.carriers("440100").iloc[0].to_dict()
    quick_edit(store, ADMIN, record["id"], {"contact": "=HYPERLINK(\"http://x\")<script>"}, record["version"])
    reader = PdfReader(io.BytesIO(build_report(store, "440100", "2026Q4", "pdf")))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for name in districts("440100")["name"]:
        assert name in text
    assert "广州市创新载体季度报告 2026年第四季度" in text and "2026Q3" in text  # change since the frozen quarter
    assert sum(len(page.images) for page in reader.pages) >= 1
    fonts = {str(f.get("/BaseFont")) for page in reader.pages for f in page["/Resources"]["/Font"].values()
             for f in [f.get_object()]}
    assert any("WenQuanYi" in name or "wqy" in name.lower() for name in fonts)


def test_district_report_and_xlsx_open_with_neutralised_cells(store):
    record = store.carriers("440100").query("district_adcode == '440105'").iloc[0].to_dict()
    quick_edit(store, ADMIN, record["id"], {"contact": "=1+1", "available_m2": 10}, record["version"])
    data = build_report(store, "440100", "2026Q4", "xlsx", district_adcode="440105", lang="en")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Summary", "By type", "By level", "Change", "Free space", "Illustrative values",
                               "Carriers"]
    rows = list(book["By type"].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["Haizhu", "Total"]  # the one district, then its total
    contacts = [r[5] for r in book["Free space"].iter_rows(values_only=True)]
    assert "'=1+1" in contacts and "=1+1" not in contacts
    assert len(book["Summary"]._images) == 1
