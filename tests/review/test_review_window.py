"""The hit log and a hit in detail, in real widgets over a real station database: filter,
sort, search, scroll, open, annotate, overturn and export, then the rows, outbox and audit."""

from __future__ import annotations

import csv
import json
import random
import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from review_helpers import START, SUPERVISOR, Spec, evidence_images, random_log, record_log

from checkpoint.accounts.roles import PermissionDeniedError, Principal, Role
from checkpoint.accounts.session import StationSession
from checkpoint.hits.model import Outcome
from checkpoint.hits.query import DecisionState, HitFilter, HitSort, SortKey, all_seqs, rows_for
from checkpoint.hits.review import review_key
from checkpoint.sync import outbox
from checkpoint.ui.review import HitDetailDialog, HitLogWindow
from checkpoint.ui.review.log_model import HIT_ID_ROLE, PAGE_ROWS

WAIT_MS = 20_000
# The offscreen platform says so of every top-level window shown; nothing to fix here.
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def the_hit() -> Spec:
    """The one hit the test opens: decided, with evidence, findable by name."""
    return Spec(
        created=START + timedelta(days=30),
        station="NORTH-1",
        officer="o.berg",
        kind="face",
        score=0.93,
        list_id="DEMO",
        surname="VANTERPOOL",
        given="GRETA",
        listed="VANTERPOOL GRETA",
        outcome=Outcome.DISMISSED,
        evidence=evidence_images(7),
    )


@pytest.fixture
def station(checkpoint_home: Path) -> StationSession:
    return StationSession(checkpoint_home, SUPERVISOR)


@pytest.fixture
def logged(station: StationSession) -> Iterator[tuple[sqlite3.Connection, list[Spec]]]:
    db = station.open_database()
    specs = [*random_log(random.Random(11), 3 * PAGE_ROWS + 37), the_hit()]
    record_log(db.conn, specs)
    yield db.conn, specs
    db.conn.close()


@pytest.fixture
def window(qtbot: QtBot, station: StationSession) -> Iterator[HitLogWindow]:
    opened = HitLogWindow(station)
    qtbot.addWidget(opened)
    with qtbot.waitSignal(opened.model.loaded, timeout=WAIT_MS):
        opened.show()
    qtbot.waitUntil(lambda: opened.station.count() > 1, timeout=WAIT_MS)
    yield opened
    opened.close()
    assert not opened.busy


def shown_rows(qtbot: QtBot, window: HitLogWindow, first: int, last: int) -> list[str]:
    """The hit ids of rows `first`..`last` once their pages are in."""
    model = window.model
    for number in range(first, last + 1):
        model.row_at(number)
    qtbot.waitUntil(lambda: model.is_loaded(first, last), timeout=WAIT_MS)
    return [str(model.data(model.index(n, 0), HIT_ID_ROLE)) for n in range(first, last + 1)]


def expected_ids(conn: sqlite3.Connection, hit_filter: HitFilter, sort: HitSort) -> list[str]:
    return [row.hit_id for row in rows_for(conn, all_seqs(conn, hit_filter, sort))]


