"""Retention: purge hits, evidence images and audit rows older than the station keeps them.

One transaction removes everything past its period and appends the purge's own audit row
(`retention.purge`, with the counts), so either all of it happened and the log says so, or
nothing did. What is kept, and why:

- a hit HQ has not received yet (its hit, decision or review still pending or failed in the
  outbox) is kept whole, evidence included, however old: nothing recorded may be lost;
- evidence images of kept hits go after `evidence_days`; the hit itself stays;
- once a hit or its images are gone, the outbox items already sent for it go too, since
  they carry the same personal data;
- audit rows go from the start of the log up to the first row still within `audit_days`
  (a prefix, so the rest of the chain stays whole even when rows were written out of time
  order); the purge row names the last purged seq and its hash, and verification starts
  from there. Rows that do not verify are not purged: they are the evidence.

Timestamps are compared as the ISO strings every writer stores (UTC, microseconds).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from checkpoint.accounts.roles import Principal
from checkpoint.accounts.session import StationSession
from checkpoint.audit.head import publish_head
from checkpoint.audit.log import GENESIS, record
from checkpoint.audit.verify import PURGE_ACTION, purge_anchor, verify
from checkpoint.config import RetentionSettings

# A hit is owed to HQ while any of its items is not sent (checkpoint.hits.store, .review).
_UNDELIVERED = """EXISTS (
    SELECT 1 FROM outbox o WHERE o.state != 'sent' AND (
        o.idempotency_key IN ('hit:' || h.id, 'decision:' || h.id)
        OR o.idempotency_key IN (SELECT 'review:' || r.id FROM hit_reviews r WHERE r.hit_id = h.id)
    )
)"""


@dataclass(frozen=True)
class PurgeReport:
    """What a purge removed (or, dry, would remove), and the cut-offs it used."""

    now: datetime
    hits_before: datetime
    evidence_before: datetime
    audit_before: datetime
    hits: int
    evidence_images: int
    audit_rows: int
    outbox_items: int
    kept_undelivered: int
    audit_skipped: str
    dry_run: bool

    def counts(self) -> dict[str, int]:
        return {
            "hits": self.hits,
            "evidence_images": self.evidence_images,
            "audit_rows": self.audit_rows,
            "outbox_items": self.outbox_items,
            "kept_undelivered": self.kept_undelivered,
        }

    def to_json(self) -> dict[str, Any]:
        return {
            **self.counts(),
            "now": self.now.isoformat(),
            "hits_before": self.hits_before.isoformat(),
            "evidence_before": self.evidence_before.isoformat(),
            "audit_before": self.audit_before.isoformat(),
            "audit_skipped": self.audit_skipped,
            "dry_run": self.dry_run,
        }


def purge(
    session: StationSession,
    retention: RetentionSettings,
    *,
    now: datetime | None = None,
    dry_run: bool = False,
) -> PurgeReport:
    """Purge the station's database; with `dry_run`, only count what would go."""
    db = session.open_database()
    try:
        return purge_database(db.conn, session.principal, retention, now=now, dry_run=dry_run)
    finally:
        db.conn.close()


