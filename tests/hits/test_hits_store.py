"""Hits and decisions in a real station database, each written with its outbox item at once."""

from __future__ import annotations

import base64
import hashlib
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import cv2
import numpy as np
import pytest
import sqlite_utils
from skimage import data

from checkpoint.faces.detect import Box
from checkpoint.hits.evidence import document_crop, face_crop, jpeg
from checkpoint.hits.model import HitError, NewHit, Outcome
from checkpoint.hits.store import (
    decide,
    decision_key,
    get_evidence,
    get_hit,
    hit_key,
    list_hits,
    record_hit,
    record_hits,
)
from checkpoint.storage import open_database
from checkpoint.sync import outbox

NOW = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
FINDING = {
    "kind": "name",
    "severity": "hit",
    "reason": "name matches ERIKSSON ANNA MARIA (DEMO/DEMO-UTO-1), score 1.00",
    "score": 1.0,
    "list_id": "DEMO",
    "list_version": 1,
    "stale": False,
    "reference": "DEMO-UTO-1",
    "listed": {"entry_id": "DEMO-UTO-1", "action": "Refer to second line."},
}
TRAVELLER = {"surname": "ERIKSSON", "given_names": "ANNA MARIA", "document_number": "L898902C3"}


@pytest.fixture
def db(tmp_path: Path) -> Iterator[sqlite_utils.Database]:
    opened = open_database(tmp_path / "station.db")
    yield opened
    opened.conn.close()


def photo() -> np.ndarray:
    return np.ascontiguousarray(cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR))


def new_hit(created: datetime = NOW, reference: str = "DEMO-UTO-1") -> NewHit:
    image = photo()
    return NewHit(
        created=created,
        station="TEST-01",
        officer="officer1",
        source="camera",
        findings=({**FINDING, "reference": reference}, {**FINDING, "kind": "face"}),
        traveller=TRAVELLER,
        evidence=(jpeg("face.jpg", face_crop(image, Box(175, 76, 265, 170))),),
    )


