"""The head of the audit chain, kept where deleting the last rows cannot take it along.

A hash chain shows an edited, deleted or reordered row by the break it leaves in the rows
after it, but deleting the last rows leaves no row after them. So the chain's head (the last
seq and its hash) is kept twice outside the chain:

- in the table `audit_head`, updated in the same transaction as every appended row, so it is
  exactly right whenever the database is consistent; deleting rows at the end leaves it naming
  a row that is gone;
- in a JSON file beside the database (`checkpoint.audit-head.json` for `checkpoint.db`),
  written after a commit, so it may lag behind but is never ahead of what was committed;
  it catches the tail deleted together with the table's head, and an older copy of the
  whole database put back in place of the current one.

The file only ever moves forward, and only while it agrees with the rows it names: a file
that disagrees is kept as the evidence it is.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from checkpoint.errors import CheckpointError
from checkpoint.files import write_atomically

log = logging.getLogger("checkpoint.audit")

# Also created by a migration step; kept here, IF NOT EXISTS, for a database migrated by a
# Checkpoint that predates that step.
HEAD_TABLE_SQL = (
    "CREATE TABLE IF NOT EXISTS audit_head ("
    "id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL)"
)


class AuditHeadError(CheckpointError):
    """The copy of the audit head beside the database cannot be read."""


@dataclass(frozen=True)
class Head:
    """The last row of the chain: its seq and its hash."""

    seq: int
    hash: str


def ensure_head_table(conn: sqlite3.Connection) -> None:
    conn.execute(HEAD_TABLE_SQL)


def read_table_head(conn: sqlite3.Connection) -> Head | None:
    """The head recorded in the database, or None when none was ever recorded."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_head'"
    ).fetchone()
    if not exists:
        return None
    row = conn.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
    return None if row is None else Head(int(row[0]), str(row[1]))


def write_table_head(conn: sqlite3.Connection, head: Head) -> None:
    """Record `head` (inside the caller's transaction, with the row it names)."""
    conn.execute(
        "INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
        (head.seq, head.hash),
    )


def head_file(conn: sqlite3.Connection) -> Path | None:
    """Where the copy of the head lives for this connection's database (None in memory)."""
    for row in conn.execute("PRAGMA database_list").fetchall():
        if row[1] == "main" and row[2]:
            database = Path(row[2])
            return database.with_name(f"{database.stem}.audit-head.json")
    return None


def read_file_head(path: Path) -> Head | None:
    """The head copied to `path`, or None when there is no copy yet."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise AuditHeadError(f"{path} cannot be read ({exc}): check the file's rights.") from exc
    try:
        document = json.loads(text)
        return Head(int(document["seq"]), str(document["hash"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise AuditHeadError(
            f"{path} does not hold an audit head: keep it as evidence and verify the log."
        ) from exc


def publish_head(conn: sqlite3.Connection) -> None:
    """Copy the committed head to the file beside the database, if that moves it forward.

    Call outside any transaction (what is read must be committed). A failure to write is
    logged, not raised: the action it follows is already committed, and the table's head
    still protects the chain.
    """
    path = head_file(conn)
    if path is None or conn.in_transaction:
        return
    last = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    if last is None:
        return
    head = Head(int(last[0]), str(last[1]))
    try:
        current = read_file_head(path)
    except AuditHeadError:
        return
    if current is not None and not _file_agrees(conn, current, head):
        return
    try:
        _write_head_copy(path, head)
    except OSError:
        log.warning("could not copy the audit head to %s", path, exc_info=True)


def _file_agrees(conn: sqlite3.Connection, current: Head, head: Head) -> bool:
    """Whether `current` is an earlier head of this very chain (so it may be replaced)."""
    if current.seq >= head.seq:
        return False
    row = conn.execute("SELECT hash FROM audit_log WHERE seq = ?", (current.seq,)).fetchone()
    if row is not None:
        return str(row[0]) == current.hash
    # A row that is gone is fine only when retention purged it: it lies before the first row.
    first = conn.execute("SELECT min(seq) FROM audit_log").fetchone()[0]
    return first is not None and current.seq < int(first)


def _write_head_copy(path: Path, head: Head) -> None:
    text = json.dumps({"seq": head.seq, "hash": head.hash}) + "\n"
    write_atomically(path, text)
