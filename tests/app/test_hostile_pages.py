"""Every page, walked with hostile query parameters and hostile data, never draws an exception and
never renders user text as Markdown or HTML.

Streamlit's AppTest runs each page file as a browser session would. The database holds carriers
whose names, units, addresses and contacts are Markdown images and links, HTML and formulas
(as a careless or hostile editor could have written them); the URL carries Unicode digits, huge
numbers, path traversal, markup, empty and repeated values for every parameter the pages read.
Markdown-rendered places (text, captions, alerts, labels, ``st.table`` cells, progress texts,
expander and tab labels) must show no raw ``[`` ``](`` ``<`` of that text: escaped, it is text.
"""

from pathlib import Path

import pytest
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from carriermap.auth import create_user
from carriermap.store import schema

ROOT = Path(__file__).resolve().parents[2]
PAGES = tuple(sorted(path.stem for path in (ROOT / "pages").glob("*.py")))  # every page, new ones included
BEACON = "http://127.0.0.1:9"
IMAGE, LINK, TAG = f"![t]({BEACON}/i.png)", f"[点我]({BEACON}/l)", "<img src=x onerror=alert(1)>"
RAW = ("](", "<img", "<script", "![")
PASSWORD = "correct-horse-battery"
FILTERS = ("type", "level", "spec", "industry", "status", "district")
HOSTILE = {
    "unicode-and-controls": {"carrier": "²", "city": "４４０１００", "lang": "\u202eｅｎ", "q": "\x1b[31m\u202e\x00",
                             "basemap": "\u200bnone", **{f: "¹²³,\x00" for f in FILTERS}},
    "huge": {"carrier": "9" * 30, "city": "9" * 30, "lang": "9" * 300, "q": "x" * 10_000, "basemap": "9" * 99,
             **{f: ",".join(["9" * 30] * 50) for f in FILTERS}},
    "markup-and-traversal": {"carrier": "../../etc/passwd", "city": IMAGE, "lang": LINK, "q": IMAGE + TAG,
                             "basemap": "javascript:alert(1)", **{f: f"{TAG},{LINK},../" for f in FILTERS}},
    "empty": {"carrier": "", "city": "", "lang": "", "q": "", "basemap": "", **{f: "" for f in FILTERS}},
    "repeated": {"carrier": ["1", "2", "²", "-1"], "city": ["440100", "340600", "x"], "lang": ["en", "zh", "x"],
                 "basemap": ["none", "gaode"], **{f: ["incubator", "x", ""] for f in FILTERS}},
}


@pytest.fixture
def hostile_db(store, db_url, monkeypatch):
    """Guangzhou's carriers carrying Markdown images, links and HTML in every text a page shows."""
    with store.engine.begin() as conn:
        table = schema.carriers
        conn.execute(update(table).where(table.c.city_adcode == "440100").values(
            name=IMAGE + table.c.id.cast(schema.Text), reporting_unit=LINK, address=TAG, contact=LINK,
            operator=IMAGE, industries=f'["{LINK}", "人工智能"]'))
    create_user(store, "boss", PASSWORD, "admin")
    monkeypatch.setenv("CARRIERMAP_DATABASE_URL", db_url)
    return store


def _texts(node):
    """Every text of the page that Streamlit renders as Markdown (not data grids or option lists)."""
    for child in getattr(node, "children", {}).values():
        proto = getattr(child, "proto", None)
        kind = type(child).__name__
        if kind == "Table":
            yield kind, proto.arrow_data.styler.display_values.decode("utf-8", "replace")
        elif kind == "Html" and proto.body.startswith("<script>fetch('/api/carriermap/"):
            pass  # the sign-in cookie hand-off (carriermap.web.session_cookie): product script, no user text
        elif proto is not None and kind != "Dataframe":  # folium's iframe is HTML (html_text), not Markdown
            for name in ("body", "label", "text", "help", "caption", "placeholder"):
                if isinstance(getattr(proto, name, None), str):
                    yield kind, getattr(proto, name)
        yield from _texts(child)


def _assert_safe(app: AppTest, where: str) -> None:
    assert not app.exception, (where, [e.value for e in app.exception])
    leaks = [(kind, text[:200]) for kind, text in _texts(app._tree) if any(raw in text for raw in RAW)]
    assert not leaks, (where, leaks)


def _page(name: str, params: dict) -> AppTest:
    app = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=120)
    for key, value in params.items():
        app.query_params[key] = value
    return app


@pytest.mark.parametrize("case", sorted(HOSTILE))
@pytest.mark.parametrize("page", PAGES)
def test_every_page_survives_hostile_query_parameters(hostile_db, page, case):
    app = _page(page, HOSTILE[case]).run()
    _assert_safe(app, f"/{page}?{case}")


def test_a_linked_carrier_with_hostile_text_shows_as_text(hostile_db):
    carrier_id = int(hostile_db.carriers("440100")["id"].iloc[0])
    app = _page("map", {"city": "440100", "carrier": str(carrier_id)}).run()
    _assert_safe(app, "/map?carrier")
    details = [text for kind, text in _texts(app._tree) if "cm-details" in text]
    assert details and "&#91;" in details[0]  # the linked carrier's panel is drawn, its name escaped


def test_find_space_suggestions_show_carrier_names_as_text(hostile_db):
    app = _page("find_space", {"city": "440100"}).run()
    app = app.number_input(key="fs_area").set_value(9_000_000).run()  # nothing that large: suggestions
    _assert_safe(app, "/find_space suggestions")
    assert any("&#91;" in text or "&#33;" in text for kind, text in _texts(app._tree) if kind == "Markdown")


def test_data_page_caption_and_history_show_hostile_text_as_text(hostile_db):
    app = _page("data", {"city": "440100"}).run()
    app.text_input(key="data.signin.name").input("boss")
    app.text_input(key="data.signin.password").input(PASSWORD)
    app = app.button[0].click().run()
    _assert_safe(app, "/data signed in")
    captions = [text for kind, text in _texts(app._tree) if kind == "Caption"]
    assert any("&#91;点我&#93;" in text for text in captions)  # the contact, escaped, in the data caption
