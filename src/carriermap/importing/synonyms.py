"""The words real lists use for types, levels and specialisation (``data/type_synonyms.csv``).

A list says 科技企业孵化器, 综合孵化器, 星创天地 or 国家备案众创空间 where the register says
``incubator``/``maker_space`` and a level. The synonyms are data, not code: each row of the
CSV gives a label (zh, with an en label for people), and the ``type``, ``level`` and/or
``specialisation`` it means. Admins extend the file; a label it lacks is refused naming the
row and the nearest known labels. Labels are compared after NFKC (full-width brackets become
ASCII), lower case and without spaces.

A type label that also says a level or specialisation (国家级科技企业孵化器, 专业孵化器) fills
those fields when the row leaves them blank; a value the row gives itself always wins.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from carriermap import codes
from carriermap.i18n import LANGUAGES, label
from carriermap.paths import DATA_DIR

SYNONYMS_FILE = DATA_DIR / "type_synonyms.csv"
FIELDS: tuple[str, ...] = ("type", "level", "specialisation")


@dataclass(frozen=True)
class Synonym:
    """One label and what it means (empty strings: says nothing about that field)."""

    label: str
    label_en: str
    type: str
    level: str
    specialisation: str

    def meaning(self) -> dict[str, str]:
        """``{field: code}`` for the fields this label sets."""
        return {name: getattr(self, name) for name in FIELDS if getattr(self, name)}


def label_key(text: str) -> str:
    """A label as compared: NFKC, lower case, no white space."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or "")).lower())


class SynonymFileError(ValueError):
    """A row of the synonyms file names a code that does not exist."""


def synonyms(path: Path | None = None) -> dict[str, Synonym]:
    """Every label of the file (and the catalogue's own labels and codes) by :func:`label_key`.

    Read once per file and modification time, so a line an admin adds is used at once.
    """
    path = Path(path or SYNONYMS_FILE)
    return _load(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _load(path: Path, mtime_ns: int) -> dict[str, Synonym]:
    table: dict[str, Synonym] = {}
    for name in FIELDS:
        vocabulary = codes.VOCABULARIES[name]
        for code in vocabulary:
            for spelling in {code, *(label(name, code, lang) for lang in LANGUAGES)}:
                values = {field: (code if field == name else "") for field in FIELDS}
                table.setdefault(label_key(spelling), Synonym(spelling, label(name, code, "en"), **values))
    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            values = {name: (row.get(name) or "").strip() for name in FIELDS}
            for name, code in values.items():
                if code and code not in codes.VOCABULARIES[name]:
                    raise SynonymFileError(f"{path.name} line {number}: {name} {code!r} is not one of "
                                           f"{', '.join(codes.VOCABULARIES[name])}")
            text = row["label"].strip()
            table[label_key(text)] = Synonym(text, (row.get("label_en") or "").strip(), **values)
    return table


def resolve(name: str, text: str) -> dict[str, str] | None:
    """What ``text`` in column ``name`` (type, level or specialisation) means; None when unknown.

    A type label may also set level and specialisation; a level label only the level.
    """
    found = synonyms().get(label_key(text))
    if found is None or not getattr(found, name):
        return None
    return found.meaning() if name == "type" else {name: getattr(found, name)}


def nearest_labels(name: str, text: str, count: int = 3) -> list[str]:
    """The known labels of column ``name`` closest to ``text`` (for "did you mean")."""
    known = {s.label: s for s in synonyms().values() if getattr(s, name)}
    by_key = {label_key(k): k for k in known}
    close = difflib.get_close_matches(label_key(text), list(by_key), n=count, cutoff=0.3)
    if not close:  # nothing similar: share the most characters
        wanted = set(label_key(text))
        close = sorted(by_key, key=lambda k: (-len(wanted & set(k)), len(k)))[:count]
    return [by_key[k] for k in close]


def apply_synonyms(raw: dict[str, str], present: set[str]) -> list[tuple[str, str, list[str]]]:
    """Replace type/level/specialisation labels of a raw row by their codes, in place.

    Fields the label implies are filled only where the row left them blank (and are added
    to ``present``). Returns ``(field, text, nearest labels)`` for each label not known.
    """
    unknown: list[tuple[str, str, list[str]]] = []
    implied: dict[str, str] = {}
    for name in FIELDS:
        text = (raw.get(name) or "").strip()
        if not text:
            continue
        meaning = resolve(name, text)
        if meaning is None:
            unknown.append((name, text, nearest_labels(name, text)))
            continue
        raw[name] = meaning[name]
        for other, code in meaning.items():
            if other != name:
                implied.setdefault(other, code)
    for name, code in implied.items():
        if not (raw.get(name) or "").strip():
            raw[name] = code
            present.add(name)
    return unknown
