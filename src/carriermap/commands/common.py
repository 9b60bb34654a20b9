"""Helpers shared by the CLI sub-commands: errors, opening the store, printing results."""

from __future__ import annotations

import json
import math
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
    """Print ``payload`` as JSON (UTF-8, no ASCII escapes) to stdout.

    Always valid JSON: NaN and ±infinity (which JSON cannot say) are written as ``null``.
    """
    json.dump(finite_json(payload), sys.stdout, ensure_ascii=False, indent=1, default=_jsonable, allow_nan=False)
    sys.stdout.write("\n")


def finite_json(value: Any) -> Any:
    """``value`` with every non-finite float (NumPy's included) replaced by None, recursively."""
    if isinstance(value, dict):
        return {key: finite_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite_json(item) for item in value]
    if isinstance(value, float) or (hasattr(value, "item") and hasattr(value, "dtype")):
        item = value.item() if hasattr(value, "item") else value
        return None if isinstance(item, float) and not math.isfinite(item) else item
    return value


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
