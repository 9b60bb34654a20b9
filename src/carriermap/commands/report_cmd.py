"""``carriermap report``: the quarterly report of a city or district as PDF or XLSX."""

from __future__ import annotations

from pathlib import Path

from carriermap.boundaries import districts
from carriermap.commands.common import CLIError, city_arg, open_store
from carriermap.i18n import t
from carriermap.report import FORMATS, build_report
from carriermap.report.fonts import FontMissingError
from carriermap.snapshots import QuarterError, parse_quarter


def register(subparsers) -> None:
    """Add the ``report`` sub-command."""
    parser = subparsers.add_parser("report", help="quarterly report (map, counts, change, free space)")
    parser.add_argument("--city", required=True, metavar="ADCODE")
    parser.add_argument("--district", default=None, metavar="ADCODE")
    parser.add_argument("--quarter", required=True, metavar="YYYYQn")
    parser.add_argument("--format", choices=FORMATS, default="pdf")
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.set_defaults(func=run)


def run(args) -> int:
    """Write the report to ``--output``."""
    city = city_arg(args)
    if args.district and args.district not in set(districts(city.adcode)["adcode"]):
        raise CLIError(t("data.error.unknown_district", args.lang, district=args.district, city=city.adcode))
    try:
        quarter = parse_quarter(args.quarter)
        data = build_report(open_store(args), city.adcode, str(quarter), args.format,
                            district_adcode=args.district, lang=args.lang)
    except QuarterError as error:
        raise CLIError(t(error.key, args.lang, **error.params)) from error
    except FontMissingError as error:
        raise CLIError(t("finish.report.no_font", args.lang), 1) from error
    try:
        args.output.write_bytes(data)
    except OSError as error:
        raise CLIError(t("cli.error.write", args.lang, path=args.output, error=error.strerror), 1) from error
    return 0
