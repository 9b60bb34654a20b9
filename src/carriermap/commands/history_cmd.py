"""``carriermap history``: change sets, or the changes of one carrier or one change set."""

from __future__ import annotations

import sys

from carriermap.commands.common import count_option, frame_records, open_store, print_json
from carriermap.versions import field_changes

MAX_LIMIT = 100_000


def register(subparsers) -> None:
    """Add the ``history`` sub-command."""
    parser = subparsers.add_parser("history", help="who changed what and when (change sets, or one carrier)")
    parser.add_argument("--carrier", metavar="ID", default=None, help="the changes of one carrier")
    parser.add_argument("--changeset", metavar="ID", default=None, help="the changes of one change set")
    parser.add_argument("--limit", default="50", help=f"at most this many lines (1-{MAX_LIMIT})")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(func=run)


def run(args) -> int:
    """Print change sets (newest first), or field-by-field changes with before and after."""
    carrier, changeset = count_option(args, "carrier"), count_option(args, "changeset")
    limit = count_option(args, "limit", minimum=1, maximum=MAX_LIMIT)
    store = open_store(args)
    if carrier is None and changeset is None:
        frame = store.changesets(limit=limit)
        frame = frame[["id", "created_at", "actor", "kind", "summary", "city_adcode", "changes", "undoes", "undone_by"]]
    else:
        frame = field_changes(store, carrier_id=carrier, changeset_id=changeset, limit=limit)
    if args.format == "json":
        print_json({"rows": frame_records(frame)})
    else:
        sys.stdout.write(frame.to_string(index=False) + "\n")
    return 0
