"""/districts for officials: table, chart, target progress, export matching the CLI, the view toggle."""

import json
import os
import subprocess
import sys

import openpyxl
import pytest

from carriermap.i18n import t
from tests.browser.conftest import download, open_tab, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def _table_cells(page) -> list[str]:
    """Texts of the first static table's cells (the figures of every unit)."""
    table = page.locator("[data-testid='stTable']").first
    table.locator("td").first.wait_for(timeout=30_000)
    return [text.strip() for text in table.locator("td, th").all_inner_texts()]


def download_workbook(page, target):
    """Click the page's XLSX button, save the download to ``target`` and open it."""
    download(page, page.get_by_role("button", name="下载 Excel(XLSX)")).save_as(target)
    return openpyxl.load_workbook(target)


def _open(page, url):
    page.goto(url)
    wait_for_app(page)
    page.locator("[data-testid='stVegaLiteChart']").first.wait_for(timeout=60_000)
    wait_for_app(page)


def test_wuhan_districts_page_and_export_match_the_cli(app_server, page, tmp_path):
    page.set_viewport_size({"width": 1400, "height": 2400})
    _open(page, app_server.url + "/districts?city=420100")
    cells = _table_cells(page)
    assert {"东湖高新区", "江岸区", "洪山区", "合计"} <= set(cells)
    assert page.locator("[data-testid='stVegaLiteChart']").count() >= 2
    progress = page.locator("[data-testid='stProgress']")
    assert progress.count() >= 3
    bars = " ".join(progress.all_inner_texts())
    assert "载体总数" in bars and "目标 600" in bars and "截止 2025-12-31" in bars and "已逾期" in bars
    assert page.locator("iframe").count() >= 1  # the choropleth
    assert page.get_by_text("家载体为示例记录", exact=False).count() >= 1  # the figures say how many are invented
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "districts_wuhan")

    book = download_workbook(page, tmp_path / "districts.xlsx")
    assert book.sheetnames[:2] == ["按行政区", "按统计单位"]
    values = list(book["按统计单位"].iter_rows(values_only=True))
    header, rows = values[0], {row[0]: dict(zip(values[0], row, strict=True)) for row in values[1:]}

    env = {**os.environ, "CARRIERMAP_DATABASE_URL": app_server.db_url}
    result = subprocess.run([sys.executable, "-m", "carriermap", "metrics", "--city", "420100", "--by",
                             "reporting_unit", "--format", "json"], capture_output=True, env=env, timeout=120, check=True)
    cli = json.loads(result.stdout)["rows"]
    assert {r["unit"] for r in cli} == set(rows) - {"合计"}
    for record in cli:
        row = rows[record["unit"]]
        assert row["载体总数（家）"] == record["carriers"] and row["国家级（家）"] == record["national"]
        assert row["吸纳就业（人）"] == pytest.approx(record["jobs"])
        assert row["已摘牌（家）"] == record["delisted"]
    assert "专业型占比（%）" in header


def test_toggle_to_admin_districts_and_english(app_server, page):
    page.set_viewport_size({"width": 1400, "height": 2400})
    _open(page, app_server.url + "/districts?city=420100&lang=en")
    assert "East Lake High-tech Zone" in _table_cells(page)
    page.locator("[data-testid='stButtonGroup']").get_by_text("By district", exact=True).click()
    wait_for_app(page)
    page.get_by_role("heading", name="Figures (By district)").wait_for(timeout=30_000)
    wait_for_app(page)
    cells = _table_cells(page)
    assert "East Lake High-tech Zone" not in cells and {"Hongshan", "Total"} <= set(cells)
    assert page.get_by_text("No quarter has been frozen yet", exact=False).count() == 0  # the trend tab is shut
    open_tab(page, "Trend by quarter")
    page.get_by_text("No quarter has been frozen yet", exact=False).wait_for(timeout=30_000)
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "districts_wuhan_en_by_district")


