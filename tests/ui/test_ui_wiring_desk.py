"""The desk wired to the station: locked by the guard it screens nothing, a logged-in
supervisor's decision is audited as a supervisor's, and starting a desk applies retention.

Real readers screen in the test's thread pool, on a real encrypted station with accounts,
behind the real `StationGuard` and its login dialog.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from desk_helpers import NOW, REPO, astronaut
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from checkpoint.accounts import Role, StationSession
from checkpoint.accounts.store import create_first_administrator, create_user, login
from checkpoint.camera import DemoSource
from checkpoint.config import RetentionSettings, Settings
from checkpoint.documents.image import Image
from checkpoint.documents.mrz.formats import MrzFormat
from checkpoint.documents.read import DocumentReader
from checkpoint.documents.synth import render_specimen
from checkpoint.documents.synth.demo import ERIKSSON, NOVAK
from checkpoint.documents.synth.identity import Identity
from checkpoint.errors import CheckpointError
from checkpoint.faces.read import FaceReader
from checkpoint.hits.desk import Desk
from checkpoint.hits.model import NewHit
from checkpoint.hits.store import get_hit, hit_key, list_hits, record_hit
from checkpoint.screening.context import open_context
from checkpoint.storage import DatabaseWriter, open_database
from checkpoint.sync import outbox
from checkpoint.sync.outbox import OutboxState
from checkpoint.sync.outbox import Outcome as SendOutcome
from checkpoint.ui.desk_window import DeskServices, DeskWindow
from checkpoint.ui.login import StationGuard
from checkpoint.watchlist.bundle import verify_bundle
from checkpoint.watchlist.keys import trust_key, trusted_keys
from checkpoint.watchlist.store import import_bundle

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

WAIT_MS = 60_000
SETTINGS = Settings()
PASSWORDS = {"ada": "admin password 1", "sam": "supervisor pw 1"}


@pytest.fixture
def supervisor(checkpoint_home: Path) -> StationSession:
    """An encrypted station with accounts and the demo list; the supervisor logged in."""
    create_first_administrator(checkpoint_home, "ada", PASSWORDS["ada"])
    admin = login(checkpoint_home, "ada", PASSWORDS["ada"], SETTINGS)
    create_user(admin, "sam", PASSWORDS["sam"], Role.SUPERVISOR)
    session = login(checkpoint_home, "sam", PASSWORDS["sam"], SETTINGS)
    trust_key(checkpoint_home, REPO / "watchlists" / "demo" / "DEMO-ONLY-signing-key.pub")
    content = verify_bundle(
        REPO / "watchlists" / "demo" / "demo-list-v1.zip", trusted_keys(checkpoint_home), now=NOW
    )
    db = session.open_database()
    try:
        import_bundle(db, content, signer_name="demo", now=NOW)
    finally:
        db.conn.close()
    return session


@dataclass
class Station:
    """Desks built the way `checkpoint gui` builds them, for whoever logs in."""

    session: StationSession
    readers: tuple[DocumentReader, FaceReader]
    specimen: Image
    writer: DatabaseWriter
    desks: list[DeskWindow]

    def desk_for(self, session: StationSession) -> QMainWindow:
        documents, faces = self.readers
        database, key = session.database_path, session.database_key
        officer = session.principal.username

        def open_desk() -> Desk:
            context = open_context(
                open_database(database, key),
                station="TEST-01",
                officer=officer,
                documents=documents,
                faces=faces,
                clock=lambda: NOW,
            )
            return Desk(context, writer=self.writer)

        window = DeskWindow(
            DeskServices(
                source=DemoSource(
                    [self.specimen], frames_each=1_000_000, interval_s=0.05, size=(960, 540)
                ),
                open_desk=open_desk,
                database=database,
                writer=self.writer,
                officer=officer,
                database_key=key,
                principal=session.principal,
                retention=SETTINGS.retention,
                clock=lambda: NOW,
            )
        )
        window.show()
        window.start()
        self.desks.append(window)
        return window


@pytest.fixture
def station_for(
    supervisor: StationSession, readers: tuple[DocumentReader, FaceReader]
) -> Iterator[Callable[[Identity], Station]]:
    writer = DatabaseWriter(supervisor.database_path, supervisor.database_key)
    made: list[Station] = []

    def make(identity: Identity) -> Station:
        rng = np.random.default_rng(5)
        portrait = astronaut() if identity is ERIKSSON else None
        specimen = render_specimen(MrzFormat.TD3, identity, rng=rng, portrait=portrait)
        station = Station(supervisor, readers, specimen, writer, [])
        made.append(station)
        return station

    yield make
    for station in made:
        for desk in station.desks:
            desk.shutdown()
            assert not desk.capture.isRunning()
            assert desk.pool.activeThreadCount() == 0
    writer.close()


def unlock(qtbot: QtBot, guard: StationGuard) -> None:
    dialog = guard.dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.password, PASSWORDS["sam"])
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert guard.dialog is None


def test_a_locked_desk_screens_nothing_and_resumes_where_it_was(
    qtbot: QtBot, checkpoint_home: Path, station_for: Callable[[Identity], Station]
) -> None:
    station = station_for(NOVAK)
    guard = StationGuard(checkpoint_home, SETTINGS, station.desk_for, lambda _w: None)
    window = guard.open(station.session)
    assert isinstance(window, DeskWindow)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.frames_screened >= 2, timeout=WAIT_MS)

    guard.lock()  # the Station menu's Lock
    assert window.paused
    assert not window.isVisible()
    assert window.live.text() == "Locked"
    # The frame being screened when the station locked may finish; nothing after it starts.
    qtbot.waitUntil(lambda: not window.busy, timeout=WAIT_MS)
    screened = window.frames_screened
    arrived = window.frames_while_paused
    qtbot.waitUntil(lambda: window.frames_while_paused >= arrived + 20, timeout=WAIT_MS)
    assert window.frames_screened == screened
    assert not window.busy

    unlock(qtbot, guard)
    assert guard.window is window, "the same user gets the same desk back"
    assert not window.paused
    assert window.isVisible()
    qtbot.waitUntil(lambda: window.frames_screened > screened, timeout=WAIT_MS)
    guard.stop()


def test_a_supervisors_decision_at_the_desk_is_audited_as_a_supervisors(
    qtbot: QtBot, checkpoint_home: Path, station_for: Callable[[Identity], Station]
) -> None:
    station = station_for(ERIKSSON)
    guard = StationGuard(checkpoint_home, SETTINGS, station.desk_for, lambda _w: None)
    window = guard.open(station.session)
    assert isinstance(window, DeskWindow)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: bool(window.undecided), timeout=WAIT_MS)
    hits = list(window.undecided)

    # Locked with hits to decide: they are still there, to decide, after the unlock.
    guard.lock()
    unlock(qtbot, guard)
    assert [hit.id for hit in window.undecided] == [hit.id for hit in hits]
    assert window.banner_state == "hit"

    while window.undecided:
        count = len(window.undecided)
        window.activateWindow()
        qtbot.keyClick(window, Qt.Key.Key_F8)
        qtbot.waitUntil(lambda n=count: len(window.undecided) < n, timeout=WAIT_MS)
    guard.stop()

    db = station.session.open_database()
    try:
        rows = db.execute(
            "SELECT actor, role, subject FROM audit_log WHERE action = 'hit.decide'"
        ).fetchall()
        decided = {hit.id for hit in list_hits(db.conn) if hit.decision is not None}
    finally:
        db.conn.close()
    assert decided == {hit.id for hit in hits}
    assert sorted(row[2] for row in rows) == sorted(decided)
    assert {(row[0], row[1]) for row in rows} == {("sam", "supervisor")}


def old_and_young_hits(session: StationSession, retention: RetentionSettings) -> tuple[str, str]:
    """A hit past `retention.hits_days` and one within it, both already sent to HQ."""
    db = session.open_database()
    try:
        ids = []
        for age in (retention.hits_days + 5, retention.hits_days - 5):
            new = NewHit(
                created=NOW - timedelta(days=age),
                station="TEST-01",
                officer="sam",
                source="camera",
                findings=(
                    {
                        "kind": "name",
                        "severity": "hit",
                        "reason": "name matches ERIKSSON ANNA MARIA (DEMO/DEMO-UTO-1)",
                        "score": 1.0,
                        "list_id": "DEMO",
                        "list_version": 1,
                        "reference": "DEMO-UTO-1",
                    },
                ),
                traveller={"surname": "ERIKSSON"},
            )
            hit = record_hit(db.conn, new)
            item = outbox.get(db.conn, hit_key(hit.id))
            assert item is not None
            outbox.record_attempt(db.conn, [SendOutcome(item.id, OutboxState.SENT)], now=NOW)
            ids.append(hit.id)
        return ids[0], ids[1]
    finally:
        db.conn.close()


class NoCamera:
    name = "no camera"
    interval_s = 0.05

    def read(self) -> Image | None:
        return None

    def close(self) -> None:
        pass


def no_desk() -> Desk:
    raise CheckpointError("No readers in this test: only the station's upkeep runs.")


def bare_desk(
    session: StationSession, writer: DatabaseWriter, retention: RetentionSettings
) -> DeskWindow:
    return DeskWindow(
        DeskServices(
            source=NoCamera(),
            open_desk=no_desk,
            database=session.database_path,
            writer=writer,
            officer=session.principal.username,
            database_key=session.database_key,
            principal=session.principal,
            retention=retention,
            clock=lambda: NOW,
        )
    )


def test_starting_a_desk_purges_an_old_hit_and_keeps_a_young_one(
    qtbot: QtBot, supervisor: StationSession
) -> None:
    retention = RetentionSettings(hits_days=30, evidence_days=10, audit_days=400)
    old, young = old_and_young_hits(supervisor, retention)
    writer = DatabaseWriter(supervisor.database_path, supervisor.database_key)
    window = bare_desk(supervisor, writer, retention)
    qtbot.addWidget(window)
    try:
        window.start()
        qtbot.waitUntil(lambda: window.last_purge is not None, timeout=WAIT_MS)
    finally:
        window.shutdown()
        writer.close()
    assert window.last_purge is not None
    assert window.last_purge.hits == 1
    db = supervisor.open_database()
    try:
        assert get_hit(db.conn, old) is None
        assert get_hit(db.conn, young) is not None
        purges = db.execute(
            "SELECT actor, role FROM audit_log WHERE action = 'retention.purge'"
        ).fetchall()
    finally:
        db.conn.close()
    assert [tuple(row) for row in purges] == [("sam", "supervisor")]


def test_a_purge_that_fails_is_one_sentence_in_the_status_bar(
    qtbot: QtBot, supervisor: StationSession
) -> None:
    writer = DatabaseWriter(supervisor.database_path, supervisor.database_key)
    writer.close()  # the station's writer is gone: the purge cannot run
    window = bare_desk(supervisor, writer, SETTINGS.retention)
    qtbot.addWidget(window)
    try:
        window.start()
        qtbot.waitUntil(
            lambda: "could not be purged" in window.statusBar().currentMessage(), timeout=WAIT_MS
        )
    finally:
        window.shutdown()
    message = window.statusBar().currentMessage()
    assert message.endswith(".")
    assert "\n" not in message
    assert window.last_purge is None
