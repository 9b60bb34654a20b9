"""``carriermap import``: validate a file of carriers and write it as one change set."""

from __future__ import annotations

import sys
from pathlib import Path

from carriermap.commands.common import CLIError, open_store, print_json
from carriermap.i18n import t
from carriermap.importer import ImportFileError, prepare, read_table


def register(subparsers) -> None:
    """Add the ``import`` sub-command."""
    parser = subparsers.add_parser("import", help="import carriers from CSV, XLSX or GeoJSON")
    parser.add_argument("file", type=Path)
    parser.add_argument("--city", metavar="ADCODE", default=None)
    parser.add_argument("--dry-run", action="store_true", help="validate and report, write nothing")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--actor", default="cli", help="who is importing (kept in the history)")
    parser.set_defaults(func=run)


def run(args) -> int:
    """Import the file; on any problem print them all and exit 2, changing nothing."""
    try:
        frame, first_row = read_table(args.file)
    except ImportFileError as error:
        raise CLIError(t(error.key, args.lang, **error.params)) from error
    plan = prepare(frame, first_row, args.city)
    if plan.problems:
        errors = [{"row": p.row, "column": p.column, "value": p.value, "message": t(p.key, args.lang, **p.params)}
                  for p in plan.problems]
        if args.format == "json":
            print_json({"errors": errors})
        else:
            for error in errors:
                print(t("cli.import.problem", args.lang, **error), file=sys.stderr)
        return 2
    if args.dry_run:
        print_json({"rows": len(plan.records), "written": 0})
        return 0
    store = open_store(args)
    result = store.apply(actor=args.actor, kind="import", summary=str(args.file.name), inserts=plan.records)
    print_json({"rows": len(plan.records), "changeset": result.changeset_id, "inserted": len(result.inserted)})
    return 0