def audit_actions(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    return conn.execute("SELECT actor, action, subject FROM audit_log ORDER BY seq").fetchall()


def test_the_model_passes_the_model_tester(
    qtbot: QtBot, qtmodeltester: ModelTester, logged: object, window: HitLogWindow
) -> None:
    qtmodeltester.check(window.model)
    qtbot.waitUntil(lambda: not window.model.jobs.busy, timeout=WAIT_MS)
    qtmodeltester.check(window.model)


def test_filter_sort_search_and_scroll(
    qtbot: QtBot, logged: tuple[sqlite3.Connection, list[Spec]], window: HitLogWindow
) -> None:
    conn, specs = logged
    model = window.model
    assert window.count_label.text() == f"{len(specs)} hits"
    everything = expected_ids(conn, HitFilter(), HitSort())
    assert shown_rows(qtbot, window, 0, 9) == everything[:10]

    # Scrolling to the end shows the oldest hits (read from the far end of the order).
    window.view.setFocus()
    QTest.keyClick(window.view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    last = len(specs) - 1
    assert window.view.currentIndex().row() == last
    assert shown_rows(qtbot, window, last - 4, last) == everything[-5:]

    # A filter from the bar.
    with qtbot.waitSignal(model.loaded, timeout=WAIT_MS):
        window.station.setCurrentIndex(window.station.findData("NORTH-1"))
    north = HitFilter(station="NORTH-1")
    assert model.total == len(expected_ids(conn, north, HitSort()))
    assert window.count_label.text() == f"{model.total} hits"
    with qtbot.waitSignal(model.loaded, timeout=WAIT_MS):
        window.decision.setCurrentIndex(window.decision.findData("overturned"))
    both = HitFilter(station="NORTH-1", decision=DecisionState.OVERTURNED)
    assert shown_rows(qtbot, window, 0, model.total - 1) == expected_ids(conn, both, HitSort())

    # A click on the Officer header sorts by officer; a second click turns the order round.
    with qtbot.waitSignal(model.loaded, timeout=WAIT_MS):
        window.decision.setCurrentIndex(0)
    header = window.view.horizontalHeader()
    at = QPoint(header.sectionViewportPosition(2) + 10, header.height() // 2)
    orders = []
    for _ in range(2):
        with qtbot.waitSignal(model.loaded, timeout=WAIT_MS):
            QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=at)
        orders.append(model.sort_order)
        assert shown_rows(qtbot, window, 0, model.total - 1) == expected_ids(
            conn, north, model.sort_order
        )
    assert {o.key for o in orders} == {SortKey.OFFICER}
    assert {o.descending for o in orders} == {True, False}
    # The free-text columns do not sort: the indicator stays on the officer column.
    reason = QPoint(header.sectionViewportPosition(9) + 10, header.height() // 2)
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=reason)
    assert header.sortIndicatorSection() == 2

    # Text search, after a pause in typing.
    with qtbot.waitSignal(model.loaded, timeout=WAIT_MS):
        window.station.setCurrentIndex(0)
    QTest.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search.hasFocus()
    with qtbot.waitSignal(model.loaded, timeout=WAIT_MS):
        qtbot.keyClicks(window.search, "vanterp")
    assert model.total == 1
    assert shown_rows(qtbot, window, 0, 0) == [specs[-1].hit_id]

    # A double click opens the hit as Enter does.
    row = window.view.visualRect(model.index(0, 3)).center()
    with qtbot.waitSignal(window.detail_opened, timeout=WAIT_MS) as opened:
        # A real double click: press and release, then the double-click event.
        QTest.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=row)
        QTest.mouseDClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=row)
    dialog = opened.args[0]
    assert dialog.hit_id == specs[-1].hit_id
    qtbot.waitUntil(lambda: dialog.detail is not None, timeout=WAIT_MS)
    dialog.close()


