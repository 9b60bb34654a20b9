"""Browser: confirmations shown to the public, review before publishing, data quality, fresh listings first."""

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest
from playwright.sync_api import expect
from sqlalchemy import update

from carriermap.auth import create_user
from carriermap.editing import quick_edit
from carriermap.formatting import zh_punctuation
from carriermap.permissions import User
from carriermap.review.settings import set_review_required
from carriermap.store import Store, schema
from carriermap.store.engine import write_transaction
from tests.browser.conftest import download, open_tab, seeded_copy, sign_in, start_app, stop_app, wait_for_app

pytestmark = pytest.mark.browser
PASSWORD = "correct-horse-battery"
SHOTS = "/tmp"
WAIT = 120_000  # a busy shared machine: first runs of a page can take a minute


def _days_ago(days: int) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).replace(microsecond=0).isoformat()


def _set_confirmed(store: Store, days: int, **where) -> None:
    table = schema.carriers
    condition = [table.c[name] == value for name, value in where.items()]
    with write_transaction(store.engine) as conn:
        conn.execute(update(table).where(*condition).values(confirmed_at=_days_ago(days), confirmed_by="someone"))


@pytest.fixture
def private(tmp_path, seeded_db_file):
    """A private copy of the seeded database; the app is started by the test (after its setup)."""
    store = Store.open(seeded_copy(seeded_db_file, tmp_path))
    running = []

    def start():
        running.append(start_app(tmp_path, str(store.engine.url)))
        return running[-1]

    yield store, start
    for app in running:
        stop_app(app.process)
    store.engine.dispose()


def _sign_out(page) -> None:
    page.get_by_role("button", name="退出登录").click()
    page.get_by_role("button", name="登录").wait_for(timeout=WAIT)


def _public_details(page, app, carrier_id: int) -> str:
    page.goto(app.url + f"/?city=440100&carrier={carrier_id}")
    wait_for_app(page, WAIT)
    page.locator(".cm-details").wait_for(timeout=WAIT)
    return page.locator(".cm-details").inner_text()


