"""How current a carrier's changeable facts are: confirmations, day counts and staleness.

* :mod:`~carriermap.freshness.facts` — which facts a confirmation covers, and the stamp every
  write of them gets (used by the store, so imports, edits and approvals all confirm);
* :mod:`~carriermap.freshness.settings` — the thresholds per city (``data/cities.json``);
* :mod:`~carriermap.freshness.age` — day counts with an injected clock, labels, find-space ranking;
* :mod:`~carriermap.freshness.confirm` — the one-click "still accurate" confirmation.

This ``__init__`` imports nothing, so the store can import :mod:`facts` without a cycle.
"""
