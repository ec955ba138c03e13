"""A desk session as `checkpoint gui` runs it: the real window offscreen, the demo source, the
readers in a screening process of their own, and four travellers decided by keyboard.

A traveller on no list is clear; a document on the demo list's alerts, a name on the demo
list, and a face on a list signed in the test (scikit-image's astronaut, a public-domain
NASA photo, built here and never stored in the repository) each raise a hit the officer
decides with F8 or F9. The decisions end up in the database and the outbox, and closing the
window leaves no thread and no process behind.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import cv2
import numpy as np
import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from skimage import data

from checkpoint.camera import DemoSource
from checkpoint.documents.mrz.formats import MrzFormat
from checkpoint.documents.synth import render_specimen
from checkpoint.documents.synth.identity import Identity
from checkpoint.faces.models import default_models
from checkpoint.faces.read import FaceReader
from checkpoint.hits.desk import ProcessDesk, station_desk
from checkpoint.hits.model import DEFAULT_DISMISS_REASONS, Hit, Outcome
from checkpoint.hits.store import list_hits
from checkpoint.screening.context import WATCHLIST_FACE_MODEL, ScreeningPolicy
from checkpoint.storage import DatabaseWriter, open_database
from checkpoint.sync import outbox
from checkpoint.ui.desk_window import DeskServices, DeskWindow
from checkpoint.watchlist.bundle import build_bundle, verify_bundle
from checkpoint.watchlist.keys import generate_key_pair, load_private_key, trust_key, trusted_keys
from checkpoint.watchlist.model import FaceTemplate, Person, PersonName
from checkpoint.watchlist.store import import_bundle

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "watchlists" / "demo"
WAIT_MS = 120_000


def identity(surname: str, given: str, number: str, country: str, born: date) -> Identity:
    return Identity(
        surname=surname,
        given_names=given,
        document_number=number,
        nationality=country,
        issuer=country,
        birth_date=born,
        sex="F",
        expiry_date=date(2031, 9, 30),
        document_code="P",
        optional_data="",
    )


CLEAR = identity("NOVAK", "PETRA", "C4X7K2M91", "CZE", date(1988, 3, 14))
"""On no list, with a valid document."""
REVOKED = identity("LINDGREN", "OSKAR", "X0000001", "UTO", date(1980, 2, 2))
"""Carries a document the demo list's alert DEMO-A3 says is revoked."""
DEMONOV = identity("DEMONOV", "IVAN SERGEYEVICH", "R73062184", "RUS", date(1969, 5, 2))
"""Listed by name on the demo list (DEMO-RUS-1), with a document nobody listed."""
COLLINS = identity("HOLM", "EILEEN", "K5R2T8Q14", "SWE", date(1956, 11, 19))
"""Listed by face only: the document's portrait is the astronaut."""


def astronaut_face() -> np.ndarray:
    """Eileen Collins' head and shoulders from scikit-image's astronaut photo."""
    photo = cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR)
    return np.ascontiguousarray(photo[33:233, 120:320])


@pytest.fixture
def database(checkpoint_home: Path, tmp_path: Path) -> Path:
    """The station database with the demo list and a face list signed here, both in force."""
    path = checkpoint_home / "checkpoint.db"
    db = open_database(path)
    try:
        trust_key(checkpoint_home, DEMO / "DEMO-ONLY-signing-key.pub")
        content = verify_bundle(DEMO / "demo-list-v1.zip", trusted_keys(checkpoint_home))
        import_bundle(db, content, signer_name="demo")

        (face,) = FaceReader(default_models()).read(astronaut_face())
        assert face.template is not None
        listed = Person(
            entry_id="FACE-1",
            names=(PersonName("Zora Vukovic", "primary"),),
            templates=(
                FaceTemplate(
                    np.asarray(face.template.vector),
                    WATCHLIST_FACE_MODEL.name,
                    WATCHLIST_FACE_MODEL.version,
                ),
            ),
            category="test",
            reason="listed by face",
            action="Call the supervisor.",
        )
        private, public = generate_key_pair(tmp_path / "faces-key")
        trust_key(checkpoint_home, public)
        bundle = tmp_path / "faces.zip"
        build_bundle(
            bundle,
            key=load_private_key(private),
            list_id="FACES",
            version=1,
            persons=[listed],
            created=datetime.now(UTC),
        )
        import_bundle(db, verify_bundle(bundle, trusted_keys(checkpoint_home)), signer_name="test")
    finally:
        db.conn.close()
    return path


