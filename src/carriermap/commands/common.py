"""Helpers shared by the CLI sub-commands: errors, opening the store, printing results."""

from __future__ import annotations

import json
import sys
from typing import Any

import pandas as pd

from carriermap.cities import City, UnknownCityError, get_city
from carriermap.i18n import t


class CLIError(Exception):
    """A failure to report on one line of stderr, with an exit code."""

    def __init__(self, message: str, exit_code: int = 2):
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


def open_store(args):
    """The store named by ``--database`` (or the default), filled on first use."""
    from carriermap.store import Store

    try:
        return Store.open(args.database)
    except Exception as error:  # a bad URL or an unreachable server: one line, not a traceback
        raise CLIError(t("cli.error.database", args.lang, error=str(error).splitlines()[0]), 1) from error


def city_arg(args) -> City:
    """The city of ``--city``; a :class:`CLIError` naming the known cities otherwise."""
    try:
        return get_city(args.city)
    except UnknownCityError as error:
        raise CLIError(t("cli.error.unknown_city", args.lang, city=error.adcode, known=", ".join(error.known))) from error


def print_json(payload: Any) -> None:
    """Print ``payload`` as JSON (UTF-8, no ASCII escapes) to stdout."""
    json.dump(payload, sys.stdout, ensure_ascii=False, indent=1, default=_jsonable)
    sys.stdout.write("\n")


def _jsonable(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, float) and pd.isna(value):
        return None
    return str(value)


def frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of a frame as JSON-ready dicts (NaN → None, NumPy scalars → Python)."""
    cleaned = frame.astype(object).where(pd.notna(frame), None)
    return [{k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()} for row in cleaned.to_dict("records")]


def add_filter_flags(parser) -> None:
    """The map's filters as flags: ``--type incubator`` (repeatable, or a comma list), ``--level``,
    ``--spec``, ``--industry``, ``--status`` and ``--no-samples``."""
    from carriermap.filters import CLI_FLAGS

    group = parser.add_argument_group("filters (as on the map)")
    for flag in CLI_FLAGS:
        group.add_argument(f"--{flag}", action="append", default=None, metavar="CODE",
                           help=f"only carriers with this {flag} (repeat or comma-separate for several)")
    group.add_argument("--no-samples", action="store_true", help="leave out sample (invented) records")


def filters_arg(args):
    """The :class:`carriermap.filters.MapFilters` of the flags added by :func:`add_filter_flags`."""
    from carriermap.filters import CLI_FLAGS, UnknownCode, from_cli

    try:
        return from_cli({flag: getattr(args, flag, None) for flag in CLI_FLAGS},
                        hide_samples=bool(getattr(args, "no_samples", False)))
    except UnknownCode as error:
        raise CLIError(t("figures.cli.unknown_code", args.lang, flag=error.flag, value=error.value,
                         allowed=", ".join(error.allowed))) from error
