"""Parse the city and district out of a Chinese address, offline.

The scan walks the address once, taking at each position the longest known spelling
(:mod:`.gazetteer`): ``广东省广州市天河区科韵路16号`` gives 广东省, 广州市, 天河区. The first
district consistent with the province and city found before it wins (so a road named after
another district, such as 黄埔大道 in 天河区, does not move the carrier). A district name
shared by several cities (鼓楼区) is resolved by the city named in the address, else by the
file's city (``city_hint``), else left unknown rather than guessed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from carriermap.addresses.gazetteer import Entry, gazetteer

Precision = Literal["district", "city", "none"]
_ROAD_AFTER_SHORT = set("路道街巷村桥大东西南北中")
_NOISE = re.compile(r"[\s\u3000·•,,。;;::\"'“”‘’]+")


@dataclass(frozen=True)
class AddressMatch:
    """What an address says about where it is.

    ``city_adcode``/``district_adcode`` are set when known (a covered city or another one:
    ``covered`` tells which); ``precision`` is ``district``, ``city`` or ``none``;
    ``place_name`` is the most precise name found (for messages such as "北京市海淀区").
    """

    city_adcode: str | None
    district_adcode: str | None
    reporting_unit: str | None
    province: str | None
    place_name: str
    covered: bool

    @property
    def precision(self) -> Precision:
        """How far the address was understood: to the district, the city, or not at all."""
        if self.district_adcode:
            return "district"
        return "city" if self.city_adcode else "none"


_NOTHING = AddressMatch(None, None, None, None, "", False)


def normalise_address(text: str) -> str:
    """NFKC (full-width → ASCII), without spaces and punctuation that never belong to a name."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", str(text or "")))


def _tokens(text: str) -> list[tuple[Entry, ...]]:
    """The known spellings in ``text``, left to right, longest first at each position."""
    gaz = gazetteer()
    found: list[tuple[Entry, ...]] = []
    i, previous_end = 0, 0
    while i < len(text):
        hit = None
        for length in range(min(gaz.longest, len(text) - i), 1, -1):
            piece = text[i:i + length]
            entries = gaz.full.get(piece)
            if entries is None and (i == 0 or (found and previous_end == i and
                                               any(e.level != "district" for e in found[-1]))):
                entries = gaz.short.get(piece)
                if entries is not None and text[i + length:i + length + 1] in _ROAD_AFTER_SHORT \
                        and all(e.level == "district" for e in entries):
                    entries = None  # 黄埔大道 is a road, not 黄埔区
            if entries:
                hit = (entries, length)
                break
        if hit is None:
            i += 1
            continue
        found.append(hit[0])
        i += hit[1]
        previous_end = i
    return found


def _pick(entries: tuple[Entry, ...], province: str | None, city: str | None, hint: str | None) -> Entry | None:
    """The one entry consistent with what came before (or the hint); None when still ambiguous."""
    for wanted in (city, hint):
        if wanted:
            same = [e for e in entries if e.city_adcode == wanted]
            if same:
                return same[0]
            if wanted == city:
                return None  # a district of another city after the city was named: not this one
    if province:
        entries = tuple(e for e in entries if e.province == province) or entries
    codes = {e.adcode for e in entries}
    return entries[0] if len(codes) == 1 else None


def parse_address(text: str, city_hint: str | None = None) -> AddressMatch:
    """The city and district an address names (see the module docstring); never raises."""
    cleaned = normalise_address(text)
    if not cleaned:
        return _NOTHING
    covered = gazetteer().covered
    province = city = None
    names: list[str] = []
    for entries in _tokens(cleaned):
        levels = {e.level for e in entries}
        if "province" in levels and province is None and city is None:
            chosen = next(e for e in entries if e.level == "province")
            province = chosen.province
            names.append(chosen.name)
            if "city" in levels:  # 北京市: province and city at once
                city = next(e for e in entries if e.level == "city").adcode
            continue
        if "city" in levels and city is None:
            chosen = _pick(tuple(e for e in entries if e.level == "city"), province, None, None)
            if chosen is not None:
                city, province = chosen.adcode, chosen.province
                if chosen.name not in names:
                    names.append(chosen.name)
                continue
        districts = tuple(e for e in entries if e.level == "district")
        if districts:
            chosen = _pick(districts, province, city, city_hint)
            if chosen is None:
                continue
            names.append(chosen.name)
            return AddressMatch(chosen.city_adcode, chosen.adcode, chosen.reporting_unit, chosen.province or province,
                                "".join(names), chosen.city_adcode in covered)
    if city:
        return AddressMatch(city, None, None, province, "".join(names), city in covered)
    return AddressMatch(None, None, None, province, "".join(names), False)


def parse_addresses(texts: Iterable[str], city_hint: str | None = None) -> list[AddressMatch]:
    """:func:`parse_address` of each text (repeated addresses are parsed once)."""
    memo: dict[str, AddressMatch] = {}
    out = []
    for text in texts:
        key = str(text or "")
        if key not in memo:
            memo[key] = parse_address(key, city_hint)
        out.append(memo[key])
    return out
