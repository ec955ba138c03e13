"""The desk window driven through the demo source, offscreen, with the real readers and lists.

A listed traveller (Doc 9303's specimen holder, on the demo list) raises hits that stop the
desk until the officer decides them by keyboard; a traveller on no list is shown clear. Each
test closes the window and checks that no thread is left running.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from desk_helpers import NOW, astronaut, demo_station_database
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from checkpoint.camera import DemoSource
from checkpoint.documents.mrz.formats import MrzFormat
from checkpoint.documents.read import DocumentReader
from checkpoint.documents.synth import render_specimen
from checkpoint.documents.synth.demo import ERIKSSON, NOVAK
from checkpoint.errors import CheckpointError
from checkpoint.faces.read import FaceReader
from checkpoint.hits.desk import Desk
from checkpoint.hits.model import DEFAULT_DISMISS_REASONS, Outcome
from checkpoint.hits.store import list_hits
from checkpoint.screening.context import open_context
from checkpoint.screening.model import Capture
from checkpoint.storage import DatabaseWriter, open_database
from checkpoint.sync import outbox
from checkpoint.ui.desk_window import DeskServices, DeskWindow, Screened

# The offscreen platform says this of every shown window; it is not about the desk.
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

WAIT_MS = 60_000


@pytest.fixture
def database(checkpoint_home: Path) -> Path:
    return demo_station_database(checkpoint_home)


@pytest.fixture
def window(
    qtbot: QtBot, database: Path, readers: tuple[DocumentReader, FaceReader]
) -> Iterator[DeskWindow]:
    rng = np.random.default_rng(11)
    specimens = [
        render_specimen(MrzFormat.TD3, ERIKSSON, rng=rng, portrait=astronaut()),
        render_specimen(MrzFormat.TD3, NOVAK, rng=rng),
    ]
    writer = DatabaseWriter(database)
    documents, faces = readers

    def open_desk() -> Desk:
        db = open_database(database)
        context = open_context(
            db, station="TEST-01", officer="o1", documents=documents, faces=faces, clock=lambda: NOW
        )
        return Desk(context, writer=writer)

    desk = DeskWindow(
        DeskServices(
            source=DemoSource(specimens, frames_each=100_000, interval_s=0.05, size=(960, 540)),
            open_desk=open_desk,
            database=database,
            writer=writer,
            officer="o1",
            clock=lambda: NOW,
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


def test_a_listed_traveller_is_decided_by_keyboard_then_the_next_is_clear(
    qtbot: QtBot, window: DeskWindow, database: Path
) -> None:
    qtbot.waitUntil(lambda: len(window.undecided) == 2, timeout=WAIT_MS)
    assert window.banner_state == "hit"
    assert window.traveller.heading.text().startswith("ERIKSSON, ANNA MARIA")
    kinds = {hit.kind for hit in window.undecided}
    assert kinds == {"document_alert", "listed_document"}
    rows = window.findings.rows
    assert [row.state for row in rows if row.hit_id] == ["to decide", "to decide"]
    assert any(row.severity.value == "alert" and "expired" in row.reason for row in rows)
    assert window.last_status is None or window.last_status.lists[0].list_id == "DEMO"

    # The hit cannot be passed by accident: the next traveller is refused, screening stops.
    screened = window.frames_screened
    qtbot.keyClick(window, Qt.Key.Key_F12)
    assert window.banner_state == "hit"
    assert not window.next_button.isEnabled()
    assert not window.dismiss_button.isEnabled()

    # F9 without a reason goes to the reason list; arrow down picks one; F9 dismisses.
    first = window.decision_target()
    assert first is not None
    qtbot.keyClick(window, Qt.Key.Key_F9)
    assert window.reason_box.hasFocus()
    qtbot.keyClick(window.reason_box, Qt.Key.Key_Down)
    assert window.reason_box.currentText() == DEFAULT_DISMISS_REASONS[0]
    qtbot.keyClick(window, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: len(window.undecided) == 1 and not window.deciding, timeout=WAIT_MS)
    assert window.frames_screened == screened

    # F8 refers the other one to second line.
    second = window.decision_target()
    assert second is not None
    assert second.id != first.id
    qtbot.keyClick(window, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: not window.undecided and not window.deciding, timeout=WAIT_MS)
    assert window.banner_state == "decided"
    states = [row.state for row in window.findings.rows if row.hit_id]
    assert f"dismissed: {DEFAULT_DISMISS_REASONS[0]}" in states
    assert "referred to second line" in states

    db = open_database(database, migrate_schema=False)
    try:
        decisions = {hit.id: hit.decision for hit in list_hits(db.conn)}
        keys = [item.idempotency_key for item in outbox.items(db.conn)]
    finally:
        db.conn.close()
    assert decisions[first.id] is not None
    assert decisions[first.id].outcome is Outcome.DISMISSED
    assert decisions[first.id].reason == DEFAULT_DISMISS_REASONS[0]
    assert decisions[first.id].decided_by == "o1"
    assert decisions[second.id] is not None
    assert decisions[second.id].outcome is Outcome.CONFIRMED
    assert len(keys) == 4  # two hits and two decisions, queued for HQ
    qtbot.waitUntil(
        lambda: window.outbox_label.text().startswith("outbox 4 pending"), timeout=WAIT_MS
    )

    # Next traveller: the desk clears and the demo puts the next document down.
    qtbot.keyClick(window, Qt.Key.Key_F12)
    assert window.findings.rowCount() == 0
    assert window.banner_state == "idle"
    qtbot.waitUntil(lambda: window.banner_state == "clear", timeout=WAIT_MS)
    assert window.traveller.heading.text().startswith("NOVAK, PETRA")
    assert not any(row.hit_id for row in window.findings.rows)
    window.grab()  # draws every panel once with real data


def test_manual_entry_is_checked_as_typed(qtbot: QtBot, window: DeskWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert window.manual.text.hasFocus()
    qtbot.keyClicks(window.manual.text, "P<UTOERIKSSON<<ANNA<MARIA")
    assert "no MRZ format" in window.manual.result.text()
    window.manual.text.setPlainText(
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
    )
    assert "all check digits agree" in window.manual.result.text()
    window.manual.text.setPlainText(
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C37UTO7408122F1204159ZE184226B<<<<<10"
    )
    assert "check digits fail" in window.manual.result.text()
    rows = {row.label: row for row in window.manual.fields.rows}
    assert rows["Number"].mark == "✘"


def test_status_bar_shows_lists_outbox_hq_and_camera(qtbot: QtBot, window: DeskWindow) -> None:
    qtbot.waitUntil(lambda: window.last_status is not None, timeout=WAIT_MS)
    assert "DEMO v1" in window.lists_label.text()
    assert "STALE" not in window.lists_label.text()
    assert window.outbox_label.text().startswith("outbox 0 pending")
    assert window.hq_label.text() == "HQ: not configured"
    qtbot.waitUntil(lambda: window.camera_label.text() == "demo: on", timeout=WAIT_MS)


def test_a_late_result_of_a_traveller_sent_away_is_dropped_but_its_hits_are_not(
    qtbot: QtBot,
    window: DeskWindow,
    database: Path,
    readers: tuple[DocumentReader, FaceReader],
) -> None:
    """A frame screened while the officer pressed Next arrives late: the new traveller's
    panel is not overwritten, yet a hit it recorded must still be shown and decided."""
    qtbot.waitUntil(lambda: len(window.undecided) == 2, timeout=WAIT_MS)
    for hit in window.undecided:
        qtbot.keyClick(window, Qt.Key.Key_F8)
        qtbot.waitUntil(lambda h=hit: h not in window.undecided, timeout=WAIT_MS)  # type: ignore[misc]
    old_generation = window._generation
    qtbot.keyClick(window, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: window.banner_state == "clear", timeout=WAIT_MS)

    # The same listed document screened by another desk: its hits are new to that desk.
    documents, faces = readers
    db = open_database(database)
    context = open_context(
        db, station="TEST-01", officer="o1", documents=documents, faces=faces, clock=lambda: NOW
    )
    late_desk = Desk(context)
    try:
        frame = DemoSource(
            [render_specimen(MrzFormat.TD3, ERIKSSON, rng=np.random.default_rng(2))],
            size=(960, 540),
        ).read()
        assert frame is not None
        processed = late_desk.process(Capture(frame, source="late"))
    finally:
        late_desk.close()
    assert len(processed.recorded) == 2

    window._screened(old_generation, 0, Screened(frame, processed))
    assert window.traveller.heading.text().startswith("NOVAK, PETRA")
    assert {hit.id for hit in window.undecided} == {hit.id for hit in processed.recorded}
    assert window.banner_state == "hit"
    assert not window.next_button.isEnabled()


def test_a_desk_that_cannot_load_says_why(qtbot: QtBot, database: Path) -> None:
    def broken() -> Desk:
        raise CheckpointError("The OCR-B model file is missing: reinstall Checkpoint.")

    writer = DatabaseWriter(database)
    desk = DeskWindow(
        DeskServices(
            source=DemoSource(frames_each=1000, interval_s=0.05, size=(640, 360)),
            open_desk=broken,
            database=database,
            writer=writer,
            officer="o1",
            clock=lambda: NOW,
        )
    )
    qtbot.addWidget(desk)
    desk.start()
    try:
        qtbot.waitUntil(lambda: "cannot screen" in desk.banner.text(), timeout=WAIT_MS)
        assert "OCR-B model file is missing" in desk.banner.text()
        assert desk.banner_state == "hit"
        qtbot.waitUntil(lambda: desk.frames_seen > 0, timeout=WAIT_MS)
        assert desk.frames_screened == 0
    finally:
        desk.shutdown()
        writer.close()
    assert not desk.capture.isRunning()
