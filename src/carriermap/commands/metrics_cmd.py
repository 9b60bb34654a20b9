"""``carriermap metrics``: figures per district or reporting unit, and targets."""

from __future__ import annotations

import sys
from pathlib import Path

from carriermap.commands.common import CLIError, city_arg, frame_records, open_store, print_json
from carriermap.export import to_csv_text
from carriermap.i18n import t
from carriermap.metrics import TARGET_COLUMNS, target_progress
from carriermap.metrics_sql import unit_metrics_from_store


def register(subparsers) -> None:
    """Add the ``metrics`` sub-command."""
    parser = subparsers.add_parser("metrics", help="figures per district or reporting unit")
    parser.add_argument("--city", required=True, metavar="ADCODE")
    parser.add_argument("--by", choices=("district", "reporting_unit"), default="district")
    parser.add_argument("--format", choices=("json", "csv", "table", "xlsx"), default="json",
                        help="xlsx: the districts page's workbook (both views, targets, notes; needs -o)")
    parser.add_argument("-o", "--output", type=Path, default=None, help="file to write (xlsx)")
    parser.set_defaults(func=run)


def run(args) -> int:
    """Print the metrics as JSON ``{"rows": [...], "targets": [...]}``, CSV or a table; or write the XLSX."""
    city = city_arg(args)
    store = open_store(args)
    rows = unit_metrics_from_store(store, city.adcode, args.by)  # the database counts: no carrier is read
    if args.format == "json":
        carriers = store.carriers(city.adcode, columns=TARGET_COLUMNS)
        targets = target_progress(carriers, store.targets(city.adcode), city.adcode)
        print_json({"city": city.adcode, "by": args.by, "rows": frame_records(rows), "targets": targets})
    elif args.format == "xlsx":
        from carriermap.metrics_table import workbook

        if args.output is None:
            raise CLIError(t("districts.cli.output_required", args.lang))
        carriers = store.carriers(city.adcode)
        args.output.write_bytes(workbook(carriers, store.targets(city.adcode), city, args.lang, store.data_version()))
    elif args.format == "csv":
        sys.stdout.write(to_csv_text(rows))  # the one export path: formula-like cells neutralised
    else:
        sys.stdout.write(rows.to_string(index=False) + "\n")
    return 0
