"""``carriermap bench``: run the benchmark sections and print their rows."""

from __future__ import annotations

import argparse
import importlib
import sys

from carriermap.bench import SECTIONS
from carriermap.commands.common import CLIError, print_json


def register(subparsers) -> None:
    """Add the ``bench`` sub-command."""
    parser = subparsers.add_parser("bench", help="benchmark ours against the naive approach and the usual one")
    parser.add_argument("--only", action="append", choices=sorted(SECTIONS) or None, default=None,
                        help="run only this section (repeatable)")
    parser.add_argument("--format", choices=("json", "table"), default="json")
    parser.add_argument("--browser", action="store_true", help="also load pages in headless Chromium (map)")
    parser.add_argument("--sizes", metavar="N,N", help="carrier counts for the pages section (e.g. 10000,100000,1000000)")
    parser.add_argument("--replicas", type=int, default=1, metavar="N",
                        help="load section: also run N app servers on one PostgreSQL + PostGIS database")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("--database", metavar="URL", default=argparse.SUPPRESS,
                        help="run the database rows on this database (same as the global --database)")
    parser.set_defaults(func=run)


def run(args) -> int:
    """Print ``{"rows": [...]}`` (JSON) or a table of every section's rows."""
    names = args.only or list(SECTIONS)
    if not names:
        raise CLIError("no benchmark sections are registered", 1)
    rows = []
    for name in names:
        module = importlib.import_module(SECTIONS[name])
        for row in module.run(args):
            rows.append({"section": name, **row})
            print(f"bench {name}: {row}", file=sys.stderr, flush=True)
    if args.format == "json":
        print_json({"rows": rows})
    else:
        import pandas as pd

        print(pd.DataFrame(rows).to_string(index=False))
    return 0
