"""The outbox: what the station recorded and still owes HQ, kept in the station database.

Repository functions over an open connection, so whoever records a hit or a decision adds
its outbox item in the same transaction: either both are stored or neither is, and nothing
recorded is ever missing from the queue. Each item carries an idempotency key that HQ
de-duplicates on, which is what makes at-least-once sending take effect exactly once. The
queue lives in the database, so it survives restarts and crashes; the table comes from the
`outbox` migration step in `checkpoint.storage.migrations`.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from checkpoint.storage.transaction import transaction

TABLE = "outbox"


class OutboxState(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    """Failed permanently: HQ refused the item itself; it is kept, never retried on its own."""


@dataclass(frozen=True)
class OutboxItem:
    id: int
    idempotency_key: str
    kind: str
    payload: Mapping[str, Any]
    created: datetime
    state: OutboxState
    attempts: int
    last_error: str | None
    last_attempt: datetime | None
    sent_at: datetime | None


@dataclass(frozen=True)
class Outcome:
    """What one upload attempt did to one item."""

    item_id: int
    state: OutboxState
    error: str | None = None


@dataclass(frozen=True)
class OutboxSummary:
    pending: int
    failed: int
    sent: int
    oldest_pending: datetime | None
    now: datetime

    @property
    def oldest_pending_age(self) -> float | None:
        """Seconds since the oldest pending item was recorded, if any is pending."""
        if self.oldest_pending is None:
            return None
        return max(0.0, (self.now - self.oldest_pending).total_seconds())


def utc_now() -> datetime:
    return datetime.now(UTC)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _moment(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


_COLUMNS = (
    "id, idempotency_key, kind, payload, created, state, attempts, last_error, last_attempt, "
    "sent_at"
)


def _item(row: Sequence[Any]) -> OutboxItem:
    created = _moment(row[4])
    assert created is not None
    return OutboxItem(
        id=int(row[0]),
        idempotency_key=str(row[1]),
        kind=str(row[2]),
        payload=json.loads(row[3]),
        created=created,
        state=OutboxState(row[5]),
        attempts=int(row[6]),
        last_error=row[7],
        last_attempt=_moment(row[8]),
        sent_at=_moment(row[9]),
    )


def new_key() -> str:
    """A fresh idempotency key, for items that have no natural identity of their own."""
    return uuid.uuid4().hex


def enqueue(
    conn: sqlite3.Connection,
    kind: str,
    payload: Mapping[str, Any],
    *,
    key: str | None = None,
    created: datetime | None = None,
) -> OutboxItem:
    """Queue one item for HQ, inside the caller's transaction when one is open.

    Give `key` when the item has a natural identity (e.g. ``"hit:<hit id>"``): queueing the
    same key again returns the item already queued instead of adding a second one.
    """
    idempotency_key = key or new_key()
    text = json.dumps(dict(payload), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    moment = created or utc_now()
    with transaction(conn, savepoint="outbox"):
        conn.execute(
            f"INSERT INTO {TABLE} (idempotency_key, kind, payload, created, state, attempts) "
            "VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT (idempotency_key) DO NOTHING",
            (idempotency_key, kind, text, _stamp(moment), OutboxState.PENDING.value),
        )
        row = conn.execute(
            f"SELECT {_COLUMNS} FROM {TABLE} WHERE idempotency_key = ?", (idempotency_key,)
        ).fetchone()
    return _item(row)


def get(conn: sqlite3.Connection, key: str) -> OutboxItem | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM {TABLE} WHERE idempotency_key = ?", (key,)
    ).fetchone()
    return None if row is None else _item(row)


def pending(conn: sqlite3.Connection, limit: int) -> list[OutboxItem]:
    """The oldest pending items, oldest first (HQ receives them in the order recorded)."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM {TABLE} WHERE state = ? ORDER BY id LIMIT ?",
        (OutboxState.PENDING.value, limit),
    ).fetchall()
    return [_item(row) for row in rows]


def items(
    conn: sqlite3.Connection,
    state: OutboxState | None = None,
    limit: int = 100,
    *,
    offset: int = 0,
) -> list[OutboxItem]:
    """Items in one state (or any), oldest first, skipping the first `offset` (a page)."""
    if state is None:
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM {TABLE} ORDER BY id LIMIT ? OFFSET ?", (limit, offset)
        ).fetchall()
    else:
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM {TABLE} WHERE state = ? ORDER BY id LIMIT ? OFFSET ?",
            (state.value, limit, offset),
        ).fetchall()
    return [_item(row) for row in rows]


def record_attempt(
    conn: sqlite3.Connection, outcomes: Sequence[Outcome], now: datetime | None = None
) -> None:
    """Store what one upload attempt did: every item's attempt count, error and new state."""
    stamp = _stamp(now or utc_now())
    pending_state = OutboxState.PENDING.value
    sent = [
        (stamp, stamp, o.error, o.item_id, pending_state)
        for o in outcomes
        if o.state is OutboxState.SENT
    ]
    others = [
        (o.state.value, stamp, o.error, o.item_id, pending_state)
        for o in outcomes
        if o.state is not OutboxState.SENT
    ]
    # Only pending items change: a late or repeated answer never undoes a decided item.
    with transaction(conn, savepoint="outbox"):
        conn.executemany(
            f"UPDATE {TABLE} SET state = 'sent', attempts = attempts + 1, last_attempt = ?, "
            "sent_at = ?, last_error = ? WHERE id = ? AND state = ?",
            sent,
        )
        conn.executemany(
            f"UPDATE {TABLE} SET state = ?, attempts = attempts + 1, last_attempt = ?, "
            "last_error = ? WHERE id = ? AND state = ?",
            others,
        )


def retry_failed(conn: sqlite3.Connection) -> int:
    """Put every permanently failed item back in the queue (after HQ or the data was fixed)."""
    with transaction(conn, savepoint="outbox"):
        cursor = conn.execute(
            f"UPDATE {TABLE} SET state = ? WHERE state = ?",
            (OutboxState.PENDING.value, OutboxState.FAILED.value),
        )
    return int(cursor.rowcount)


def purge_sent(conn: sqlite3.Connection, before: datetime) -> int:
    """Delete items HQ confirmed before `before`: HQ holds them, the station need not."""
    with transaction(conn, savepoint="outbox"):
        cursor = conn.execute(
            f"DELETE FROM {TABLE} WHERE state = ? AND sent_at < ?",
            (OutboxState.SENT.value, _stamp(before)),
        )
    return int(cursor.rowcount)


def summary(conn: sqlite3.Connection, now: datetime | None = None) -> OutboxSummary:
    """How many items are pending, failed and sent, and when the oldest pending one was made."""
    counts = dict.fromkeys(OutboxState, 0)
    for state, count in conn.execute(f"SELECT state, count(*) FROM {TABLE} GROUP BY state"):
        counts[OutboxState(state)] = int(count)
    row = conn.execute(
        f"SELECT min(created) FROM {TABLE} WHERE state = ?",
        (OutboxState.PENDING.value,),
    ).fetchone()
    return OutboxSummary(
        pending=counts[OutboxState.PENDING],
        failed=counts[OutboxState.FAILED],
        sent=counts[OutboxState.SENT],
        oldest_pending=_moment(row[0]),
        now=now or utc_now(),
    )
