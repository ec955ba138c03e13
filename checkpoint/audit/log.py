"""Appending to the hash-chained audit log.

A row's hash covers its own fields and the previous row's hash; the first row chains to
`GENESIS`. Appending reads the head, inserts and moves the head in one transaction (joining
the caller's, so an action and its audit row commit together or not at all). The chain goes on
from the recorded head even when rows at the end are missing, so their deletion stays visible
as a gap instead of being papered over by the next row (see `checkpoint.audit.head`).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from checkpoint.accounts.roles import Principal
from checkpoint.audit.head import (
    Head,
    ensure_head_table,
    publish_head,
    read_table_head,
    write_table_head,
)
from checkpoint.storage.transaction import transaction

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    actor: str
    role: str
    action: str
    subject: str
    details: dict[str, Any]
    prev_hash: str
    hash: str


def row_hash(
    prev_hash: str,
    *,
    seq: int,
    at: str,
    actor: str,
    role: str,
    action: str,
    subject: str,
    details_json: str,
) -> str:
    """The chained hash of one row (what verification recomputes)."""
    body = json.dumps(
        [seq, at, actor, role, action, subject, details_json],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()


def record(
    conn: sqlite3.Connection,
    actor: Principal,
    action: str,
    subject: str = "",
    details: dict[str, Any] | None = None,
    *,
    at: datetime | None = None,
) -> AuditEntry:
    """Append one row: `action` is a dotted verb (`login`, `hit.view`, `settings.change`),
    `subject` the record it concerns (a hit id, a list id, a username).

    The row and the new head commit with the caller's transaction; when the call has a
    transaction of its own, the head is also copied beside the database after the commit
    (callers that own a larger transaction call `publish_head` after theirs).
    """
    moment = (at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="microseconds")
    details_json = json.dumps(details or {}, ensure_ascii=False, sort_keys=True)
    owns_transaction = not conn.in_transaction
    with transaction(conn, "audit"):
        ensure_head_table(conn)
        head = _head(conn)
        seq, prev_hash = head.seq + 1, head.hash
        digest = row_hash(
            prev_hash,
            seq=seq,
            at=moment,
            actor=actor.username,
            role=actor.role.value,
            action=action,
            subject=subject,
            details_json=details_json,
        )
        conn.execute(
            "INSERT INTO audit_log (seq, at, actor, role, action, subject, details, prev_hash,"
            " hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                seq,
                moment,
                actor.username,
                actor.role.value,
                action,
                subject,
                details_json,
                prev_hash,
                digest,
            ),
        )
        write_table_head(conn, Head(seq, digest))
    if owns_transaction:
        publish_head(conn)
    return AuditEntry(
        seq,
        moment,
        actor.username,
        actor.role.value,
        action,
        subject,
        details or {},
        prev_hash,
        digest,
    )


def _head(conn: sqlite3.Connection) -> Head:
    """Where the chain goes on: the last row, or the recorded head if rows after it are gone."""
    last = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    head = Head(int(last[0]), str(last[1])) if last else Head(0, GENESIS)
    recorded = read_table_head(conn)
    return recorded if recorded is not None and recorded.seq > head.seq else head
