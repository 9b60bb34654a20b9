"""``carriermap freeze``: freeze a city's quarter (the register as of the quarter's last instant)."""

from __future__ import annotations

from carriermap.commands.common import CLIError, city_arg, frame_records, open_store, print_json
from carriermap.i18n import t
from carriermap.permissions import User
from carriermap.snapshots import QuarterError, freeze, freeze_history, refreeze


def register(subparsers) -> None:
    """Add the ``freeze`` sub-command."""
    parser = subparsers.add_parser("freeze", help="freeze a quarter of a city (read-only snapshot as of its end)")
    parser.add_argument("--city", required=True, metavar="ADCODE")
    parser.add_argument("--quarter", metavar="YYYYQn", help="e.g. 2026Q3")
    parser.add_argument("--actor", default="cli", help="who is freezing (kept with the snapshot)")
    parser.add_argument("--reason", default=None,
                        help="freeze an already frozen quarter again (as an admin), saying why; the old snapshot is kept")
    parser.add_argument("--history", action="store_true", help="list every freeze of the city's quarters and exit")
    parser.set_defaults(func=run)


def run(args) -> int:
    """Freeze (or re-freeze with ``--reason``); print the city, quarter, revision, as-of instant and carrier count.

    Exit 2 when refused. Whoever runs the CLI holds the database, so a re-freeze from here acts as an admin.
    """
    city = city_arg(args)
    store = open_store(args)
    if args.history:
        print_json({"city": city.adcode, "freezes": frame_records(freeze_history(store, city.adcode))})
        return 0
    if not args.quarter:
        raise CLIError(t("figures.cli.quarter_required", args.lang))
    try:
        if args.reason is not None:
            row = refreeze(store, city.adcode, args.quarter, User(0, args.actor, "admin"), args.reason)
        else:
            row = freeze(store, city.adcode, args.quarter, args.actor)
    except QuarterError as error:
        raise CLIError(t(error.key, args.lang, **error.params)) from error
    print_json({"city": row["city_adcode"], "quarter": row["quarter"], "revision": row["revision"],
                "as_of": row["as_of"], "frozen_at": row["frozen_at"], "actor": row["actor"], "reason": row["reason"],
                "carriers": len(row["carriers"])})
    return 0
