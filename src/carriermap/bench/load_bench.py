"""Benchmark section ``load``: many viewers at once on one server, measured without a browser each.

Each viewer is a lightweight client speaking Streamlit's own websocket protocol (the
``BackMsg``/``ForwardMsg`` protobufs the browser sends): it opens a session, asks for a run of
the map page with a city in the query string, and waits for ``script_finished``; then it keeps
asking for reruns with other filters (what a visitor clicking filters causes). So the server,
not a crowd of browsers, is what is measured on this 2-core machine.

For each number of concurrent sessions it reports rerun latency p50/p95, errors, the server's
resident memory, and, with writers editing carriers through the library at the same time, how
many writes were made and whether every one of them is in the history afterwards. The last row
gives the sessions per core held with p95 under 2 s. Bounded: each level runs for
``SECONDS`` and every client stops by itself; only loopback addresses are used.

``--replicas 2`` also runs the bundled data on PostgreSQL + PostGIS (the ``--database`` given,
or a throwaway local cluster) with that many app servers sharing the database, each viewer
staying on one server (what sticky sessions behind the proxy do): the scale-out path of
docs/deploy.md, measured on this one machine.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import numpy as np

from carriermap.bench.server import RunningApp, start_app, stop_app

CITY = "440100"
LEVELS = (5, 10, 20, 40)
QUICK_LEVELS = (2, 4)
SECONDS = 30.0
QUICK_SECONDS = 8.0
WRITERS = 2
TARGET_P95_S = 2.0
FILTERS = ("", "&type=incubator", "&level=national", "&type=maker_space&level=provincial", "&q=科技")


def _rerun_message(query: str) -> bytes:
    from streamlit.proto.BackMsg_pb2 import BackMsg

    message = BackMsg()
    message.rerun_script.query_string = query
    message.rerun_script.page_name = ""
    return message.SerializeToString()


async def _finished(socket) -> None:
    """Read forward messages until the script run ends; raise when it ended with an exception."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    while True:
        message = ForwardMsg.FromString(await socket.recv())
        kind = message.WhichOneof("type")
        if kind == "delta" and message.delta.new_element.WhichOneof("type") == "exception":
            raise RuntimeError("the page drew an exception")
        if kind == "script_finished":
            return


async def _viewer(url: str, number: int, stop_at: float, latencies: list[float], errors: list[str]) -> None:
    import websockets

    stream = url.replace("http://", "ws://") + "/_stcore/stream"
    try:
        async with websockets.connect(stream, subprotocols=["streamlit"], max_size=None,
                                      open_timeout=60, ping_interval=None) as socket:
            run = 0
            while time.monotonic() < stop_at:
                query = f"city={CITY}{FILTERS[(number + run) % len(FILTERS)]}"
                start = time.perf_counter()
                await socket.send(_rerun_message(query))
                await asyncio.wait_for(_finished(socket), timeout=120)
                latencies.append(time.perf_counter() - start)
                run += 1
    except Exception as error:  # a refused, dropped or failing session is what this counts
        errors.append(f"{type(error).__name__}: {error}"[:200])


def rss_with_sessions(app: RunningApp, count: int, query: str = f"city={CITY}") -> int:
    """Server memory (bytes) while ``count`` sessions are open, each having run the map page once."""
    import websockets

    async def hold() -> int:
        stream = app.url.replace("http://", "ws://") + "/_stcore/stream"
        sockets = []
        try:
            for _ in range(count):
                socket = await websockets.connect(stream, subprotocols=["streamlit"], max_size=None,
                                                  open_timeout=120, ping_interval=None)
                sockets.append(socket)
                await socket.send(_rerun_message(query))
                await asyncio.wait_for(_finished(socket), timeout=600)
            return app.rss_bytes()
        finally:
            for socket in sockets:
                await socket.close()

    with ThreadPoolExecutor(1) as pool:  # its own event loop, also when the caller runs one (Playwright)
        return pool.submit(lambda: asyncio.run(hold())).result()


def _writer(db_url: str, stop: threading.Event, made: list[int], failed: list[str]) -> None:
    """Edit the free space of Guangzhou carriers through the library until told to stop."""
    from carriermap import versions
    from carriermap.store import Store

    store = Store.open(db_url, seed=False)
    rng = np.random.default_rng(threading.get_ident() % 2**32)
    ids = store.carriers(CITY, columns=["id"])["id"].tolist()
    try:
        while not stop.is_set():
            carrier_id = int(rng.choice(ids))
            try:
                record = store.carrier(carrier_id)
                total = float(record.get("total_area_m2") or 0.0)
                free = round(total * float(rng.uniform(0, 0.5)), 1) if total else 0.0
                changeset = versions.edit_carrier(store, carrier_id, {"available_m2": free},
                                                  actor="load-writer", expected_version=record["version"])
                if changeset is not None:
                    made.append(int(changeset))
            except Exception as error:  # a conflict or "busy" is reported, not fatal
                failed.append(type(error).__name__)
            time.sleep(0.2)
    finally:
        store.engine.dispose()


