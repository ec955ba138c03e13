"""Retention on a real station: everything one second past its cut-off goes, everything one
second short of it stays, a hit HQ has not received is kept whole, the purge is audited and
the remaining chain still verifies."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from audit_helpers import NOW, OFFICER, SUPERVISOR, new_hit, raw, station

from checkpoint.accounts.session import StationSession
from checkpoint.audit import list_entries, record, verify
from checkpoint.audit.retention import purge
from checkpoint.config import RetentionSettings
from checkpoint.hits.model import Outcome
from checkpoint.hits.store import decide, decision_key, get_hit, hit_key, record_hit
from checkpoint.sync import outbox
from checkpoint.sync.outbox import OutboxState
from checkpoint.sync.outbox import Outcome as SendOutcome

RETENTION = RetentionSettings(hits_days=30, evidence_days=10, audit_days=20)
PURGE_AT = NOW + timedelta(days=100)
SECOND = timedelta(seconds=1)
HITS_CUT = PURGE_AT - timedelta(days=RETENTION.hits_days)
EVIDENCE_CUT = PURGE_AT - timedelta(days=RETENTION.evidence_days)
AUDIT_CUT = PURGE_AT - timedelta(days=RETENTION.audit_days)


def deliver(session: StationSession, *keys: str) -> None:
    """HQ confirmed these outbox items."""
    db = session.open_database()
    try:
        items = [outbox.get(db.conn, key) for key in keys]
        outbox.record_attempt(
            db.conn,
            [SendOutcome(item.id, OutboxState.SENT) for item in items if item is not None],
            now=PURGE_AT,
        )
    finally:
        db.conn.close()


def hit_at(session: StationSession, created: datetime, *, delivered: bool) -> str:
    db = session.open_database()
    try:
        hit_id = record_hit(db.conn, new_hit(created)).id
    finally:
        db.conn.close()
    if delivered:
        deliver(session, hit_key(hit_id))
    return hit_id


def audit_at(session: StationSession, moment: datetime, subject: str) -> int:
    db = session.open_database()
    try:
        return record(db.conn, SUPERVISOR, "listed.view", subject, at=moment).seq
    finally:
        db.conn.close()


@pytest.fixture
def session(checkpoint_home: Path) -> StationSession:
    return station(checkpoint_home, "plain")


def test_hits_and_evidence_go_at_their_cut_offs_and_not_a_second_before(
    session: StationSession,
) -> None:
    old = hit_at(session, HITS_CUT - SECOND, delivered=True)
    young = hit_at(session, HITS_CUT + SECOND, delivered=True)
    old_images = hit_at(session, EVIDENCE_CUT - SECOND, delivered=True)
    young_images = hit_at(session, EVIDENCE_CUT + SECOND, delivered=True)
    db = session.open_database()
    try:
        decide(db.conn, old, Outcome.CONFIRMED, user="omar", now=HITS_CUT, actor=OFFICER)
    finally:
        db.conn.close()
    deliver(session, decision_key(old))

    report = purge(session, RETENTION, now=PURGE_AT)

    assert (report.hits, report.evidence_images, report.kept_undelivered) == (1, 3, 0)
    db = session.open_database()
    try:
        assert get_hit(db.conn, old) is None
        assert db.execute("SELECT count(*) FROM hit_decisions").fetchone()[0] == 0
        kept = {hit_id: get_hit(db.conn, hit_id) for hit_id in (young, old_images, young_images)}
        # The hits themselves stay; only images past evidence_days went.
        assert {k: v.evidence_names for k, v in kept.items() if v} == {
            young: (),
            old_images: (),
            young_images: ("face.jpg",),
        }
        # The sent outbox items carrying the purged data went with it; the others stay.
        keys = {row[0] for row in db.execute("SELECT idempotency_key FROM outbox")}
        assert keys == {hit_key(young_images)}
    finally:
        db.conn.close()


def test_a_hit_not_yet_delivered_to_hq_is_kept_whole(session: StationSession) -> None:
    pending = hit_at(session, HITS_CUT - timedelta(days=400), delivered=False)
    decided_pending = hit_at(session, HITS_CUT - SECOND, delivered=True)
    db = session.open_database()
    try:
        # The hit reached HQ but its decision has not: the hit is still owed, so it stays.
        decide(db.conn, decided_pending, Outcome.CONFIRMED, user="omar", now=HITS_CUT)
    finally:
        db.conn.close()

    report = purge(session, RETENTION, now=PURGE_AT)

    assert (report.hits, report.evidence_images, report.kept_undelivered) == (0, 0, 2)
    db = session.open_database()
    try:
        for hit_id in (pending, decided_pending):
            hit = get_hit(db.conn, hit_id)
            assert hit is not None
            assert hit.evidence_names == ("face.jpg",)
        assert outbox.get(db.conn, hit_key(pending)) is not None
    finally:
        db.conn.close()


def test_audit_rows_go_as_a_prefix_and_the_chain_still_verifies(session: StationSession) -> None:
    old = [audit_at(session, AUDIT_CUT - SECOND, f"old {n}") for n in range(3)]
    young = audit_at(session, AUDIT_CUT + SECOND, "young")
    # Written later with an older time (a queued failed login): after a young row, it stays.
    late = audit_at(session, AUDIT_CUT - timedelta(days=5), "late")

    report = purge(session, RETENTION, now=PURGE_AT)

    assert report.audit_rows == 3
    assert report.audit_skipped == ""
    db = session.open_database()
    try:
        entries = list_entries(db.conn)
        result = verify(db.conn)
    finally:
        db.conn.close()
    assert [e.seq for e in entries] == [young, late, late + 1]
    purge_row = entries[-1]
    assert purge_row.action == "retention.purge"
    assert purge_row.actor == "demo"
    assert purge_row.details["audit_rows"] == 3
    assert purge_row.details["audit"]["through_seq"] == old[-1]
    assert result.ok, result.problems
    assert (result.first_seq, result.last_seq) == (young, late + 1)


def test_purging_again_and_deleting_rows_after_a_purge_are_told_apart(
    session: StationSession,
) -> None:
    for n in range(3):
        audit_at(session, AUDIT_CUT - SECOND, f"old {n}")
    audit_at(session, AUDIT_CUT + SECOND, "young 1")
    audit_at(session, AUDIT_CUT + SECOND, "young 2")
    purge(session, RETENTION, now=PURGE_AT)
    # A second purge a day later takes the two rows that have aged past the cut-off since.
    later = purge(session, RETENTION, now=PURGE_AT + timedelta(days=1))
    db = session.open_database()
    try:
        assert later.audit_rows == 2
        assert verify(db.conn).ok
    finally:
        db.conn.close()
    # Deleting the oldest surviving row by hand is not a purge, and is named as such.
    with raw(session) as conn:
        first = conn.execute("SELECT min(seq) FROM audit_log").fetchone()[0]
        conn.execute("DELETE FROM audit_log WHERE seq = ?", (first,))
    db = session.open_database()
    try:
        result = verify(db.conn)
    finally:
        db.conn.close()
    assert [p.seq for p in result.problems] == [first]
    assert "the last purge kept the log from row" in result.problems[0].message


def test_a_dry_run_counts_and_changes_nothing(session: StationSession) -> None:
    hit_at(session, HITS_CUT - SECOND, delivered=True)
    audit_at(session, AUDIT_CUT - SECOND, "old")

    report = purge(session, RETENTION, now=PURGE_AT, dry_run=True)

    assert (report.hits, report.evidence_images, report.audit_rows) == (1, 1, 1)
    db = session.open_database()
    try:
        assert db.execute("SELECT count(*) FROM hit_records").fetchone()[0] == 1
        assert [e.action for e in list_entries(db.conn)] == ["listed.view"]
    finally:
        db.conn.close()


def test_a_log_that_does_not_verify_is_kept_as_evidence(session: StationSession) -> None:
    for n in range(3):
        audit_at(session, AUDIT_CUT - SECOND, f"old {n}")
    with raw(session) as conn:
        conn.execute("UPDATE audit_log SET subject = 'changed' WHERE seq = 2")

    report = purge(session, RETENTION, now=PURGE_AT)

    assert report.audit_rows == 0
    assert "does not verify at row 2" in report.audit_skipped
    db = session.open_database()
    try:
        result = verify(db.conn)
        purge_row = list_entries(db.conn, action="retention.purge")[0]
    finally:
        db.conn.close()
    # The purge's own row is written and the edited row is still the one named.
    assert [p.seq for p in result.problems] == [2]
    assert purge_row.details["audit_skipped"] == report.audit_skipped


def test_an_intact_prefix_is_purged_while_a_broken_row_after_it_stays_named(
    session: StationSession,
) -> None:
    for n in range(3):
        audit_at(session, AUDIT_CUT - SECOND, f"old {n}")
    edited = audit_at(session, AUDIT_CUT + SECOND, "young")
    with raw(session) as conn:
        conn.execute("UPDATE audit_log SET subject = 'changed' WHERE seq = ?", (edited,))

    report = purge(session, RETENTION, now=PURGE_AT)

    assert (report.audit_rows, report.audit_skipped) == (3, "")
    db = session.open_database()
    try:
        result = verify(db.conn)
    finally:
        db.conn.close()
    assert [p.seq for p in result.problems] == [edited]


def test_a_prefix_whose_next_row_does_not_follow_it_is_kept(session: StationSession) -> None:
    for n in range(3):
        audit_at(session, AUDIT_CUT - SECOND, f"old {n}")
    follower = audit_at(session, AUDIT_CUT + SECOND, "young")
    with raw(session) as conn:
        conn.execute("UPDATE audit_log SET prev_hash = ? WHERE seq = ?", ("0" * 64, follower))

    report = purge(session, RETENTION, now=PURGE_AT)

    assert report.audit_rows == 0
    assert f"does not verify at row {follower}" in report.audit_skipped
