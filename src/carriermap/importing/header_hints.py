"""Columns a file has that the register does not read: said plainly, with what they might be.

An ignored column is never silent: a row number (序号, No.) is said to be unneeded; a header
close to a known one (联系人电话 → 联系电话) names the header to use; anything else lists the
columns the register reads.
"""

from __future__ import annotations

import difflib
import re

from carriermap.i18n import t
from carriermap.importing.headers import TEMPLATE_FIELDS, _aliases, header_text, normalise_header

_ROW_NUMBER = re.compile(r"^(序号|编号|排序|no\.?|#|number|index|id号)$", re.IGNORECASE)


def ignored_hint(header: str, lang: str = "zh") -> str:
    """Why ``header`` was not imported, and what to do if it matters."""
    key = normalise_header(header)
    if _ROW_NUMBER.match(key):
        return t("lists.ignored.row_number", lang, header=header)
    spellings = _aliases()
    close = difflib.get_close_matches(key, list(spellings), n=1, cutoff=0.6)
    if close:
        return t("lists.ignored.similar", lang, header=header, field=header_text(spellings[close[0]], lang))
    columns = "、".join if lang == "zh" else ", ".join
    return t("lists.ignored.unknown", lang, header=header,
             columns=columns(header_text(name, lang) for name in TEMPLATE_FIELDS))


def ignored_hints(headers: list[str], lang: str = "zh") -> list[str]:
    """:func:`ignored_hint` of each ignored header."""
    return [ignored_hint(header, lang) for header in headers]