def _no_exception(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0


def _carrier(store: Store, district: str = "440106") -> dict:
    row = store.carriers("440100").query(f"status == 'operating' and district_adcode == '{district}'").iloc[0]
    return store.carrier(int(row["id"]))


def test_operator_confirms_and_the_public_sees_confirmed_today(private, page):
    store, start = private
    carrier = _carrier(store)
    _set_confirmed(store, 100, id=carrier["id"])
    create_user(store, "ops", PASSWORD, "operator", str(carrier["id"]))
    app = start()
    assert "100 天前确认" in _public_details(page, app, carrier["id"])

    sign_in(page, app, "ops", PASSWORD, timeout=WAIT)
    expect(page.get_by_text("100 天前确认")).to_be_visible(timeout=WAIT)
    page.get_by_role("button", name="信息仍然准确").click()
    page.get_by_text("已保存").first.wait_for(timeout=WAIT)
    _no_exception(page)
    page.screenshot(path=f"{SHOTS}/fresh-confirm-data.png", full_page=True)
    _sign_out(page)

    details = _public_details(page, app, carrier["id"])
    assert "确认于今天" in details and "100 天前确认" not in details
    page.screenshot(path=f"{SHOTS}/fresh-confirm-public.png", full_page=True)
    assert store.carrier(carrier["id"])["available_m2"] == carrier["available_m2"]  # nothing else changed


def test_with_review_on_a_change_waits_for_the_district_official(private, page):
    store, start = private
    carrier = _carrier(store)
    set_review_required(store, User(0, "boss", "admin"), "440100", True)
    create_user(store, "ops", PASSWORD, "operator", str(carrier["id"]))
    create_user(store, "tianhe", PASSWORD, "district_official", carrier["district_adcode"])
    app = start()

    sign_in(page, app, "ops", PASSWORD, timeout=WAIT)
    page.get_by_label(re.compile(r"空余面积[(（]m²[)）]")).fill("4321")
    page.get_by_role("button", name="保存").click()
    page.get_by_text("已提交审核").first.wait_for(timeout=WAIT)
    _no_exception(page)
    _sign_out(page)
    assert "4,321" not in _public_details(page, app, carrier["id"])  # invisible until approved

    sign_in(page, app, "tianhe", PASSWORD, timeout=WAIT)
    page.get_by_role("tab", name="审核").click()
    expect(page.get_by_text("提交人 ops")).to_be_visible(timeout=WAIT)
    page.screenshot(path=f"{SHOTS}/fresh-review-pending.png", full_page=True)
    page.get_by_role("button", name="通过").click()
    page.get_by_text("已通过并发布").first.wait_for(timeout=WAIT)
    _no_exception(page)
    _sign_out(page)
    assert "4,321" in _public_details(page, app, carrier["id"])

    # a second change is sent back with a reason, and the operator reads it
    fresh = store.carrier(carrier["id"])
    quick_edit(store, User(9, "ops", "operator", str(carrier["id"])), carrier["id"], {"contact": "13900000000"},
               fresh["version"])
    sign_in(page, app, "tianhe", PASSWORD, timeout=WAIT)
    page.get_by_role("tab", name="审核").click()
    page.get_by_label(zh_punctuation("退回原因(退回时必填)")).fill("电话打不通,请核实")
    page.get_by_role("button", name="退回").click()
    page.get_by_text(zh_punctuation("已退回,提交人会看到原因")).first.wait_for(timeout=WAIT)
    _sign_out(page)
    assert "13900000000" not in _public_details(page, app, carrier["id"])

    sign_in(page, app, "ops", PASSWORD, timeout=WAIT)
    page.get_by_role("tab", name="审核").click()
    expect(page.get_by_text(re.compile(r"原因[:：]电话打不通,请核实"))).to_be_visible(timeout=WAIT)
    _no_exception(page)
    page.screenshot(path=f"{SHOTS}/fresh-review-rejected.png", full_page=True)


def test_district_with_stale_data_ranks_lower_in_the_quality_table(private, page):
    store, start = private
    _set_confirmed(store, 200, district_adcode="440105")  # every carrier of 海珠区 unconfirmed for 200 days
    app = start()
    page.goto(app.url + "/districts?city=440100")
    wait_for_app(page, WAIT)
    open_tab(page, "数据质量", WAIT)
    expect(page.get_by_role("heading", name="数据质量")).to_be_visible(timeout=WAIT)
    expect(page.get_by_text(re.compile("待核实清单[:：]逐个电话核实"))).to_be_visible(timeout=WAIT)
    wait_for_app(page, WAIT)
    _no_exception(page)
    page.screenshot(path=f"{SHOTS}/fresh-quality.png", full_page=True)
    button = page.get_by_role("button", name=re.compile(r"下载 Excel[(（]XLSX[)）]"))
    book = openpyxl.load_workbook(io.BytesIO(download(page, button).path().read_bytes()))
    rows = list(book["数据质量"].iter_rows(values_only=True))
    header, units = rows[0], [row[0] for row in rows[1:]]
    assert units[-1] == "全市合计"
    assert units.index("海珠区") > units.index("天河区")
    share = header.index(zh_punctuation("近期确认(%)"))
    assert dict((row[0], row[share]) for row in rows[1:])["海珠区"] == 0
    assert units.index("海珠区") == len(units) - 2  # the only stale district ranks last


def test_find_space_sinks_an_old_listing_and_hides_a_stale_one(private, page):
    store, start = private
    base = _carrier(store)
    lon, lat = 113.40, 23.05  # a point with the three listings east of it
    listings = {"新鲜载体甲": (0.0150, 2), "六十天载体乙": (0.0030, 60), "二百天载体丙": (0.0010, 200)}
    inserts = []
    for name, (east, days) in listings.items():
        record = {k: v for k, v in base.items() if k not in ("id", "version", "updated_at")}
        inserts.append({**record, "name": name, "lon": lon + east, "lat": lat, "available_m2": 500.0,
                        "total_area_m2": 2000.0, "status": "operating", "confirmed_at": _days_ago(days),
                        "confirmed_by": "ops", "district_adcode": None})
    from carriermap.placement import place

    place(inserts)
    store.apply(actor="test", kind="import", city_adcode="440100", inserts=inserts)
    app = start()
    page.goto(app.url + "/find_space?city=440100")
    wait_for_app(page, WAIT)
    page.get_by_text("输入坐标", exact=True).click()
    wait_for_app(page, WAIT)
    box = page.get_by_label(zh_punctuation("坐标(经度,纬度)"), exact=True)
    box.fill(f"{lon},{lat}")
    box.press("Enter")
    wait_for_app(page, WAIT)
    expect(page.get_by_text(zh_punctuation("超过 180 天未确认,未列出"))).to_be_visible(timeout=WAIT)
    _no_exception(page)
    page.screenshot(path=f"{SHOTS}/fresh-find-space.png", full_page=True)

    def names_in_download() -> list[str]:
        wait_for_app(page, WAIT)
        expect(page.get_by_role("button", name="下载 CSV")).to_have_count(1, timeout=WAIT)  # not mid-rerun
        with page.expect_download(timeout=WAIT) as download:
            page.get_by_role("button", name="下载 CSV").click()
        text = open(download.value.path(), encoding="utf-8-sig").read()
        return [row["名称"] for row in csv.DictReader(io.StringIO(text))]

    names = names_in_download()
    assert "二百天载体丙" not in names
    assert names.index("新鲜载体甲") < names.index("六十天载体乙")  # fresh first though 1.2 km farther
    page.get_by_text("也显示超过 180 天未确认的房源").click()
    wait_for_app(page, WAIT)
    expect(page.get_by_text(zh_punctuation("超过 180 天未确认,未列出"))).to_have_count(0, timeout=WAIT)
    names = names_in_download()
    assert names.index("新鲜载体甲") < names.index("六十天载体乙") < names.index("二百天载体丙")
    page.wait_for_url("**stale=1**", timeout=WAIT)  # the founder's choice is in the link
