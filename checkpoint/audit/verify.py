"""Verifying the audit chain: recompute every hash and say where the chain breaks.

Each row's hash covers its seq, its fields and the previous row's hash, so:

- an edited row no longer matches its own hash;
- a row whose hash was recomputed after the edit no longer matches what the next row
  recorded as its predecessor;
- a deleted row leaves a gap in the seqs (the rows are numbered without holes);
- swapped rows each match their hash only at the other's seq;
- deleted rows at the end leave the head (`checkpoint.audit.head`) naming a row that is gone;
- rows removed by retention are accounted for by the purge's own row, which names the last
  purged seq and its hash: the chain is verified from there.

Rows are read in one pass in seq order, so a log of millions of rows is checked in bounded
memory.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checkpoint.audit.head import AuditHeadError, Head, head_file, read_file_head, read_table_head
from checkpoint.audit.log import GENESIS, row_hash

PURGE_ACTION = "retention.purge"
# How far from its place a row is looked for when its hash fits another seq (a reorder),
# and for how many broken rows: past that, a wholesale rewrite is just reported row by row.
REORDER_WINDOW = 256
REORDER_LOOKUPS = 32


@dataclass(frozen=True)
class Problem:
    """One break in the chain: the first seq it concerns and one sentence saying what."""

    seq: int
    message: str


@dataclass(frozen=True)
class VerifyResult:
    rows: int
    first_seq: int | None
    last_seq: int | None
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "rows": self.rows,
            "first_seq": self.first_seq,
            "last_seq": self.last_seq,
            "problems": [{"seq": p.seq, "problem": p.message} for p in self.problems],
        }


@dataclass(frozen=True)
class _Row:
    seq: int
    at: str
    actor: str
    role: str
    action: str
    subject: str
    details: str
    prev_hash: str
    hash: str

    def hash_at(self, seq: int) -> str:
        """The hash this row's fields would have at `seq`."""
        return row_hash(
            self.prev_hash,
            seq=seq,
            at=self.at,
            actor=self.actor,
            role=self.role,
            action=self.action,
            subject=self.subject,
            details_json=self.details,
        )


def verify(
    conn: sqlite3.Connection, *, head_copy: Path | None = None, through_seq: int | None = None
) -> VerifyResult:
    """Check the whole audit log of `conn`'s database.

    `head_copy` is the file holding the copy of the head (by default the one beside the
    database); a missing file is not a problem, since it is written after the fact.
    Everything is read in one snapshot, so rows appended meanwhile are not taken for tampering;
    called inside the caller's transaction, that transaction must hold the write lock
    (`BEGIN IMMEDIATE`, as a purge does), or a copy written since it began could look ahead.
    With `through_seq`, only the rows up to it are checked, not the end of the log (what a
    purge is about to remove, and the row that must follow it).
    """
    path = head_copy or head_file(conn)
    # The copy is written after its row commits: read before the snapshot starts, it never
    # names a row the snapshot lacks.
    try:
        copy: Head | Problem | None = read_file_head(path) if path else None
    except AuditHeadError as exc:
        copy = Problem(0, str(exc))
    if conn.in_transaction:
        return _verify(conn, copy, path, through_seq)
    conn.execute("BEGIN")
    try:
        return _verify(conn, copy, path, through_seq)
    finally:
        conn.execute("ROLLBACK")


def _verify(
    conn: sqlite3.Connection,
    copy: Head | Problem | None,
    path: Path | None,
    through_seq: int | None,
) -> VerifyResult:
    problems: list[Problem] = []
    count = 0
    first: _Row | None = None
    previous: _Row | None = None
    previous_broken = False
    broken = 0
    for row in _rows(conn, through_seq):
        count += 1
        if previous is None:
            first = row
            problems += _check_start(conn, row)
        elif row.seq != previous.seq + 1:
            problems.append(_gap(previous.seq + 1, row.seq - 1, "deleted"))
        own = _check_row(conn, row, look_for_moves=broken < REORDER_LOOKUPS)
        broken += own is not None
        if own is not None:
            problems.append(own)
        elif (
            previous is not None
            and row.seq == previous.seq + 1
            and not previous_broken
            and row.prev_hash != previous.hash
        ):
            problems.append(
                Problem(
                    previous.seq,
                    f"row {previous.seq} was replaced: row {row.seq} records another row "
                    "before it.",
                )
            )
        previous_broken = own is not None
        previous = row
    last = previous
    if through_seq is None:
        problems += _check_tail(conn, last, first, copy, path)
    return VerifyResult(
        rows=count,
        first_seq=first.seq if first else None,
        last_seq=last.seq if last else None,
        problems=tuple(problems),
    )


def _rows(conn: sqlite3.Connection, through_seq: int | None) -> Iterator[_Row]:
    cursor = conn.execute(
        "SELECT seq, at, actor, role, action, subject, details, prev_hash, hash "
        "FROM audit_log WHERE seq <= ? ORDER BY seq",
        (through_seq if through_seq is not None else 2**63 - 1,),
    )
    for values in cursor:
        yield _Row(int(values[0]), *(str(value) for value in values[1:]))