def purge_database(
    conn: sqlite3.Connection,
    actor: Principal,
    retention: RetentionSettings,
    *,
    now: datetime | None = None,
    dry_run: bool = False,
) -> PurgeReport:
    """The purge on an open connection (the desk's writer), in a transaction of its own."""
    if conn.in_transaction:
        raise RuntimeError("a purge runs in its own transaction, not inside the caller's")
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    conn.execute("BEGIN IMMEDIATE")
    try:
        report = _purge(conn, actor, retention, moment, dry_run)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("ROLLBACK" if dry_run else "COMMIT")
    if not dry_run:
        publish_head(conn)
    return report


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _purge(
    conn: sqlite3.Connection,
    actor: Principal,
    retention: RetentionSettings,
    now: datetime,
    dry_run: bool,
) -> PurgeReport:
    hits_before = now - timedelta(days=retention.hits_days)
    evidence_before = now - timedelta(days=retention.evidence_days)
    audit_before = now - timedelta(days=retention.audit_days)

    old_hits = _ids(
        conn,
        f"SELECT id FROM hit_records h WHERE h.created < ? AND NOT {_UNDELIVERED}",
        hits_before,
    )
    kept = int(
        conn.execute(
            f"SELECT count(*) FROM hit_records h WHERE h.created < ? AND {_UNDELIVERED}",
            (_stamp(hits_before),),
        ).fetchone()[0]
    )
    old_images = _ids(
        conn,
        "SELECT DISTINCT h.id FROM hit_records h JOIN hit_evidence e ON e.hit_id = h.id "
        f"WHERE h.created < ? AND NOT {_UNDELIVERED}",
        evidence_before,
    )
    with_images = sorted(set(old_images) | set(old_hits))
    images = _delete(conn, "DELETE FROM hit_evidence WHERE hit_id = ?", with_images)
    outbox_items = _delete(
        conn,
        "DELETE FROM outbox WHERE state = 'sent' AND idempotency_key = ?",
        _keys(conn, with_images, old_hits),
    )
    _delete(conn, "DELETE FROM hit_reviews WHERE hit_id = ?", old_hits)
    _delete(conn, "DELETE FROM hit_decisions WHERE hit_id = ?", old_hits)
    hits = _delete(conn, "DELETE FROM hit_records WHERE id = ?", old_hits)

    audit_rows, through, skipped = _purge_audit(conn, audit_before)
    report = PurgeReport(
        now=now,
        hits_before=hits_before,
        evidence_before=evidence_before,
        audit_before=audit_before,
        hits=hits,
        evidence_images=images,
        audit_rows=audit_rows,
        outbox_items=outbox_items,
        kept_undelivered=kept,
        audit_skipped=skipped,
        dry_run=dry_run,
    )
    if not dry_run:
        record(
            conn,
            actor,
            PURGE_ACTION,
            details={
                **report.counts(),
                "hits_before": _stamp(hits_before),
                "evidence_before": _stamp(evidence_before),
                "audit_before": _stamp(audit_before),
                "audit_skipped": skipped,
                "audit": {"through_seq": through[0], "through_hash": through[1]},
            },
            at=now,
        )
    return report


def _purge_audit(conn: sqlite3.Connection, before: datetime) -> tuple[int, tuple[int, str], str]:
    """Delete the log's prefix older than `before`: (rows, the new start anchor, why not).

    Only what is removed is verified first, and that the next row follows it: a broken row
    further on stays in the log, where verification will still name it.
    """
    anchor = purge_anchor(conn) or (0, GENESIS)
    first_seq, last_seq = conn.execute("SELECT min(seq), max(seq) FROM audit_log").fetchone()
    if first_seq is None:
        return 0, anchor, ""
    young = conn.execute("SELECT min(seq) FROM audit_log WHERE at >= ?", (_stamp(before),))
    first_young = young.fetchone()[0]
    through_seq = int(first_young) - 1 if first_young is not None else int(last_seq)
    if through_seq < int(first_seq):
        return 0, anchor, ""
    result = verify(conn, through_seq=through_seq)
    through_hash = str(
        conn.execute("SELECT hash FROM audit_log WHERE seq = ?", (through_seq,)).fetchone()[0]
    )
    follower = conn.execute(
        "SELECT prev_hash FROM audit_log WHERE seq = ?", (through_seq + 1,)
    ).fetchone()
    broken_at = result.problems[0].seq if result.problems else None
    if broken_at is None and follower is not None and str(follower[0]) != through_hash:
        broken_at = through_seq + 1
    if broken_at is not None:
        reason = (
            f"the audit log does not verify at row {broken_at}, so its rows are kept as "
            "evidence: run `checkpoint audit verify` and report it"
        )
        return 0, anchor, reason
    deleted = conn.execute("DELETE FROM audit_log WHERE seq <= ?", (through_seq,)).rowcount
    return int(deleted), (through_seq, through_hash), ""


def _ids(conn: sqlite3.Connection, sql: str, before: datetime) -> list[str]:
    return [str(row[0]) for row in conn.execute(sql, (_stamp(before),))]


def _keys(conn: sqlite3.Connection, with_images: list[str], old_hits: list[str]) -> list[str]:
    """The outbox keys carrying these hits' data: the hit's (images), and for purged hits
    their decision's and reviews' too."""
    keys = [f"hit:{hit_id}" for hit_id in with_images]
    keys += [f"decision:{hit_id}" for hit_id in old_hits]
    for hit_id in old_hits:
        keys += [
            f"review:{row[0]}"
            for row in conn.execute("SELECT id FROM hit_reviews WHERE hit_id = ?", (hit_id,))
        ]
    return keys


def _delete(conn: sqlite3.Connection, sql: str, values: list[str]) -> int:
    if not values:
        return 0
    return int(conn.executemany(sql, [(value,) for value in values]).rowcount)
