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

from carriermap.commands.common import CLIError
from carriermap.i18n import DEFAULT_LANGUAGE, LANGUAGES, t

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
    """Run the CLI; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except CLIError as error:
        print(f"carriermap: {error.message}", file=sys.stderr)
        return error.exit_code
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
