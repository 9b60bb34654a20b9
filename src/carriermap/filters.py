"""Map filters: their state in the URL query and their effect on a carriers DataFrame.

A shared link reproduces the view, so the filter state lives in the URL
(``?city=440100&type=incubator,maker_space&level=national&q=黄埔``). :func:`from_query`
reads it (ignoring unknown codes rather than failing: links get edited by hand),
:meth:`MapFilters.to_query` writes it back (only what differs from the defaults), and
:func:`apply` selects the matching carriers. Pure functions, no Streamlit.

Delisted carriers are hidden by default (seed 003: they are delisted, not deleted); naming
``status=delisted`` in the URL shows them. ``samples=hide`` leaves out the invented (sample)
records. The same selection is available as SQL conditions (:func:`conditions`) for the
counts the database makes, and as CLI flags (:func:`from_cli`), so the map, the districts
page and ``metrics`` always select the same carriers.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, false, func, or_

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
# The "hide sample records" switch: its own URL parameter, drawn on every page (not by the map's sidebar).
SAMPLES_PARAM, SAMPLES_HIDDEN = "samples", "hide"


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
    hide_samples: bool = False

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
        if self.hide_samples:
            params[SAMPLES_PARAM] = SAMPLES_HIDDEN
        return params

    def counting_delisted(self) -> MapFilters:
        """This selection for figures: delisted carriers always pass (they are counted apart, seed 003).

        A status filter then narrows the active carriers only (``operating`` alone drops the
        suspended ones); an empty status list already means every status.
        """
        if not self.statuses or "delisted" in self.statuses:
            return self
        return replace(self, statuses=(*self.statuses, "delisted"))

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
    values["hide_samples"] = samples_hidden(params)
    return MapFilters(**values)  # type: ignore[arg-type]


def samples_hidden(params: Mapping[str, str | Iterable[str]]) -> bool:
    """True when the URL asks to hide sample records (``samples=hide``)."""
    return SAMPLES_HIDDEN in _split(params.get(SAMPLES_PARAM))


def query_param_names() -> tuple[str, ...]:
    """The URL parameters of the map's sidebar (to clear stale ones); ``samples`` is the page-wide switch's."""
    return (*_PARAMS, "q")


# CLI flag -> URL parameter (the CLI takes the map's filters under the same codes).
CLI_FLAGS: dict[str, str] = {"type": "type", "level": "level", "spec": "spec", "industry": "industry",
                             "status": "status"}


class UnknownCode(ValueError):
    """A filter value outside its vocabulary: ``flag``, ``value`` and the ``allowed`` codes."""

    def __init__(self, flag: str, value: str, allowed: tuple[str, ...]):
        super().__init__(f"--{flag} {value}: use one of {', '.join(allowed)}")
        self.flag, self.value, self.allowed = flag, value, allowed


def from_cli(values: Mapping[str, Iterable[str] | None], *, hide_samples: bool = False) -> MapFilters:
    """Filters from CLI flags (each repeatable, each value may be a comma list), e.g. ``{"type": ["incubator"]}``.

    Unlike a URL, a command line is checked strictly: an unknown code raises :class:`UnknownCode`.
    Statuses default as on the map when no ``--status`` is given.
    """
    params: dict[str, list[str]] = {}
    for flag, param in CLI_FLAGS.items():
        raw = values.get(flag)
        if not raw:
            continue
        items = _split(list(raw))
        vocabulary = _PARAMS[param][1]
        allowed = codes.VOCABULARIES[vocabulary] if vocabulary else None
        for item in items:
            if allowed is not None and item not in allowed:
                raise UnknownCode(flag, item, allowed)
        params[param] = items
    return replace(from_query(params), hide_samples=hide_samples)


def conditions(table: Any, filters: MapFilters) -> list[ColumnElement[bool]]:
    """The selection of :func:`apply` as SQL conditions on the carriers ``table`` (SQLite and PostgreSQL).

    ``industries`` is stored as a JSON list: a carrier matches when the list holds the quoted
    name (``LIKE '%"人工智能"%'``, wildcards escaped).
    """
    out: list[ColumnElement[bool]] = []
    for attribute, column in (("types", "type"), ("levels", "level"), ("specialisations", "specialisation"),
                              ("statuses", "status"), ("districts", "district_adcode")):
        wanted = getattr(filters, attribute)
        if wanted:
            out.append(table.c[column].in_(list(wanted)))
    if filters.industries:
        out.append(or_(false(), *(table.c.industries.like(f"%{_like(json.dumps(name, ensure_ascii=False))}%",
                                                          escape="\\") for name in filters.industries)))
    if filters.query:
        needle = f"%{_like(filters.query.casefold())}%"
        out.append(or_(func.lower(table.c.name).like(needle, escape="\\"),
                       func.lower(func.coalesce(table.c.address, "")).like(needle, escape="\\")))
    if filters.hide_samples:
        out.append(table.c.is_sample.is_not(True))
    return out


def _like(text: str) -> str:
    """``text`` as a literal inside a LIKE pattern (escape character: backslash)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _isin(series: pd.Series, wanted: tuple[str, ...]) -> pd.Series:
    return series.isin(list(wanted)).fillna(False).astype(bool)


def apply(carriers: pd.DataFrame, filters: MapFilters) -> pd.DataFrame:
    """The carriers matching every filter (a new frame, original order and index; pandas'
    copy-on-write keeps it apart from ``carriers`` without copying every column up front).

    Types, levels, specialisations, statuses and districts match exactly; ``industries``
    matches a carrier holding any of the named industries; ``query`` is a case-insensitive
    substring of the name or the address (matched by the string engine, not a Python loop:
    a filter change at 100,000 carriers).
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
        mask &= _contains(carriers["name"], filters.query) | _contains(carriers["address"], filters.query)
    if filters.hide_samples:
        mask &= ~carriers["is_sample"].fillna(False).astype(bool)
    return carriers[mask]


def _contains(series: pd.Series, needle: str) -> pd.Series:
    """True where the text holds ``needle``, ignoring case (blank: False)."""
    return series.astype("str").str.contains(needle, case=False, regex=False).fillna(False).astype(bool)


def industries_of(carriers: pd.DataFrame) -> list[str]:
    """Every industry named by some carrier, most common first (for the filter's options)."""
    counts = carriers["industries"].explode().dropna().value_counts()
    return [str(name) for name in counts.index]

