"""Making untrusted text safe where it ends up: HTML/JavaScript in maps, Markdown on pages,
cells in spreadsheets.

folium does not escape: ``Popup`` renders raw HTML and ``Tooltip`` puts its text inside a
JavaScript template literal, where ``${…}``, a backtick or a trailing backslash runs code
even when the HTML is escaped. :func:`html_text` escapes both layers and is the one helper
every value goes through before it reaches folium or a report.

Streamlit renders Markdown (GitHub-flavoured, plus ``:material/…:``, ``:red[…]`` and ``$…$``)
in ``st.markdown``, captions, alerts, widget labels and ``st.table`` cells: ``![t](http://…)``
loads an outside image and ``[t](http://…)`` or a bare ``www.…`` becomes a live link.
:func:`md_text` escapes HTML *and* Markdown and is the one helper for user text shown there;
:class:`MarkdownSafe` marks text already escaped so it is never escaped twice.
:func:`neutralise_cell` keeps a spreadsheet cell from running as a formula.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pandas as pd

_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_FORMULA_PADDING = " \u3000"
_WITH_TEXT = ("string", "mixed", "mixed-integer")  # what pandas infers for a column holding any text
# The same rule as a pattern (literal characters, so Python's and Arrow's engines read it alike).
_FORMULA_START = "[{}]*[{}]".format(*("".join("\\" + c if c in "\\]^-" else c for c in chars)
                                      for chars in (_FORMULA_PADDING, "".join(_FORMULA_PREFIXES))))
# Markdown punctuation as numeric character references: they show as the character in Markdown
# and in HTML, but cannot open a link, an image, emphasis, code, a table, a directive or maths.
_MARKDOWN = str.maketrans({**{c: f"&#{ord(c)};" for c in "\\`*_{}[]()#+-.!|~$:@^=\"'"},
                           "&": "&amp;", "<": "&lt;", ">": "&gt;"})
# GitHub-flavoured Markdown links bare ``http://``, ``www.`` and ``a@b.c`` *after* decoding references,
# so an invisible word joiner goes where those patterns need an exact character sequence.
_AUTOLINK = re.compile(r"(?<=[A-Za-z])(?=://)|(?<=[Ww]{3})(?=\.)|(?<=@)")
_WORD_JOINER = "\u2060"
_LINE_BREAKS = str.maketrans({"\r": " ", "\n": " ", "\u2028": " ", "\u2029": " "})
_JS_TEMPLATE = str.maketrans({"\\": "&#92;", "`": "&#96;", "$": "&#36;"})


def html_text(value: Any) -> str:
    """Text safe inside HTML *and* inside a JavaScript template literal.

    HTML-escapes ``& < > " '`` and replaces ``\\``, backtick and ``$`` with HTML entities,
    which render as the same characters but cannot end a JS string or open ``${}``.
    """
    if value is None:
        return ""
    return html.escape(str(value), quote=True).translate(_JS_TEMPLATE)


class MarkdownSafe(str):
    """Text already safe to render as Markdown (escaped, or a trusted catalogue string)."""


def md_text(value: Any) -> MarkdownSafe:
    """User text safe where Streamlit renders Markdown: shown exactly as typed, never as markup.

    HTML special characters become entities (as :func:`html_text`), Markdown punctuation becomes
    numeric character references, line breaks become spaces (no new block can start), and an
    invisible word joiner breaks bare ``http://``, ``www.`` and e-mail autolinks. Text that
    is already :class:`MarkdownSafe` is returned unchanged.
    """
    if isinstance(value, MarkdownSafe):
        return value
    if value is None:
        return MarkdownSafe("")
    text = _AUTOLINK.sub(_WORD_JOINER, str(value).translate(_LINE_BREAKS))
    return MarkdownSafe(text.translate(_MARKDOWN))


def md_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Message parameters ready for a Markdown-rendered message: text escaped, numbers kept."""
    return {name: value if isinstance(value, (int, float)) and not isinstance(value, bool) else md_text(value)
            for name, value in fields.items()}


def neutralise_cell(value: Any) -> Any:
    """A spreadsheet cell value that cannot run as a formula (OWASP CSV injection).

    Text starting with ``= + - @`` (or tab, CR, LF, their full-width forms, or any of these after
    leading spaces) gets a leading apostrophe; numbers and other values pass unchanged. Negative
    numbers are numbers, not text, and stay so.
    """
    if isinstance(value, str) and value.lstrip(_FORMULA_PADDING).startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_series(series: pd.Series) -> pd.Series:
    """:func:`neutralise_cell` of every cell, as one vectorised match: the same cells change the same way.

    A column with nothing to change is returned as it is (its dtype kept); otherwise a copy
    of it whose matching text cells start with an apostrophe. Object columns whose cells pandas
    cannot match as text (no text at all, or objects pandas refuses) go cell by cell.
    """
    if isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype(object)
    if series.dtype == object and pd.api.types.infer_dtype(series, skipna=True) not in _WITH_TEXT:
        return series  # no text cell: nothing to change
    try:
        formula = series.str.match(_FORMULA_START, na=False).to_numpy(dtype=bool)
    except (AttributeError, TypeError):
        return series.map(neutralise_cell).astype(object)
    if not formula.any():
        return series
    out = series.copy()
    out[formula] = ("'" + series[formula].astype(object)).to_numpy()  # by position: labels may repeat
    return out


def markdown_text(value: Any) -> MarkdownSafe:
    """The same as :func:`md_text` (kept for callers of this name): one Markdown escaping everywhere."""
    return md_text(value)
