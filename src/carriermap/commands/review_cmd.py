"""``carriermap review list|approve|reject``: changes waiting for review, and the reviewer's decision.

Approving and rejecting act as an existing editor account (``--as NAME``) so the library checks
that account's role and scope exactly as on the data page.
"""

from __future__ import annotations

from sqlalchemy import select

from carriermap.commands.common import CLIError, city_arg, frame_records, open_store, print_json
from carriermap.i18n import t
from carriermap.messages import KeyedError
from carriermap.permissions import User
from carriermap.review.queue import STATES, approve, reject, reviews
from carriermap.store import NotFoundError, schema
from carriermap.versions import EditRejected


def register(subparsers) -> None:
    """Add the ``review`` sub-command and its actions."""
    parser = subparsers.add_parser("review", help="changes waiting for review: list, approve, reject")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="reviews of a city (pending by default), oldest first")
    listing.add_argument("--city", required=True, metavar="ADCODE")
    listing.add_argument("--state", choices=(*STATES, "all"), default="pending")
    listing.set_defaults(func=run_list)
    for name, helptext in (("approve", "approve and publish a pending change"),
                           ("reject", "send a pending change back with a reason")):
        action = actions.add_parser(name, help=helptext)
        action.add_argument("review", type=int, metavar="REVIEW")
        action.add_argument("--as", dest="user", required=True, metavar="NAME", help="the reviewer's account")
        if name == "reject":
            action.add_argument("--reason", required=True, help="why (the author reads it)")
        action.set_defaults(func=run_decide)


def run_list(args) -> int:
    """Print ``{"reviews": [...]}`` as JSON."""
    city = city_arg(args)
    frame = reviews(open_store(args), city.adcode, state=None if args.state == "all" else args.state)
    print_json({"city": city.adcode, "reviews": frame_records(frame)})
    return 0


def account(store, name: str, lang: str) -> User:
    """The enabled editor account called ``name``; a :class:`CLIError` when there is none."""
    users = schema.users
    with store.engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.name == name, users.c.disabled.is_(False))).mappings().first()
    if row is None:
        raise CLIError(t("review.cli.no_user", lang, user=name))
    return User(id=int(row["id"]), name=row["name"], role=row["role"], scope=row["scope"])


def run_decide(args) -> int:
    """Approve or reject; print the review, its new state and the change set. Exit 2 when refused."""
    store = open_store(args)
    user = account(store, args.user, args.lang)
    try:
        if args.action == "approve":
            result = approve(store, user, args.review)
        else:
            result = reject(store, user, args.review, args.reason)
    except NotFoundError as error:
        raise CLIError(t("review.cli.no_review", args.lang, review=args.review)) from error
    except KeyedError as error:
        raise CLIError(t(error.key, args.lang, **error.params)) from error
    except EditRejected as error:
        raise CLIError(t("review.error.invalid_now", args.lang, review=args.review, problems=str(error))) from error
    state = "approved" if args.action == "approve" else "rejected"
    print_json({"review": args.review, "state": state, "changeset": result.changeset_id})
    return 0
