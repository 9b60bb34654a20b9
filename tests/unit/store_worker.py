"""A second app process for the store tests: reads commands on stdin, answers one JSON line each.

Run as ``python tests/unit/store_worker.py URL``. Commands: ``read ID`` (version, contact and the
data version), ``write ID VERSION CONTACT`` (an update checked against VERSION: ``ok`` or
``conflict`` with the current contact), ``quit``.
"""

import json
import sys

from carriermap.store import ConflictError, Store
from carriermap.store.repository import Update


def main(url: str) -> None:
    store = Store.open(url)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        command, *args = line.split()
        if command == "read":
            carrier = store.carrier(int(args[0]))
            answer = {"version": carrier["version"], "contact": carrier["contact"], "data_version": store.data_version()}
        elif command == "write":
            carrier_id, version, contact = int(args[0]), int(args[1]), args[2]
            try:
                store.apply(actor=contact, kind="edit",
                            updates=[Update(carrier_id, {"contact": contact}, expected_version=version)])
                answer = {"outcome": "ok"}
            except ConflictError as error:
                answer = {"outcome": "conflict", "current": (error.current or {}).get("contact")}
        else:
            break
        print(json.dumps(answer), flush=True)
    store.engine.dispose()


if __name__ == "__main__":
    main(sys.argv[1])
