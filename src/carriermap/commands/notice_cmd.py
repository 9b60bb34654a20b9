"""``carriermap notice apply FILE --level national --notice 文号 --date YYYY-MM-DD [--dry-run]``.

Names matched exactly get the level, ``level_notice`` and ``level_notice_date``; similar
names are listed with their candidates and applied only with ``--confirm-similar`` (the
best candidate of each listed row, or of ``all``); names not in the register are listed and
added as unplaced carriers only with ``--add-unplaced``; carriers that held the level and are
missing from the notice are listed for review, never changed. One change set; ``undo`` reverses it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from carriermap.commands.common import CLIError, frame_records, open_store, print_json
from carriermap.i18n import t
from carriermap.notices import commit_notice, plan_notice


def register(subparsers) -> None:
    """Add the ``notice`` sub-command (``notice apply``)."""
    parser = subparsers.add_parser("notice", help="apply an official notice (recognised names and their level)")
    actions = parser.add_subparsers(dest="notice_action", required=True, metavar="ACTION")
    apply = actions.add_parser("apply", help="match a notice's names to the register and set their level")
    apply.add_argument("file", type=Path)
    apply.add_argument("--level", required=True, help="level the notice recognises (national, provincial, …)")
    apply.add_argument("--notice", required=True, help="the notice number (文号)")
    apply.add_argument("--date", required=True, help="the notice date, YYYY-MM-DD")
    apply.add_argument("--city", metavar="ADCODE", default=None, help="only this city's register (default: all)")
    apply.add_argument("--type", dest="carrier_type", default=None,
                       help="type of carriers added as unplaced (default: the type most matches have)")
    apply.add_argument("--confirm-similar", default="", metavar="ROWS|all",
                       help="apply the best similar name of these rows (comma separated) or of all")
    apply.add_argument("--add-unplaced", default="", metavar="ROWS|all",
                       help="add these unmatched rows (or all) as unplaced carriers")
    apply.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")
    apply.add_argument("--format", choices=("text", "json"), default="text")
    apply.add_argument("--actor", default="cli", help="who applies the notice (kept in the history)")
    apply.set_defaults(func=run)


def _rows(text: str, available: list[int], lang: str) -> set[int]:
    if text.strip().lower() == "all":
        return set(available)
    try:
        wanted = {int(part) for part in text.replace(",", ",").split(",") if part.strip()}
    except ValueError as error:
        raise CLIError(t("lists.notice.cli.bad_rows", lang, rows=text)) from error
    unknown = sorted(wanted - set(available))
    if unknown:
        raise CLIError(t("lists.notice.cli.bad_rows", lang, rows=", ".join(map(str, unknown))))
    return wanted


def run(args) -> int:
    """Plan the notice; print it; apply it unless ``--dry-run``."""
    if not args.file.is_file():
        raise CLIError(t("error.file_missing", args.lang, path=str(args.file)))
    store = open_store(args)
    plan = plan_notice(store, args.file, level=args.level, notice=args.notice, date=args.date, city=args.city,
                       carrier_type=args.carrier_type)
    if not plan.ok:
        for problem in plan.problems:
            print(t("lists.notice.cli.problem", args.lang, **{**problem.as_dict(args.lang),
                                                               "column": problem.column or "-"}), file=sys.stderr)
        return 2
    confirm_rows = _rows(args.confirm_similar, [row.row for row, _ in plan.similar], args.lang)
    confirm = {row.row: candidates[0].carrier_id for row, candidates in plan.similar if row.row in confirm_rows}
    add = _rows(args.add_unplaced, [u.row.row for u in plan.unmatched if u.addable], args.lang)
    changeset = None
    if not args.dry_run:
        from carriermap.store import ConflictError

        try:
            changeset = commit_notice(store, plan, args.actor, confirm=confirm, add_unplaced=add)
        except ConflictError as error:
            raise CLIError(t("import.cli.conflict", args.lang)) from error
    if args.format == "json":
        print_json({"counts": plan.counts(), "changeset": changeset, "written": changeset is not None,
                    **{name: frame_records(frame) for name, frame in plan.preview().items()}})
        return 0
    _print_text(plan, args, changeset, confirm, add)
    return 0


def _print_text(plan, args, changeset, confirm, add) -> None:
    lang = args.lang
    print(t("lists.notice.cli.summary", lang, **plan.counts()))
    for match in plan.exact:
        key = "lists.notice.cli.kept_newer" if match.kept_newer else "lists.notice.cli.exact"
        print(t(key, lang, row=match.row.row, name=match.row.name, id=match.carrier["id"]))
    for row, candidates in plan.similar:
        shown = "; ".join(f"#{c.carrier_id} {c.name} ({c.score:.2f})" for c in candidates)
        key = "lists.notice.cli.similar_confirmed" if row.row in confirm else "lists.notice.cli.similar"
        print(t(key, lang, row=row.row, name=row.name, candidates=shown))
    for item in plan.unmatched:
        key = ("lists.notice.cli.added" if item.row.row in add else "lists.notice.cli.unmatched") if item.addable \
            else "lists.notice.cli.unmatched_elsewhere"
        print(t(key, lang, row=item.row.row, name=item.row.name, place=item.place_name or "-"))
    for carrier in plan.missing:
        print(t("lists.notice.cli.missing", lang, id=carrier["id"], name=carrier["name"],
                notice=carrier.get("level_notice") or "-"))
    if args.dry_run:
        print(t("import.cli.dry_run", lang))
    elif changeset is None:
        print(t("import.cli.nothing", lang))
    else:
        print(t("import.cli.written", lang, changeset=changeset))
