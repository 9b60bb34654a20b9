"""``carriermap undo``: undo one change set (an import, an edit, a delisting) as a new change set."""

from __future__ import annotations

from carriermap.commands.common import CLIError, count_option, open_store, print_json
from carriermap.i18n import t


def register(subparsers) -> None:
    """Add the ``undo`` sub-command."""
    parser = subparsers.add_parser("undo", help="undo a change set, restoring the exact previous values")
    parser.add_argument("changeset", metavar="CHANGESET")
    parser.add_argument("--actor", default="cli", help="who is undoing (kept in the history)")
    parser.set_defaults(func=run)


def run(args) -> int:
    """Undo the change set; print the new change set and the carriers restored. Exit 2 if refused."""
    from carriermap.editing import undo_conflict_lines
    from carriermap.store import NotFoundError, UndoConflict, UndoError

    changeset = count_option(args, "changeset")
    store = open_store(args)
    try:
        result = store.undo(changeset, actor=args.actor)
    except NotFoundError as error:
        raise CLIError(t("versions.cli.no_changeset", args.lang, changeset=changeset)) from error
    except UndoConflict as error:
        raise CLIError("\n".join(undo_conflict_lines(error, args.lang))) from error
    except UndoError as error:
        raise CLIError(t("versions.cli.undo_refused", args.lang, changeset=changeset, reason=str(error))) from error
    print_json({"undone": changeset, "changeset": result.changeset_id, "carriers": len(result.updated)})
    return 0
