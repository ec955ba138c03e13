"""Every window in French and right to left: each one (desk, login and lock, hit log, hit
detail, administration with all its tabs and its user dialogs, first-run wizard with all its
pages) is built once in English and once in French, and no label, button, action, tab, group,
header, placeholder, tooltip or list entry keeps its English text unless the translation says
the word is the same in French; no two French texts on screen together share an Alt key; and
each window lays out mirrored without a Qt warning (the suite fails on any)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from desk_helpers import idle_desk_window
from PySide6.QtCore import QLocale, QModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTabBar,
    QTableView,
    QTabWidget,
    QTreeView,
    QWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot

from checkpoint.accounts import Principal, Role, StationSession
from checkpoint.accounts.store import create_first_administrator, has_accounts, login
from checkpoint.config import Settings
from checkpoint.hits.model import DEFAULT_DISMISS_REASONS, NewHit, Outcome
from checkpoint.hits.store import decide, record_hits
from checkpoint.paths import database_path
from checkpoint.storage import DatabaseWriter, open_database
from checkpoint.ui.admin.users import NewUserDialog, PasswordDialog, RoleDialog
from checkpoint.ui.admin.window import AdministrationWindow
from checkpoint.ui.application import TRANSLATIONS, install_translation
from checkpoint.ui.desk_window import DeskWindow
from checkpoint.ui.login import LoginDialog, add_station_menu
from checkpoint.ui.review import HitLogWindow
from checkpoint.ui.wizard import FirstRunWizard

# The offscreen platform says so of every top-level window shown; nothing to fix here.
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")
WAIT_MS = 30_000

# What the test itself puts on screen: a station, its people and one hit. They are names and
# codes, the same in any language. The dismissal reasons are the station's own list (its
# settings), shown as configured.
STATION = "NORTH-1"
DATA = (
    STATION,
    *("o.berg", "sup.lind", "ada", "o1", "VANTERPOOL", "GRETA", "DEMO", "demo", "UTC"),
    *DEFAULT_DISMISS_REASONS,
)
ADMIN_PASSWORD = "admin password 1"
OFFICER = Principal("o.berg", Role.OFFICER)
URL = re.compile(r"\bhttps?://\S+")
PLACEHOLDER = re.compile(r"\{[^}]*\}")


def same_in_french() -> set[str]:
    """Texts the shipped translation leaves as they are (Score, Document, Version…): each
    such source, cut at its placeholders, as the pieces a window may show around its values."""
    root = ET.parse(TRANSLATIONS / "checkpoint_fr.ts").getroot()
    same = {"OK", "Checkpoint"}
    for message in root.iter("message"):
        source, translation = message.findtext("source"), message.findtext("translation")
        if source and source == translation:
            same.update(piece for piece in PLACEHOLDER.split(source) if piece.strip())
    return same


def looks_english(text: str, same: set[str]) -> bool:
    """Whether `text`, shown unchanged in French, still holds words: what remains once the
    words French shares with English and the test's own data are taken out."""
    if text in same:
        return False
    rest = URL.sub(" ", text)
    for token in sorted(same | set(DATA), key=len, reverse=True):
        rest = rest.replace(token, " ")
    return re.search(r"[^\W\d_]{2,}", rest) is not None


def chrome_texts(root: QWidget) -> list[str]:
    """Every text a window puts on its own widgets, in the order they were made."""
    texts = [root.windowTitle()]
    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title())
        elif isinstance(widget, QTabBar):
            texts.extend(widget.tabText(i) for i in range(widget.count()))
        elif isinstance(widget, QLineEdit | QPlainTextEdit):
            texts.append(widget.placeholderText())
        elif isinstance(widget, QComboBox):
            texts.extend(widget.itemText(i) for i in range(widget.count()))
        elif isinstance(widget, QMenu):
            texts.append(widget.title())
        elif isinstance(widget, QAbstractSpinBox):
            texts.append(widget.specialValueText())
        elif isinstance(widget, QTableView | QTreeView) and widget.model() is not None:
            model = widget.model()
            texts.extend(
                str(model.headerData(column, Qt.Orientation.Horizontal) or "")
                for column in range(model.columnCount(QModelIndex()))
            )
        texts.append(widget.toolTip())
        if isinstance(widget, QWizard):
            for page_id in widget.pageIds():
                texts.extend((widget.page(page_id).title(), widget.page(page_id).subTitle()))
    texts.extend(text for a in root.findChildren(QAction) for text in (a.text(), a.toolTip()))
    return [text for text in texts if text.strip()]


@dataclass
class Opened:
    """A window built for the test, and how to end it (stop its jobs, close it)."""

    window: QWidget
    close: Callable[[], object]


Opener = Callable[[], Opened]


