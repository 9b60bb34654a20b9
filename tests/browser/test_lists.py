"""Browser: an address-only list goes in from the data page, the queue places it, a notice is previewed and applied."""

from pathlib import Path

import pytest

from carriermap.formatting import zh_punctuation
from carriermap.i18n import t
from carriermap.location import state_of
from tests.browser.conftest import screenshot, sign_in, upload_to_import, wait_for_app
from tests.browser.test_data_page import private_app  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _no_exception(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0


def test_address_only_list_is_imported_then_placed_from_the_queue(private_app, page):  # noqa: F811
    store, app = private_app
    before = len(store.carriers("440100"))
    sign_in(page, app, "boss")
    upload_to_import(page, FIXTURES / "incubators_address_only.json")
    page.get_by_text("新增 25 个").first.wait_for(timeout=60_000)
    page.get_by_text("5 行未导入").first.wait_for(timeout=30_000)  # the rows of other cities, with reasons
    page.get_by_text("23 行仅知区县").first.wait_for(timeout=30_000)
    screenshot(page, "lists_import_preview")
    page.get_by_role("button", name="确认导入").click()
    page.get_by_text("已导入").first.wait_for(timeout=60_000)
    _no_exception(page)
    assert len(store.carriers("440100")) == before + 25

    page.get_by_role("tab", name="待定位").click()
    wait_for_app(page)
    page.get_by_text("25 家载体没有坐标").first.wait_for(timeout=60_000)
    waiting = store.carriers("440100")
    first = waiting[waiting["lon"].isna()].sort_values("name")
    first = first[first["district_adcode"].isna()].iloc[0]  # unlocated ones come first in the queue
    page.get_by_text(t("lists.queue.address", address=first["address"])).first.wait_for(timeout=30_000)
    wait_for_app(page)
    page.locator("label").filter(has_text="粘贴坐标").first.click()
    page.get_by_label(t("lists.queue.paste")).fill("113.3245, 23.1190")
    page.get_by_label(t("lists.queue.paste")).press("Enter")
    page.locator("label").filter(has_text=t("lists.queue.crs.gcj02")).first.click()
    page.get_by_role("button", name="定位到这里").wait_for(timeout=30_000)
    screenshot(page, "lists_queue_paste")
    page.get_by_role("button", name="定位到这里").click()
    page.get_by_text("已为").first.wait_for(timeout=60_000)
    _no_exception(page)
    placed = store.carrier(int(first["id"]))
    assert state_of(placed) == "placed" and placed["district_adcode"] == "440106"  # GCJ-02 input, stored WGS-84
    assert placed["lon"] == pytest.approx(113.3190889, abs=1e-6)

    # The next one is placed by clicking the picking map.
    page.get_by_text("24 家载体没有坐标").first.wait_for(timeout=60_000)
    wait_for_app(page)
    page.locator("label").filter(has_text="在地图上点选").first.click()
    frame = page.frame_locator("iframe[title='streamlit_folium.st_folium']").first
    frame.locator(".leaflet-container").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    frame.locator(".leaflet-container").first.click()  # the middle of the city view
    page.get_by_text("选定位置").first.wait_for(timeout=60_000)
    wait_for_app(page)
    # The chosen point is drawn on the picking map as a red marker where the click was.
    marker = frame.locator(".carriermap-nearby-icon")
    marker.first.wait_for(timeout=30_000)  # visible, not an empty path
    box, area = marker.first.bounding_box(), frame.locator(".leaflet-container").first.bounding_box()
    assert abs(box["x"] + box["width"] / 2 - (area["x"] + area["width"] / 2)) < 6
    assert abs(box["y"] + box["height"] / 2 - (area["y"] + area["height"] / 2)) < 6
    screenshot(page, "lists_queue_map")
    page.get_by_role("button", name="定位到这里").click()
    page.get_by_text("已为").first.wait_for(timeout=60_000)
    _no_exception(page)
    assert (store.carriers("440100")["lon"].isna()).sum() == 23


def test_notice_is_previewed_then_applied_as_one_change_set(private_app, page):  # noqa: F811
    store, app = private_app
    sign_in(page, app, "boss")
    page.get_by_role("tab", name="认定名单").click()
    wait_for_app(page)  # keyed tabs rerun the page on a switch: let it settle before uploading
    page.locator("[data-testid='stFileUploaderDropzoneInput'][accept*='.txt']").set_input_files(
        str(FIXTURES / "notice_national_2023.csv"))
    page.get_by_label("文号").fill("国科发区〔2023〕x号")
    page.get_by_label("文号").press("Enter")
    page.get_by_label(zh_punctuation("发文日期(YYYY-MM-DD)")).fill("2023-12-29")
    page.get_by_label(zh_punctuation("发文日期(YYYY-MM-DD)")).press("Enter")
    page.get_by_text(zh_punctuation("名称完全一致:2 个")).first.wait_for(timeout=60_000)
    page.get_by_text(zh_punctuation("名称相近,请逐一确认:1 个")).first.wait_for(timeout=30_000)
    page.get_by_text(zh_punctuation("登记表中没有:2 个")).first.wait_for(timeout=30_000)
    screenshot(page, "lists_notice_preview")
    _no_exception(page)
    latest = int(store.changesets()["id"].max())
    page.get_by_role("button", name="应用名单").click()
    page.get_by_text("已应用认定名单").first.wait_for(timeout=60_000)
    _no_exception(page)
    sets = store.changesets()
    applied = sets[sets["id"] > latest]
    assert list(applied["kind"]) == ["notice"] and int(applied["changes"].iloc[0]) == 2  # the exact names only
