"""A second process guessing passwords (for the lockout tests): ``python signin_worker.py URL NAME THREADS TRIES``.

Prints ``{"ready": true}``, waits for a line on stdin, then runs THREADS threads that each try
TRIES wrong passwords at once, and prints ``{"verified": N, "locked": M}``: how many passwords
this process actually had Argon2 verify, and how many attempts were refused as locked.
"""

import json
import sys
import threading

from carriermap import auth
from carriermap.store import Store


class CountingHasher:
    """Argon2 as before, counting each ``verify`` (thread-safe)."""

    def __init__(self, hasher):
        self.hasher = hasher
        self.count = 0
        self.lock = threading.Lock()

    def verify(self, stored, password):
        with self.lock:
            self.count += 1
        return self.hasher.verify(stored, password)

    def __getattr__(self, name):
        return getattr(self.hasher, name)


def guess(url: str, name: str, threads: int, tries: int, start: threading.Barrier | None = None) -> dict:
    """Run the guesses; ``{"verified", "locked"}`` for this process."""
    counter = CountingHasher(auth.HASHER)
    auth.HASHER = counter
    store = Store.open(url, seed=False)
    locked = []
    barrier = start or threading.Barrier(threads)

    def run(index: int) -> None:
        barrier.wait()
        for attempt in range(tries):
            try:
                auth.authenticate(store, name, f"wrong-{index}-{attempt}")
            except auth.AuthError as error:
                if error.key == "data.error.locked":
                    locked.append(1)

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    auth.HASHER = counter.hasher
    store.engine.dispose()
    return {"verified": counter.count, "locked": len(locked)}


if __name__ == "__main__":
    url, name, threads, tries = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    Store.open(url, seed=False).engine.dispose()
    print(json.dumps({"ready": True}), flush=True)
    sys.stdin.readline()
    print(json.dumps(guess(url, name, threads, tries)), flush=True)
