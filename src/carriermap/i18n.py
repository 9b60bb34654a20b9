"""Interface strings in zh (default) and en.

Catalogues are JSON files under ``locales/<lang>/``; every file of a language is merged into
one flat ``key -> text`` mapping, so each page or feature keeps its strings in a file of its
own (``common.json``, ``map.json``, …). Keys are dotted; texts may hold ``{name}`` fields.
A test asserts that zh and en have exactly the same keys.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from carriermap.paths import LOCALES_DIR

LANGUAGES: tuple[str, ...] = ("zh", "en")
DEFAULT_LANGUAGE = "zh"


def normalise_language(lang: str | None) -> str:
    """Return a supported language code, falling back to the default (zh)."""
    lang = (lang or "").strip().lower()[:2]
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


@cache
def catalogue(lang: str, directory: Path = LOCALES_DIR) -> dict[str, str]:
    """All strings of ``lang``, merged from every ``*.json`` file of its folder.

    Raises ``ValueError`` if two files define the same key. Chinese texts get full-width
    punctuation wherever a mark touches Chinese (:func:`carriermap.formatting.zh_punctuation`),
    so every sentence the product writes follows one style whatever the catalogue file typed.
    """
    from carriermap.formatting import zh_punctuation

    merged: dict[str, str] = {}
    for path in sorted((directory / lang).glob("*.json")):
        for key, text in json.loads(path.read_text(encoding="utf-8")).items():
            if key in merged:
                raise ValueError(f"{path}: key {key!r} is defined twice in locale {lang!r}")
            merged[key] = zh_punctuation(text) if lang == "zh" else text
    return merged


def t(key: str, lang: str = DEFAULT_LANGUAGE, **fields: object) -> str:
    """The text of ``key`` in ``lang``, formatted with ``fields``.

    A key missing from ``lang`` falls back to zh, then to the key itself (so a missing
    string is visible, never an exception in the UI).
    """
    text = catalogue(normalise_language(lang)).get(key) or catalogue(DEFAULT_LANGUAGE).get(key) or key
    return text.format(**fields) if fields else text


def label(vocabulary: str, code: str | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """The zh/en label of a stable code (``label("type", "incubator", "zh") == "孵化器"``)."""
    if code is None or code == "":
        return ""
    key = f"code.{vocabulary}.{code}"
    text = t(key, lang)
    return str(code) if text == key else text


def labels(vocabulary: str, codes: tuple[str, ...], lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """``{code: label}`` for every code of a vocabulary, in order."""
    return {code: label(vocabulary, code, lang) for code in codes}
