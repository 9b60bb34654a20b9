"""The quarterly report: a first page with headline figures, targets and changes; totals; adcode order."""

import io
from datetime import UTC, datetime

import pytest

from carriermap.i18n import t
from carriermap.report import collect
from carriermap.report.fonts import FontMissingError
from carriermap.snapshots import freeze, quarter_of
from carriermap.versions import delist, edit_carrier


def test_summary_says_what_changed_since_the_last_frozen_quarter(store):
    carriers = store.carriers("440100")
    freeze(store, "440100", "2026Q2", "boss")
    haizhu = carriers[carriers["district_adcode"] == "440105"]
    gone, promoted = haizhu.iloc[0], haizhu[haizhu["level"] == "municipal"].iloc[0]
    delist(store, int(gone["id"]), actor="boss")
    edit_carrier(store, int(promoted["id"]), {"level": "provincial"}, actor="boss")
    data = collect(store, "440100", str(quarter_of(datetime.now(UTC))), lang="zh")  # this quarter: live data
    text = "\n".join(data.summary.changes)
    assert "2026Q2" in text and "摘牌 1 个" in text and str(gone["name"]) in text
    assert "级别变化 1 个" in text and f"{promoted['name']}" in text and "市级 → 省级" in text
    labels = dict(data.summary.headline)
    operating = len(carriers) - int((carriers["status"] == "delisted").sum()) - 1
    assert labels[t("finish.report.headline.carriers", "zh")] == f"{operating:,}"
    assert not data.summary.targets.empty  # Guangzhou's city target with its progress


def test_tables_have_totals_and_districts_in_adcode_order(store):
    data = collect(store, "440100", "2026Q3", lang="zh")
    districts = list(data.by_type.iloc[:-1, 0])
    assert districts[:3] == ["荔湾区", "越秀区", "海珠区"]  # 440103, 440104, 440105: not by code point
    assert data.by_type.iloc[-1, 0] == "合计"
    assert data.by_type.iloc[-1, 1] == data.by_type.iloc[:-1, 1].sum()
    free_districts = list(dict.fromkeys(data.free_space.iloc[:, 1]))
    assert free_districts == [d for d in districts if d in free_districts]  # grouped, in adcode order


def test_pdf_first_page_is_the_summary(store):
    from pypdf import PdfReader

    from carriermap.report import build_report

    reader = PdfReader(io.BytesIO(build_report(store, "440100", "2026Q3", "pdf")))
    first = reader.pages[0].extract_text()
    assert "主要指标" in first and "目标与完成进度" in first and "可供招商面积" in first
    assert "北京时间" in first


def test_missing_font_is_a_clear_error(store, monkeypatch):
    from carriermap.report import build_report, fonts

    monkeypatch.setattr(fonts, "CANDIDATES", ())
    monkeypatch.setenv("CARRIERMAP_CJK_FONT", "/nonexistent.ttc")
    with pytest.raises(FontMissingError):
        build_report(store, "440100", "2026Q3", "pdf")
    from carriermap.i18n import t as text

    assert "fonts-wqy-zenhei" in text("finish.report.no_font", "zh")  # what the page says instead
