"""``carriermap export``: carriers of a city as CSV, XLSX or GeoJSON."""

from __future__ import annotations

import sys
from pathlib import Path

from carriermap.commands.common import CLIError, city_arg, open_store
from carriermap.export import FORMATS, write_export
from carriermap.i18n import t


def register(subparsers) -> None:
    """Add the ``export`` sub-command."""
    parser = subparsers.add_parser("export", help="export the carriers of a city")
    parser.add_argument("--city", required=True, metavar="ADCODE")
    parser.add_argument("--format", choices=FORMATS, default="csv")
    parser.add_argument("-o", "--output", type=Path, default=None, help="file to write (default: stdout)")
    parser.add_argument("--active-only", action="store_true", help="leave delisted carriers out")
    parser.set_defaults(func=run)


def run(args) -> int:
    """Write the export; the bytes go to ``--output`` or stdout."""
    city = city_arg(args)
    store = open_store(args)
    carriers = store.carriers(city.adcode, include_delisted=not args.active_only)
    try:
        data = write_export(carriers, args.format, args.output, args.lang)
    except OSError as error:
        raise CLIError(t("cli.error.write", args.lang, path=args.output, error=error.strerror), 1) from error
    if args.output is None:
        sys.stdout.buffer.write(data)
    return 0
