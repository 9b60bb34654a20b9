"""Review before publishing (a setting per city, off by default).

When a city requires review, an operator's change goes to the district official of that
carrier, and a district official's change of level, reporting unit or status goes to the city
official; the reviewer approves (the change is then written, as a versioned change set) or sends
it back with a reason. The carriers table holds only approved data, so public pages and the
quarterly freeze never see a pending change.

* :mod:`~carriermap.review.rules` — who reviews what (on top of :mod:`carriermap.permissions`);
* :mod:`~carriermap.review.settings` — review on or off per city;
* :mod:`~carriermap.review.queue` — submit, list, approve, reject, and undo of each step.
"""