def test_open_annotate_overturn_and_export(
    qtbot: QtBot,
    logged: tuple[sqlite3.Connection, list[Spec]],
    window: HitLogWindow,
    tmp_path: Path,
) -> None:
    conn, specs = logged
    hit = specs[-1]
    with qtbot.waitSignal(window.model.loaded, timeout=WAIT_MS):
        window.search.setText("greta vanterpool")
    assert window.view.currentIndex().row() == 0
    shown_rows(qtbot, window, 0, 0)

    # Enter on the selected row opens the hit; opening it is audited.
    window.view.setFocus()
    with qtbot.waitSignal(window.detail_opened, timeout=WAIT_MS) as opened:
        QTest.keyClick(window.view, Qt.Key.Key_Return)
    dialog = opened.args[0]
    assert isinstance(dialog, HitDetailDialog)
    qtbot.waitUntil(lambda: dialog.detail is not None, timeout=WAIT_MS)
    for pane in (dialog.face, dialog.document, dialog.listed):
        assert not pane.image.pixmap().isNull()
    assert "dismissed by o.berg" in dialog.fact_labels["decision"].text()
    assert dialog.overturn_button.text() == "&Overturn to referred to second line"
    assert audit_actions(conn)[-2:] == [
        ("sup.lind", "hit.view", hit.hit_id),
        ("sup.lind", "listed.view", hit.hit_id),
    ]

    # Annotate by keyboard.
    dialog.text.setFocus()
    qtbot.keyClicks(dialog.text, "Glare on the page; ask for a second photo.")
    with qtbot.waitSignal(dialog.loaded, timeout=WAIT_MS):
        QTest.keyClick(dialog.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.reviews.count() == 1
    assert "noted: Glare on the page" in dialog.reviews.item(0).text()

    # An overturn without a reason is refused in place; with one it is stored.
    dialog.overturn_button.click()
    assert "Write why" in dialog.message.text()
    dialog.text.setPlainText("Same scar as the listed photo.")
    with qtbot.waitSignal(dialog.loaded, timeout=WAIT_MS):
        dialog.overturn_button.click()
    assert dialog.reviews.count() == 2
    assert "overturned" in dialog.fact_labels["state"].text()
    assert dialog.overturn_button.text() == "&Overturn to dismissed"

    reviews = conn.execute(
        "SELECT id, kind, outcome, reason, note, reviewed_by FROM hit_reviews WHERE hit_id = ? "
        "ORDER BY reviewed_at",
        (hit.hit_id,),
    ).fetchall()
    assert [r[1:] for r in reviews] == [
        ("annotation", None, "", "Glare on the page; ask for a second photo.", "sup.lind"),
        ("overturn", "confirmed", "Same scar as the listed photo.", "", "sup.lind"),
    ]
    for review_id, kind, *_ in reviews:
        item = outbox.get(conn, review_key(review_id))
        assert item is not None
        assert (item.kind, item.payload["kind"]) == ("review", kind)
    assert conn.execute(
        "SELECT outcome FROM hit_decisions WHERE hit_id = ?", (hit.hit_id,)
    ).fetchone() == ("dismissed",)
    assert [a[1] for a in audit_actions(conn)[-2:]] == ["hit.annotate", "hit.overturn"]
    # The log shows the overturn after the refresh the review triggered.
    qtbot.waitUntil(lambda: window.model.is_loaded(0, 0) and not window.jobs.busy)
    assert window.model.row_at(0) is not None
    assert window.model.row_at(0).overturned  # type: ignore[union-attr]
    with qtbot.waitSignal(dialog.finished, timeout=WAIT_MS):
        QTest.keyClick(dialog, Qt.Key.Key_Escape)

    # Exports of the filtered log, each audited with its filter and row count.
    with qtbot.waitSignal(window.model.loaded, timeout=WAIT_MS):
        window.search.setText("")
        window.search_timer.timeout.emit()
    with qtbot.waitSignal(window.model.loaded, timeout=WAIT_MS):
        window.kind.setCurrentIndex(window.kind.findData("name"))
    names = expected_ids(conn, HitFilter(kind="name"), HitSort())
    target = tmp_path / "names.csv"
    with qtbot.waitSignal(window.exported, timeout=WAIT_MS):
        window.export_csv_to(target)
    rows = list(csv.DictReader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert [row["hit_id"] for row in rows] == names
    assert window.message.text() == f"Exported {len(names)} hits to {target}."
    report = tmp_path / "names.pdf"
    with qtbot.waitSignal(window.exported, timeout=WAIT_MS):
        window.export_pdf_to(report)
    data = report.read_bytes()
    assert data.startswith(b"%PDF")
    assert (
        data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") + data.count(b"/Type/Page") >= 1
    )
    exports = conn.execute(
        "SELECT subject, details FROM audit_log WHERE action = 'hits.export' ORDER BY seq"
    ).fetchall()
    assert [(s, json.loads(d)) for s, d in exports] == [
        (str(target), {"format": "csv", "rows": len(names), "filter": {"kind": "name"}}),
        (str(report), {"format": "pdf", "rows": len(names), "filter": {"kind": "name"}}),
    ]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "home") == [
        "names.csv",
        "names.pdf",
    ]
    # A report that cannot be written says so, and leaves no audit row.
    window.export_pdf_to(tmp_path / "missing" / "names.pdf")
    qtbot.waitUntil(lambda: "Cannot write" in window.message.text(), timeout=WAIT_MS)
    assert "choose a folder you may write to" in window.message.text()
    assert conn.execute("SELECT count(*) FROM audit_log WHERE action = 'hits.export'").fetchone()[
        0
    ] == len(exports)


def test_an_officer_may_not_open_the_log(checkpoint_home: Path) -> None:
    officer = StationSession(checkpoint_home, Principal("o.berg", Role.OFFICER))
    with pytest.raises(PermissionDeniedError, match="may not review hits"):
        HitLogWindow(officer)
