"""Browser: an operator signs in on /data, changes free space, and the new value is published."""


import pytest

from carriermap.auth import create_user
from carriermap.store import Store
from tests.browser.conftest import (
    import_uploader,
    screenshot,
    seeded_copy,
    sign_in,
    start_app,
    stop_app,
    upload_to_import,
    wait_for_app,
)

pytestmark = pytest.mark.browser
PASSWORD = "correct-horse-battery"


def _private_store(tmp_path, seeded_db_file) -> tuple[Store, str]:
    db_url = seeded_copy(seeded_db_file, tmp_path)
    return Store.open(db_url), db_url


@pytest.fixture
def private_app(tmp_path, seeded_db_file):
    """A private store and the app running on it, with an admin ``boss``; stopped afterwards."""
    store, db_url = _private_store(tmp_path, seeded_db_file)
    create_user(store, "boss", PASSWORD, "admin")
    app = start_app(tmp_path, db_url)
    yield store, app
    stop_app(app.process)
    store.engine.dispose()


def test_operator_changes_free_space_and_it_is_published(tmp_path, seeded_db_file, page):
    store, db_url = _private_store(tmp_path, seeded_db_file)
    carrier = store.carriers("440100").query("district_adcode == '440105'").iloc[0]
    create_user(store, "haizhu-ops", PASSWORD, "operator", str(int(carrier["id"])))
    app = start_app(tmp_path, db_url)
    try:
        sign_in(page, app, "haizhu-ops")
        free = page.get_by_label("空余面积（m²）")
        free.fill("4321")
        page.get_by_role("button", name="保存").click()
        page.get_by_text("已保存").first.wait_for(timeout=30_000)
        screenshot(page, "data_page_saved")
        assert page.locator("[data-testid='stException']").count() == 0

        # Published: the store and the CLI export (on main) show the new value.
        assert store.carrier(int(carrier["id"]))["available_m2"] == 4321
        from carriermap.export import export_frame

        exported = export_frame(store.carriers("440100")).set_index("id")
        assert exported.loc[int(carrier["id"]), "available_m2"] == 4321

        page.get_by_role("button", name="退出登录").click()
        page.get_by_role("button", name="登录").wait_for(timeout=30_000)

        # The public map: a link to the carrier opens its details with the new free space.
        page.goto(app.url + f"/?city=440100&carrier={int(carrier['id'])}")
        wait_for_app(page)
        page.get_by_text(carrier["name"]).first.wait_for(timeout=30_000)
        page.get_by_text("4,321").first.wait_for(timeout=30_000)
        screenshot(page, "data_page_map_after_edit")

    finally:
        stop_app(app.process)
        store.engine.dispose()


def test_official_page_screenshot(private_app, page):
    """An admin's view of the page (tabs, history, quarters), kept for people to look at."""
    _, app = private_app
    sign_in(page, app, "boss")
    page.get_by_role("tab", name="季度与报告").click()
    page.get_by_role("button", name="冻结季度").wait_for(timeout=30_000)
    page.get_by_role("button", name="生成报告").click()
    page.get_by_role("button", name="下载").first.wait_for(timeout=60_000)
    screenshot(page, "data_page_quarters")
    assert page.locator("[data-testid='stException']").count() == 0


def test_admin_imports_a_spreadsheet_from_the_page(private_app, tmp_path, page):
    """Upload a bad file (row errors, nothing written), then a good one: preview, confirm, written."""
    from tests.unit.import_helpers import csv_bytes, row

    store, app = private_app
    before = len(store.carriers("440100"))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([row("页面导入甲"), row("页面导入乙", type_="孵化园", total="很大")]))
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes([row("页面导入甲"), row("页面导入乙")]))
    sign_in(page, app, "boss")
    upload_to_import(page, bad)
    page.get_by_text("未写入任何数据").first.wait_for(timeout=30_000)
    screenshot(page, "data_import_errors")
    assert len(store.carriers("440100")) == before
    import_uploader(page).set_input_files(str(good))
    page.get_by_text("新增 2 个").first.wait_for(timeout=30_000)
    page.get_by_role("button", name="确认导入").click()
    page.get_by_text("已导入").first.wait_for(timeout=30_000)
    screenshot(page, "data_import_done")
    assert len(store.carriers("440100")) == before + 2


def test_five_wrong_passwords_lock_the_name_then_even_the_right_one_is_refused(private_app, page):
    _, app = private_app
    page.goto(app.url + "/data?city=440100")
    wait_for_app(page)
    for attempt in range(6):
        page.get_by_label("账号").fill("boss")
        page.get_by_label("密码").fill(f"wrong-{attempt}")
        page.get_by_role("button", name="登录").click()
        wait_for_app(page)
    page.get_by_label("账号").fill("boss")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    wait_for_app(page)
    page.get_by_text("分钟").first.wait_for(timeout=30_000)  # locked: "… minutes"
    assert page.get_by_text("已登录").count() == 0
    screenshot(page, "data_signin_locked")
    assert page.locator("[data-testid='stException']").count() == 0


def test_an_upload_over_the_row_limit_is_refused_and_says_the_limit(private_app, tmp_path, page):
    from carriermap.importing.plan import UPLOAD_ROW_LIMIT
    from tests.unit.import_helpers import csv_bytes, row

    store, app = private_app
    before = store.data_version()
    big = tmp_path / "big.csv"
    big.write_bytes(csv_bytes([row(f"批量{i}") for i in range(UPLOAD_ROW_LIMIT + 100)]))
    sign_in(page, app, "boss")
    upload_to_import(page, big)
    page.get_by_text("未写入任何数据").first.wait_for(timeout=60_000)
    page.locator("[data-testid^='glide-cell']", has_text=f"上限 {UPLOAD_ROW_LIMIT:,} 行").first.wait_for(
        state="attached", timeout=30_000)  # the problem table names the limit
    screenshot(page, "data_import_row_limit")
    assert store.data_version() == before
    assert page.locator("[data-testid='stException']").count() == 0
