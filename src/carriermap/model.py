"""The records of the product — carriers, corridors/zones, targets — and their validation.

One table of :class:`Field` specs describes a carrier; the store's schema, the exporters,
the import template and :func:`clean_carrier` all read it, so a field is declared once.
Validation lives here and only here: every entry path (bundled data, CLI import, the data
page, quick edits) calls :func:`clean_carrier`.

A problem is reported as a :class:`Problem` with the field, the offending value and a
catalogue key (``error.*``) plus parameters, so the UI and the CLI can say it in zh or en.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from carriermap import codes
from carriermap.text_rules import TextRefused, first_hidden, normalise_text

Kind = Literal["text", "int", "float", "bool", "code", "list", "year", "date", "json"]


@dataclass(frozen=True)
class Field:
    """One attribute of a carrier.

    ``max_length`` bounds the text a cell may hold (characters, after normalisation; lists:
    all items joined); ``minimum``/``maximum`` bound a number. Every write path checks them
    through :func:`clean_value`, and the store checks them again (:func:`stored_problems`).
    ``multiline`` keeps line breaks (other text reads them as spaces).
    """

    name: str
    kind: Kind
    required: bool = False
    vocabulary: str | None = None  # for kind == "code"
    minimum: float | None = None
    default: Any = None
    max_length: int = 64
    maximum: float | None = None
    multiline: bool = False


MAX_AREA_M2 = 10_000_000.0  # 10 km²: far above any carrier's floor space
MAX_RENT = 10_000.0  # CNY per m² per month
CARRIER_FIELDS: tuple[Field, ...] = (
    Field("name", "text", required=True, max_length=200),
    Field("type", "code", required=True, vocabulary="type"),
    Field("level", "code", vocabulary="level", default="unrated"),
    Field("city_adcode", "text", required=True, max_length=12),
    Field("district_adcode", "text", max_length=12),
    Field("reporting_unit", "text", max_length=100),
    Field("address", "text", max_length=300),
    Field("lon", "float"),  # None: an unplaced carrier (carriermap.location); ranges: see _cross_checks
    Field("lat", "float"),
    Field("specialisation", "code", vocabulary="specialisation"),
    Field("industries", "list", default=(), max_length=1000),
    Field("status", "code", vocabulary="status", default="operating"),
    Field("rating", "code", vocabulary="rating"),
    Field("rating_year", "year"),
    Field("total_area_m2", "float", minimum=0, maximum=MAX_AREA_M2),
    Field("available_m2", "float", minimum=0, maximum=MAX_AREA_M2),
    Field("rent_cny_m2_month", "float", minimum=0, maximum=MAX_RENT),
    Field("tenants", "int", minimum=0, maximum=100_000),
    Field("graduates", "int", minimum=0, maximum=100_000),
    Field("jobs", "int", minimum=0, maximum=1_000_000),
    Field("operator", "text", max_length=200),
    Field("operator_kind", "code", vocabulary="operator_kind"),
    Field("services", "text", max_length=2000, multiline=True),
    Field("contact", "text", max_length=200),
    Field("established_year", "year"),
    Field("level_notice", "text", max_length=200),
    Field("level_notice_date", "date", max_length=32),
    Field("source", "text", max_length=500),
    Field("is_sample", "bool", default=False),
    # Where each value comes from (JSON field → entry; see carriermap.provenance).
    Field("provenance", "json", max_length=20_000),
)
FIELDS_BY_NAME: dict[str, Field] = {f.name: f for f in CARRIER_FIELDS}
CARRIER_COLUMNS: tuple[str, ...] = tuple(f.name for f in CARRIER_FIELDS)

FEATURE_COLUMNS: tuple[str, ...] = ("name", "city_adcode", "kind", "members", "schematic", "source",
                                    "location_source", "is_sample")
TARGET_COLUMNS: tuple[str, ...] = ("city_adcode", "unit", "metric", "value", "year", "source", "is_sample")

_LIST_SPLIT = re.compile(r"[;,;,、|/]+")
_TRUE = {"1", "true", "yes", "y", "是", "t", "x", "✓"}
_FALSE = {"0", "false", "no", "n", "否", "f", ""}


@dataclass(frozen=True)
class Problem:
    """What is wrong with one value: the field, the value, a catalogue key and its parameters."""

    field: str
    value: Any
    key: str
    params: dict[str, Any] = field(default_factory=dict)


def is_blank(value: Any) -> bool:
    """True for None, NaN and strings that hold only white space."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


