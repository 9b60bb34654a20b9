"""Where each value of a carrier comes from: provenance per field, not per record.

A carrier's ``provenance`` column holds JSON mapping a field name to one entry::

    {"kind": "seed" | "notice" | "editor" | "import" | "invented",
     "ref": "seed 002" | "国科火字〔2017〕…" | "<editor name>" | "<file name>, row 7" | "data/SOURCES.md",
     "quote": "the sentence of the source that gives the value (seed and notice)",
     "at": "2026-11-29T21:00:00+00:00",      # editor and import: when
     "by": "import: <file name>"}             # notice: who entered it

The key ``"*"`` is the entry of every field not listed (so an invented record is one short
entry, and a real one lists only its invented fields). A field without an entry (no key and
no ``"*"``) is *unsourced*: older data written before provenance was kept.

:func:`stamp` is the one place that records a change: an editor's change or an import sets
the entry of exactly the fields it changed, so changing an invented value clears the sample
mark of that field only. ``is_sample`` is derived: True while any value is invented
(:func:`sample_flag`).
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from typing import Any

KINDS: tuple[str, ...] = ("seed", "notice", "editor", "import", "invented")
SOURCED_KINDS: frozenset[str] = frozenset({"seed", "notice", "editor", "import"})
INVENTED = "invented"
ALL = "*"
# Columns that describe the record rather than the carrier: they carry no provenance.
META_FIELDS: frozenset[str] = frozenset({"source", "is_sample", "provenance"})
# Fields derived from others: they share the source of what they are derived from.
DERIVED: dict[str, tuple[str, ...]] = {"district_adcode": ("lon", "lat")}
# Kinds of change set whose writes are an editor's change of the values.
EDITOR_CHANGESETS: frozenset[str] = frozenset({"edit", "delist", "relist"})


class ProvenanceError(ValueError):
    """A provenance value that is not a JSON object of field → entry with a known kind."""


def tracked_fields() -> tuple[str, ...]:
    """The carrier fields whose values have a provenance (every model field but the meta ones)."""
    from carriermap.model import CARRIER_COLUMNS

    return tuple(name for name in CARRIER_COLUMNS if name not in META_FIELDS)


def _blank(value: Any) -> bool:
    return (value is None or value == "" or value == [] or value == ()
            or (isinstance(value, float) and math.isnan(value)))


def normalise(value: Any) -> str | None:
    """Canonical JSON text of a provenance value (a dict or JSON text); None when blank.

    Raises :class:`ProvenanceError` when it is not an object of entries with a known ``kind``.
    """
    if _blank(value):
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as error:
            raise ProvenanceError(f"not JSON: {error}") from error
    if not isinstance(value, dict):
        raise ProvenanceError("not an object of field → entry")
    for name, entry in value.items():
        if not isinstance(entry, dict) or entry.get("kind") not in KINDS:
            raise ProvenanceError(f"{name}: kind must be one of {', '.join(KINDS)}")
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@lru_cache(maxsize=4096)
def _parse_text(text: str) -> dict[str, dict[str, Any]]:
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def parse(value: Any) -> dict[str, dict[str, Any]]:
    """The field → entry mapping of a provenance value (JSON text, a dict, or blank → ``{}``).

    The result is shared between equal texts: treat it as read-only.
    """
    if isinstance(value, dict):
        return value
    if _blank(value) or not isinstance(value, str):
        return {}
    return _parse_text(value)


def entry(provenance: Any, field: str) -> dict[str, Any] | None:
    """The entry of ``field`` (its own, else the ``"*"`` one); None when unsourced."""
    mapping = parse(provenance)
    return mapping.get(field) or mapping.get(ALL)


def kind_of(provenance: Any, field: str) -> str | None:
    """``seed``, ``notice``, ``editor``, ``import``, ``invented``, or None (unsourced)."""
    found = entry(provenance, field)
    return None if found is None else found.get("kind")


def is_invented(provenance: Any, field: str) -> bool:
    """True when the value of ``field`` is invented (illustrative, not from any source)."""
    return kind_of(provenance, field) == INVENTED


def invented_fields(record: dict[str, Any]) -> list[str]:
    """The fields of ``record`` that hold an invented value (blank values hold nothing)."""
    provenance = record.get("provenance")
    return [name for name in tracked_fields()
            if not _blank(record.get(name)) and is_invented(provenance, name)]


def sample_flag(record: dict[str, Any]) -> bool:
    """``is_sample`` as derived from provenance: True while any value is invented.

    A record without provenance keeps the flag it has.
    """
    if not parse(record.get("provenance")):
        return bool(record.get("is_sample"))
    return bool(invented_fields(record))


def make_entry(kind: str, ref: str, *, quote: str | None = None, at: str | None = None) -> dict[str, str]:
    """One provenance entry (``quote`` and ``at`` only when given)."""
    if kind not in KINDS:
        raise ProvenanceError(f"kind must be one of {', '.join(KINDS)}")
    made = {"kind": kind, "ref": ref}
    if quote:
        made["quote"] = quote
    if at:
        made["at"] = at
    return made


def changeset_entry(kind: str, actor: str, at: str, ref: str | None = None) -> dict[str, str] | None:
    """The entry a change set of ``kind`` gives the fields it changes; None when it gives none.

    Edits, delisting and relisting are an editor's change (``ref`` = who); an import names
    its file (``ref``). Undo restores the whole earlier record, provenance included; the
    bundled data brings its own.
    """
    if kind in EDITOR_CHANGESETS:
        return make_entry("editor", actor, at=at)
    if kind == "import":
        return make_entry("import", ref or actor, at=at)
    return None


def stamp(record: dict[str, Any], fields: list[str] | tuple[str, ...] | set[str],
          made: dict[str, Any]) -> dict[str, Any]:
    """``record`` with ``made`` as the entry of each of ``fields`` and ``is_sample`` derived again.

    A field derived from a stamped one (the district from the point) is stamped too. The other
    fields keep their entries (a ``"*"`` entry stays for them). Returns a new dict.
    """
    mapping = dict(parse(record.get("provenance")))
    tracked = set(tracked_fields())
    fields = set(fields) | {derived for derived, sources in DERIVED.items() if set(sources) & set(fields)}
    for name in fields:
        if name in tracked:
            mapping[name] = notice_entry(record, name, made) or dict(made)
    if "level_notice" in fields and notice_entry(record, "level", made):  # a notice given for the level kept
        mapping["level"] = notice_entry(record, "level", made)
    out = {**record, "provenance": normalise(mapping)}
    out["is_sample"] = sample_flag(out)
    return out


def notice_entry(record: dict[str, Any], field: str, made: dict[str, Any]) -> dict[str, str] | None:
    """A level given with its official notice (``level_notice``, the 文号) comes from that notice.

    The entry names the notice (and its date as the quote, when given) and who entered it.
    None for other fields, or a level given without a notice.
    """
    notice = record.get("level_notice")
    if field != "level" or _blank(notice) or _blank(record.get("level")):
        return None
    dated = record.get("level_notice_date")
    found = make_entry("notice", str(notice), quote=None if _blank(dated) else str(dated), at=made.get("at"))
    found["by"] = f"{made.get('kind')}: {made.get('ref')}"
    return found


def for_insert(record: dict[str, Any], made: dict[str, Any]) -> dict[str, Any]:
    """A new record with provenance: kept when it brings its own, else ``made`` for every value.

    A new record marked ``is_sample`` without provenance gets ``"*": invented`` (naming
    ``made``'s reference), so its values are illustrative field by field too.
    """
    if parse(record.get("provenance")):
        return {**record, "is_sample": sample_flag(record)}
    if record.get("is_sample"):
        invented = make_entry(INVENTED, made.get("ref", ""), at=made.get("at"))
        return {**record, "provenance": normalise({ALL: invented}), "is_sample": True}
    mapping: dict[str, Any] = {ALL: dict(made)}
    if notice_entry(record, "level", made):
        mapping["level"] = notice_entry(record, "level", made)
    return {**record, "provenance": normalise(mapping), "is_sample": False}
