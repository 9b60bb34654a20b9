"""``carriermap freeze``: freeze a city's quarter into a read-only snapshot."""

from __future__ import annotations

from carriermap.commands.common import CLIError, city_arg, open_store, print_json
from carriermap.i18n import t
from carriermap.snapshots import QuarterError, freeze


def register(subparsers) -> None:
    """Add the ``freeze`` sub-command."""
    parser = subparsers.add_parser("freeze", help="freeze a quarter of a city (read-only snapshot)")
    parser.add_argument("--city", required=True, metavar="ADCODE")
    parser.add_argument("--quarter", required=True, metavar="YYYYQn", help="e.g. 2026Q3")
    parser.add_argument("--actor", default="cli", help="who is freezing (kept with the snapshot)")
    parser.set_defaults(func=run)


def run(args) -> int:
    """Freeze; print the city, quarter, time and carrier count. Exit 2 when refused."""
    city = city_arg(args)
    store = open_store(args)
    try:
        row = freeze(store, city.adcode, args.quarter, args.actor)
    except QuarterError as error:
        raise CLIError(t(error.key, args.lang, **error.params)) from error
    print_json({"city": row["city_adcode"], "quarter": row["quarter"], "frozen_at": row["frozen_at"],
                "actor": row["actor"], "carriers": len(row["carriers"])})
    return 0
