"""The outbox table: queueing inside the caller's transaction, attempts, summary, restarts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from checkpoint.storage import open_database
from checkpoint.sync import outbox
from checkpoint.sync.outbox import OutboxState, Outcome


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "station.db"


def test_enqueue_stores_a_pending_item_that_survives_reopening(database: Path) -> None:
    db = open_database(database)
    created = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)
    item = outbox.enqueue(db.conn, "hit", {"name": "ÉMILE ZOLA", "score": 0.93}, created=created)
    db.conn.close()

    db = open_database(database)
    [again] = outbox.pending(db.conn, 10)
    db.conn.close()
    assert again == item
    assert again.state is OutboxState.PENDING
    assert again.payload == {"name": "ÉMILE ZOLA", "score": 0.93}
    assert again.created == created
    assert again.attempts == 0
    assert len(again.idempotency_key) == 32


def test_same_key_is_queued_once(database: Path) -> None:
    db = open_database(database)
    first = outbox.enqueue(db.conn, "decision", {"verdict": "refused"}, key="decision:7")
    second = outbox.enqueue(db.conn, "decision", {"verdict": "admitted"}, key="decision:7")
    assert second == first
    assert outbox.summary(db.conn).pending == 1
    db.conn.close()


def test_enqueue_joins_the_callers_transaction(database: Path) -> None:
    db = open_database(database)
    db.conn.execute("CREATE TABLE hits (id INTEGER PRIMARY KEY, name TEXT)")
    db.conn.execute("BEGIN IMMEDIATE")
    db.conn.execute("INSERT INTO hits (name) VALUES ('A')")
    outbox.enqueue(db.conn, "hit", {"hit": 1}, key="hit:1")
    db.conn.execute("ROLLBACK")
    # The hit was rolled back, so its outbox item must be gone too, and vice versa.
    assert outbox.summary(db.conn).pending == 0

    db.conn.execute("BEGIN IMMEDIATE")
    db.conn.execute("INSERT INTO hits (name) VALUES ('B')")
    outbox.enqueue(db.conn, "hit", {"hit": 2}, key="hit:2")
    db.conn.execute("COMMIT")
    assert outbox.summary(db.conn).pending == 1
    assert db.conn.execute("SELECT count(*) FROM hits").fetchone()[0] == 1
    db.conn.close()


def test_attempts_errors_and_states_are_recorded(database: Path) -> None:
    db = open_database(database)
    a, b, c = (outbox.enqueue(db.conn, "hit", {"n": n}) for n in range(3))
    when = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    outbox.record_attempt(
        db.conn, [Outcome(item.id, OutboxState.PENDING, "HQ answered 503") for item in (a, b, c)]
    )
    outbox.record_attempt(
        db.conn,
        [
            Outcome(a.id, OutboxState.SENT),
            Outcome(b.id, OutboxState.FAILED, "The item is invalid (kind)."),
            Outcome(c.id, OutboxState.PENDING, "no answer in time (ReadTimeout)"),
        ],
        now=when,
    )
    got = {item.id: item for item in outbox.items(db.conn)}
    assert got[a.id].state is OutboxState.SENT
    assert got[a.id].sent_at == when
    assert got[a.id].last_error is None
    assert got[b.id].state is OutboxState.FAILED
    assert got[b.id].last_error == "The item is invalid (kind)."
    assert got[c.id].state is OutboxState.PENDING
    assert got[c.id].last_error == "no answer in time (ReadTimeout)"
    assert [got[i].attempts for i in (a.id, b.id, c.id)] == [2, 2, 2]
    assert [item.id for item in outbox.pending(db.conn, 10)] == [c.id]

    # A late answer for an item already decided does not change it back.
    outbox.record_attempt(db.conn, [Outcome(a.id, OutboxState.FAILED, "late")])
    assert outbox.get(db.conn, a.idempotency_key).state is OutboxState.SENT  # type: ignore[union-attr]

    assert outbox.retry_failed(db.conn) == 1
    assert outbox.get(db.conn, b.idempotency_key).state is OutboxState.PENDING  # type: ignore[union-attr]
    db.conn.close()


def test_summary_counts_states_and_ages_the_oldest_pending_item(database: Path) -> None:
    db = open_database(database)
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    empty = outbox.summary(db.conn, now)
    assert (empty.pending, empty.failed, empty.sent, empty.oldest_pending_age) == (0, 0, 0, None)
    old = outbox.enqueue(db.conn, "hit", {}, created=now - timedelta(hours=3))
    outbox.enqueue(db.conn, "review", {}, created=now - timedelta(minutes=5))
    older = outbox.enqueue(db.conn, "hit", {}, created=now - timedelta(days=2))
    outbox.record_attempt(db.conn, [Outcome(older.id, OutboxState.SENT)])
    state = outbox.summary(db.conn, now)
    assert (state.pending, state.failed, state.sent) == (2, 0, 1)
    assert state.oldest_pending == old.created
    assert state.oldest_pending_age == 3 * 3600
    db.conn.close()


def test_purge_removes_only_items_sent_before_the_cut_off(database: Path) -> None:
    db = open_database(database)
    day = datetime(2026, 11, 1, tzinfo=UTC)
    old, recent, waiting, failed = (outbox.enqueue(db.conn, "hit", {"n": n}) for n in range(4))
    outbox.record_attempt(db.conn, [Outcome(old.id, OutboxState.SENT)], now=day)
    outbox.record_attempt(
        db.conn, [Outcome(recent.id, OutboxState.SENT)], now=day + timedelta(days=20)
    )
    outbox.record_attempt(db.conn, [Outcome(failed.id, OutboxState.FAILED, "no")], now=day)
    assert outbox.purge_sent(db.conn, before=day + timedelta(days=10)) == 1
    left = {item.idempotency_key for item in outbox.items(db.conn)}
    db.conn.close()
    assert left == {recent.idempotency_key, waiting.idempotency_key, failed.idempotency_key}