def _written_in_history(db_url: str, changesets: list[int]) -> bool:
    from carriermap.store import Store

    store = Store.open(db_url, seed=False)
    try:
        recorded = set(store.changesets(limit=len(changesets) + 1000)["id"].astype(int))
    finally:
        store.engine.dispose()
    return set(changesets) <= recorded


def _level(apps: list[RunningApp], sessions: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    made: list[int] = []
    failed: list[str] = []
    stop = threading.Event()
    db_url = apps[0].db_url
    writers = [threading.Thread(target=_writer, args=(db_url, stop, made, failed), daemon=True)
               for _ in range(WRITERS)]
    for thread in writers:
        thread.start()
    peak = [sum(app.rss_bytes() for app in apps)]

    async def crowd() -> None:
        stop_at = time.monotonic() + seconds
        tasks = [asyncio.create_task(_viewer(apps[n % len(apps)].url, n, stop_at, latencies, errors))
                 for n in range(sessions)]
        while not all(task.done() for task in tasks):
            peak[0] = max(peak[0], sum(app.rss_bytes() for app in apps))
            await asyncio.sleep(0.5)

    asyncio.run(crowd())
    stop.set()
    for thread in writers:
        thread.join(timeout=30)
    ms = np.asarray(latencies) if latencies else np.asarray([np.nan])
    return {"sessions": sessions, "reruns": len(latencies),
            "rerun_p50_s": round(float(np.percentile(ms, 50)), 2), "rerun_p95_s": round(float(np.percentile(ms, 95)), 2),
            "errors": len(errors), "first_error": errors[0] if errors else "", "peak_rss_mb": round(peak[0] / 2**20, 1),
            "writes": len(made), "write_refusals": len(failed),
            "refusal_kinds": ",".join(sorted(set(failed))),
            "writes_all_in_history": _written_in_history(db_url, made)}


def _database(directory: Path, n: int | None) -> str:
    """The bundled data (``n`` None) or ``n`` synthetic Guangzhou carriers, in a new SQLite file."""
    from carriermap.store import Store

    path = directory / f"load-{n or 'bundled'}.sqlite"
    if n is None:
        Store.open(f"sqlite:///{path}").engine.dispose()
    else:
        from carriermap.bench.postgis_bench import load_sqlite, synthetic_carriers

        load_sqlite(path, synthetic_carriers(n, city_adcode=CITY))[0].engine.dispose()
    return f"sqlite:///{path}"


def _levels_rows(apps: list[RunningApp], data: str, levels: tuple[int, ...], seconds: float) -> list[dict]:
    """Rows for each number of sessions, then a summary row (sessions per core under the target)."""
    _level(apps, 1, 5.0)  # warm-up: imports and the shared caches of each process
    cores = os.cpu_count() or 1
    where = f"{len(apps)} app server{'s' if len(apps) > 1 else ''}, " + ("PostGIS" if "postgresql" in apps[0].db_url
                                                                         else "SQLite")
    rows = [{"data": data, "servers": where, "measures": "the server alone (websocket clients, map page)",
             **_level(apps, sessions, seconds)} for sessions in levels]
    held = [r["sessions"] for r in rows if r["rerun_p95_s"] < TARGET_P95_S and not r["errors"]]
    rows.append({"data": data, "servers": where, "summary": f"p95 rerun < {TARGET_P95_S:g} s up to "
                 f"{max(held, default=0)} sessions = {max(held, default=0) / cores:g} sessions per core ({cores} cores)"})
    return rows


def _postgres_database(options, stack: ExitStack) -> str:
    """The ``--database`` given, or a new one on a throwaway local cluster; filled from ``data/`` if empty."""
    from carriermap.bench.postgis_bench import postgres_url
    from carriermap.store import Store

    url, _where = postgres_url(options, stack)
    Store.open(url).engine.dispose()
    return url


def run(options) -> list[dict]:
    """Rows per (data size, concurrent sessions), then one summary row per data size."""
    quick = getattr(options, "quick", False)
    levels, seconds = (QUICK_LEVELS, QUICK_SECONDS) if quick else (LEVELS, SECONDS)
    sizes: tuple[int | None, ...] = (None,) if quick else (None, 100_000)
    replicas = int(getattr(options, "replicas", 1) or 1)
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="carriermap-load-") as scratch, ExitStack() as stack:
        plans: list[tuple[str, str, int]] = [
            ("bundled" if n is None else f"{n:,} synthetic", _database(Path(scratch), n), 1) for n in sizes]
        if replicas > 1:
            plans.append(("bundled", _postgres_database(options, stack), replicas))
        for data, db_url, count in plans:
            apps = [start_app(Path(scratch), db_url, timeout_s=120) for _ in range(count)]
            try:
                rows.extend(_levels_rows(apps, data, levels, seconds))
            finally:
                for app in apps:
                    stop_app(app.process)
    return rows
