"""Helpers shared by the CLI sub-commands: errors, opening the store, printing results."""

from __future__ import annotations

import io
import json
import math
import sys
from typing import Any

import pandas as pd

from carriermap.cities import City, UnknownCityError, get_city
from carriermap.i18n import t
from carriermap.text_rules import MAX_ID, is_hidden, parse_count, printable


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
    text = json.dumps(finite_json(payload), ensure_ascii=False, indent=1, default=_jsonable, allow_nan=False)
    sys.stdout.write(_escape_hidden(text) + "\n")


def _escape_hidden(text: str) -> str:
    """JSON text with hidden characters (bidi overrides, C1 controls, zero-width) as ``\\uXXXX`` escapes.

    They can only occur inside JSON strings, where the escape means the same character.
    """
    if not any(is_hidden(char) for char in text):
        return text
    out = []
    for char in text:
        if is_hidden(char):
            units = char.encode("utf-16-be", "surrogatepass")
            out.extend(f"\\u{int.from_bytes(units[i:i + 2], 'big'):04x}" for i in range(0, len(units), 2))
        else:
            out.append(char)
    return "".join(out)


class SafeStream(io.TextIOBase):
    """A text stream that prints hidden characters as ``<U+001B>`` (see :func:`carriermap.text_rules.printable`).

    Binary output (``.buffer``: exports, workbooks) passes untouched.
    """

    def __init__(self, stream):
        super().__init__()
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(printable(text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def writable(self) -> bool:
        return True

    def __getattr__(self, name: str):
        return getattr(self._stream, name)

    @property
    def buffer(self):
        return self._stream.buffer


def count_option(args, option: str, *, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """The whole number given for ``--option`` (ASCII or full-width digits), None when absent.

    ``1e20``, ``²``, ``-1`` or a number beyond ``maximum`` (a 64-bit integer by default) is a
    :class:`CLIError` (exit code 2) naming the option and the allowed range.
    """
    raw = getattr(args, option)
    if raw is None:
        return None
    number = parse_count(raw, maximum=maximum)
    if number is None or number < minimum:
        raise CLIError(t("cli.error.bad_count", args.lang, option=option.replace("_", "-"), value=raw,
                         minimum=minimum, maximum=maximum))
    return number


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
