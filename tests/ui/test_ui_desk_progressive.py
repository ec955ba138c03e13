"""The desk shows a frame's document and list checks before its face search ends.

The window is given a camera that shows nothing, so it screens nothing on its own; the test
hands it a real document stage and then the real whole result of the same frame, in that
order, as its screening job would. A clear document is "checking" until its faces are
searched; a hit on the document is shown at once, cannot be passed with Next, and is decided
by keyboard once recorded.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from desk_helpers import NOW, demo_station_database
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from checkpoint.camera import DemoSource
from checkpoint.documents.image import Image
from checkpoint.documents.mrz.formats import MrzFormat
from checkpoint.documents.read import DocumentReader
from checkpoint.documents.synth import render_specimen
from checkpoint.documents.synth.identity import Identity
from checkpoint.faces.read import FaceReader
from checkpoint.hits.desk import Desk
from checkpoint.hits.model import Outcome
from checkpoint.hits.store import list_hits
from checkpoint.screening.context import open_context
from checkpoint.screening.model import Capture
from checkpoint.storage import DatabaseWriter, open_database
from checkpoint.ui.desk_window import DeskServices, DeskWindow, Screened

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

WAIT_MS = 60_000


def holder(surname: str, number: str, issuer: str) -> Identity:
    return Identity(
        surname=surname,
        given_names="ALEX",
        document_number=number,
        nationality=issuer,
        issuer=issuer,
        birth_date=date(1980, 2, 2),
        sex="M",
        expiry_date=date(2030, 5, 5),
        document_code="P",
        optional_data="",
    )


REVOKED = holder("LINDGREN", "X0000001", "UTO")
"""The demo list's alert DEMO-A3 says this document is revoked."""
CLEAR = holder("NOVAK", "C4X7K2M91", "CZE")


class NoCamera:
    """A frame source that shows nothing: the window screens only what the test hands it."""

    name = "none"
    interval_s = 0.05

    def read(self) -> Image | None:
        return None

    def close(self) -> None:
        pass


@pytest.fixture
def database(checkpoint_home: Path) -> Path:
    return demo_station_database(checkpoint_home)


@pytest.fixture
def writer(database: Path) -> Iterator[DatabaseWriter]:
    with DatabaseWriter(database) as opened:
        yield opened


@pytest.fixture
def desk(
    database: Path, writer: DatabaseWriter, readers: tuple[DocumentReader, FaceReader]
) -> Iterator[Desk]:
    """The desk whose jobs the window would run: real readers, lists and writer."""
    documents, faces = readers
    db = open_database(database)
    context = open_context(
        db, station="TEST-01", officer="o1", documents=documents, faces=faces, clock=lambda: NOW
    )
    opened = Desk(context, writer=writer)
    yield opened
    opened.close()


@pytest.fixture
def window(
    qtbot: QtBot, database: Path, writer: DatabaseWriter, desk: Desk
) -> Iterator[DeskWindow]:
    shown = DeskWindow(
        DeskServices(
            source=NoCamera(),
            open_desk=lambda: desk,
            database=database,
            writer=writer,
            officer="o1",
            clock=lambda: NOW,
        )
    )
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    shown.start()
    qtbot.waitUntil(lambda: shown.desk is not None, timeout=WAIT_MS)
    yield shown
    shown.shutdown()
    assert shown.pool.activeThreadCount() == 0


def photo(identity: Identity) -> Image:
    specimen = render_specimen(MrzFormat.TD3, identity, rng=np.random.default_rng(4))
    frame = DemoSource([specimen], size=(960, 540)).read()
    assert frame is not None
    return frame


def test_a_clear_document_is_checking_until_its_faces_are_searched(
    qtbot: QtBot, qtmodeltester: ModelTester, window: DeskWindow, desk: Desk
) -> None:
    frame = photo(CLEAR)
    capture = Capture(frame, source="none")
    generation = window._generation

    window._document_checked(generation, 1, frame, desk.check_document(capture))
    assert window.faces_pending
    assert window.banner_state == "checking"
    assert "face check under way" in window.banner.text()
    assert window.traveller.heading.text().startswith("NOVAK, ALEX")
    assert "under way" in window.traveller.face_result.text()
    qtmodeltester.check(window.findings)

    window._screened(generation, 1, Screened(frame, desk.process(capture)))
    assert not window.faces_pending
    assert window.banner_state == "clear"
    # A second document stage of the same document is no news: the whole result stays.
    window._document_checked(generation, 2, frame, desk.check_document(capture))
    assert window.banner_state == "clear"
    assert not window.faces_pending


def test_a_hit_on_the_document_is_shown_at_once_and_decided_once_recorded(
    qtbot: QtBot, qtmodeltester: ModelTester, window: DeskWindow, desk: Desk, database: Path
) -> None:
    frame = photo(REVOKED)
    capture = Capture(frame, source="none")
    generation = window._generation

    window._document_checked(generation, 1, frame, desk.check_document(capture))
    assert window.banner_state == "hit"
    assert "being recorded" in window.banner.text()
    hit_rows = [row for row in window.findings.rows if row.severity.value == "hit"]
    assert len(hit_rows) == 1
    assert hit_rows[0].hit_id is None  # shown, not yet recorded: nothing to decide yet
    qtmodeltester.check(window.findings)
    # Not passed by accident: Next is refused while the hit is being recorded.
    assert not window.next_button.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_F12)
    assert window.banner_state == "hit"
    assert window.faces_pending

    processed = desk.process(capture)
    assert len(processed.recorded) == 1
    window._screened(generation, 1, Screened(frame, processed))
    assert not window.faces_pending
    (hit,) = window.undecided
    assert (hit.kind, hit.reference) == ("document_alert", "DEMO-A3")
    assert "to decide" in window.banner.text()
    qtbot.keyClick(window, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: not window.undecided and not window.deciding, timeout=WAIT_MS)
    assert window.next_button.isEnabled()

    db = open_database(database, migrate_schema=False)
    try:
        (stored,) = list_hits(db.conn)
    finally:
        db.conn.close()
    assert stored.id == hit.id
    assert stored.decision is not None
    assert stored.decision.outcome is Outcome.CONFIRMED
