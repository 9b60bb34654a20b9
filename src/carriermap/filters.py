"""Map filters: their state in the URL query and their effect on a carriers DataFrame.

A shared link reproduces the view, so the filter state lives in the URL
(``?city=440100&type=incubator,maker_space&level=national&q=黄埔``). :func:`from_query`
reads it (ignoring unknown codes rather than failing: links get edited by hand),
:meth:`MapFilters.to_query` writes it back (only what differs from the defaults), and
:func:`apply` selects the matching carriers. Pure functions, no Streamlit.

Delisted carriers are hidden by default (seed 003: they are delisted, not deleted); naming
``status=delisted`` in the URL shows them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from carriermap import codes

DEFAULT_STATUSES: tuple[str, ...] = ("operating", "suspended")

# URL parameter name -> (attribute, vocabulary or None for free values)
_PARAMS: dict[str, tuple[str, str | None]] = {
    "type": ("types", "type"),
    "level": ("levels", "level"),
    "spec": ("specialisations", "specialisation"),
    "industry": ("industries", None),
    "status": ("statuses", "status"),
    "district": ("districts", None),
}
MAX_QUERY_LENGTH = 100


@dataclass(frozen=True)
class MapFilters:
    """What the map shows. Empty tuples mean "any"; ``statuses`` defaults to not delisted."""

    types: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    specialisations: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    statuses: tuple[str, ...] = DEFAULT_STATUSES
    districts: tuple[str, ...] = ()
    query: str = ""

    def to_query(self) -> dict[str, str]:
        """URL parameters for this state: comma-separated codes, defaults left out."""
        params: dict[str, str] = {}
        for name, (attribute, _vocabulary) in _PARAMS.items():
            values = getattr(self, attribute)
            default = DEFAULT_STATUSES if attribute == "statuses" else ()
            if tuple(values) != default:
                params[name] = ",".join(values)
        if self.query:
            params["q"] = self.query
        return params

    def is_default(self) -> bool:
        """True when nothing is filtered beyond the defaults."""
        return not self.to_query()


def _split(raw: str | Iterable[str] | None) -> list[str]:
    """Values of one parameter: ``"a,b"``, repeated parameters or a list."""
    if raw is None:
        return []
    items = [raw] if isinstance(raw, str) else list(raw)
    return [part.strip() for item in items for part in str(item).split(",") if part.strip()]


def _ordered(values: Iterable[str], allowed: tuple[str, ...] | None) -> tuple[str, ...]:
    """Unique values; with a vocabulary only its codes, in vocabulary order."""
    unique = list(dict.fromkeys(values))
    if allowed is None:
        return tuple(unique)
    return tuple(code for code in allowed if code in unique)


def from_query(params: Mapping[str, str | Iterable[str]]) -> MapFilters:
    """The filter state a URL query names; unknown codes are dropped, missing ones default.

    An explicitly empty ``status=`` means "every status" (delisted included).
    """
    values: dict[str, object] = {}
    for name, (attribute, vocabulary) in _PARAMS.items():
        if name not in params:
            continue
        allowed = codes.VOCABULARIES[vocabulary] if vocabulary else None
        values[attribute] = _ordered(_split(params[name]), allowed)
    raw_query = params.get("q") or ""
    if not isinstance(raw_query, str):
        raw_query = next(iter(raw_query), "")
    values["query"] = " ".join(raw_query.split())[:MAX_QUERY_LENGTH]
    return MapFilters(**values)  # type: ignore[arg-type]


def query_param_names() -> tuple[str, ...]:
    """Every URL parameter this module owns (to clear stale ones)."""
    return (*_PARAMS, "q")


def _isin(series: pd.Series, wanted: tuple[str, ...]) -> pd.Series:
    return series.astype(object).isin(list(wanted))


def apply(carriers: pd.DataFrame, filters: MapFilters) -> pd.DataFrame:
    """The carriers matching every filter (a copy, original order and index).

    Types, levels, specialisations, statuses and districts match exactly; ``industries``
    matches a carrier holding any of the named industries; ``query`` is a case-insensitive
    substring of the name or the address.
    """
    mask = pd.Series(True, index=carriers.index)
    for attribute, column in (("types", "type"), ("levels", "level"), ("specialisations", "specialisation"),
                              ("statuses", "status"), ("districts", "district_adcode")):
        wanted = getattr(filters, attribute)
        if wanted:
            mask &= _isin(carriers[column], wanted)
    if filters.industries:
        wanted_industries = set(filters.industries)
        mask &= carriers["industries"].map(
            lambda items: bool(wanted_industries.intersection(items or ()))).astype(bool)
    if filters.query:
        needle = filters.query.casefold()
        text = carriers["name"].fillna("").astype(str) + " " + carriers["address"].fillna("").astype(str)
        mask &= text.str.casefold().str.contains(needle, regex=False)
    return carriers[mask].copy()


def industries_of(carriers: pd.DataFrame) -> list[str]:
    """Every industry named by some carrier, most common first (for the filter's options)."""
    counts = carriers["industries"].explode().dropna().value_counts()
    return [str(name) for name in counts.index]

