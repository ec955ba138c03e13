"""The Outbox page's actions: the backlog and HQ's reachability, pages of owed items, and one
upload pass now (audited as `outbox.retry`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import httpx

from checkpoint.accounts import Permission, StationSession
from checkpoint.audit import record
from checkpoint.config import load_settings
from checkpoint.errors import CheckpointError
from checkpoint.sync import outbox
from checkpoint.sync.outbox import OutboxItem, OutboxState, OutboxSummary
from checkpoint.sync.probe import ProbeResult, probe
from checkpoint.sync.station_token import load_token
from checkpoint.sync.uploader import Uploader, UploaderSettings, on_connection
from checkpoint.ui.admin.operations.station import station_database

PROBE_TIMEOUT_S = 3.0


@dataclass(frozen=True)
class OutboxOverview:
    summary: OutboxSummary
    hq_url: str | None
    hq: ProbeResult | None
    """None when no HQ address is set."""


@dataclass(frozen=True)
class RetryOutcome:
    requeued: int
    sent: int
    duplicates: int
    failed: int
    trouble: str | None


def outbox_overview(session: StationSession, now: datetime | None = None) -> OutboxOverview:
    """The backlog, and whether HQ answers its health probe (one short request)."""
    session.require(Permission.MANAGE_OUTBOX)
    with station_database(session) as db:
        summary = outbox.summary(db.conn, now)
    hq_url = load_settings(session.home).hq_url
    result = None
    if hq_url:
        with httpx.Client(base_url=hq_url.rstrip("/"), timeout=PROBE_TIMEOUT_S) as client:
            result = probe(client)
    return OutboxOverview(summary, hq_url, result)


def owed_items(session: StationSession, offset: int, limit: int) -> list[OutboxItem]:
    """One page of the failed, then pending, items (the outbox table is read page by page)."""
    session.require(Permission.MANAGE_OUTBOX)
    with station_database(session) as db:
        failed = outbox.summary(db.conn).failed
        found = outbox.items(db.conn, OutboxState.FAILED, limit, offset=offset)
        if len(found) < limit:
            found += outbox.items(
                db.conn,
                OutboxState.PENDING,
                limit - len(found),
                offset=max(0, offset - failed),
            )
    return found


def retry_outbox(session: StationSession, *, requeue_failed: bool = False) -> RetryOutcome:
    """One upload pass now (optionally putting refused items back in the queue first)."""
    session.require(Permission.MANAGE_OUTBOX)
    settings = load_settings(session.home)
    if not settings.hq_url:
        raise CheckpointError("No HQ address is set: enter it on the Settings page first.")
    token = load_token(session.home)
    with station_database(session) as db:
        requeued = outbox.retry_failed(db.conn) if requeue_failed else 0
        with Uploader(
            on_connection(db.conn),
            settings.hq_url,
            token,
            UploaderSettings(),
            station_id=settings.station_id,
        ) as uploader:
            report = uploader.drain()
            trouble = None if report.trouble is None else str(uploader.error_for(report.trouble))
        outcome = RetryOutcome(requeued, report.sent, report.duplicates, report.failed, trouble)
        record(
            db.conn,
            session.principal,
            "outbox.retry",
            settings.hq_url,
            {
                "requeued": requeued,
                "sent": report.sent,
                "duplicates": report.duplicates,
                "failed": report.failed,
                "trouble": trouble,
            },
        )
    return outcome