def supervisor(home: Path) -> StationSession:
    """A supervisor's session over a station holding one decided hit with its evidence."""
    session = StationSession(home, Principal("sup.lind", Role.SUPERVISOR))
    db = session.open_database()
    try:
        if not db.conn.execute("SELECT 1 FROM hit_records").fetchone():
            finding = {
                "kind": "name",
                "severity": "hit",
                "reason": "name matches VANTERPOOL GRETA (DEMO), score 0.93",
                "score": 0.93,
                "list_id": "DEMO",
                "list_version": 3,
                "stale": False,
                "reference": "DEMO-VANTERPOOL",
                "listed": {"entry_id": "E-1", "names": [{"name": "VANTERPOOL GRETA"}]},
            }
            new = NewHit(
                created=datetime(2026, 3, 1, 8, 0, tzinfo=UTC),
                station=STATION,
                officer="o.berg",
                source="test",
                findings=(finding,),
                traveller={"surname": "VANTERPOOL", "given_names": "GRETA"},
            )
            (hit,) = record_hits(db.conn, [new])
            decide(db.conn, hit.id, Outcome.DISMISSED, user="o.berg", reason="known false match")
    finally:
        db.conn.close()
    return session


@pytest.fixture
def openers(qtbot: QtBot, checkpoint_home: Path) -> Iterator[dict[str, Opener]]:
    """One opener per window; each window waits until its first reads are shown."""
    writers: list[DatabaseWriter] = []

    def administrator() -> StationSession:
        """The station's first administrator, logged in (the station is encrypted from then)."""
        if not has_accounts(checkpoint_home):
            create_first_administrator(checkpoint_home, "ada", ADMIN_PASSWORD)
        return login(checkpoint_home, "ada", ADMIN_PASSWORD, Settings())

    def desk() -> Opened:
        database = database_path(checkpoint_home)
        open_database(database).conn.close()
        writer = DatabaseWriter(database)
        writers.append(writer)
        window = idle_desk_window(database, writer)
        qtbot.addWidget(window)
        window.show()
        return Opened(window, window.shutdown)

    def desk_with_menu() -> Opened:
        opened = desk()
        assert isinstance(opened.window, DeskWindow)
        session = StationSession(checkpoint_home, Principal("sup.lind", Role.SUPERVISOR))
        add_station_menu(opened.window, session, lock=lambda: None, log_out=lambda: None)
        return opened

    def login_dialog() -> Opened:
        administrator()
        dialog = LoginDialog(checkpoint_home, Settings())
        qtbot.addWidget(dialog)
        dialog.show()
        return Opened(dialog, dialog.close)

    def locked_login() -> Opened:
        administrator()
        dialog = LoginDialog(checkpoint_home, Settings(), username="ada", locked_by="ada")
        qtbot.addWidget(dialog)
        dialog.show()
        return Opened(dialog, dialog.close)

    def dialog(made: QDialog) -> Opened:
        qtbot.addWidget(made)
        made.show()
        return Opened(made, made.close)

    def log_window() -> HitLogWindow:
        window = HitLogWindow(supervisor(checkpoint_home))
        qtbot.addWidget(window)
        with qtbot.waitSignal(window.model.loaded, timeout=WAIT_MS):
            window.show()
        qtbot.waitUntil(lambda: window.station.count() > 1, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: not window.busy, timeout=WAIT_MS)
        return window

    def hit_log() -> Opened:
        window = log_window()
        return Opened(window, window.close)

    def hit_detail() -> Opened:
        log = log_window()
        model = log.model
        qtbot.waitUntil(lambda: model.row_at(0) is not None, timeout=WAIT_MS)
        row = model.row_at(0)
        assert row is not None
        dialog = log.open_hit(row.hit_id)
        qtbot.waitUntil(lambda: dialog.detail is not None, timeout=WAIT_MS)
        return Opened(dialog, log.close)

    def administration() -> Opened:
        window = AdministrationWindow(administrator())
        qtbot.addWidget(window)
        window.start()
        window.show()
        qtbot.waitUntil(lambda: not window.busy, timeout=WAIT_MS)
        return Opened(window, window.shutdown)

    def refusal() -> Opened:
        window = AdministrationWindow(StationSession(checkpoint_home, OFFICER))
        qtbot.addWidget(window)
        window.show()
        return Opened(window, window.shutdown)

    def wizard() -> Opened:
        shown = FirstRunWizard(checkpoint_home / "new-station")
        qtbot.addWidget(shown)
        shown.show()
        return Opened(shown, shown.shutdown)

    yield {
        "desk": desk,
        "desk with the station menu": desk_with_menu,
        "login": login_dialog,
        "hit log": hit_log,
        "hit detail": hit_detail,
        "administration": administration,
        "administration refused": refusal,
        "new user": lambda: dialog(NewUserDialog()),
        "new password": lambda: dialog(PasswordDialog("o.berg")),
        "role": lambda: dialog(RoleDialog("o.berg", Role.OFFICER)),
        "locked login": locked_login,
        "first-run wizard": wizard,
    }
    for writer in writers:
        writer.close()


