"""Logging in at the desk: the login dialog, the idle lock and the Station menu.

A station with accounts shows nothing of its data before a login: the desk opens behind the
`LoginDialog`, and `StationGuard` hides it again behind the dialog when nobody has touched
the keyboard or mouse for the idle timeout, or when the officer picks Lock or Log out. The
same user unlocking gets the same window back; another user gets a fresh desk under their
own name, so every hit and decision is recorded against whoever is at the desk.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import cast

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from checkpoint.accounts import Permission, StationSession
from checkpoint.accounts.store import has_accounts, login
from checkpoint.audit import record
from checkpoint.config import Settings
from checkpoint.errors import CheckpointError

log = logging.getLogger("checkpoint.ui.login")

HIT_LOG = ("checkpoint.ui.review", "HitLogWindow")
ADMINISTRATION = ("checkpoint.ui.admin.window", "AdministrationWindow")
MANAGE = (
    Permission.MANAGE_WATCHLISTS,
    Permission.MANAGE_OUTBOX,
    Permission.MANAGE_SETTINGS,
    Permission.MANAGE_USERS,
)
# Input that proves someone is at the desk (a frame arriving from the camera does not).
ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class LoginDialog(QDialog):
    """Username, password and one line saying why a login failed; Enter logs in.

    After `exec()` returns Accepted, `session` is the logged-in user's session.
    """

    def __init__(
        self,
        home: Path,
        settings: Settings,
        parent: QWidget | None = None,
        *,
        username: str = "",
        locked_by: str | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self.home = home
        self.settings = settings
        self.clock = clock
        self.session: StationSession | None = None
        self.setWindowTitle(self.tr("Checkpoint — log in"))
        self.setModal(True)
        heading = (
            self.tr("The station is locked ({user} was logged in). Log in to continue.").format(
                user=locked_by
            )
            if locked_by
            else self.tr("Log in to open the station.")
        )
        self.heading = QLabel(heading)
        self.heading.setWordWrap(True)
        self.username = QLineEdit(username)
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        form = QFormLayout()
        form.addRow(self.tr("&Username"), self.username)
        form.addRow(self.tr("&Password"), self.password)
        buttons = QDialogButtonBox()
        self.login_button = QPushButton(self.tr("Log &in"))
        self.login_button.setDefault(True)
        buttons.addButton(self.login_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("&Quit") if locked_by else self.tr("&Cancel"))
        self.login_button.clicked.connect(self.attempt)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        (self.password if username else self.username).setFocus()

    def attempt(self) -> None:
        """Try the login; on success accept, else show the one sentence and clear the password."""
        now = self.clock() if self.clock is not None else None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.session = login(
                self.home, self.username.text(), self.password.text(), self.settings, now=now
            )
        except CheckpointError as exc:
            self.error.setText(str(exc))
            self.error.show()
            self.password.clear()
            self.password.setFocus()
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.accept()


def log_in(
    home: Path, settings: Settings, parent: QWidget | None = None, *, username: str = ""
) -> StationSession | None:
    """The session to open the desk with: the demo session on a station without accounts,
    else whoever logs in at the dialog (None when the dialog is cancelled)."""
    if not has_accounts(home):
        return StationSession.demo(home)
    dialog = LoginDialog(home, settings, parent, username=username)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.session


class IdleWatch(QObject):
    """Emits `idle` after `timeout_ms` without keyboard, mouse or touch input anywhere in
    the application; any input starts the count again."""

    idle = Signal()

    def __init__(self, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(timeout_ms)
        self.timer.timeout.connect(self.idle)

    def start(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.timer.start()

    def stop(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in ACTIVITY and self.timer.isActive():
            self.timer.start()
        return False


WindowFactory = Callable[[StationSession], QMainWindow]


class StationGuard(QObject):
    """Keeps the desk behind a login: locks it when idle or asked, and on unlock shows the
    same window to the same user or builds a new one for another user.

    `window_factory(session)` builds (and shows) a desk for a session; `shutdown(window)`
    stops one that is replaced. `locked` is emitted with the dialog once the desk is hidden.
    """

    locked = Signal(object)
    quit_requested = Signal()

    def __init__(
        self,
        home: Path,
        settings: Settings,
        window_factory: WindowFactory,
        shutdown: Callable[[QMainWindow], None],
        *,
        idle_timeout_ms: int | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.home = home
        self.settings = settings
        self.window_factory = window_factory
        self.shutdown = shutdown
        timeout = idle_timeout_ms or settings.accounts.idle_timeout_minutes * 60_000
        self.watch = IdleWatch(timeout, self)
        self.watch.idle.connect(self.lock)
        self.session: StationSession | None = None
        self.window: QMainWindow | None = None
        self.dialog: LoginDialog | None = None
        self.hidden: list[QWidget] = []

    def open(self, session: StationSession) -> QMainWindow:
        """Open the desk for `session`; a station with accounts starts watching for idleness."""
        self.session = session
        self.window = self.window_factory(session)
        if session.is_demo:
            # Nobody to lock out on a demo station: its menu opens the other windows only.
            add_station_menu(self.window, session)
        else:
            add_station_menu(self.window, session, lock=self.lock, log_out=self.log_out)
            self.watch.start()
        return self.window

    def lock(self) -> None:
        """Hide the desk behind the login dialog (idle timeout or the Lock action)."""
        self._hide_behind_login("lock")

    def log_out(self) -> None:
        self._hide_behind_login("logout")

    def _hide_behind_login(self, action: str) -> None:
        if self.session is None or self.session.is_demo or self.dialog is not None:
            return
        self.watch.stop()
        _audit(self.session, action)
        # Every window goes, not only the desk: a hit log or administration window opened
        # from it is a window of its own, which hiding the desk leaves on screen.
        self.hidden = [widget for widget in QApplication.topLevelWidgets() if widget.isVisible()]
        for widget in self.hidden:
            widget.hide()
        _call(self.window, "pause")
        user = self.session.principal.username
        self.dialog = LoginDialog(
            self.home,
            self.settings,
            username=user if action == "lock" else "",
            locked_by=user,
        )
        self.dialog.accepted.connect(self._unlocked)
        self.dialog.rejected.connect(self._gave_up)
        self.dialog.show()
        self.locked.emit(self.dialog)

    def _unlocked(self) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is None or dialog.session is None:
            return
        dialog.deleteLater()
        session = dialog.session
        same_user = self.session is not None and (
            session.principal.username == self.session.principal.username
        )
        hidden, self.hidden = self.hidden, []
        if same_user and self.window is not None:
            self.session = session
            for widget in hidden:
                widget.show()
            _call(self.window, "resume")
            self.watch.start()
            return
        for widget in hidden:
            if widget is not self.window:
                widget.close()  # the previous user's other windows, never shown again
        if self.window is not None:
            # Another officer: the old desk (and its readers, under the old name) goes.
            self.shutdown(self.window)
            self.window.deleteLater()
            self.window = None
        self.open(session)

    def _gave_up(self) -> None:
        """Nobody logged in at the lock screen: the desk closes rather than stay unlocked."""
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.deleteLater()
        if self.window is not None:
            self.window.close()
        self.quit_requested.emit()

    def stop(self) -> None:
        """The desk is closing: a user still logged in is logged out (and audited so)."""
        self.watch.stop()
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        elif self.session is not None and not self.session.is_demo:
            _audit(self.session, "logout")
        self.session = None


def _call(window: QMainWindow | None, method: str) -> None:
    """Call `window.pause()` / `resume()` where the window has them: a desk that offers them
    stops screening while nobody is logged in at it (no hit recorded under an absent name)."""
    found = getattr(window, method, None)
    if callable(found):
        found()


def _audit(session: StationSession, action: str) -> None:
    try:
        db = session.open_database()
        try:
            record(db.conn, session.principal, action, session.principal.username)
        finally:
            db.conn.close()
    except CheckpointError:
        log.exception("could not audit %s", action)


SessionWindow = Callable[[StationSession, QWidget], QMainWindow]


def window_class(module: str, name: str) -> SessionWindow | None:
    """A `Window(session, parent)` class from a module that may not be installed yet."""
    try:
        if importlib.util.find_spec(module) is None:
            return None
        found = getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None
    if isinstance(found, type) and issubclass(found, QMainWindow):
        return cast(SessionWindow, found)
    return None


def add_station_menu(
    window: QMainWindow,
    session: StationSession,
    *,
    lock: Callable[[], None] | None = None,
    log_out: Callable[[], None] | None = None,
) -> QMenu:
    """The Station menu, with only what the session's role may open, then Lock and Log out
    (when given: a demo station has no login to return to)."""
    menu = window.menuBar().addMenu(QCoreApplication.translate("StationMenu", "&Station"))
    menu.setObjectName("station-menu")
    may = session.principal.may
    opened: list[QMainWindow] = []

    def opener(found: SessionWindow) -> Callable[[], None]:
        def open_window() -> None:
            child = found(session, window)
            child.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            opened.append(child)
            child.destroyed.connect(lambda: opened.remove(child) if child in opened else None)
            child.show()
            start = getattr(child, "start", None)
            if callable(start):
                start()

        return open_window

    hit_log = window_class(*HIT_LOG)
    if hit_log is not None and may(Permission.REVIEW_HITS):
        action = QAction(QCoreApplication.translate("StationMenu", "&Hit log…"), window)
        action.setObjectName("hit-log")
        action.triggered.connect(opener(hit_log))
        menu.addAction(action)
    administration = window_class(*ADMINISTRATION)
    if administration is not None and any(may(permission) for permission in MANAGE):
        action = QAction(QCoreApplication.translate("StationMenu", "&Administration…"), window)
        action.setObjectName("administration")
        action.triggered.connect(opener(administration))
        menu.addAction(action)
    if lock is None or log_out is None:
        return menu
    if menu.actions():
        menu.addSeparator()
    lock_action = QAction(QCoreApplication.translate("StationMenu", "&Lock"), window)
    lock_action.setObjectName("lock")
    lock_action.setShortcut(QCoreApplication.translate("StationMenu", "Ctrl+L"))
    lock_action.triggered.connect(lock)
    menu.addAction(lock_action)
    logout_action = QAction(QCoreApplication.translate("StationMenu", "Log &out"), window)
    logout_action.setObjectName("log-out")
    logout_action.triggered.connect(log_out)
    menu.addAction(logout_action)
    return menu
