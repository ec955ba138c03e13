"""The station's state for the status bar, read off the GUI thread on a connection of its own.

Each watchlist's version and age, the outbox backlog and whether HQ answers its health probe:
one short read (WAL lets it run beside the writer) and at most one HTTP request with a short
timeout, gathered into one value the status bar shows as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx

from checkpoint.storage import open_database
from checkpoint.sync import outbox
from checkpoint.sync.outbox import OutboxSummary
from checkpoint.sync.probe import ProbeResult, probe
from checkpoint.watchlist.store import ListStatus, list_statuses

PROBE_TIMEOUT_S = 2.0


@dataclass(frozen=True)
class StationStatus:
    now: datetime
    lists: tuple[ListStatus, ...]
    outbox: OutboxSummary
    hq: ProbeResult | None
    """None when no HQ address is configured."""


def read_status(
    database: Path, hq_url: str | None, now: datetime | None = None, key: str | None = None
) -> StationStatus:
    """`key` opens an encrypted station's database (the logged-in session's)."""
    moment = now or datetime.now(UTC)
    db = open_database(database, key, migrate_schema=False)
    try:
        lists = tuple(list_statuses(db))
        backlog = outbox.summary(db.conn, moment)
    finally:
        db.conn.close()
    hq = None
    if hq_url:
        with httpx.Client(base_url=hq_url.rstrip("/"), timeout=PROBE_TIMEOUT_S) as client:
            hq = probe(client)
    return StationStatus(now=moment, lists=lists, outbox=backlog, hq=hq)