WINDOWS = [
    "desk",
    "desk with the station menu",
    "login",
    "hit log",
    "hit detail",
    "administration",
    "administration refused",
    "new user",
    "new password",
    "role",
    "locked login",
    "first-run wizard",
]


def texts_of(opener: Opener) -> list[str]:
    opened = opener()
    try:
        return chrome_texts(opened.window)
    finally:
        opened.close()


@pytest.mark.parametrize("name", WINDOWS)
def test_no_english_text_is_left_in_the_french_window(
    name: str, openers: dict[str, Opener], qapp: QApplication
) -> None:
    english = texts_of(openers[name])
    translators = install_translation(qapp, QLocale("fr_FR"))
    try:
        assert any("checkpoint_fr" in t.filePath() for t in translators)
        french = texts_of(openers[name])
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
    assert len(french) == len(english), (english, french)
    same = same_in_french()
    left = [
        text
        for text, shown in zip(english, french, strict=True)
        if shown == text and looks_english(text, same)
    ]
    assert left == []
    assert len(english) >= 2  # the window was really read, not an empty shell


@pytest.mark.parametrize("name", WINDOWS)
def test_the_window_lays_out_right_to_left(
    name: str, openers: dict[str, Opener], qapp: QApplication, qtbot: QtBot
) -> None:
    qapp.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    try:
        opened = openers[name]()
        try:
            qtbot.waitExposed(opened.window)
            assert opened.window.isRightToLeft()
            assert not opened.window.grab().isNull()
            for tabs in opened.window.findChildren(QTabWidget):
                for index in range(tabs.count()):
                    tabs.setCurrentIndex(index)
                    assert tabs.currentWidget().isRightToLeft()
                    assert not opened.window.grab().isNull()
            if isinstance(opened.window, QWizard):
                for page_id in opened.window.pageIds():
                    page = opened.window.page(page_id)
                    assert page.isRightToLeft()
                    assert not page.grab().isNull()
        finally:
            opened.close()
    finally:
        qapp.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


def mnemonic(text: str) -> str | None:
    """The key Alt goes with in `text` (after a single &), lower-cased; None if it has none."""
    found = re.search(r"(?<!&)&([^&\s])", text.replace("&&", ""))
    return found.group(1).lower() if found else None


def page_of(widget: QWidget, pages: list[QWidget]) -> QWidget | None:
    """The tab or wizard page `widget` sits on, if any."""
    parent: QWidget | None = widget
    while parent is not None:
        if parent in pages:
            return parent
        parent = parent.parentWidget()
    return None


def mnemonic_clashes(window: QWidget) -> dict[str, list[str]]:
    """Texts that share an Alt key where they are on screen together: on the same tab or wizard
    page, or one on a page and the other around the pages (tab names, wizard buttons)."""
    pages = [
        page
        for tabs in window.findChildren(QTabWidget)
        for i in range(tabs.count())
        if (page := tabs.widget(i)) is not None
    ]
    if isinstance(window, QWizard):
        pages.extend(window.page(page_id) for page_id in window.pageIds())
    keyed: dict[QWidget | None, list[str]] = {}
    for widget in window.findChildren(QWidget):
        if widget.isHidden():
            continue
        if isinstance(widget, QAbstractButton) or (
            isinstance(widget, QLabel) and widget.buddy() is not None
        ):
            texts = [widget.text()]
        elif isinstance(widget, QTabBar):
            texts = [widget.tabText(i) for i in range(widget.count())]
        else:
            continue
        keyed.setdefault(page_of(widget, pages), []).extend(texts)
    around = keyed.pop(None, [])
    clashes: dict[str, list[str]] = {}
    for page_texts in [*keyed.values(), []] if keyed else [[]]:
        together = around + page_texts
        for key in {mnemonic(t) for t in together} - {None}:
            sharing = [t for t in together if mnemonic(t) == key]
            if len(sharing) > 1:
                clashes[str(key)] = sharing
    return clashes


@pytest.mark.parametrize("name", [name for name in WINDOWS if name != "administration refused"])
def test_no_two_french_texts_on_screen_together_share_an_alt_key(
    name: str, openers: dict[str, Opener], qapp: QApplication
) -> None:
    translators = install_translation(qapp, QLocale("fr_FR"))
    try:
        opened = openers[name]()
        try:
            assert any(mnemonic(text) for text in chrome_texts(opened.window))
            assert mnemonic_clashes(opened.window) == {}
        finally:
            opened.close()
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
