"""/districts under the map's filters: Guangzhou's published incubator figures on the page and in its XLSX."""

import pytest

from carriermap.districts.table import column_header
from carriermap.formatting import zh_punctuation
from tests.browser.conftest import screenshot, wait_for_app
from tests.browser.test_districts import download_workbook

pytestmark = pytest.mark.browser


def _headline(page) -> dict[str, str]:
    page.locator("[data-testid='stMetric']").first.wait_for(timeout=60_000)
    labels = page.locator("[data-testid='stMetricLabel']").all_inner_texts()
    values = page.locator("[data-testid='stMetricValue']").all_inner_texts()
    return {label.strip(): value.strip() for label, value in zip(labels, values, strict=True)}


def test_type_filter_in_the_url_reproduces_the_published_figures_on_the_page_and_in_the_xlsx(app_server, page,
                                                                                               tmp_path):
    page.set_viewport_size({"width": 1400, "height": 2600})
    page.goto(app_server.url + "/districts?city=440100&type=incubator")
    wait_for_app(page)
    page.locator("[data-testid='stTable']").first.wait_for(timeout=60_000)
    wait_for_app(page)
    headline = _headline(page)
    assert headline[zh_punctuation("载体总数(家)")] == "207" and headline[zh_punctuation("国家级(家)")] == "21"
    assert headline[zh_punctuation("吸纳就业(人)")] == "110,600"
    figures = page.locator("[data-testid='stTable']").first
    total_row = figures.locator("tr").filter(has_text="合计").first.all_inner_texts()[0]
    assert "207" in total_row and "8,550,000" in total_row and "110,600" in total_row  # 孵化总面积 and jobs
    assert page.get_by_text(zh_punctuation("统计范围:类型:孵化器"), exact=False).count() == 1
    assert "type=incubator" in page.url  # the filter stays in the address, so the link reproduces the view
    sidebar = page.locator("[data-testid='stSidebar']")
    assert sidebar.get_by_text("孵化器", exact=True).count() >= 1  # the chosen type in the filter widget
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "districts_guangzhou_incubators")

    values = list(download_workbook(page, tmp_path / "gz.xlsx")["按行政区"].iter_rows(values_only=True))
    total = dict(zip(values[0], values[-1], strict=True))
    assert total[column_header("carriers")] == 207 and total[column_header("national")] == 21
    assert total[column_header("total_area_m2")] == 8_550_000 and total[column_header("jobs")] > 110_000
