"""Rows with an address and no coordinates: their city and district, parsed offline.

Such a row becomes an **unplaced** carrier (no point, see :mod:`carriermap.location`) whose
district comes from its address (and its ``locality`` column: 所在地, 所在城市 …), parsed by
:mod:`carriermap.addresses`. A row whose address is in another city is not mixed in: it is
listed as refused, naming the city, and the rest of the file goes on. A row whose district
cannot be told is accepted with its city and flagged (district unknown) for an editor.
A district column, when the file has one, wins over the address when it names a district
of the city; when the two disagree the row is reported.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from carriermap.addresses import AddressMatch, parse_address
from carriermap.boundaries import district_names
from carriermap.cities import UnknownCityError, get_city
from carriermap.importing.headers import PLACE_TEXT_COLUMNS, POINT_COLUMNS, REQUIRED_COLUMNS, ColumnMap
from carriermap.importing.problems import RowProblem

if TYPE_CHECKING:
    from carriermap.importing.validation import Row, Validated

MATCH_KEY = "_address_match"


def missing_columns(columns: ColumnMap) -> list[str]:
    """Required columns the file lacks: coordinates are not required when it has an address or locality."""
    missing = [name for name in REQUIRED_COLUMNS if name not in columns.fields]
    if any(name in columns.fields for name in PLACE_TEXT_COLUMNS):
        missing = [name for name in missing if name not in POINT_COLUMNS]
    return missing


def place_text(row: Row) -> str:
    """What a row says about where it is: its locality, then its address."""
    return f"{row.record.get('_locality') or ''}{row.record.get('address') or ''}"


def has_no_point(row: Row) -> bool:
    """True for a valid row without coordinates (an unplaced carrier to be)."""
    return row.ok and row.record.get("lon") is None and row.record.get("lat") is None


def parse_rows(rows: list[Row], city_hint: str | None) -> Counter:
    """Parse the address of every row without a point (kept on the row); the covered cities they name."""
    votes: Counter = Counter()
    memo: dict[str, AddressMatch] = {}
    for row in rows:
        if not has_no_point(row):
            continue
        text = place_text(row)
        if text not in memo:
            memo[text] = parse_address(text, city_hint)
        row.record[MATCH_KEY] = memo[text]
        if memo[text].covered:
            votes[memo[text].city_adcode] += 1
    return votes


def _city_names(adcode: str | None, match: AddressMatch) -> dict[str, str]:
    try:
        city = get_city(adcode)
        return {"city_zh": city.name, "city_en": city.name_en}
    except UnknownCityError:
        return {"city_zh": match.place_name, "city_en": match.place_name}


def settle_unplaced(out: Validated, district_lookup) -> None:
    """City and district of every row without a point; rows of other cities refused (not mixed in).

    ``district_lookup(city_adcode)`` gives the spellings of a city's districts and its zones
    (as :func:`carriermap.importing.validation._district_lookup`).
    """
    columns = out.columns
    names = district_names("zh")
    for row in out.rows:
        if not has_no_point(row):
            continue
        match: AddressMatch = row.record.get(MATCH_KEY) or parse_address(place_text(row), out.city_adcode)
        record = row.record
        city = out.city_adcode or (match.city_adcode if match.covered else None)
        if city is None:
            out.problems.append(RowProblem(row.number, columns.column_name("address"), record.get("address"),
                                           "lists.error.no_city_for_address"))
            row.ok = False
            continue
        if match.city_adcode and match.city_adcode != city:
            out.refused.append(RowProblem(row.number, columns.column_name("address"), record.get("address"),
                                          "lists.refused.other_city",
                                          {"place": match.place_name, **_city_names(city, match)}))
            row.ok = False
            continue
        record["city_adcode"] = city
        district = match.district_adcode
        text = (record.get("_district_text") or "").strip()
        if text:
            lookup, zones = district_lookup(city)
            given = lookup.get(text.lower())
            if text in zones and "reporting_unit" not in row.present:
                record["reporting_unit"] = text
                row.present.add("reporting_unit")
            elif given is None:
                given = parse_address(text, city).district_adcode
            if given and district and given != district:
                out.problems.append(RowProblem(row.number, columns.column_name("district"), text,
                                               "lists.error.district_disagrees",
                                               {"given": text, "address": names.get(district, district)}))
                row.ok = False
                continue
            district = given or district
        record["district_adcode"] = district
        if match.reporting_unit and not record.get("reporting_unit"):
            record["reporting_unit"] = match.reporting_unit
            row.present.add("reporting_unit")


def drop_helpers(row: Row) -> None:
    """Remove the parser's helper values from a row's record."""
    row.record.pop(MATCH_KEY, None)
    row.record.pop("_locality", None)