def _code_lookup(vocabulary: str) -> dict[str, str]:
    """Accepted spellings (code, zh label, en label; case-insensitive) → code."""
    from carriermap.i18n import LANGUAGES, label

    lookup: dict[str, str] = {}
    for code in codes.VOCABULARIES[vocabulary]:
        lookup[code.lower()] = code
        for lang in LANGUAGES:
            lookup[_spelling(label(vocabulary, code, lang))] = code
    return lookup


def _spelling(text: str) -> str:
    """A label as compared: NFKC (full- and half-width punctuation alike), trimmed, lower case."""
    return unicodedata.normalize("NFKC", str(text)).strip().lower()


_LOOKUPS: dict[str, dict[str, str]] = {}


def parse_code(vocabulary: str, value: Any) -> str | None:
    """Return the code that ``value`` names (a code or a zh/en label), or None."""
    if vocabulary not in _LOOKUPS:
        _LOOKUPS[vocabulary] = _code_lookup(vocabulary)
    return _LOOKUPS[vocabulary].get(_spelling(value))


def _parse_number(text: str) -> float:
    cleaned = text.replace(",", "").replace(" ", "").strip()
    for unit in ("平方米", "m²", "m2", "㎡", "元", "人", "个", "家"):
        cleaned = cleaned.removesuffix(unit)
    if not _NUMBER.fullmatch(cleaned):  # no "nan", "inf", "1_000" or digits of other scripts
        raise ValueError(text)
    return float(cleaned)


_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", re.ASCII)
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?", re.ASCII)
_EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0 (its 1900 leap-year bug folded in)
_EXCEL_SERIALS = (18_264, 73_050)  # 1950-01-01 … 2099-12-31


def _parse_date(text: str) -> str:
    """A date cell as ISO ``YYYY-MM-DD``: ``2024/1/1``, ``2024年1月1日`` and Excel serial numbers
    (``45292`` → ``2024-01-01``); other text is kept as written."""
    match = _DATE.fullmatch(text)
    if match:
        try:
            return date(*map(int, match.groups())).isoformat()
        except ValueError:
            return text
    if _NUMBER.fullmatch(text):
        serial = float(text)
        if serial.is_integer() and _EXCEL_SERIALS[0] <= serial <= _EXCEL_SERIALS[1]:
            return (_EXCEL_EPOCH + timedelta(days=int(serial))).isoformat()
    return text


def shown_value(value: Any, limit: int = 80) -> Any:
    """A value as a problem repeats it: long text cut to ``limit`` characters (a 1 MB cell is not echoed)."""
    if isinstance(value, str) and len(value) > limit:
        return value[:limit] + "…"
    return value


def _normal_form(spec: Field) -> str:
    """NFKC for codes, numbers and adcodes (full-width digits become ASCII); NFC for names and text."""
    return "NFC" if spec.kind in ("text", "list") and not spec.name.endswith("adcode") else "NFKC"


def _normalise(spec: Field, value: Any) -> tuple[Any, Problem | None]:
    """Text of a cell normalised by :mod:`carriermap.text_rules`, or the problem with it."""
    if isinstance(value, (list, tuple)):
        items = []
        for item in value:
            item, problem = _normalise(spec, item)
            if problem:
                return None, problem
            items.append(item)
        return items, None
    if not isinstance(value, str):
        return value, None
    if len(value) > spec.max_length * 4:  # refuse huge cells before normalising them
        return None, Problem(spec.name, shown_value(value), "error.too_long",
                             {"limit": spec.max_length, "length": len(value)})
    try:
        return normalise_text(value, form=_normal_form(spec), multiline=spec.multiline), None
    except TextRefused as refused:
        return None, Problem(spec.name, shown_value(value), refused.key, refused.params)


