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
from dataclasses import dataclass, field
from typing import Any, Literal

from carriermap import codes

Kind = Literal["text", "int", "float", "bool", "code", "list", "year", "json"]


@dataclass(frozen=True)
class Field:
    """One attribute of a carrier."""

    name: str
    kind: Kind
    required: bool = False
    vocabulary: str | None = None  # for kind == "code"
    minimum: float | None = None
    default: Any = None


CARRIER_FIELDS: tuple[Field, ...] = (
    Field("name", "text", required=True),
    Field("type", "code", required=True, vocabulary="type"),
    Field("level", "code", vocabulary="level", default="unrated"),
    Field("city_adcode", "text", required=True),
    Field("district_adcode", "text"),
    Field("reporting_unit", "text"),
    Field("address", "text"),
    Field("lon", "float", required=True),
    Field("lat", "float", required=True),
    Field("specialisation", "code", vocabulary="specialisation"),
    Field("industries", "list", default=()),
    Field("status", "code", vocabulary="status", default="operating"),
    Field("rating", "code", vocabulary="rating"),
    Field("rating_year", "year"),
    Field("total_area_m2", "float", minimum=0),
    Field("available_m2", "float", minimum=0),
    Field("rent_cny_m2_month", "float", minimum=0),
    Field("tenants", "int", minimum=0),
    Field("graduates", "int", minimum=0),
    Field("jobs", "int", minimum=0),
    Field("operator", "text"),
    Field("operator_kind", "code", vocabulary="operator_kind"),
    Field("services", "text"),
    Field("contact", "text"),
    Field("established_year", "year"),
    Field("level_notice", "text"),
    Field("level_notice_date", "text"),
    Field("source", "text"),
    Field("is_sample", "bool", default=False),
    # Where each value comes from (JSON field → entry; see carriermap.provenance).
    Field("provenance", "json"),
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
            lookup[label(vocabulary, code, lang).strip().lower()] = code
    return lookup


_LOOKUPS: dict[str, dict[str, str]] = {}


def parse_code(vocabulary: str, value: Any) -> str | None:
    """Return the code that ``value`` names (a code or a zh/en label), or None."""
    if vocabulary not in _LOOKUPS:
        _LOOKUPS[vocabulary] = _code_lookup(vocabulary)
    return _LOOKUPS[vocabulary].get(str(value).strip().lower())


def _parse_number(text: str) -> float:
    cleaned = text.replace(",", "").replace(",", "").replace(" ", "").strip()
    for unit in ("平方米", "m²", "m2", "㎡", "元", "人", "个", "家"):
        cleaned = cleaned.removesuffix(unit)
    return float(cleaned)


def clean_value(spec: Field, value: Any) -> tuple[Any, Problem | None]:
    """Convert one raw value (text from a file, or a Python value) to its field's type."""
    if is_blank(value):
        if spec.required:
            return None, Problem(spec.name, value, "error.required")
        return (list(spec.default) if spec.kind == "list" else spec.default), None
    if spec.kind == "text":
        return str(value).strip(), None
    if spec.kind == "code":
        code = parse_code(spec.vocabulary or spec.name, value)
        if code is None:
            allowed = ", ".join(codes.VOCABULARIES[spec.vocabulary or spec.name])
            return None, Problem(spec.name, value, "error.unknown_code", {"allowed": allowed})
        return code, None
    if spec.kind == "json":
        from carriermap.provenance import ProvenanceError, normalise

        try:
            return normalise(value), None
        except ProvenanceError as error:
            return None, Problem(spec.name, value, "error.bad_provenance", {"detail": str(error)})
    if spec.kind == "list":
        if isinstance(value, (list, tuple)):
            items = [str(v).strip() for v in value]
        else:
            text = str(value).strip()
            if text.startswith("["):
                try:
                    items = [str(v).strip() for v in json.loads(text)]
                except ValueError:
                    items = _LIST_SPLIT.split(text)
            else:
                items = _LIST_SPLIT.split(text)
        return [item.strip() for item in items if item and item.strip()], None
    if spec.kind == "bool":
        if isinstance(value, bool):
            return value, None
        text = str(value).strip().lower()
        if text in _TRUE:
            return True, None
        if text in _FALSE:
            return False, None
        return None, Problem(spec.name, value, "error.not_bool")
    # numbers
    try:
        number = float(value) if isinstance(value, (int, float)) else _parse_number(str(value))
    except ValueError:
        return None, Problem(spec.name, value, "error.not_number")
    if math.isnan(number) or math.isinf(number):
        return None, Problem(spec.name, value, "error.not_number")
    if spec.kind in ("int", "year"):
        if number != int(number):
            return None, Problem(spec.name, value, "error.not_integer")
        number = int(number)
        if spec.kind == "year" and not 1950 <= number <= 2100:
            return None, Problem(spec.name, value, "error.bad_year")
    if spec.minimum is not None and number < spec.minimum:
        return None, Problem(spec.name, value, "error.negative")
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
