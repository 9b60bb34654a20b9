"""Browser: a fresh start is clean (no static-folder or deprecation warning in the log) and the
README screenshot shows what a fresh start shows.

``CARRIERMAP_UPDATE_DOCS=1 python -m pytest tests/browser/test_finish_fresh_start.py`` regenerates
``docs/screenshot.png`` and ``docs/screenshot.json`` (the figures the screenshot shows).
"""

from __future__ import annotations

import json
import os
import re

import pytest

from carriermap.store import Store
from tests.browser.conftest import ROOT, seeded_copy, start_app, stop_app, wait_for_app
from tests.browser.test_map import map_frame

pytestmark = pytest.mark.browser
DOCS = ROOT / "docs"


def _shown_figures(page) -> dict[str, int]:
    text = page.locator("[data-testid='stMain']").inner_text()
    shown = re.search(r"显示\s*([\d,]+)\s*个载体", text)
    legend = {name: int(count.replace(",", "")) for name, count in re.findall(r"(众创空间|孵化器)\s+([\d,]+)", text)}
    return {"shown": int(shown.group(1).replace(",", "")), **legend}


def test_fresh_start_is_clean_and_matches_the_readme_screenshot(tmp_path, seeded_db_file, page):
    db_url = seeded_copy(seeded_db_file, tmp_path)
    app = start_app(tmp_path, db_url)
    try:
        page.goto(app.url + "/?city=440100")
        wait_for_app(page)
        map_frame(page)
        page.wait_for_timeout(1500)
        figures = _shown_figures(page)
        carriers = Store.open(db_url).carriers("440100")
        active = carriers[carriers["status"] != "delisted"]
        assert figures["shown"] == len(active)
        assert figures["孵化器"] == int((active["type"] == "incubator").sum())
        if os.environ.get("CARRIERMAP_UPDATE_DOCS") == "1":
            page.screenshot(path=str(DOCS / "screenshot.png"))
            (DOCS / "screenshot.json").write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n")
        assert json.loads((DOCS / "screenshot.json").read_text()) == figures, "regenerate the README screenshot"
        for path in ("/districts?city=440100", "/find_space?city=440100"):
            page.goto(app.url + path)
            wait_for_app(page)
            page.wait_for_timeout(1000)
            if path.startswith("/districts"):  # officials see which data the figures are as of
                page.get_by_text(re.compile("本页数字截至")).first.wait_for(timeout=30_000)
                assert "尚无冻结季度" in page.locator("[data-testid='stMain']").inner_text()
    finally:
        stop_app(app.process)
    log = app.log.read_text()
    assert "no static folder found" not in log
    assert "use_container_width" not in log and "deprecat" not in log.lower()
