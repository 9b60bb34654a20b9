"""Which column is which: headers in zh or en, the header row under title rows, a notes row.

Header texts live in the catalogues (``import.header.<field>`` and the ``|``-separated
synonyms ``import.header_aliases.<field>``); both languages are recognised whatever the
interface language. A header is compared after NFKC (full-width brackets become ASCII),
lower case and without spaces or ``*``; a bilingual header such as ``名称 name`` or
``经度(lon)`` is recognised by either half.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from carriermap.i18n import LANGUAGES, catalogue
from carriermap.model import CARRIER_COLUMNS

# The template's columns: the documented ones first, then every other field people fill in.
TEMPLATE_FIELDS: tuple[str, ...] = (
    "name", "type", "level", "district", "address", "lon", "lat", "crs", "total_area_m2", "available_m2",
    "rent_cny_m2_month", "contact",
    "reporting_unit", "specialisation", "industries", "status", "rating", "rating_year", "tenants", "graduates",
    "jobs", "operator", "operator_kind", "services", "established_year", "level_notice", "level_notice_date",
    "source",
)
# Recognised on import but not offered in the template (an export has them).
# ``locality`` (所在地, 所在城市 …): a province/city/district text, read with the address to place a row.
EXTRA_FIELDS: tuple[str, ...] = ("id", "city_adcode", "district_adcode", "is_sample", "version", "updated_at",
                                 "locality")
HEADER_FIELDS: tuple[str, ...] = (*TEMPLATE_FIELDS, *EXTRA_FIELDS)
REQUIRED_COLUMNS: tuple[str, ...] = ("name", "type", "lon", "lat")
# Fields that are not carrier columns: resolved by the importer.
VIRTUAL_FIELDS: frozenset[str] = frozenset({"id", "district", "crs", "version", "updated_at", "locality"})
# Without coordinates, an address (or a locality) is enough: the row becomes an unplaced carrier.
POINT_COLUMNS: tuple[str, ...] = ("lon", "lat")
PLACE_TEXT_COLUMNS: tuple[str, ...] = ("address", "locality")
assert set(HEADER_FIELDS) - VIRTUAL_FIELDS <= set(CARRIER_COLUMNS)

_NOTE_WORDS = ("必填", "选填", "可选", "说明", "示例", "填写", "required", "optional", "notes", "note:", "e.g.")
_HEADER_SCAN_ROWS = 30
_NUMBER = re.compile(r"^[-+]?\d+(\.\d+)?$")
_SPLIT = re.compile(r"[\s/|]+")
_TRAILING_BRACKET = re.compile(r"^(.*?)\((.*)\)$")


def normalise_header(text: str) -> str:
    """A header as compared: NFKC, lower case, no spaces, no ``*`` (required marks)."""
    text = unicodedata.normalize("NFKC", str(text)).lower()
    return re.sub(r"[\s*_\-]+", "", text)


@cache
def _aliases() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for name in HEADER_FIELDS:
        spellings = {name}
        for lang in LANGUAGES:
            strings = catalogue(lang)
            spellings.add(strings[f"import.header.{name}"])
            for key in (f"import.header_aliases.{name}", f"lists.header_aliases.{name}"):
                spellings.update(s for s in strings.get(key, "").split("|") if s)
        for spelling in spellings:
            lookup.setdefault(normalise_header(spelling), name)
    return lookup


def field_for_header(text: str) -> str | None:
    """The field a header names (``"经度"``, ``"lon"``, ``"名称 name"`` …), or None."""
    aliases = _aliases()
    text = str(text or "").strip()
    if not text:
        return None
    whole = normalise_header(text)
    if whole in aliases:
        return aliases[whole]
    candidates = [part for part in _SPLIT.split(unicodedata.normalize("NFKC", text)) if part]
    bracket = _TRAILING_BRACKET.match(unicodedata.normalize("NFKC", text).strip())
    if bracket:
        candidates += [bracket.group(1), bracket.group(2)]
    for candidate in candidates:
        found = aliases.get(normalise_header(candidate))
        if found:
            return found
    return None


def header_text(name: str, lang: str) -> str:
    """The template's header for field ``name`` in ``lang``."""
    return catalogue(lang)[f"import.header.{name}"]


@dataclass
class ColumnMap:
    """Where each field is in the file: ``fields[name] = column index``, headers as written."""

    header: list[str]
    fields: dict[str, int] = field(default_factory=dict)
    duplicates: list[tuple[int, str]] = field(default_factory=list)  # (column index, field)
    ignored: list[str] = field(default_factory=list)
    lang: str = "zh"

    def column_name(self, name: str) -> str:
        """The header of field ``name`` as written in the file (or the template's, if absent)."""
        if name in self.fields:
            return self.header[self.fields[name]]
        return header_text(name, self.lang)


def map_columns(header: list[str], fixed: dict[int, str] | None = None, lang: str = "zh") -> ColumnMap:
    """Map header cells to fields; the file's language is guessed from the headers it uses."""
    mapping = ColumnMap(header=list(header))
    cjk = latin = 0
    for index, text in enumerate(header):
        name = (fixed or {}).get(index) or field_for_header(text)
        if name is None:
            if str(text).strip():
                mapping.ignored.append(str(text))
            continue
        if name in mapping.fields:
            mapping.duplicates.append((index, name))
            continue
        mapping.fields[name] = index
        if re.search(r"[\u4e00-\u9fff]", str(text)):
            cjk += 1
        else:
            latin += 1
    mapping.lang = "zh" if cjk > latin else ("en" if latin > cjk else lang)
    return mapping


def find_header_row(rows: list[list[str]]) -> int | None:
    """Index of the header row: the row among the first ones that names the most fields (≥ 2).

    Title rows above it (a merged "2026 年载体名录" cell, a date line) name none or one.
    """
    best, best_score = None, 1
    for index, row in enumerate(rows[:_HEADER_SCAN_ROWS]):
        score = len({field_for_header(cell) for cell in row if cell} - {None})
        if score > best_score:
            best, best_score = index, score
    return best


def is_notes_row(row: list[str], columns: ColumnMap) -> bool:
    """True for a row of filling instructions under the header (必填 / optional / 示例 …).

    Such a row names instructions, has no numbers where the coordinates go and no carrier
    type where the type goes; a data row has those, so a real row is not taken for notes
    (and a skipped row is listed in the plan, never dropped silently).
    """
    from carriermap.importing.synonyms import resolve
    from carriermap.model import parse_code

    text = " ".join(cell for cell in row if cell).lower()
    if not text or not any(word in text for word in _NOTE_WORDS):
        return False
    type_index = columns.fields.get("type")
    if type_index is not None and type_index < len(row) and (parse_code("type", row[type_index])
                                                              or resolve("type", row[type_index])):
        return False  # a carrier type (科技企业孵化器 too): a data row, whatever its address says
    for name in ("lon", "lat"):
        index = columns.fields.get(name)
        cell = row[index] if index is not None and index < len(row) else ""
        if _NUMBER.match(cell.strip()):
            return False
    return True
