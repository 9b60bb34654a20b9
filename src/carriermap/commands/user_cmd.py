"""``carriermap user``: create editors' accounts (the password is prompted or read from stdin)."""

from __future__ import annotations

import getpass
import sys

from carriermap.auth import AuthError, create_user, disable, unlock
from carriermap.commands.common import CLIError, open_store, print_json
from carriermap.i18n import t
from carriermap.permissions import ROLES


def register(subparsers) -> None:
    """Add the ``user`` sub-command (``user add``, ``list``, ``unlock``, ``disable``)."""
    parser = subparsers.add_parser("user", help="editors' accounts")
    actions = parser.add_subparsers(dest="user_action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="create an account")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--scope", default=None, metavar="ADCODE|CARRIER",
                     help="city adcode (city_official), district adcode or reporting unit (district_official), "
                          "carrier ids '12,15' (operator)")
    add.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    add.set_defaults(func=run_add)
    listing = actions.add_parser("list", help="list accounts (names, roles, scopes)")
    listing.set_defaults(func=run_list)
    unlocking = actions.add_parser("unlock", help="lift the sign-in lock of a name (after too many wrong passwords)")
    unlocking.add_argument("name")
    unlocking.set_defaults(func=run_unlock)
    disabling = actions.add_parser("disable", help="disable an account and end its sessions at once")
    disabling.add_argument("name")
    disabling.set_defaults(func=run_disable)


def _password(args) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():  # getpass would fall back to stdin and end in EOFError
        raise CLIError(t("finish.cli.no_terminal", args.lang))
    try:
        first = getpass.getpass(t("data.cli.password_prompt", args.lang))
        again = getpass.getpass(t("data.cli.password_again", args.lang))
    except EOFError as error:
        raise CLIError(t("finish.cli.no_terminal", args.lang)) from error
    if first != again:
        raise CLIError(t("data.error.password_mismatch", args.lang))
    return first


def run_add(args) -> int:
    """Create the account; print its name, role and scope as JSON (never the password)."""
    store = open_store(args)
    try:
        user = create_user(store, args.name, _password(args), args.role, args.scope)
    except AuthError as error:
        raise CLIError(t(error.key, args.lang, **error.params)) from error
    print_json({"id": user.id, "name": user.name, "role": user.role, "scope": user.scope})
    return 0


def run_list(args) -> int:
    """Print every account (no password hashes)."""
    from sqlalchemy import select

    from carriermap.store import schema

    store = open_store(args)
    table = schema.users
    with store.engine.connect() as conn:
        rows = conn.execute(select(table.c.id, table.c.name, table.c.role, table.c.scope, table.c.created_at,
                                   table.c.disabled).order_by(table.c.id)).mappings().all()
    print_json({"users": [dict(row) for row in rows]})
    return 0


def run_unlock(args) -> int:
    """Lift the sign-in lock on a name (whoever typed it); print whether one was there."""
    store = open_store(args)
    print_json({"name": args.name, "unlocked": unlock(store, args.name)})
    return 0


def run_disable(args) -> int:
    """Disable an account: it cannot sign in and its open sessions end now."""
    store = open_store(args)
    try:
        disable(store, args.name)
    except AuthError as error:
        raise CLIError(t(error.key, args.lang, **error.params)) from error
    print_json({"name": args.name, "disabled": True})
    return 0
