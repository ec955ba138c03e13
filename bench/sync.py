"""Sync benchmark: 10,000 items queued while HQ is down, then HQ comes back.

    uv run python bench/sync.py [--items 10000] [--runs 3] [--postgres URL]

For each HQ store (SQLite, and PostgreSQL when a URL is given or CHECKPOINT_TEST_POSTGRES_URL
is set) and each batch size, a run queues the items in a fresh station database, starts the
uploader while nothing listens on HQ's port (it backs off and probes), then starts
`checkpoint hq serve` in its own process and times from the first successful health check
until the outbox is empty. Afterwards it counts, at HQ, the items lost (queued but absent)
and duplicated (stored more than once), and how many arrived more than once over the wire.
Times are medians of the runs; the ratio compares items per second with the peer, an
uploader sending one item per request (measured on a tenth of the items, same SQLite HQ).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from checkpoint.storage import open_database  # noqa: E402
from checkpoint.sync import outbox  # noqa: E402
from checkpoint.sync.backoff import BackoffPolicy  # noqa: E402
from checkpoint.sync.hq.auth import new_token, token_hash  # noqa: E402
from checkpoint.sync.hq.store import open_store  # noqa: E402
from checkpoint.sync.uploader import Uploader, UploaderSettings, on_connection  # noqa: E402


@dataclass(frozen=True)
class Run:
    queue_seconds: float
    drain_seconds: float
    lost: int
    duplicated: int
    resent: int


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def pending(database: Path) -> int:
    db = open_database(database)
    try:
        return outbox.summary(db.conn).pending
    finally:
        db.conn.close()


def postgres_schema(url: str) -> tuple[str, str]:
    import psycopg  # noqa: PLC0415

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in url else "?"
    return schema, f"{url}{separator}options=-csearch_path%3D{schema}"


def drop_schema(url: str, schema: str) -> None:
    import psycopg  # noqa: PLC0415

    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"DROP SCHEMA {schema} CASCADE")


def one_run(items: int, batch_size: int, hq_database: str, folder: Path) -> Run:
    station_db = folder / f"station-{uuid.uuid4().hex[:6]}.db"
    db = open_database(station_db)
    started = time.perf_counter()
    db.conn.execute("BEGIN")
    keys = [outbox.enqueue(db.conn, "hit", {"n": n, "name": f"TRAVELLER {n}"}).idempotency_key
            for n in range(items)]  # fmt: skip
    db.conn.execute("COMMIT")
    queue_seconds = time.perf_counter() - started

    store = open_store(hq_database)
    token = new_token()
    store.add_token("BENCH-01", token_hash(token))
    store.close()

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    settings = UploaderSettings(
        batch_size=batch_size, timeout=30.0, backoff=BackoffPolicy(base=0.05, cap=0.2)
    )
    uploader = Uploader(on_connection(db.conn), url, token, settings)
    worker = threading.Thread(target=uploader.run)
    worker.start()
    time.sleep(0.5)  # HQ is down: let the uploader fail and start probing
    assert pending(station_db) == items
    hq = subprocess.Popen(
        [sys.executable, "-m", "checkpoint", "--home", str(folder / "hq-home"), "hq", "serve",
         "--port", str(port), "--database", hq_database],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        while True:
            try:
                if httpx.get(f"{url}/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.01)
        back = time.perf_counter()
        while pending(station_db):
            time.sleep(0.01)
        drain_seconds = time.perf_counter() - back
    finally:
        uploader.stop()
        worker.join()
        uploader.close()
        db.conn.close()
        hq.terminate()
        hq.wait()
    store = open_store(hq_database)
    try:
        at_hq = store.keys("BENCH-01")
        deliveries = store.deliveries("BENCH-01")
    finally:
        store.close()
    return Run(
        queue_seconds=queue_seconds,
        drain_seconds=drain_seconds,
        lost=len(set(keys) - set(at_hq)),
        duplicated=len(at_hq) - len(set(at_hq)),
        resent=sum(1 for count in deliveries.values() if count > 1),
    )


def measure(name: str, items: int, batch: int, runs: int, postgres: str | None) -> list[Run]:
    results = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="bench-sync-") as scratch:
            folder = Path(scratch)
            if name == "postgres":
                assert postgres is not None
                schema, database = postgres_schema(postgres)
                try:
                    results.append(one_run(items, batch, database, folder))
                finally:
                    drop_schema(postgres, schema)
            else:
                results.append(one_run(items, batch, str(folder / "hq.db"), folder))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--batches", default="100,500", help="batch sizes to try")
    parser.add_argument("--postgres", default=os.environ.get("CHECKPOINT_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    batches = [int(b) for b in args.batches.split(",")]

    peer_items = max(1, args.items // 10)
    peer = measure("sqlite", peer_items, 1, args.runs, None)
    peer_rate = peer_items / statistics.median(r.drain_seconds for r in peer)

    rows = [("sqlite", 1, peer_items, peer)]
    stores = ["sqlite"] + (["postgres"] if args.postgres else [])
    for name in stores:
        for batch in batches:
            rows.append(
                (
                    name,
                    batch,
                    args.items,
                    measure(name, args.items, batch, args.runs, args.postgres),
                )
            )

    load = os.getloadavg()
    print(f"sync benchmark: median of {args.runs} runs; load average {load[0]:.1f} {load[1]:.1f}")
    print(f"peer: one item per request on SQLite HQ, {peer_items} items, {peer_rate:.0f} items/s")
    print()
    header = (
        f"{'HQ store':<9} {'batch':>5} {'items':>6} {'queue s':>8} {'drain s':>8} "
        f"{'items/s':>8} {'x peer':>7} {'lost':>5} {'dup':>4} {'resent':>6}"
    )
    print(header)
    print("-" * len(header))
    for name, batch, items, runs in rows:
        drain = statistics.median(r.drain_seconds for r in runs)
        queue = statistics.median(r.queue_seconds for r in runs)
        rate = items / drain
        print(
            f"{name:<9} {batch:>5} {items:>6} {queue:>8.2f} {drain:>8.2f} {rate:>8.0f} "
            f"{rate / peer_rate:>7.1f} {max(r.lost for r in runs):>5} "
            f"{max(r.duplicated for r in runs):>4} {max(r.resent for r in runs):>6}"
        )
    if not args.postgres:
        print("\n(PostgreSQL skipped: pass --postgres URL or run `source .ci/postgres.sh`.)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