def fail_on_outbox_insert(conn: sqlite3.Connection) -> None:
    """Make the next outbox write fail inside SQLite itself, after the hit's rows went in."""
    conn.execute(
        "CREATE TEMP TRIGGER outbox_down BEFORE INSERT ON outbox "
        "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    )


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    tables = ("hit_records", "hit_evidence", "hit_decisions", "outbox")
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def test_a_hit_is_stored_with_its_evidence_and_queued(db: sqlite_utils.Database) -> None:
    hit = record_hit(db.conn, new_hit())
    stored = get_hit(db.conn, hit.id)
    assert stored == hit
    assert stored.kind == "name"
    assert stored.list_id == "DEMO"
    assert stored.list_version == 1
    assert stored.listed["action"] == "Refer to second line."
    assert stored.traveller == TRAVELLER
    assert len(stored.findings) == 2
    assert stored.evidence_names == ("face.jpg",)
    assert stored.decision is None
    evidence = get_evidence(db.conn, hit.id, "face.jpg")
    assert evidence is not None
    assert evidence.media_type == "image/jpeg"
    decoded = cv2.imdecode(np.frombuffer(evidence.data, np.uint8), cv2.IMREAD_COLOR)
    assert decoded is not None
    assert decoded.shape[0] > 90
    item = outbox.get(db.conn, hit_key(hit.id))
    assert item is not None
    assert item.kind == "hit"
    assert item.payload["hit_id"] == hit.id
    assert item.payload["reason"] == FINDING["reason"]
    (sent,) = item.payload["evidence"]
    assert base64.b64decode(sent["data_base64"]) == evidence.data
    assert sent["sha256"] == hashlib.sha256(evidence.data).hexdigest()


def test_a_decision_is_stored_queued_and_leaves_the_hit(db: sqlite_utils.Database) -> None:
    first = record_hit(db.conn, new_hit())
    second = record_hit(db.conn, new_hit(NOW + timedelta(minutes=1), "DEMO-0000001"))
    assert [h.id for h in list_hits(db.conn, undecided_only=True)] == [second.id, first.id]
    decision = decide(
        db.conn,
        first.id,
        Outcome.DISMISSED,
        user="officer1",
        reason="different date of birth",
        note="born 1975, checked with the traveller",
        now=NOW + timedelta(minutes=2),
    )
    assert not decision.referred
    stored = get_hit(db.conn, first.id)
    assert stored is not None
    assert stored.decision == decision
    assert stored.reason == first.reason  # the hit itself is unchanged
    assert [h.id for h in list_hits(db.conn, undecided_only=True)] == [second.id]
    assert len(list_hits(db.conn)) == 2
    item = outbox.get(db.conn, decision_key(first.id))
    assert item is not None
    assert item.kind == "decision"
    assert item.payload["outcome"] == "dismissed"
    assert item.payload["station"] == "TEST-01"
    assert item.payload["decided_by"] == "officer1"
    confirmed = decide(db.conn, second.id, Outcome.CONFIRMED, user="officer2")
    assert confirmed.referred
    with pytest.raises(HitError, match="already confirmed by officer2"):
        decide(db.conn, second.id, Outcome.DISMISSED, user="officer1", reason="known false match")


def test_bad_decisions_are_refused_and_change_nothing(db: sqlite_utils.Database) -> None:
    hit = record_hit(db.conn, new_hit())
    before = counts(db.conn)
    with pytest.raises(HitError, match="needs a reason"):
        decide(db.conn, hit.id, Outcome.DISMISSED, user="officer1")
    with pytest.raises(HitError, match="not a reason to dismiss"):
        decide(db.conn, hit.id, Outcome.DISMISSED, user="officer1", reason="looked fine")
    with pytest.raises(HitError, match="There is no hit"):
        decide(db.conn, "nope", Outcome.CONFIRMED, user="officer1")
    with pytest.raises(HitError, match="user name"):
        decide(db.conn, hit.id, Outcome.CONFIRMED, user=" ")
    assert counts(db.conn) == before
    # The station's own list of reasons replaces the default one.
    decision = decide(
        db.conn, hit.id, Outcome.DISMISSED, user="officer1", reason="twin", reasons=("twin",)
    )
    assert decision.reason == "twin"


def test_a_failure_while_recording_leaves_nothing(db: sqlite_utils.Database) -> None:
    record_hit(db.conn, new_hit())
    before = counts(db.conn)
    fail_on_outbox_insert(db.conn)
    with pytest.raises(sqlite3.IntegrityError, match="disk full"):
        record_hits(db.conn, [new_hit(reference="DEMO-0000001"), new_hit(reference="DEMO-2")])
    assert counts(db.conn) == before
    assert not db.conn.in_transaction


def test_a_failure_while_deciding_leaves_nothing(db: sqlite_utils.Database) -> None:
    hit = record_hit(db.conn, new_hit())
    before = counts(db.conn)
    fail_on_outbox_insert(db.conn)
    with pytest.raises(sqlite3.IntegrityError, match="disk full"):
        decide(db.conn, hit.id, Outcome.CONFIRMED, user="officer1")
    assert counts(db.conn) == before
    stored = get_hit(db.conn, hit.id)
    assert stored is not None
    assert stored.decision is None


def test_recording_joins_the_callers_transaction(db: sqlite_utils.Database) -> None:
    db.conn.execute("BEGIN IMMEDIATE")
    hit = record_hit(db.conn, new_hit())
    assert db.conn.in_transaction
    db.conn.execute("ROLLBACK")
    assert get_hit(db.conn, hit.id) is None
    assert outbox.get(db.conn, hit_key(hit.id)) is None


def test_document_crop_is_the_page_above_the_mrz_turned_upright() -> None:
    page = np.full((400, 600, 3), 255, np.uint8)
    cv2.rectangle(page, (40, 40), (200, 240), (0, 0, 255), -1)  # a red "portrait"
    quad = np.array([[20, 320], [580, 320], [580, 380], [20, 380]], np.float64)
    upright = document_crop(page, quad)
    turned = np.ascontiguousarray(np.rot90(page))  # the page lying sideways
    # Where each corner of the quad lands after np.rot90 (counter-clockwise): (x, y) -> (y, w-1-x).
    turned_quad = np.array([[y, page.shape[1] - 1 - x] for x, y in quad], np.float64)
    again = document_crop(turned, turned_quad)
    assert upright.shape == again.shape
    assert upright.shape[1] > upright.shape[0]
    red = (upright[:, :, 2] > 200) & (upright[:, :, 0] < 50)
    ys, xs = np.nonzero(red)
    assert xs.mean() < upright.shape[1] / 2  # the portrait stays on the left, above the MRZ
    assert ys.mean() < upright.shape[0] * 0.7
    assert np.abs(upright.astype(int) - again.astype(int)).mean() < 8
