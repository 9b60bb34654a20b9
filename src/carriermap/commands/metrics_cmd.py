"""``carriermap metrics``: figures per district or reporting unit, and targets, under the map's filters."""

from __future__ import annotations

import sys
from pathlib import Path

from carriermap.commands.common import (
    CLIError,
    add_filter_flags,
    city_arg,
    filters_arg,
    frame_records,
    open_store,
    print_json,
)
from carriermap.districts.metrics import selected
from carriermap.districts.metrics_sql import unit_metrics_from_store
from carriermap.districts.targets import TARGET_COLUMNS, store_target_progress
from carriermap.export import to_csv_text
from carriermap.i18n import t
from carriermap.invented import FIGURE_FIELDS, invented_by_unit
from carriermap.model import CARRIER_COLUMNS

# What the invented counts read: the grouping, the filters and the fields whose invention is counted.
INVENTED_COLUMNS: tuple[str, ...] = tuple(dict.fromkeys(
    ("city_adcode", "district_adcode", "reporting_unit", "status", "lon", "provenance", "is_sample",
     *FIGURE_FIELDS.values(), *(c for c in ("type", "level", "specialisation", "industries", "name", "address")
                                if c in CARRIER_COLUMNS))))


def register(subparsers) -> None:
    """Add the ``metrics`` sub-command."""
    parser = subparsers.add_parser("metrics", help="figures per district or reporting unit")
    parser.add_argument("--city", required=True, metavar="ADCODE")
    parser.add_argument("--by", choices=("district", "reporting_unit"), default="district")
    parser.add_argument("--format", choices=("json", "csv", "table", "xlsx"), default="json",
                        help="xlsx: the districts page's workbook (both views, targets, notes; needs -o)")
    parser.add_argument("-o", "--output", type=Path, default=None, help="file to write (xlsx)")
    add_filter_flags(parser)
    parser.set_defaults(func=run)


def run(args) -> int:
    """Print the metrics as JSON ``{"rows": [...], "targets": [...], "invented": [...]}`` (``invented``: per
    unit, how many of the counted records and values are invented), CSV or a table; or write the XLSX."""
    city = city_arg(args)
    selection = filters_arg(args)
    store = open_store(args)
    rows = unit_metrics_from_store(store, city.adcode, args.by, selection)  # the database counts
    if args.format == "json":
        live = store.carriers(city.adcode, columns=TARGET_COLUMNS)
        targets = store_target_progress(store, city.adcode, live=live, hide_samples=selection.hide_samples)
        counted = selected(store.carriers(city.adcode, columns=INVENTED_COLUMNS), selection)
        print_json({"city": city.adcode, "by": args.by, "filters": selection.to_query(),
                    "rows": frame_records(rows), "targets": targets,
                    "invented": frame_records(invented_by_unit(counted, city.adcode, args.by))})
    elif args.format == "xlsx":
        from carriermap.districts.table import workbook

        if args.output is None:
            raise CLIError(t("districts.cli.output_required", args.lang))
        carriers = store.carriers(city.adcode)
        progress = store_target_progress(store, city.adcode, live=carriers, hide_samples=selection.hide_samples)
        args.output.write_bytes(workbook(carriers, store.targets(city.adcode), city, args.lang, store.data_version(),
                                         selection=selection, progress=progress))
    elif args.format == "csv":
        sys.stdout.write(to_csv_text(rows))  # the one export path: formula-like cells neutralised
    else:
        sys.stdout.write(rows.to_string(index=False) + "\n")
    return 0
