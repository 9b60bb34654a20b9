"""Data quality per district: shares, unplaced, pending, oldest unconfirmed; the chase list."""

from datetime import UTC, datetime, timedelta

import pandas as pd

from carriermap import districts_quality as dq
from carriermap.freshness.settings import CitySettings

NOW = datetime(2026, 7, 15, 4, 0, tzinfo=UTC)
SETTINGS = CitySettings()


def carrier(cid, district, days, **extra):
    record = {"id": cid, "name": f"c{cid}", "type": "incubator", "level": "municipal", "status": "operating",
              "specialisation": "comprehensive", "address": "路 1 号", "total_area_m2": 1000.0, "available_m2": 10.0,
              "tenants": 3, "jobs": 20, "contact": "020-1", "operator": "op", "lon": 113.3, "lat": 23.1,
              "district_adcode": district, "reporting_unit": None, "city_adcode": "440100",
              "confirmed_at": None if days is None else (NOW - timedelta(days=days)).isoformat()}
    return {**record, **extra}


def frame():
    return pd.DataFrame([
        carrier(1, "440106", 5), carrier(2, "440106", 10),  # 天河: fresh and complete
        carrier(3, "440105", 5), carrier(4, "440105", 200), carrier(5, "440105", None, contact=None),  # 海珠: stale
        carrier(6, "440105", 400, status="delisted"),  # delisted: not counted
        carrier(7, None, 3, lon=None, lat=None),  # unplaced
    ])


def test_district_with_stale_data_ranks_lower():
    table = dq.quality_table(frame(), "440100", "district", SETTINGS, NOW, {3: 2})
    units = table["unit"].tolist()
    assert units.index("天河区") < units.index("海珠区") and units[-1] == dq.TOTAL
    haizhu = table.set_index("unit").loc["海珠区"]
    assert haizhu["carriers"] == 3 and haizhu["confirmed_share"] == 1 / 3
    assert haizhu["complete_share"] == 2 / 3 and haizhu["pending_reviews"] == 2
    assert haizhu["oldest_name"] == "c5"  # never confirmed is the oldest of all
    total = table.iloc[-1]
    assert total["carriers"] == 6 and total["unplaced"] == 1


def test_pending_reviews_are_added_to_a_kept_table():
    """The page keeps the table per data version and counts the pending reviews (no change set) on each run."""
    annotated = dq.annotate(frame(), "440100", "district", SETTINGS, NOW)
    kept = dq.unit_quality(annotated)
    assert kept["pending_reviews"].eq(0).all()
    counted = dq.with_pending(kept, annotated, {3: 2, 4: 1, 6: 5, 7: 1})  # 6 is delisted: not counted
    pending = dict(zip(counted["unit"], counted["pending_reviews"], strict=True))
    assert pending == {"天河区": 0, "海珠区": 3, dq.UNPLACED: 1, dq.TOTAL: 4}
    assert kept["pending_reviews"].eq(0).all()  # the kept table is not changed
    whole = dq.quality_table(frame(), "440100", "district", SETTINGS, NOW, {3: 2, 4: 1, 6: 5, 7: 1})
    pd.testing.assert_frame_equal(counted, whole)
    assert dq.with_pending(kept, annotated, None)["pending_reviews"].eq(0).all()


def test_the_clock_decides_what_is_recent():
    later = dq.quality_table(frame(), "440100", "district", SETTINGS, NOW + timedelta(days=82), {})
    tianhe = later.set_index("unit").loc["天河区"]
    assert tianhe["confirmed_share"] == 0.5 and tianhe["oldest_name"] == "c2"  # 87 and 92 days


def test_chase_list_has_stale_or_incomplete_carriers_with_contact():
    chase = dq.chase_list(frame(), "440100", "district", "440105", SETTINGS, NOW)
    assert chase["name"].tolist() == ["c5", "c4"]
    assert chase.iloc[0]["missing"] == ["contact"] and chase.iloc[1]["contact"] == "020-1"
    shown = dq.display_chase(chase, "zh")
    assert "缺少的字段" in shown.columns and shown.iloc[0]["缺少的字段"] == "联系方式"


def test_quality_sheets_are_added_to_a_workbook():
    import io

    import openpyxl

    from carriermap.export import to_xlsx_bytes

    base = to_xlsx_bytes({"one": pd.DataFrame({"a": [1]})})
    table = dq.display_table(dq.quality_table(frame(), "440100", "district", SETTINGS, NOW), "zh")
    book = openpyxl.load_workbook(io.BytesIO(dq.add_sheets(base, {"数据质量": table})))
    assert book.sheetnames == ["one", "数据质量"]
    assert book["数据质量"]["A2"].value == "天河区"


def _screen_cells(styler) -> list[str]:
    """The text each cell of a styled table shows (what st.dataframe draws)."""
    import re
    from html import unescape

    return [unescape(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", styler.to_html(), flags=re.S)]


def _fresh_and_never_contacted():
    return pd.DataFrame([carrier(1, "440106", 5), carrier(2, "440106", 10),  # nothing unconfirmed in 天河
                         carrier(3, "440105", 300, contact=None)])  # stale, no contact


def test_no_raw_none_or_nan_on_screen_or_in_the_xlsx():
    import io

    import openpyxl

    from carriermap.export import to_xlsx_bytes
    from carriermap.i18n import t

    shares = (t("quality.col.complete_share", "zh"), t("quality.col.confirmed_share", "zh"))
    days, chase_days = (t("quality.col.oldest_days", "zh"),), (t("quality.chase.confirmed_days", "zh"),)
    table = dq.quality_table(_fresh_and_never_contacted(), "440100", "district", SETTINGS, NOW, {})
    shown = dq.display_table(table, "zh")
    chase = dq.display_chase(dq.chase_list(_fresh_and_never_contacted(), "440100", "district", None, SETTINGS, NOW),
                             "zh")
    for styled in (dq.on_screen(shown, shares, days), dq.on_screen(chase, (), chase_days)):
        assert not styled.data.map(dq._blank).any().any()  # st.dataframe draws a missing cell as "None"
        cells = _screen_cells(styled)
        assert cells and not [c for c in cells if c.lower() in ("none", "nan", "<na>", "nat")]
        assert dq.NO_VALUE in cells
    tianhe = _screen_cells(dq.on_screen(shown.iloc[[0]], shares, days))
    assert tianhe[-2:] == [dq.NO_VALUE, dq.NO_VALUE] and "100.0%" in tianhe  # no listing unconfirmed there
    book = openpyxl.load_workbook(io.BytesIO(dq.add_sheets(to_xlsx_bytes({"x": shown.iloc[:0]}),
                                                           {"数据质量": shown, "待跟进": chase})))
    for sheet in ("数据质量", "待跟进"):
        values = [v for row in book[sheet].iter_rows(min_row=2, values_only=True) for v in row]
        assert not [v for v in values if isinstance(v, str) and v.strip().lower() in ("none", "nan", "—", "")]
    quality = list(book["数据质量"].iter_rows(min_row=2, values_only=True))
    assert quality[0][0] == "天河区" and quality[0][-2:] == (None, None)  # blank cells, not text
