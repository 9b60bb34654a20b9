"""Escaping for HTML/JS and neutralising spreadsheet formulas."""

import pytest

from carriermap.safety import html_text, neutralise_cell

PAYLOADS = ["<img src=x onerror=alert(1)>", "${alert(1)}", "`;alert(1);`", "trailing\\", "\"'><script>x</script>"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_html_text_leaves_no_active_character(payload):
    out = html_text(payload)
    for char in "<>`$\\\"'":
        assert char not in out


def test_html_text_keeps_plain_chinese():
    assert html_text("天河孵化器") == "天河孵化器"


@pytest.mark.parametrize("value", ["=1+2", "+SUM(A1)", "-2+3", "@cmd", "\t=x"])
def test_formulas_are_neutralised(value):
    assert neutralise_cell(value) == "'" + value


def test_numbers_and_plain_text_unchanged():
    assert neutralise_cell(-5) == -5
    assert neutralise_cell("天河") == "天河"
