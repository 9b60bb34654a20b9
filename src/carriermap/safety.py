"""Making untrusted text safe where it ends up: HTML/JavaScript in maps, cells in spreadsheets.

folium does not escape: ``Popup`` renders raw HTML and ``Tooltip`` puts its text inside a
JavaScript template literal, where ``${…}``, a backtick or a trailing backslash runs code
even when the HTML is escaped. :func:`html_text` escapes both layers and is the one helper
every value goes through before it reaches folium or a report.
"""

from __future__ import annotations

import html
from typing import Any

_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_JS_TEMPLATE = str.maketrans({"\\": "&#92;", "`": "&#96;", "$": "&#36;"})


def html_text(value: Any) -> str:
    """Text safe inside HTML *and* inside a JavaScript template literal.

    HTML-escapes ``& < > " '`` and replaces ``\\``, backtick and ``$`` with HTML entities,
    which render as the same characters but cannot end a JS string or open ``${}``.
    """
    if value is None:
        return ""
    return html.escape(str(value), quote=True).translate(_JS_TEMPLATE)


def neutralise_cell(value: Any) -> Any:
    """A spreadsheet cell value that cannot run as a formula (OWASP CSV injection).

    Text starting with ``= + - @`` (or tab/CR) gets a leading apostrophe; numbers and
    other values pass unchanged. Negative numbers are numbers, not text, and stay so.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


_MARKDOWN_SPECIAL = "\\`*_{}[]()#+-.!|<>~$:&=\"'"


def markdown_text(value: Any) -> str:
    """Text shown literally where Streamlit renders Markdown (captions, metrics, table cells).

    Every ASCII punctuation mark Markdown (or Streamlit's ``:icon:`` and ``$math$``) could read
    is backslash-escaped, so ``![x](http://…)`` stays text, never an outside image or a link.
    """
    if value is None:
        return ""
    return "".join(f"\\{char}" if char in _MARKDOWN_SPECIAL else char for char in str(value))
