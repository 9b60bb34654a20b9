"""Stable codes of the vocabulary (DESIGN.md). Labels live in the locale catalogues.

Codes never change once published: data files, the database and URLs use them. The
zh/en label of code ``c`` in vocabulary ``v`` is the catalogue key ``code.<v>.<c>``
(see :func:`carriermap.i18n.label`).
"""

from __future__ import annotations

CARRIER_TYPES: tuple[str, ...] = (
    "nursery", "maker_space", "incubator", "accelerator",
    "university_park", "tech_park", "rd_hq", "innovation_valley",
)
LEVELS: tuple[str, ...] = ("national", "national_cultivation", "provincial", "municipal", "district", "unrated")
NATIONAL_LEVELS: frozenset[str] = frozenset({"national"})
SPECIALISATIONS: tuple[str, ...] = ("specialized", "comprehensive")
STATUSES: tuple[str, ...] = ("operating", "suspended", "delisted")
RATINGS: tuple[str, ...] = ("A", "B", "C")
OPERATOR_KINDS: tuple[str, ...] = ("government", "enterprise", "university", "investor")
FEATURE_KINDS: tuple[str, ...] = ("corridor", "cluster", "zone")
TARGET_METRICS: tuple[str, ...] = (
    "carriers", "national", "specialized_share", "maker_spaces", "incubators",
)

VOCABULARIES: dict[str, tuple[str, ...]] = {
    "type": CARRIER_TYPES,
    "level": LEVELS,
    "specialisation": SPECIALISATIONS,
    "status": STATUSES,
    "rating": RATINGS,
    "operator_kind": OPERATOR_KINDS,
    "feature_kind": FEATURE_KINDS,
    "metric": TARGET_METRICS,
}

# Colours of carrier types on maps and charts (one per code; colour-blind friendly order).
TYPE_COLOURS: dict[str, str] = {
    "nursery": "#8dd3c7", "maker_space": "#e6550d", "incubator": "#3182bd", "accelerator": "#31a354",
    "university_park": "#756bb1", "tech_park": "#636363", "rd_hq": "#d6616b", "innovation_valley": "#e7ba52",
}
