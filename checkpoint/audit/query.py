"""Reading the audit log: rows in seq order, filtered by time, action and actor.

Screens and commands read the log through this function rather than their own SQL, so the
log's tables stay the audit package's business.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from typing import Any

from checkpoint.audit.log import AuditEntry


def list_entries(
    conn: sqlite3.Connection,
    *,
    since: datetime | None = None,
    action: str | None = None,
    actor: str | None = None,
    limit: int | None = None,
) -> list[AuditEntry]:
    """Rows written at or after `since`, oldest first.

    `action` matches the action itself or, when it names a group (`hit`, `user`), every
    action in it (`hit.view`, `hit.decide`, ...).
    """
    where: list[str] = []
    values: list[object] = []
    if since is not None:
        where.append("at >= ?")
        values.append(since.astimezone(UTC).isoformat(timespec="microseconds"))
    if action:
        where.append("(action = ? OR substr(action, 1, ?) = ?)")
        values += [action, len(action) + 1, f"{action}."]
    if actor:
        where.append("actor = ?")
        values.append(actor)
    sql = "SELECT seq, at, actor, role, action, subject, details, prev_hash, hash FROM audit_log"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY seq"
    if limit is not None:
        sql += " LIMIT ?"
        values.append(limit)
    return [
        AuditEntry(
            seq=int(row[0]),
            at=str(row[1]),
            actor=str(row[2]),
            role=str(row[3]),
            action=str(row[4]),
            subject=str(row[5]),
            details=_details(str(row[6])),
            prev_hash=str(row[7]),
            hash=str(row[8]),
        )
        for row in conn.execute(sql, values)
    ]


def _details(text: str) -> dict[str, Any]:
    """The row's details; an edited row whose details are no longer JSON is still listed."""
    try:
        value = json.loads(text)
    except ValueError:
        return {"unreadable": text}
    return value if isinstance(value, dict) else {"unreadable": text}
