"""``carriermap import``: check a file of carriers and write it as one change set.

Every problem is printed at once (row and column as in the file) and the exit code is 2;
then nothing is written. ``--dry-run`` prints what would change. ``--format json`` prints
``{"errors": [...]}`` for a rejected file, else the plan's counts and the change set.
"""

from __future__ import annotations

import sys
from pathlib import Path

from carriermap.commands.common import CLIError, open_store, print_json
from carriermap.i18n import t
from carriermap.importing import commit_import, plan_import


def register(subparsers) -> None:
    """Add the ``import`` sub-command."""
    parser = subparsers.add_parser("import", help="import carriers from CSV, XLSX or GeoJSON")
    parser.add_argument("file", type=Path)
    parser.add_argument("--city", metavar="ADCODE", default=None,
                        help="city of the carriers (default: where most points fall)")
    parser.add_argument("--dry-run", action="store_true", help="check and count new/changed/unchanged, write nothing")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--actor", default="cli", help="who is importing (kept in the history)")
    parser.set_defaults(func=run)


def run(args) -> int:
    """Import the file; on any problem print them all and exit 2, changing nothing."""
    if not args.file.is_file():
        raise CLIError(t("error.file_missing", args.lang, path=str(args.file)))
    store = open_store(args)
    plan = plan_import(args.file, city=args.city, lang=args.lang, store=store)
    if not plan.ok:
        _print_problems(plan, args)
        return 2
    report = plan.summary()
    report["refused"] = plan.refusals(args.lang)
    report["ignored_hints"] = plan.ignored_hints(args.lang)
    if not args.dry_run:
        from carriermap.store import ConflictError

        try:
            report["changeset"] = commit_import(store, plan, args.actor)
        except ConflictError as error:
            raise CLIError(t("import.cli.conflict", args.lang)) from error
    report["written"] = not args.dry_run and report.get("changeset") is not None
    if args.format == "json":
        print_json(report)
        return 0
    print(t("import.cli.summary", args.lang, file=plan.filename, **plan.counts))
    if plan.sheet:
        print(t("import.sheet_read", args.lang, sheet=plan.sheet))
    if plan.skipped_rows:
        print(t("import.cli.skipped", args.lang, rows=", ".join(map(str, plan.skipped_rows))))
    if plan.ignored_columns:
        print(t("import.cli.ignored", args.lang, columns=", ".join(plan.ignored_columns)))
    print_placement(plan, args.lang)
    if args.dry_run:
        print(t("import.cli.dry_run", args.lang))
    elif report["changeset"] is None:
        print(t("import.cli.nothing", args.lang))
    else:
        print(t("import.cli.written", args.lang, changeset=report["changeset"]))
    return 0


def print_placement(plan, lang: str) -> None:
    """How the rows are placed, and each row left out with its reason (every row accounted for)."""
    print(t("lists.cli.placement", lang, **plan.placement_counts))
    for hint in plan.ignored_hints(lang):
        print(hint)
    for refusal in plan.refusals(lang):
        print(t("lists.cli.refused", lang, **refusal))


def _print_problems(plan, args) -> None:
    errors = plan.errors(args.lang)
    if args.format == "json":
        print_json({"errors": errors, "sheet": plan.sheet})
        return
    if plan.sheet:
        print(t("import.sheet_read", args.lang, sheet=plan.sheet), file=sys.stderr)
    for error in errors:
        if error["row"] is None and error["column"] is None:
            print(t("import.cli.file_problem", args.lang, message=error["message"]), file=sys.stderr)
        else:
            shown = {**error, "column": error["column"] or "-", "value": "" if error["value"] is None else error["value"]}
            print(t("cli.import.problem", args.lang, **shown), file=sys.stderr)
    if len(errors) > 1:
        print(t("import.cli.rejected", args.lang, count=len(errors)), file=sys.stderr)
