"""``python -m carriermap``: the same library functions the pages call, for pipelines and tests.

Each sub-command lives in a module of :mod:`carriermap.commands` with a ``register``
function; :data:`COMMAND_MODULES` lists them. Results go to stdout (JSON where asked),
errors to stderr as one line, with a non-zero exit code (2 for rejected input).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from carriermap.commands.common import CLIError, SafeStream
from carriermap.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from carriermap.store.errors import StoreBusy

COMMAND_MODULES: tuple[str, ...] = (
    "carriermap.commands.import_cmd",
    "carriermap.commands.history_cmd",
    "carriermap.commands.undo_cmd",
    "carriermap.commands.export_cmd",
    "carriermap.commands.metrics_cmd",
    "carriermap.commands.bench_cmd",
    "carriermap.commands.nearby_cmd",
    "carriermap.commands.user_cmd",
    "carriermap.commands.freeze_cmd",
    "carriermap.commands.report_cmd",
    "carriermap.commands.db_cmd",
    "carriermap.commands.review_cmd",
    "carriermap.commands.changes_cmd",
    "carriermap.commands.notice_cmd",
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered sub-command."""
    parser = argparse.ArgumentParser(prog="carriermap", description=t("cli.description", "en"))
    parser.add_argument("--database", metavar="URL", default=None,
                        help="database URL (default: $CARRIERMAP_DATABASE_URL or the embedded SQLite file)")
    parser.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE, help="language of messages")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code.

    No command ever prints a traceback: a refusal is one line on stderr with exit code 2, any
    other failure one line naming its kind with exit code 1 (130 when interrupted). Everything
    printed goes through :class:`~carriermap.commands.common.SafeStream`, so data holding
    terminal escape codes or bidi overrides cannot act on the terminal.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeStream(out), SafeStream(err)
    try:
        return _run(args)
    finally:
        sys.stdout, sys.stderr = out, err


def _run(args) -> int:
    from carriermap.store import StoreError

    try:
        return int(args.func(args) or 0)
    except CLIError as error:
        return _fail(error.message, error.exit_code)
    except StoreBusy:
        return _fail(t("store.error.busy", args.lang), 75)  # EX_TEMPFAIL: try again later
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        return 0
    except KeyboardInterrupt:
        return _fail(t("cli.error.interrupted", args.lang), 130)
    except (StoreError, ValueError, OverflowError, RecursionError) as error:  # bad input that got this far
        return _fail(t("cli.error.store" if isinstance(error, StoreError) else "cli.error.internal", args.lang,
                       kind=type(error).__name__, message=_first_line(error)), 2)
    except Exception as error:  # noqa: BLE001 - the last guard: one line, never a traceback
        return _fail(t("cli.error.internal", args.lang, kind=type(error).__name__, message=_first_line(error)), 1)


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return (lines[0] if lines else "")[:300]


def _fail(message: str, code: int) -> int:
    print(f"carriermap: {message}", file=sys.stderr)
    return code


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
