"""The benchmark: our approach side by side with the naive one and the usual alternative.

Each section is a module with ``run(options) -> list[dict]``; :data:`SECTIONS` maps the
section name to its module. ``python -m carriermap bench [--only NAME]`` runs them.
Speed is measured here, never asserted in tests (the machines are shared and noisy).
"""

from __future__ import annotations

SECTIONS: dict[str, str] = {
    "map": "carriermap.bench.map_bench",
    "nearby": "carriermap.bench.nearby_bench",
    "districts": "carriermap.bench.districts",
    "import": "carriermap.bench.import_bench",
    "postgis": "carriermap.bench.postgis_bench",
    "page": "carriermap.bench.page_bench",
    "pages": "carriermap.bench.pages_bench",
    "export": "carriermap.bench.export_bench",
    "load": "carriermap.bench.load_bench",
    "addresses": "carriermap.bench.address_bench",
}
