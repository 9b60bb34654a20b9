"""``carriermap db``: schema versions (Alembic), and an online backup of the SQLite file."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url

from carriermap.commands.common import CLIError, print_json
from carriermap.i18n import t


def register(subparsers) -> None:
    """Add ``db init``, ``db upgrade``, ``db current``, ``db backup``, ``db maintain`` and ``db revision``."""
    parser = subparsers.add_parser("db", help="database schema versions and backups")
    actions = parser.add_subparsers(dest="db_action", required=True, metavar="ACTION")
    init = actions.add_parser("init", help="create the tables of a new database and fill it from data/")
    init.add_argument("--no-samples", action="store_true",
                      help="fill it with sourced records only (real carriers, corridors, zones, targets), "
                           "no invented sample records (also: CARRIERMAP_SAMPLE_DATA=0)")
    init.set_defaults(func=run_init, revision="head", no_fill=False)
    up = actions.add_parser("upgrade", help="migrate the schema to the newest version; fill an empty database")
    up.add_argument("--revision", default="head", help="target revision (default: head)")
    up.add_argument("--no-fill", action="store_true", help="leave an empty database empty")
    up.add_argument("--no-samples", action="store_true", help="fill an empty database with sourced records only")
    up.set_defaults(func=run_upgrade)
    actions.add_parser("current", help="the schema version of the database and the newest one").set_defaults(
        func=run_current)
    backup = actions.add_parser("backup", help="online backup of the SQLite database to FILE")
    backup.add_argument("file", type=Path)
    backup.set_defaults(func=run_backup)
    actions.add_parser("maintain", help="after bulk imports: order carriers by location (PostGIS CLUSTER), "
                       "refresh statistics").set_defaults(func=run_maintain)
    revision = actions.add_parser("revision", help="(developers) write a migration for changes to store/schema.py")
    revision.add_argument("-m", "--message", required=True)
    revision.set_defaults(func=run_revision)


def _url(args) -> str:
    from carriermap.store.engine import default_url

    return args.database or default_url()


def _shown(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def run_maintain(args) -> int:
    """Run :func:`carriermap.store.postgis.maintain` on the database; print what was done."""
    from carriermap.store.engine import make_engine
    from carriermap.store.postgis import maintain

    url = _url(args)
    engine = make_engine(url)
    try:
        report = maintain(engine)
    finally:
        engine.dispose()
    print_json({"database": _shown(url), **report})
    return 0


def run_init(args) -> int:
    """``db upgrade`` for a new database: migrate and fill it (sourced records only with ``--no-samples``)."""
    return run_upgrade(args)


def run_upgrade(args) -> int:
    """Migrate (and fill an empty database from ``data/`` unless ``--no-fill``); print what happened.

    ``--no-samples`` (or the setting :data:`carriermap.settings.SAMPLE_DATA_ENV` = 0) fills it
    with the sourced records only. A database already filled is never refilled.
    """
    from carriermap.store import Store
    from carriermap.store.engine import make_engine
    from carriermap.store.migrate import head, upgrade
    from carriermap.store.seed import seed_if_empty

    url = _url(args)
    engine = make_engine(url)
    try:
        before, after = upgrade(engine, args.revision)
        samples = None if not getattr(args, "no_samples", False) else False  # None: the deployment's setting
        filled = False if args.no_fill or after != head() else seed_if_empty(Store(engine), samples=samples)
    except Exception as error:
        raise CLIError(t("db.error.migrate", args.lang, error=str(error).splitlines()[0]), 1) from error
    finally:
        engine.dispose()
    print_json({"database": _shown(url), "before": before, "after": after, "filled": filled,
                "samples": _sample_count(url) if filled else None})
    return 0


def _sample_count(url: str) -> int:
    """How many sample (invented) carriers the database holds."""
    from sqlalchemy import func, select

    from carriermap.store import schema
    from carriermap.store.engine import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(schema.carriers)
                                          .where(schema.carriers.c.is_sample.is_(True))).scalar_one())
    finally:
        engine.dispose()


def run_current(args) -> int:
    """Print the database's revision and the newest one."""
    from carriermap.store.engine import make_engine
    from carriermap.store.migrate import current, head

    engine = make_engine(_url(args))
    try:
        with engine.connect() as connection:
            revision = current(connection)
    except Exception as error:
        raise CLIError(t("cli.error.database", args.lang, error=str(error).splitlines()[0]), 1) from error
    finally:
        engine.dispose()
    print_json({"database": _shown(_url(args)), "current": revision, "head": head()})
    return 0


def run_backup(args) -> int:
    """Copy the live SQLite database to FILE (never overwriting); PostgreSQL: say to use pg_dump."""
    from carriermap.store.backup import backup_sqlite, sqlite_path

    source = sqlite_path(_url(args))
    if source is None:
        raise CLIError(t("db.error.backup_postgres", args.lang))
    try:
        size = backup_sqlite(source, args.file)
    except FileExistsError as error:
        raise CLIError(t("db.error.backup_exists", args.lang, path=args.file)) from error
    except Exception as error:
        raise CLIError(t("db.error.backup_failed", args.lang, path=args.file, error=str(error).splitlines()[0]),
                       1) from error
    print_json({"backup": str(args.file), "bytes": size})
    return 0


def run_revision(args) -> int:
    """Write a migration with what ``schema.metadata`` adds to the newest revision (or say none is needed)."""
    from carriermap.store.migrate import new_revision

    path = new_revision(args.message, args.database)
    print_json({"revision": str(path) if path else None})
    return 0
