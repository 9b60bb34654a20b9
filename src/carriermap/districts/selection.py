"""What a figure counts, in words: the map's filters as a line for captions, exports and reports."""

from __future__ import annotations

from carriermap.filters import DEFAULT_STATUSES, MapFilters
from carriermap.i18n import label, t

_VOCABULARIES = (("types", "type"), ("levels", "level"), ("specialisations", "specialisation"),
                 ("statuses", "status"))


def describe(selection: MapFilters | None, lang: str = "zh") -> str:
    """``类型:孵化器;级别:国家级`` — every filter that narrows the count; "all carriers" when none does.

    Statuses are named only when they differ from the default (delisted carriers are always
    counted apart); hidden sample records are said too.
    """
    if selection is None:
        return t("figures.selection.all", lang)
    parts = []
    for attribute, vocabulary in _VOCABULARIES:
        values = getattr(selection, attribute)
        if not values or (attribute == "statuses" and tuple(values) == DEFAULT_STATUSES):
            continue
        names = "、".join(label(vocabulary, code, lang) for code in values) if lang == "zh" else ", ".join(
            label(vocabulary, code, lang) for code in values)
        parts.append(t(f"figures.selection.{vocabulary}", lang, values=names))
    if selection.industries:
        parts.append(t("figures.selection.industry", lang, values=", ".join(selection.industries)))
    if selection.districts:
        parts.append(t("figures.selection.district", lang, values=", ".join(selection.districts)))
    if selection.query:
        parts.append(t("figures.selection.query", lang, values=selection.query))
    if selection.hide_samples:
        parts.append(t("figures.selection.no_samples", lang))
    return t("figures.selection.sep", lang).join(parts) if parts else t("figures.selection.all", lang)
