"""One style for people: numbers, percentages, 万, Beijing time, full-width punctuation in zh."""

import io

import openpyxl
import pandas as pd

from carriermap.cities import get_city
from carriermap.districts.metrics import unit_metrics
from carriermap.districts.table import csv, workbook
from carriermap.formatting import area, display_value, local_time, number, percent, source_text, zh_punctuation
from carriermap.i18n import catalogue, t

COLON, COMMA, LEFT, RIGHT = "\uff1a", "\uff0c", "\uff08", "\uff09"


def test_numbers_are_written_as_people_write_them():
    assert number(999999.0) == "999,999" and number(9234.0) == "9,234" and number(12.5) == "12.5"
    assert display_value(999999.0) == "999,999" and display_value("A1") == "A1" and display_value(None) == ""
    assert area(123456, "zh") == "12.3万" and area(123456, "en") == "123,456" and area(5000, "zh") == "5,000"
    assert percent(0.3929) == "39.3%" and percent(0.7) == "70.0%"  # one precision for every percentage


def test_times_are_in_beijing_time():
    assert local_time("2026-11-29T20:00:00+00:00") == "2026-11-30 04:00"
    assert local_time("2026-11-29T20:00:00") == "2026-11-30 04:00"  # stored UTC without offset


def test_chinese_sentences_get_full_width_punctuation_but_numbers_keep_theirs():
    assert zh_punctuation("数据:标注 9,234 个,差距 22") == f"数据{COLON}标注 9,234 个{COMMA}差距 22"
    assert zh_punctuation("**a**(1年目标)") == f"**a**{LEFT}1年目标{RIGHT}"  # both brackets of a pair
    assert zh_punctuation("see (UTC+8) now") == "see (UTC+8) now"
    zh = catalogue("zh")
    ascii_next_to_chinese = [key for key, text in zh.items() if any(
        f"{a}{b}" in text for a in "一的数" for b in ":,;")]
    assert not ascii_next_to_chinese
    assert t("data.error.locked", "zh", minutes=3) == f"密码错误次数过多{COMMA}账号已锁定{COMMA}请 3 分钟后再试。"


def test_targets_source_has_no_internal_tags_or_english_in_zh():
    assert source_text("seed 001 穗科创函〔2017〕830号: 到2018年全市众创空间达到150家", False, "zh") == \
        f"穗科创函〔2017〕830号{COLON}到2018年全市众创空间达到150家"
    sample = source_text("示例 sample: per-unit split invented (not in seed 003)", True, "zh")
    assert "seed" not in sample and "sample" not in sample and "示例" in sample


def test_exports_hold_percentages_not_fractions_and_beijing_time(store):
    city = get_city("420100")
    rows = unit_metrics(store.carriers("420100"), "420100", "district")
    frame = pd.read_csv(io.BytesIO(csv(rows, city, "zh")), encoding="utf-8-sig")
    share = next(c for c in frame.columns if c.startswith("专业型占比"))
    assert frame[share].max() > 1  # 39.3, not 0.393
    expected = (rows["specialized_share"].max() * 100)
    assert abs(frame[share].iloc[:-1].max() - round(expected, 1)) < 0.06
    book = openpyxl.load_workbook(io.BytesIO(workbook(store.carriers("420100"), store.targets("420100"), city, "zh")))
    sheet = book["目标"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    source = next(h for h in header if h.startswith("依据"))
    sources = [r[source] or "" for r in rows]
    assert any("武汉市科技局" in s for s in sources)  # the documents are still named
    assert not any("seed" in s or "sample" in s or "invented" in s for s in sources)
    notes = [str(r[1]) for r in book["说明"].iter_rows(min_row=2, values_only=True)]
    assert any("北京时间" in n for n in notes) and not any("UTC" in n for n in notes)


def test_import_messages_write_numbers_as_people_do(store):
    from carriermap.importer import plan_import
    from tests.unit.import_helpers import csv_bytes, row

    plan = plan_import(csv_bytes([row("面积不符孵化器", total="9234", free="999999")]), "bad.csv", city="440100",
                       store=store)
    errors = plan.errors("zh")
    message = next(e["message"] for e in errors if "9,234" in e["message"] or "9234" in e["message"])
    assert "9,234" in message and "9234.0" not in message and ".0" not in message
