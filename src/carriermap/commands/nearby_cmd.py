"""``carriermap nearby``: carriers with free space near a point, nearest first."""

from __future__ import annotations

import math
import sys

from carriermap import codes
from carriermap.commands.common import CLIError, frame_records, open_store, print_json
from carriermap.freshness.age import rank_by_freshness, utc_now
from carriermap.freshness.settings import city_settings
from carriermap.i18n import t
from carriermap.model import parse_code
from carriermap.pointinput import PointInputError, check_point
from carriermap.space.results import CLI_COLUMNS, with_links
from carriermap.space.search import NearbySearch, Needs

MAX_RADIUS_KM = 200.0


def register(subparsers) -> None:
    """Add the ``nearby`` sub-command."""
    parser = subparsers.add_parser("nearby", help="carriers with free space near a point, nearest first")
    parser.add_argument("--city", metavar="ADCODE", default=None, help="city (default: the city the point is in)")
    parser.add_argument("--lon", required=True, help="longitude in --crs")
    parser.add_argument("--lat", required=True, help="latitude in --crs")
    parser.add_argument("--crs", default="wgs84", help="wgs84 (GPS), gcj02 (Amap, Tencent) or bd09 (Baidu)")
    parser.add_argument("--radius-km", required=True, help="search radius in km")
    parser.add_argument("--min-area", default="0", metavar="M2", help="minimum free area in m²")
    parser.add_argument("--max-rent", default=None, metavar="CNY", help="maximum rent, CNY/m²/month")
    parser.add_argument("--type", action="append", default=[], help="carrier type (repeatable)")
    parser.add_argument("--industry", action="append", default=[], help="industry (repeatable; any matches)")
    parser.add_argument("--level", action="append", default=[], help="level (repeatable)")
    parser.add_argument("--include-stale", action="store_true",
                        help="also list carriers unconfirmed for longer than the city's hide_after_days")
    parser.add_argument("--format", choices=("json", "table"), default="json")
    parser.set_defaults(func=run)


def _number(args, name: str, text: str | None, minimum: float = 0.0) -> float | None:
    if text is None:
        return None
    try:
        value = float(str(text).replace(",", "").strip())
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < minimum:
        raise CLIError(t("find_space.cli.error.number", args.lang, option=name, value=text))
    return value


def _codes(args, vocabulary: str, values: list[str]) -> tuple[str, ...]:
    out = []
    for value in values:
        code = parse_code(vocabulary, value)
        if code is None:
            raise CLIError(t("find_space.cli.error.code", args.lang, field=vocabulary, value=value,
                             allowed=", ".join(codes.VOCABULARIES[vocabulary])))
        out.append(code)
    return tuple(out)


def needs_from_args(args) -> Needs:
    """The :class:`Needs` of the command line; a :class:`CLIError` for a bad value."""
    radius_km = _number(args, "radius-km", args.radius_km)
    if radius_km is None or not 0 < radius_km <= MAX_RADIUS_KM:
        raise CLIError(t("find_space.cli.error.radius", args.lang, max=f"{MAX_RADIUS_KM:g}"))
    return Needs(radius_m=radius_km * 1000.0, min_area_m2=_number(args, "min-area", args.min_area) or 0.0,
                 max_rent=_number(args, "max-rent", args.max_rent), types=_codes(args, "type", args.type),
                 industries=tuple(i.strip() for i in args.industry if i.strip()),
                 levels=_codes(args, "level", args.level))


def run(args) -> int:
    """Print ``{"point", "needs", "results": [...], "suggestions": [...]}`` (JSON) or a table."""
    lon = _number(args, "lon", args.lon, minimum=-math.inf)
    lat = _number(args, "lat", args.lat, minimum=-math.inf)
    needs = needs_from_args(args)
    try:
        point = check_point(lon, lat, args.crs, args.city)
    except PointInputError as error:
        raise CLIError(t("find_space.cli.error.point", args.lang, message=error.message(args.lang))) from error
    store = open_store(args)
    search = NearbySearch(store.carriers(point.city_adcode), source=store.nearby_source(point.city_adcode))
    found = rank_by_freshness(search.search(point.lon, point.lat, needs), city_settings(point.city_adcode),
                              utc_now(), include_stale=args.include_stale)
    results = with_links(found, (point.lon, point.lat))
    rows = frame_records(results[list(CLI_COLUMNS)])
    suggestions = [] if rows else [
        {"kind": s.kind, "value": s.value, "id": s.carrier.get("id"), "name": s.carrier.get("name"),
         "distance_m": round(s.distance_m, 1)} for s in search.suggestions(point.lon, point.lat, needs)]
    if args.format == "table":
        sys.stdout.write(results[["id", "name", "distance_m", "available_m2", "rent_cny_m2_month"]]
                         .to_string(index=False) + "\n")
        return 0
    print_json({"point": {"lon": point.lon, "lat": point.lat, "crs": "wgs84", "input": [point.input_lon,
                point.input_lat], "input_crs": point.crs, "city": point.city_adcode,
                "district": point.district_adcode},
                "needs": {"radius_m": needs.radius_m, "min_area_m2": needs.min_area_m2, "max_rent": needs.max_rent,
                          "types": list(needs.types), "industries": list(needs.industries),
                          "levels": list(needs.levels)},
                "results": rows, "suggestions": suggestions})
    return 0
