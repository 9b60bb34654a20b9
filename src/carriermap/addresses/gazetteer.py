"""The names an address may use for a place, and what each one means.

Every spelling maps to one or more :class:`Entry` (a name such as 鼓楼区 exists in several
cities). Sources, in order of trust: the covered districts as the boundaries name them,
the zones of ``data/cities.json`` (reporting units such as 东湖高新区), the aliases of
``data/district_aliases.csv`` (former names such as 萝岗区, informal ones such as 光谷), and
every province, city and county of China (``data/admin_names.csv``). Short spellings (天河
for 天河区, 广州 for 广州市) are kept apart: the parser trusts them only at the start of the
address or right after a city or province, so 黄埔大道 (a road in 天河区) is not 黄埔区.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from carriermap.boundaries import districts
from carriermap.cities import all_cities
from carriermap.paths import DATA_DIR

ADMIN_NAMES_FILE = DATA_DIR / "admin_names.csv"
ALIASES_FILE = DATA_DIR / "district_aliases.csv"
Level = Literal["province", "city", "district"]
_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "地区", "省", "市", "区", "县", "盟", "旗")


@dataclass(frozen=True)
class Entry:
    """What a spelling names: its level, adcode, the city it is in and the province."""

    level: Level
    adcode: str
    city_adcode: str
    province: str
    name: str
    reporting_unit: str | None = None


@dataclass(frozen=True)
class Gazetteer:
    """Full and short spellings → entries, and the longest spelling (the scan's window)."""

    full: dict[str, tuple[Entry, ...]]
    short: dict[str, tuple[Entry, ...]]
    longest: int
    covered: frozenset[str]


def short_name(name: str) -> str:
    """A name without its administrative suffix (天河区 → 天河, 广东省 → 广东); '' when too short to trust."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return ""


def _add(table: dict[str, list[Entry]], spelling: str, entry: Entry) -> None:
    if spelling and entry not in table.setdefault(spelling, []):
        table[spelling].append(entry)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The spellings of every place, built once per process."""
    full: dict[str, list[Entry]] = {}
    short: dict[str, list[Entry]] = {}
    cities = {city.adcode: city for city in all_cities()}
    covered_districts: set[str] = set()
    for item in districts().itertuples():
        city = cities.get(item.city_adcode)
        entry = Entry("district", item.adcode, item.city_adcode, city.province if city else "", item.name)
        covered_districts.add(item.adcode)
        _add(full, item.name, entry)
        _add(short, short_name(item.name), entry)
    for city in cities.values():
        entry = Entry("city", city.adcode, city.adcode, city.province, city.name)
        _add(full, city.name, entry)
        _add(short, short_name(city.name), entry)
        for zone in city.zones:
            _add(full, zone.name, Entry("district", zone.district_adcode, city.adcode, city.province, zone.name,
                                        reporting_unit=zone.name))
    with ALIASES_FILE.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = row["district_adcode"].strip()
            city_code = code[:4] + "00"
            city = cities.get(city_code)
            _add(full, row["alias"].strip(), Entry("district", code, city_code, city.province if city else "",
                                                   row["alias"].strip(), row["reporting_unit"].strip() or None))
    with ADMIN_NAMES_FILE.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            level = row["level"]
            if level == "district" and row["adcode"] in covered_districts:
                continue  # the boundaries' own entry is already there
            if level == "city" and row["adcode"] in cities:
                continue
            city_code = row["adcode"] if level == "province" else row["city_adcode"]
            entry = Entry(level, row["adcode"], city_code, row["province"], row["name"])
            _add(full, row["name"], entry)
            if level in ("province", "city"):
                _add(short, short_name(row["name"]), entry)
    longest = max(len(s) for s in (*full, *short))
    return Gazetteer({k: tuple(v) for k, v in full.items()}, {k: tuple(v) for k, v in short.items()}, longest,
                     frozenset(cities))
