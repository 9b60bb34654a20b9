"""A carrier's history written for people: field labels, local times, before → after, names.

Pure functions over :meth:`carriermap.store.Store.history` frames; the data page draws the
result. Codes become labels in the page's language (``available_m2`` → 空余面积, ``delisted``
→ 已摘牌, ``440105`` → 海珠区), times are in the city's time zone, and a change lists only
the fields whose value changed, each as ``before → after``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from carriermap import codes
from carriermap.boundaries import district_names
from carriermap.cities import all_cities
from carriermap.formatting import display_value, local_time
from carriermap.i18n import label, t

REASON_MARK = "\nreason: "  # a delist/relist change set keeps its reason after this mark in its summary
_VOCABULARY_OF = {"type": "type", "level": "level", "status": "status", "specialisation": "specialisation",
                  "rating": "rating", "operator_kind": "operator_kind"}


def with_reason(summary: str, reason: str | None) -> str:
    """A change set summary carrying the reason a person gave (delisting asks for one)."""
    reason = (reason or "").strip()
    return f"{summary}{REASON_MARK}{reason}" if reason else summary


def reason_of(summary: Any) -> str:
    """The reason kept in a change set summary ('' when none was given)."""
    text = summary if isinstance(summary, str) else ""
    return text.split(REASON_MARK, 1)[1] if REASON_MARK in text else ""


def field_label(name: str, lang: str) -> str:
    """A carrier field's label as the import template names it (e.g. 空余面积(平方米))."""
    key = f"import.header.{name}"
    text = t(key, lang)
    return name if text == key else text


def value_text(name: str, value: Any, lang: str) -> str:
    """A stored value as a person reads it: labels for codes, names for districts, plain numbers."""
    if value is None or (isinstance(value, float) and value != value):
        return "—"
    if name in _VOCABULARY_OF and value in codes.VOCABULARIES.get(_VOCABULARY_OF[name], ()):
        return label(_VOCABULARY_OF[name], value, lang)
    if name == "district_adcode":
        return district_names(lang).get(str(value), str(value))
    if name == "city_adcode":
        return next((c.display_name(lang) for c in all_cities() if c.adcode == str(value)), str(value))
    if isinstance(value, bool):
        return t("finish.yes" if value else "finish.no", lang)
    if isinstance(value, list | tuple):
        return "、".join(map(str, value)) if lang == "zh" else ", ".join(map(str, value))
    return display_value(value) or "—"


def scope_name(role: str, scope: str | None, lang: str) -> str:
    """A role's scope by name: a city, a district (海珠区, not 440105), a zone, or carrier numbers."""
    if not scope:
        return ""
    if role == "city_official":
        return next((c.display_name(lang) for c in all_cities() if c.adcode == scope), scope)
    if role == "district_official":
        return district_names(lang).get(scope, scope)
    if role == "operator":
        return t("finish.scope.carriers", lang, ids=", ".join(f"#{part}" for part in scope.split(",")))
    return scope


def actor_name(actor: str | None, lang: str) -> str:
    """Who made a change: the account name, or "the bundled data" for the initial load."""
    from carriermap.store.seed import SEED_ACTOR

    return t("finish.history.seed_actor", lang) if actor == SEED_ACTOR else (actor or "")


def change_text(change: dict[str, Any], lang: str) -> str:
    """What one change did: ``空余面积:1,200 → 800;状态:运营中 → 已摘牌`` (only changed fields)."""
    action = change.get("action")
    if action in ("insert", "delete"):
        return t(f"finish.history.{action}", lang)
    before, after = change.get("before") or {}, change.get("after") or {}
    parts = [t("finish.history.field_change", lang, field=field_label(name, lang),
               before=value_text(name, before.get(name), lang), after=value_text(name, after.get(name), lang))
             for name in change.get("fields") or () if name not in ("version", "updated_at")]
    return t("finish.history.separator", lang).join(parts) or t("finish.history.nothing", lang)


def history_rows(history: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The history table a person reads: change set, local time, who, what, changes, reason, undone by."""
    headers = [t(f"finish.history.col.{name}", lang) for name in
               ("changeset", "when", "who", "kind", "changes", "reason", "undone_by")]
    if history.empty:
        return pd.DataFrame(columns=headers)
    rows = []
    for change in history.to_dict("records"):
        undone = change.get("undone_by")
        rows.append([
            f"#{int(change['changeset_id'])}",
            local_time(change.get("created_at")),
            actor_name(change.get("actor"), lang),
            t(f"data.kind.{change.get('kind')}", lang),
            change_text(change, lang),
            reason_of(change.get("summary")),
            "" if undone is None or pd.isna(undone) else f"#{int(undone)}",
        ])
    return pd.DataFrame(rows, columns=headers)
