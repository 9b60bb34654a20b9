"""Browser: a person who has never seen the product signs in, imports, undoes, delists with a reason,
freezes a quarter and downloads the report — never meeting a traceback, a raw code or an English
word in the Chinese interface, and staying on the tab they were working in after each action."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from carriermap.store import Store
from tests.browser.conftest import ROOT, screenshot, seeded_copy, start_app, stop_app, upload_to_import, wait_for_app
from tests.unit.import_helpers import csv_bytes, row

pytestmark = pytest.mark.browser
PASSWORD = "correct-horse-battery"
# Words a Chinese page may show in Latin letters: formats, units, the CLI hint, file names.
ALLOWED = {"pdf", "excel", "csv", "xlsx", "geojson", "python", "carriermap", "user", "add", "role", "admin",
           "utc", "template", "good", "boss"}
RAW_CODES = re.compile(r"available_m2|rent_cny|delisted|operating|national|municipal|district_official|"
                       r"\b4401(0[3-9]|1[1-8])\b|NotFoundError|Traceback|\d+\.0\b")


def _main_text(page) -> str:
    """What the person reads in the page body (the file uploader's own texts are Streamlit's)."""
    return page.evaluate("""() => {
        const main = document.querySelector('[data-testid="stMain"]') || document.body;
        let text = main.innerText;
        main.querySelectorAll('[data-testid="stFileUploaderDropzone"], [data-testid="stFileUploaderFile"], ' +
                              '[data-testid="stIconMaterial"]')
            .forEach(e => { const own = e.innerText; if (own) text = text.split(own).join(' '); });
        return text;
    }""")


def _check(page, step: str) -> None:
    assert page.locator("[data-testid='stException']").count() == 0, step
    text = _main_text(page)
    assert not RAW_CODES.search(text), (step, RAW_CODES.search(text).group(0))
    english = {w.lower() for w in re.findall(r"[A-Za-z]{3,}", text)} - ALLOWED
    assert not english, (step, english)


def _selected_tab(page) -> str:
    return page.locator("[data-testid='stTab'][aria-selected='true']").inner_text().strip()


def _pick(page, typed: str, option: str) -> None:
    """Choose a carrier in the page's carrier picker by typing part of its name."""
    picker = page.locator("[data-testid='stMain'] [data-testid='stSelectbox'] input").first
    picker.click()
    picker.fill(typed)
    page.get_by_role("option", name=re.compile(re.escape(option))).first.click()
    wait_for_app(page)


@pytest.fixture
def fresh_app(tmp_path, seeded_db_file):
    db_url = seeded_copy(seeded_db_file, tmp_path)
    env = {**os.environ, "CARRIERMAP_DATABASE_URL": db_url}
    # The first account comes from the command line, as the sign-in page says.
    subprocess.run([sys.executable, "-m", "carriermap", "user", "add", "boss", "--role", "admin", "--password-stdin"],
                   input=PASSWORD + "\n", text=True, env=env, cwd=ROOT, check=True, capture_output=True, timeout=120)
    store = Store.open(db_url)
    app = start_app(tmp_path, db_url)
    yield store, app
    stop_app(app.process)
    store.engine.dispose()


def test_first_day_journey(fresh_app, tmp_path, page):
    store, app = fresh_app
    before = len(store.carriers("440100"))
    page.goto(app.url + "/data?city=440100")
    wait_for_app(page)
    page.get_by_text("python -m carriermap user add").first.wait_for(timeout=30_000)
    _check(page, "sign-in page")
    page.get_by_label("账号").fill("boss")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.get_by_text("已登录").first.wait_for(timeout=30_000)
    _check(page, "signed in")

    # Import two new carriers: preview, confirm; the preview goes, the picker has them, the tab stays.
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes([row("旅程导入甲孵化器"), row("旅程导入乙孵化器", free="999999", total="1999999")]))
    upload_to_import(page, good)
    page.get_by_text("尚未写入").first.wait_for(timeout=30_000)
    _check(page, "import preview")
    page.get_by_role("button", name="确认导入").click()
    page.get_by_text("已导入").first.wait_for(timeout=30_000)
    wait_for_app(page)
    assert len(store.carriers("440100")) == before + 2
    assert page.get_by_text("尚未写入").count() == 0 and page.get_by_role("button", name="确认导入").count() == 0
    assert _selected_tab(page) == "导入"
    assert page.get_by_text(f"您可编辑 {before + 2:,} 个").count() + page.get_by_text(
        f"您可编辑 {before + 2} 个").count() >= 1
    screenshot(page, "journey_imported")
    _check(page, "imported")

    # Pick a new carrier, undo the import from its history: no crash, a clear message, same tab.
    _pick(page, "旅程导入乙", "旅程导入乙孵化器")
    wait_for_app(page)
    page.get_by_role("tab", name="历史与撤销").click()
    page.get_by_role("button", name=re.compile("撤销变更")).first.wait_for(timeout=30_000)
    _check(page, "history of the new carrier")
    page.get_by_role("button", name=re.compile("撤销变更")).first.click()
    page.get_by_text("已随之移除").first.wait_for(timeout=30_000)
    wait_for_app(page)
    assert len(store.carriers("440100")) == before
    assert _selected_tab(page) == "历史与撤销"
    screenshot(page, "journey_undone")
    _check(page, "undone")

    # Delist a national carrier of Haizhu with a reason: confirmation, the reason in history, same tab.
    target = store.carriers("440100").query("district_adcode == '440105' and level == 'national'").iloc[0]
    page.get_by_role("tab", name="快速编辑").click()
    _pick(page, str(target["name"])[:12], f"#{int(target['id'])}")
    wait_for_app(page)
    page.get_by_text("摘牌(保留记录)").or_(page.get_by_text("摘牌（保留记录）")).first.click()
    page.get_by_label(re.compile("原因")).fill("运营方申请退出,场地已收回")
    page.get_by_text("我确认摘牌该载体").click()
    page.get_by_role("button", name="确认摘牌").click()
    page.get_by_text("已摘牌").first.wait_for(timeout=30_000)
    wait_for_app(page)
    assert store.carrier(int(target["id"]))["status"] == "delisted"
    assert _selected_tab(page) == "快速编辑"
    _check(page, "delisted")
    history = store.history(int(target["id"]))
    assert "运营方申请退出,场地已收回" in history.iloc[0]["summary"]
    page.get_by_role("tab", name="历史与撤销").click()
    wait_for_app(page)
    screenshot(page, "journey_delisted_history")
    _check(page, "history after delisting")

    # Freeze the last ended quarter, then download the quarterly report as PDF.
    page.get_by_role("tab", name="季度与报告").click()
    page.get_by_text("我确认冻结").first.click()
    page.get_by_role("button", name="冻结季度").click()
    page.get_by_text(re.compile(r"季度 \d{4}Q\d 已冻结")).first.wait_for(timeout=30_000)
    wait_for_app(page)
    from carriermap.snapshots import frozen_quarters

    assert len(frozen_quarters(store, "440100")) == 1
    assert _selected_tab(page) == "季度与报告"
    _check(page, "frozen")
    assert page.get_by_text("PDF（打印、上报）").or_(page.get_by_text("PDF(打印、上报)")).count() >= 1
    page.get_by_role("button", name="生成报告").click()
    download_button = page.get_by_role("button", name=re.compile("^下载"))
    download_button.first.wait_for(timeout=120_000)
    with page.expect_download(timeout=60_000) as info:
        download_button.first.click()
    path = info.value.path()
    assert open(path, "rb").read(5) == b"%PDF-"
    screenshot(page, "journey_report")
    _check(page, "report ready")
