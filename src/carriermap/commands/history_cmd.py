"""``carriermap history``: change sets, or the changes of one carrier or one change set."""

from __future__ import annotations

import sys

from carriermap.commands.common import frame_records, open_store, print_json
from carriermap.versions import field_changes


def register(subparsers) -> None:
    """Add the ``history`` sub-command."""
    parser = subparsers.add_parser("history", help="who changed what and when (change sets, or one carrier)")
    parser.add_argument("--carrier", type=int, metavar="ID", default=None, help="the changes of one carrier")
    parser.add_argument("--changeset", type=int, metavar="ID", default=None, help="the changes of one change set")
    parser.add_argument("--limit", type=int, default=50)
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(func=run)


def run(args) -> int:
    """Print change sets (newest first), or field-by-field changes with before and after."""
    store = open_store(args)
    if args.carrier is None and args.changeset is None:
        frame = store.changesets(limit=args.limit)
        frame = frame[["id", "created_at", "actor", "kind", "summary", "city_adcode", "changes", "undoes", "undone_by"]]
    else:
        frame = field_changes(store, carrier_id=args.carrier, changeset_id=args.changeset, limit=args.limit)
    if args.format == "json":
        print_json({"rows": frame_records(frame)})
    else:
        sys.stdout.write(frame.to_string(index=False) + "\n")
    return 0