def test_trend_from_frozen_quarters(tmp_path, seeded_db_file, page):
    """With two frozen quarters the page draws the trend instead of saying there is none."""

    from sqlalchemy import insert

    from carriermap.store import Store, schema
    from tests.browser.conftest import seeded_copy, start_app, stop_app

    url = seeded_copy(seeded_db_file, tmp_path)
    store = Store.open(url)
    carriers = store.carriers("420100")
    with store.engine.begin() as connection:
        for quarter, frame in (("2026Q1", carriers.iloc[:350]), ("2026Q2", carriers)):
            connection.execute(insert(schema.snapshots).values(
                city_adcode="420100", quarter=quarter, frozen_at="2026-07-01T00:00:00Z", actor="tester",
                carriers=frame.to_json(orient="records", force_ascii=False)))
    store.engine.dispose()
    app = start_app(tmp_path, url)
    try:
        page.set_viewport_size({"width": 1400, "height": 3200})
        _open(page, app.url + "/districts?city=420100")
        open_tab(page, "季度趋势")
        page.get_by_text("依据 2 个季度快照", exact=False).wait_for(timeout=30_000)
        assert page.locator("[data-testid='stVegaLiteChart']").count() >= 4
        assert page.get_by_text("尚无冻结的季度快照", exact=False).count() == 0
        assert page.locator("[data-testid='stException']").count() == 0
        screenshot(page, "districts_wuhan_trend")
    finally:
        stop_app(app.process)


def _map_frames(page) -> list:
    """The page's map frames (plain ``st.iframe`` documents holding a Leaflet map), in page order."""
    frames = []
    for frame in page.frames:
        if frame is page.main_frame:
            continue
        try:
            if frame.evaluate("() => !!document.querySelector('.leaflet-container')"):
                frames.append(frame)
        except Exception:  # the frame is (re)loading
            continue
    return frames


def _drawn_units(page) -> list[int]:
    """How many unit polygons each choropleth drew (its container's ``data-units``), once both have drawn."""
    counts: list[int] = []
    for _ in range(300):
        counts = []
        for frame in _map_frames(page):
            try:
                counts.append(int(frame.evaluate(
                    "() => +(document.querySelector('.leaflet-container') || {dataset: {}}).dataset.units || 0")))
            except Exception:  # the frame is (re)loading
                counts.append(0)
        if len(counts) >= 2 and all(counts):
            return counts
        page.wait_for_timeout(100)
    return counts


def test_choropleths_draw_units_from_the_static_file_and_the_csv_downloads(app_server, page, tmp_path):
    """Both maps fetch the unit polygons (not sent over the websocket) and draw every unit with a hover text."""
    page.set_viewport_size({"width": 1400, "height": 3200})
    fetched = []
    page.on("response", lambda r: fetched.append(r.url) if "/app/static/cache/units-" in r.url else None)
    _open(page, app_server.url + "/districts?city=420100")
    open_tab(page, "数据质量")  # the quality map is drawn when its tab is opened
    counts = _drawn_units(page)
    # the comparison: Wuhan's districts and 东湖高新区's outline; the quality map: the units it can place
    # (Wuhan's records name their reporting unit, so only the zone has a polygon there)
    assert len(counts) == 2 and counts[0] >= 10 and counts[1] >= 1, counts
    assert fetched, "the unit polygons come from the static file"
    legend = _map_frames(page)[1].locator(".cm-legend").inner_text()
    assert legend.startswith(t("quality.col.confirmed_share", "zh")) and "&#" not in legend  # its title as written
    frame = _map_frames(page)[0]
    frame.locator("path.leaflet-interactive").first.hover(force=True)
    tip = frame.locator(".leaflet-tooltip").first
    tip.wait_for(timeout=10_000)
    assert "载体总数" in tip.inner_text()
    page.mouse.move(0, 0)  # off the map: its tooltip goes
    wait_for_app(page)
    button = page.get_by_role("button", name="下载 CSV")
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=60_000) as download_info:
        button.click()
    text = download_info.value.path().read_bytes().decode("utf-8-sig")
    assert text.splitlines()[0].startswith("区县/单位,载体总数（家）") and "东湖高新区" in text
    assert page.locator("[data-testid='stException']").count() == 0
