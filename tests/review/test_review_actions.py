"""Annotating and overturning hits: one transaction with the outbox item and the audit row,
the officer's decision kept, and delivery of the review to a real `checkpoint hq serve`."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import sqlite_utils
from cli_process import run_cli as run
from cli_process import running_hq
from review_helpers import OFFICER, START, SUPERVISOR, Spec, record_log

from checkpoint.accounts.roles import PermissionDeniedError, Principal, Role
from checkpoint.hits.model import HitError, Outcome
from checkpoint.hits.query import DecisionState, HitFilter, HitSort, all_seqs, rows_for
from checkpoint.hits.review import ReviewKind, annotate, overturn, review_key, reviews_of
from checkpoint.hits.store import get_hit
from checkpoint.sync import outbox
from checkpoint.sync.station_token import save_token


def spec(outcome: Outcome | None = Outcome.DISMISSED, minutes: int = 0) -> Spec:
    return Spec(
        created=START + timedelta(minutes=minutes),
        station="NORTH-1",
        officer="o.berg",
        kind="face",
        score=0.82,
        list_id="DEMO",
        surname="ERIKSSON",
        given="ANNA MARIA",
        listed="ERIKSSON ANNA MARIA",
        outcome=outcome,
    )


def counts(conn: sqlite3.Connection) -> tuple[int, int, int]:
    return (
        conn.execute("SELECT count(*) FROM hit_reviews").fetchone()[0],
        conn.execute("SELECT count(*) FROM outbox").fetchone()[0],
        conn.execute("SELECT count(*) FROM audit_log").fetchone()[0],
    )


def audit_rows(conn: sqlite3.Connection) -> list[tuple[str, str, str, dict[str, object]]]:
    rows = conn.execute("SELECT actor, action, subject, details FROM audit_log ORDER BY seq")
    return [(a, b, c, json.loads(d)) for a, b, c, d in rows]


def test_overturn_keeps_the_decision_and_queues_and_audits_the_review(
    db: sqlite_utils.Database,
) -> None:
    conn = db.conn
    hit = spec()
    record_log(conn, [hit])
    before = counts(conn)
    review = overturn(
        conn, SUPERVISOR, hit.hit_id, Outcome.CONFIRMED, " faces match ", note="seen on CCTV"
    )
    assert counts(conn) == (before[0] + 1, before[1] + 1, before[2] + 1)
    assert (review.kind, review.outcome, review.reason, review.reviewed_by) == (
        ReviewKind.OVERTURN,
        Outcome.CONFIRMED,
        "faces match",
        "sup.lind",
    )
    # The officer's decision is untouched; the log shows the new state and the overturn.
    recorded = get_hit(conn, hit.hit_id)
    assert recorded is not None
    assert recorded.decision is not None
    assert recorded.decision.outcome is Outcome.DISMISSED
    (row,) = rows_for(conn, all_seqs(conn, HitFilter(decision=DecisionState.OVERTURNED), HitSort()))
    assert (row.outcome, row.state, row.overturned) == ("dismissed", DecisionState.CONFIRMED, True)

    item = outbox.get(conn, review_key(review.id))
    assert item is not None
    assert item.kind == "review"
    assert item.payload["hit_id"] == hit.hit_id
    assert item.payload["outcome"] == "confirmed"
    assert item.payload["officer_decision"] == "dismissed"
    assert item.payload["station"] == "NORTH-1"
    assert audit_rows(conn)[-1] == (
        "sup.lind",
        "hit.overturn",
        hit.hit_id,
        {"review_id": review.id, "from": "dismissed", "to": "confirmed", "reason": "faces match"},
    )
    # Overturned back: both reviews are kept, oldest first.
    overturn(conn, SUPERVISOR, hit.hit_id, Outcome.DISMISSED, "second look: not her")
    assert [r.outcome for r in reviews_of(conn, hit.hit_id)] == [
        Outcome.CONFIRMED,
        Outcome.DISMISSED,
    ]
    assert rows_for(conn, [row.seq])[0].state is DecisionState.DISMISSED


def test_annotation_is_kept_queued_and_audited_on_any_hit(db: sqlite_utils.Database) -> None:
    conn = db.conn
    hit = spec(outcome=None)
    record_log(conn, [hit])
    review = annotate(conn, SUPERVISOR, hit.hit_id, "  Ask the officer about the glare.  ")
    assert review.note == "Ask the officer about the glare."
    assert (review.kind, review.outcome) == (ReviewKind.ANNOTATION, None)
    item = outbox.get(conn, review_key(review.id))
    assert item is not None
    assert item.kind == "review"
    assert item.payload["note"] == "Ask the officer about the glare."
    assert audit_rows(conn)[-1][:3] == ("sup.lind", "hit.annotate", hit.hit_id)
    (row,) = rows_for(conn, all_seqs(conn, HitFilter(), HitSort()))
    assert (row.state, row.overturned) == (DecisionState.UNDECIDED, False)


@pytest.mark.parametrize(
    ("principal", "outcome", "decided", "reason", "message"),
    [
        (OFFICER, Outcome.CONFIRMED, True, "why", "may not review hits"),
        (SUPERVISOR, Outcome.CONFIRMED, False, "why", "has no decision to overturn"),
        (SUPERVISOR, Outcome.DISMISSED, True, "why", "is already dismissed"),
        (SUPERVISOR, Outcome.CONFIRMED, True, "   ", "needs a reason"),
    ],
)
def test_a_refused_overturn_changes_nothing(  # noqa: PLR0917
    db: sqlite_utils.Database,
    principal: Principal,
    outcome: Outcome,
    decided: bool,
    reason: str,
    message: str,
) -> None:
    conn = db.conn
    hit = spec(outcome=Outcome.DISMISSED if decided else None)
    record_log(conn, [hit])
    before = counts(conn)
    with pytest.raises((HitError, PermissionDeniedError), match=message):
        overturn(conn, principal, hit.hit_id, outcome, reason)
    assert counts(conn) == before
    assert not conn.in_transaction


def test_refused_annotations_change_nothing(db: sqlite_utils.Database) -> None:
    conn = db.conn
    hit = spec()
    record_log(conn, [hit])
    before = counts(conn)
    with pytest.raises(HitError, match="needs a note"):
        annotate(conn, SUPERVISOR, hit.hit_id, " ")
    with pytest.raises(HitError, match="There is no hit nope"):
        annotate(conn, SUPERVISOR, "nope", "note")
    with pytest.raises(PermissionDeniedError):
        annotate(conn, Principal("o.x", Role.OFFICER), hit.hit_id, "note")
    assert counts(conn) == before


def test_a_review_joins_the_callers_transaction_and_rolls_back_with_it(
    db: sqlite_utils.Database,
) -> None:
    conn = db.conn
    hit = spec()
    record_log(conn, [hit])
    before = counts(conn)
    conn.execute("BEGIN IMMEDIATE")
    annotate(conn, SUPERVISOR, hit.hit_id, "kept only if the caller commits")
    conn.execute("ROLLBACK")
    assert counts(conn) == before


def test_a_failing_audit_write_leaves_no_review_and_no_outbox_item(
    db: sqlite_utils.Database,
) -> None:
    conn = db.conn
    hit = spec()
    record_log(conn, [hit])
    before = counts(conn)
    # A real constraint failure at the audit step, after the review and outbox rows.
    conn.execute(
        "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit log is read-only'); END"
    )
    with pytest.raises(sqlite3.IntegrityError, match="read-only"):
        overturn(conn, SUPERVISOR, hit.hit_id, Outcome.CONFIRMED, "faces match")
    conn.execute("DROP TRIGGER refuse_audit")
    assert counts(conn) == before
    assert rows_for(conn, all_seqs(conn, HitFilter(), HitSort()))[0].overturned is False


# --- delivery to HQ --------------------------------------------------------------------------


@pytest.fixture
def hq(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`checkpoint hq serve` in its own process on 127.0.0.1; yields its URL and home."""
    home = tmp_path / "hq-home"
    with running_hq(home) as url:
        yield url, home