def _gap(start: int, end: int, how: str) -> Problem:
    if start == end:
        return Problem(start, f"row {start} is missing: it was {how}.")
    return Problem(start, f"rows {start}–{end} are missing: they were {how}.")


def _check_row(conn: sqlite3.Connection, row: _Row, *, look_for_moves: bool) -> Problem | None:
    """Whether the row matches its own hash; if it matches at another seq, it was moved."""
    if row.hash_at(row.seq) == row.hash:
        return None
    for seq in _candidate_seqs(conn, row) if look_for_moves else ():
        if seq != row.seq and row.hash_at(seq) == row.hash:
            return Problem(
                row.seq,
                f"row {row.seq} holds the entry written as row {seq}: rows were reordered.",
            )
    return Problem(row.seq, f"row {row.seq} was edited: its contents do not match its hash.")


def _candidate_seqs(conn: sqlite3.Connection, row: _Row) -> Iterator[int]:
    if row.prev_hash == GENESIS:
        yield 1
    for (seq,) in conn.execute("SELECT seq FROM audit_log WHERE hash = ?", (row.prev_hash,)):
        yield int(seq) + 1
    yield from range(max(1, row.seq - REORDER_WINDOW), row.seq + REORDER_WINDOW + 1)


def _check_start(conn: sqlite3.Connection, first: _Row) -> list[Problem]:
    """The first row follows the genesis, or the last row the latest purge removed."""
    if first.seq == 1:
        if first.prev_hash != GENESIS and first.hash_at(1) == first.hash:
            return [Problem(1, "row 1 does not start the chain: rows were put before it.")]
        return []
    purged = purge_anchor(conn)
    if purged is None:
        return [_gap(1, first.seq - 1, "deleted (no purge removed them)")]
    through_seq, through_hash = purged
    if through_seq < first.seq - 1:
        return [
            _gap(
                through_seq + 1,
                first.seq - 1,
                f"deleted (the last purge kept the log from row {through_seq + 1})",
            )
        ]
    if through_seq > first.seq - 1:
        return [
            Problem(
                first.seq,
                f"row {first.seq} is older than the last purge, which removed rows up to "
                f"{through_seq}: it was put back or the purge's row was changed.",
            )
        ]
    if first.prev_hash != through_hash:
        return [
            Problem(
                first.seq,
                f"row {first.seq} does not follow row {through_seq}, the last one purged: "
                "rows were replaced.",
            )
        ]
    return []


def purge_anchor(conn: sqlite3.Connection) -> tuple[int, str] | None:
    """The last purged seq and its hash, as the newest purge row names them."""
    row = conn.execute(
        "SELECT details FROM audit_log WHERE action = ? ORDER BY seq DESC LIMIT 1",
        (PURGE_ACTION,),
    ).fetchone()
    if row is None:
        return None
    try:
        anchor = json.loads(row[0])["audit"]
        return int(anchor["through_seq"]), str(anchor["through_hash"])
    except (ValueError, KeyError, TypeError):
        return None


def _check_tail(
    conn: sqlite3.Connection,
    last: _Row | None,
    first: _Row | None,
    copy: Head | Problem | None,
    path: Path | None,
) -> list[Problem]:
    """The last row is the one the head in the database and the copy beside it name."""
    last_seq = last.seq if last else 0
    table = read_table_head(conn)
    problems: list[Problem] = []
    if table is None:
        if last is not None:
            problems.append(
                Problem(
                    last_seq,
                    f"the record of the last row (row {last_seq}) is missing: rows at the end "
                    "may have been deleted.",
                )
            )
    elif table.seq > last_seq:
        problems.append(
            _gap(last_seq + 1, table.seq, f"deleted (the log ended at row {table.seq})")
        )
    elif table.seq < last_seq:
        problems.append(
            Problem(
                table.seq + 1,
                f"rows {table.seq + 1}–{last_seq} were added outside Checkpoint: the log "
                f"ended at row {table.seq}.",
            )
        )
    elif last is not None and table.hash != last.hash:
        problems.append(
            Problem(last_seq, f"row {last_seq}, the last one, was replaced after it was written.")
        )
    if problems:
        return problems
    return _check_copy(conn, last_seq, first, copy, path)


def _check_copy(
    conn: sqlite3.Connection,
    last_seq: int,
    first: _Row | None,
    copy: Head | Problem | None,
    path: Path | None,
) -> list[Problem]:
    if isinstance(copy, Problem):
        return [Problem(last_seq, copy.message)]
    if copy is None or path is None:
        return []
    if copy.seq > last_seq:
        return [
            _gap(
                last_seq + 1,
                copy.seq,
                f"deleted, or an older copy of the database was put back ({path.name} "
                f"names row {copy.seq})",
            )
        ]
    if first is None or copy.seq < first.seq:
        return []
    row = conn.execute("SELECT hash FROM audit_log WHERE seq = ?", (copy.seq,)).fetchone()
    if row is not None and str(row[0]) != copy.hash:
        return [
            Problem(
                copy.seq,
                f"row {copy.seq} differs from the copy kept in {path.name}: the log was "
                "rewritten from there on.",
            )
        ]
    return []