def clean_value(spec: Field, value: Any) -> tuple[Any, Problem | None]:
    """Convert one raw value (text from a file, or a Python value) to its field's type.

    Text is normalised and checked first (:mod:`carriermap.text_rules`: hidden characters
    refused, NFKC/NFC), then converted; numbers must be finite and within the field's range,
    text within its length.
    """
    if is_blank(value):
        if spec.required:
            return None, Problem(spec.name, value, "error.required")
        return (list(spec.default) if spec.kind == "list" else spec.default), None
    value, problem = _normalise(spec, value)
    if problem:
        return None, problem
    if is_blank(value):
        if spec.required:
            return None, Problem(spec.name, value, "error.required")
        return (list(spec.default) if spec.kind == "list" else spec.default), None
    if spec.kind == "list":
        return _check_length(spec, _clean_list(value))
    if spec.kind in ("text", "date"):
        text = str(value).strip()
        return _check_length(spec, _parse_date(text) if spec.kind == "date" else text)
    if spec.kind == "code":
        code = parse_code(spec.vocabulary or spec.name, value)
        if code is None:
            allowed = ", ".join(codes.VOCABULARIES[spec.vocabulary or spec.name])
            return None, Problem(spec.name, shown_value(value), "error.unknown_code", {"allowed": allowed})
        return code, None
    if spec.kind == "json":
        from carriermap.provenance import ProvenanceError, normalise

        try:
            return normalise(value), None
        except ProvenanceError as error:
            return None, Problem(spec.name, shown_value(value), "error.bad_provenance", {"detail": str(error)})
    if spec.kind == "bool":
        if isinstance(value, bool):
            return value, None
        text = str(value).strip().lower()
        if text in _TRUE:
            return True, None
        if text in _FALSE:
            return False, None
        return None, Problem(spec.name, shown_value(value), "error.not_bool")
    return _clean_number(spec, value)


def _clean_list(value: Any) -> list[str]:
    if isinstance(value, (list, tuple)):
        items = [str(v).strip() for v in value]
    else:
        text = str(value).strip()
        if text.startswith("["):
            try:
                loaded = json.loads(text)
                items = [str(v).strip() for v in loaded] if isinstance(loaded, list) else _LIST_SPLIT.split(text)
            except (ValueError, RecursionError):
                items = _LIST_SPLIT.split(text)
        else:
            items = _LIST_SPLIT.split(text)
    return [item.strip() for item in items if item and item.strip()]


def _check_length(spec: Field, value: Any) -> tuple[Any, Problem | None]:
    length = len(";".join(value)) if isinstance(value, list) else len(str(value))
    if length > spec.max_length:
        return None, Problem(spec.name, shown_value(";".join(value) if isinstance(value, list) else value),
                             "error.too_long", {"limit": spec.max_length, "length": length})
    return value, None


def _clean_number(spec: Field, value: Any) -> tuple[Any, Problem | None]:
    try:
        if isinstance(value, bool):
            raise ValueError(value)
        number = float(value) if isinstance(value, (int, float)) else _parse_number(str(value))
    except (ValueError, OverflowError):
        return None, Problem(spec.name, shown_value(value), "error.not_number")
    if math.isnan(number) or math.isinf(number):
        return None, Problem(spec.name, shown_value(value), "error.not_finite")
    if spec.kind in ("int", "year"):
        if number != int(number):
            return None, Problem(spec.name, value, "error.not_integer")
        number = int(number)
        if spec.kind == "year" and not 1950 <= number <= 2100:
            return None, Problem(spec.name, value, "error.bad_year")
    if spec.minimum is not None and number < spec.minimum:
        key = "error.negative" if spec.minimum == 0 else "error.below_minimum"
        return None, Problem(spec.name, value, key, {"minimum": spec.minimum})
    if spec.maximum is not None and number > spec.maximum:
        return None, Problem(spec.name, value, "error.too_large", {"maximum": f"{spec.maximum:,.0f}"})
    return number, None


