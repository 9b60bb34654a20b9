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


_MARKDOWN = str.maketrans({c: f"&#{ord(c)};" for c in "&<>\"'\\`$[]()!*_#|~+-=.{}:"})


def markdown_text(value: Any) -> str:
    """Text safe inside ``st.markdown`` (with or without HTML): every HTML and Markdown special
    character as an entity, so ``<b>``, ``[t](http://…)`` or ``![x](…)`` shows as typed."""
    return "" if value is None else str(value).translate(_MARKDOWN)