@pytest.fixture
def window(qtbot: QtBot, database: Path) -> Iterator[DeskWindow]:
    rng = np.random.default_rng(5)
    specimens = [
        render_specimen(MrzFormat.TD3, CLEAR, rng=rng),
        render_specimen(MrzFormat.TD3, REVOKED, rng=rng),
        render_specimen(MrzFormat.TD3, DEMONOV, rng=rng),
        render_specimen(MrzFormat.TD3, COLLINS, rng=rng, portrait=astronaut_face()),
    ]
    writer = DatabaseWriter(database)
    factory = functools.partial(
        station_desk, database, None, station="TEST-01", officer="o1", policy=ScreeningPolicy()
    )
    desks: list[ProcessDesk] = []

    def open_desk() -> ProcessDesk:
        desks.append(ProcessDesk(factory, writer))
        return desks[-1]

    desk = DeskWindow(
        DeskServices(
            source=DemoSource(specimens, frames_each=100_000, interval_s=0.05, size=(960, 540)),
            open_desk=open_desk,
            database=database,
            writer=writer,
            officer="o1",
        )
    )
    qtbot.addWidget(desk)
    desk.show()
    desk.activateWindow()
    qtbot.waitExposed(desk)
    desk.start()
    yield desk
    desk.shutdown()
    writer.close()
    assert not desk.capture.isRunning()
    assert desk.pool.activeThreadCount() == 0
    # Both processes (the desk's and its document lane) are gone with the window.
    (process_desk,) = desks
    assert process_desk.document_lane is not None
    assert not process_desk.screening.alive
    assert not process_desk.document_lane.screening.alive


def the_hit(qtbot: QtBot, window: DeskWindow) -> Hit:
    qtbot.waitUntil(lambda: len(window.undecided) == 1, timeout=WAIT_MS)
    assert window.banner_state == "hit"
    assert not window.next_button.isEnabled()
    return window.undecided[0]


def decided(qtbot: QtBot, window: DeskWindow) -> None:
    qtbot.waitUntil(lambda: not window.undecided and not window.deciding, timeout=WAIT_MS)
    assert window.banner_state == "decided"


def test_four_travellers_decided_by_keyboard(
    qtbot: QtBot, qtmodeltester: ModelTester, window: DeskWindow, database: Path
) -> None:
    # 1. On no list: clear once the face search is done too, not before.
    qtbot.waitUntil(lambda: window.banner_state == "clear", timeout=WAIT_MS)
    assert window.lane is not None  # the document lane runs beside the desk's process
    assert not window.faces_pending
    assert window.traveller.heading.text().startswith("NOVAK, PETRA")
    assert not any(row.hit_id for row in window.findings.rows)
    qtmodeltester.check(window.findings)
    qtmodeltester.check(window.traveller.fields)
    qtbot.keyClick(window, Qt.Key.Key_F12)

    # 2. A revoked document: F8 refers the traveller to second line.
    alert = the_hit(qtbot, window)
    assert window.traveller.heading.text().startswith("LINDGREN, OSKAR")
    assert (alert.kind, alert.reference) == ("document_alert", "DEMO-A3")
    qtmodeltester.check(window.findings)
    qtbot.keyClick(window, Qt.Key.Key_F8)
    decided(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_F12)

    # 3. A listed name: F9 goes to the reasons, arrow down picks one, F9 dismisses.
    name = the_hit(qtbot, window)
    assert window.traveller.heading.text().startswith("DEMONOV, IVAN SERGEYEVICH")
    assert (name.kind, name.reference) == ("name", "DEMO-RUS-1")
    qtbot.keyClick(window, Qt.Key.Key_F9)
    assert window.reason_box.hasFocus()
    qtbot.keyClick(window.reason_box, Qt.Key.Key_Down)
    qtbot.keyClick(window, Qt.Key.Key_F9)
    decided(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_F12)

    # 4. A listed face, found on the document's portrait: F8.
    face = the_hit(qtbot, window)
    assert window.traveller.heading.text().startswith("HOLM, EILEEN")
    assert (face.kind, face.reference, face.list_id) == ("face", "FACE-1", "FACES")
    assert "Zora Vukovic" in face.reason
    assert "portrait.jpg" in face.evidence_names
    qtmodeltester.check(window.findings)
    qtbot.keyClick(window, Qt.Key.Key_F8)
    decided(qtbot, window)
    window.grab()

    db = open_database(database, migrate_schema=False)
    try:
        hits = {hit.id: hit for hit in list_hits(db.conn)}
        keys = {item.idempotency_key for item in outbox.items(db.conn)}
    finally:
        db.conn.close()
    assert set(hits) == {alert.id, name.id, face.id}
    outcomes = {
        hits[hit.id].kind: (decision.outcome, decision.reason, decision.decided_by)
        for hit in (alert, name, face)
        if (decision := hits[hit.id].decision) is not None
    }
    assert outcomes == {
        "document_alert": (Outcome.CONFIRMED, "", "o1"),
        "name": (Outcome.DISMISSED, DEFAULT_DISMISS_REASONS[0], "o1"),
        "face": (Outcome.CONFIRMED, "", "o1"),
    }
    # Each hit and each decision is queued for HQ.
    assert {f"hit:{hit_id}" for hit_id in hits} <= keys
    assert len(keys) == 6
