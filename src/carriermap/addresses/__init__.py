"""Where an address is, offline: city and district parsed from the text of a Chinese address.

The product's own parser (:mod:`.parser`) is keyed on the boundaries' own names and adcodes
(``geo/districts.geojson``, ``data/cities.json`` with its zones), a small table of former and
informal names (``data/district_aliases.csv``) and every province, city and county of China
(``data/admin_names.csv``, so an address in another city is recognised as such). Measured
against ``cpca`` on the benchmark's held-out addresses (see ``carriermap.bench.address_bench``).
"""

from carriermap.addresses.parser import AddressMatch, parse_address, parse_addresses

__all__ = ["AddressMatch", "parse_address", "parse_addresses"]