def clean_carrier(raw: dict[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """Validate and convert one carrier record.

    ``raw`` maps field names to raw values (missing names take their defaults). Returns
    the cleaned record and every problem found (empty when the record is valid). Checks
    that need geography (point inside the city, district) live in
    :mod:`carriermap.placement`, which import paths call after this.
    """
    record: dict[str, Any] = {}
    problems: list[Problem] = []
    for spec in CARRIER_FIELDS:
        value, problem = clean_value(spec, raw.get(spec.name))
        record[spec.name] = value
        if problem:
            problems.append(problem)
    problems.extend(_cross_checks(record))
    return record, problems


def _cross_checks(record: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    lon, lat = record.get("lon"), record.get("lat")
    if (lon is None) != (lat is None):
        missing = "lat" if lat is None else "lon"
        problems.append(Problem(missing, None, "error.point_half", {"lon": lon, "lat": lat}))
    elif lon is None and is_blank(record.get("address")):
        problems.append(Problem("lon", None, "error.point_or_address"))
    if isinstance(lon, float) and isinstance(lat, float):
        if 15 <= lon <= 55 and 70 <= lat <= 140:
            problems.append(Problem("lon", lon, "error.swapped_lonlat", {"lon": lon, "lat": lat}))
        else:
            if not -180 <= lon <= 180:
                problems.append(Problem("lon", lon, "error.lon_range"))
            if not -90 <= lat <= 90:
                problems.append(Problem("lat", lat, "error.lat_range"))
    total, free = record.get("total_area_m2"), record.get("available_m2")
    if isinstance(total, float) and isinstance(free, float) and free > total:
        problems.append(Problem("available_m2", free, "error.free_exceeds_total", {"total": total}))
    if record.get("rating") and record.get("rating_year") is None:
        problems.append(Problem("rating_year", None, "error.rating_needs_year"))
    return problems


def stored_problems(record: dict[str, Any]) -> list[Problem]:
    """The store's last check of a record about to be written, whatever path it came by.

    Every model field present must be within its declared limits: text no longer than
    ``max_length`` and free of hidden characters, numbers finite and within range. A record
    cleaned by :func:`clean_carrier` always passes; anything else is refused before the write.
    """
    problems: list[Problem] = []
    for name, value in record.items():
        spec = FIELDS_BY_NAME.get(name)
        if spec is None or value is None:
            continue
        if isinstance(value, (list, tuple)):
            value = ";".join(map(str, value))
        if isinstance(value, str):
            hidden = first_hidden(value.replace("\n", " ") if spec.multiline else value)
            if len(value) > spec.max_length:
                problems.append(Problem(name, shown_value(value), "error.too_long",
                                        {"limit": spec.max_length, "length": len(value)}))
            elif hidden is not None or (not spec.multiline and "\n" in value):
                problems.append(Problem(name, shown_value(value), "error.hidden_char",
                                        {"char": f"U+{ord(hidden[1] if hidden else chr(10)):04X}",
                                         "position": hidden[0] if hidden else value.index("\n") + 1}))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            if not math.isfinite(value):
                problems.append(Problem(name, value, "error.not_finite"))
            elif spec.maximum is not None and value > spec.maximum:
                problems.append(Problem(name, value, "error.too_large", {"maximum": f"{spec.maximum:,.0f}"}))
            elif spec.minimum is not None and value < spec.minimum:
                problems.append(Problem(name, value, "error.negative", {"minimum": spec.minimum}))
    return problems
