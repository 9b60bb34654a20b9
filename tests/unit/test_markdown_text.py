"""md_text: user text shown where Streamlit renders Markdown reads as typed and is never markup."""

import re
from html import unescape

import pytest

from carriermap.safety import MarkdownSafe, md_fields, md_text
from carriermap.ui.context import PageContext

PAYLOADS = ["![t](http://127.0.0.1:9/i.png)", "[点我](http://127.0.0.1:9/l)", "www.evil.example", "a@b.example",
            "<img src=x onerror=alert(1)>", ":red[x] :material/home:", "$x^2$", "**b** _i_ `c` ~~s~~",
            "| a | b |", "# h", "1. item", "- item", "> quote", "\\", "&amp; &#91;", "a\n\n![x](http://e/x.png)"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_md_text_reads_as_typed_and_holds_no_markup(payload):
    out = md_text(payload)
    assert unescape(out).replace("\u2060", "") == payload.replace("\n", " ")
    bare = re.sub(r"&#?[0-9a-z]+;", "", out)  # what is left outside character references
    assert not set(bare) & set("[]()!<>`*_|#$:\\\n")
    assert "http://" not in unescape(out) and "www." not in unescape(out)  # no bare autolink either


def test_escaping_happens_once_and_numbers_stay_numbers():
    once = md_text("[x](y)")
    assert md_text(once) is once and isinstance(once, MarkdownSafe)
    assert md_fields({"n": 5, "x": 1.5, "s": "[a](b)"}) == {"n": 5, "x": 1.5, "s": md_text("[a](b)")}


def test_page_messages_escape_every_field():
    ctx = PageContext(city=None, lang="en", store=None)
    text = ctx.t("data.edit.problem", field=ctx.t("data.field.contact"), value="[c](http://e/x)", message="m")
    assert "](" not in text and "[c](http://e/x)" in unescape(text).replace("\u2060", "")
    assert ctx.plain("data.edit.problem", field="f", value="[c](x)", message="m").count("[c](x)") == 1
