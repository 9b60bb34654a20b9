"""``carriermap changes``: what changed in a city over a period (new, delisted, level, newly free space)."""

from __future__ import annotations

import sys
from datetime import date

from carriermap.changes import recent_changes
from carriermap.commands.common import CLIError, city_arg, frame_records, open_store, print_json
from carriermap.export import to_csv_bytes
from carriermap.i18n import t


def register(subparsers) -> None:
    """Add the ``changes`` sub-command."""
    parser = subparsers.add_parser("changes", help="what changed in a city since a date (CSV or JSON)")
    parser.add_argument("--city", required=True, metavar="ADCODE")
    parser.add_argument("--since", required=True, metavar="YYYY-MM-DD", help="first day (China time)")
    parser.add_argument("--until", default=None, metavar="YYYY-MM-DD", help="last day, included (default: today)")
    parser.add_argument("--format", choices=("json", "csv"), default="json")
    parser.set_defaults(func=run)


def _day(args, option: str, text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError as error:
        raise CLIError(t("changes.cli.bad_date", args.lang, option=option, value=text)) from error


def run(args) -> int:
    """Print the events newest first: JSON ``{"city", "since", "until", "changes": [...]}`` or CSV."""
    city = city_arg(args)
    since, until = _day(args, "since", args.since), _day(args, "until", args.until)
    if until is not None and until < since:
        raise CLIError(t("changes.cli.bad_period", args.lang, since=since, until=until))
    frame = recent_changes(open_store(args), city.adcode, since, until)
    if args.format == "csv":
        sys.stdout.buffer.write(to_csv_bytes(frame))
        return 0
    print_json({"city": city.adcode, "since": since.isoformat(), "until": until.isoformat() if until else None,
                "changes": frame_records(frame)})
    return 0
