"""`checkpoint gui` on a station with accounts: nothing opens before a login, and the desk
opens under the name of whoever logged in, with the Station menu their role allows."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from checkpoint.accounts import Role
from checkpoint.accounts.store import create_first_administrator, create_user, login
from checkpoint.cli import main
from checkpoint.config import Settings, save_settings
from checkpoint.ui.desk_window import DeskWindow
from checkpoint.ui.login import HIT_LOG, LoginDialog, window_class

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def station(checkpoint_home: Path) -> Path:
    """A set-up station (an administrator and an officer) on the demo camera."""
    save_settings(checkpoint_home, Settings(first_run="done"))
    create_first_administrator(checkpoint_home, "ada", "admin password 1")
    admin = login(checkpoint_home, "ada", "admin password 1", Settings())
    create_user(admin, "olga", "officer password", Role.OFFICER)
    create_user(admin, "sam", "supervisor pw 1", Role.SUPERVISOR)
    return checkpoint_home


def visible(kind: type) -> list:  # type: ignore[type-arg]
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def test_cancelled_login_opens_nothing(qtbot: QtBot, station: Path) -> None:
    def cancel() -> None:
        dialogs = visible(LoginDialog)
        if not dialogs:
            QTimer.singleShot(50, cancel)
            return
        assert not visible(DeskWindow)
        dialogs[0].reject()

    QTimer.singleShot(50, cancel)
    assert main(["gui"]) == 0
    assert not visible(DeskWindow)


@pytest.mark.parametrize(
    ("user", "password", "allowed"),
    [
        ("olga", "officer password", []),
        ("sam", "supervisor pw 1", ["hit-log"]),
        ("ada", "admin password 1", ["hit-log", "administration"]),
    ],
)
def test_desk_opens_after_login_under_the_users_name(
    qtbot: QtBot, station: Path, user: str, password: str, allowed: list[str]
) -> None:
    seen: list[tuple[str, list[str]]] = []

    def step() -> None:
        dialogs = visible(LoginDialog)
        if dialogs:
            dialog = dialogs[0]
            dialog.username.setText(user)
            dialog.password.setText(password)
            QTest.keyClick(dialog.password, Qt.Key.Key_Return)
        desks = visible(DeskWindow)
        if desks:
            desk = desks[0]
            menu = desk.menuBar().findChild(QMenu, "station-menu")
            names = [a.objectName() for a in menu.actions() if a.objectName()] if menu else []
            seen.append((desk.windowTitle(), names))
            desk.close()
            return
        QTimer.singleShot(50, step)

    QTimer.singleShot(50, step)
    assert main(["gui"]) == 0
    ((title, names),) = seen
    assert user in title
    if window_class(*HIT_LOG) is None:  # the hit log window is not installed yet
        allowed = [name for name in allowed if name != "hit-log"]
    assert names == [*allowed, "lock", "log-out"]