def test_reviews_reach_hq_once_each(
    db: sqlite_utils.Database, checkpoint_home: Path, hq: tuple[str, Path]
) -> None:
    conn = db.conn
    hit = spec()
    record_log(conn, [hit])
    note = annotate(conn, SUPERVISOR, hit.hit_id, "check the second page")
    change = overturn(conn, SUPERVISOR, hit.hit_id, Outcome.CONFIRMED, "faces match")
    url, hq_home = hq
    code, token, err = run("--home", str(hq_home), "hq", "token", "add", "DEMO-01")
    assert code == 0, err
    save_token(checkpoint_home, token.strip())
    code, out, err = run("sync", "--once", "--hq", url)
    assert (code, err) == (0, "")
    assert out == "sent 4 item(s)\n"  # the hit, the decision and both reviews
    with sqlite3.connect(hq_home / "hq.db") as hq_db:
        received = {
            key: (kind, json.loads(payload))
            for key, kind, payload in hq_db.execute(
                "SELECT idempotency_key, kind, payload FROM hq_items"
            )
        }
    kind, payload = received[review_key(change.id)]
    assert kind == "review"
    assert (payload["kind"], payload["outcome"], payload["reason"]) == (
        "overturn",
        "confirmed",
        "faces match",
    )
    assert received[review_key(note.id)][1]["note"] == "check the second page"
    assert received[f"decision:{hit.hit_id}"][1]["outcome"] == "dismissed"
    # Nothing is left to send: a second sync sends nothing new.
    assert run("sync", "--once", "--hq", url)[1] == "sent 0 item(s)\n"
