"""Stations with a real audit log, and raw access to their files for tampering.

The tampering goes through plain sqlite3 (a demo station's file) or SQLCipher with the key
(an encrypted station's), the way someone editing the file behind Checkpoint's back would.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import cv2
import numpy as np
from skimage import data

from checkpoint.accounts.roles import Principal, Role
from checkpoint.accounts.session import StationSession
from checkpoint.audit import record
from checkpoint.faces.detect import Box
from checkpoint.hits.evidence import face_crop, jpeg
from checkpoint.hits.model import NewHit, Outcome
from checkpoint.hits.store import decide, record_hit

NOW = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
SUPERVISOR = Principal("sofia", Role.SUPERVISOR)
OFFICER = Principal("omar", Role.OFFICER)
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


def station(home: Path, kind: str) -> StationSession:
    """A demo station (plain file) or an encrypted one (SQLCipher with a key)."""
    if kind == "plain":
        return StationSession.demo(home)
    return StationSession(home, SUPERVISOR, database_key="correct horse battery staple")


@contextmanager
def raw(session: StationSession) -> Iterator[sqlite3.Connection]:
    """The station file opened outside Checkpoint, autocommitting every statement."""
    if session.database_key is None:
        conn = sqlite3.connect(session.database_path, isolation_level=None)
    else:
        import sqlcipher3  # noqa: PLC0415

        conn = sqlcipher3.connect(str(session.database_path), isolation_level=None)
        key = session.database_key
        if key.startswith("x'"):
            conn.execute(f'PRAGMA key = "{key}"')  # a raw key, as accounts unwrap it
        else:
            conn.execute("PRAGMA key = '{}'".format(key.replace("'", "''")))
    try:
        yield conn
    finally:
        conn.close()


def new_hit(created: datetime = NOW, with_image: bool = True) -> NewHit:
    image = np.ascontiguousarray(cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR))
    evidence = (jpeg("face.jpg", face_crop(image, Box(175, 76, 265, 170))),) if with_image else ()
    return NewHit(
        created=created,
        station="TEST-01",
        officer=OFFICER.username,
        source="camera",
        findings=(FINDING,),
        traveller={"surname": "ERIKSSON", "given_names": "ANNA MARIA"},
        evidence=evidence,
    )


def real_actions(session: StationSession, count: int = 3) -> list[str]:
    """Hits raised, viewed and decided: `3 * count` audit rows through the real code paths."""
    db = session.open_database()
    hit_ids = []
    try:
        for number in range(count):
            moment = NOW + timedelta(minutes=number)
            hit = record_hit(db.conn, new_hit(moment, with_image=False))
            record(db.conn, OFFICER, "hit.view", hit.id, at=moment)
            record(db.conn, SUPERVISOR, "listed.view", "DEMO-UTO-1", at=moment)
            decide(
                db.conn,
                hit.id,
                Outcome.DISMISSED if number % 2 else Outcome.CONFIRMED,
                user=OFFICER.username,
                reason="different date of birth" if number % 2 else "",
                now=moment,
                actor=OFFICER,
            )
            hit_ids.append(hit.id)
    finally:
        db.conn.close()
    return hit_ids
