"""The login dialog, the Station menu per role, the idle lock and the Users page, offscreen."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from checkpoint.accounts import Role, StationSession
from checkpoint.accounts.store import create_first_administrator, create_user, list_users, login
from checkpoint.config import Settings
from checkpoint.ui.admin.users import UsersPage
from checkpoint.ui.login import HIT_LOG, LoginDialog, StationGuard, add_station_menu, window_class

# The offscreen platform says so of every dialog it shows; it is not Checkpoint's warning.
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

SETTINGS = Settings()
PASSWORDS = {"ada": "admin password 1", "olga": "officer password", "sam": "supervisor pw 1"}


@pytest.fixture
def sessions(checkpoint_home: Path) -> dict[str, StationSession]:
    """A station with an administrator, an officer and a supervisor, each logged in."""
    create_first_administrator(checkpoint_home, "ada", PASSWORDS["ada"])
    admin = login(checkpoint_home, "ada", PASSWORDS["ada"], SETTINGS)
    create_user(admin, "olga", PASSWORDS["olga"], Role.OFFICER)
    create_user(admin, "sam", PASSWORDS["sam"], Role.SUPERVISOR)
    return {
        "ada": admin,
        "olga": login(checkpoint_home, "olga", PASSWORDS["olga"], SETTINGS),
        "sam": login(checkpoint_home, "sam", PASSWORDS["sam"], SETTINGS),
    }


def audit_actions(session: StationSession) -> list[tuple[str, str]]:
    db = session.open_database()
    try:
        return [(str(r[0]), str(r[1])) for r in db.execute("SELECT actor, action FROM audit_log")]
    finally:
        db.conn.close()


def test_login_dialog_says_why_and_logs_in_on_enter(
    qtbot: QtBot, checkpoint_home: Path, sessions: dict[str, StationSession]
) -> None:
    dialog = LoginDialog(checkpoint_home, SETTINGS)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, "olga")
    qtbot.keyClicks(dialog.password, "not her password")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.error.isVisible()
    assert dialog.error.text() == "Wrong username or password: check both and try again."
    assert dialog.password.text() == ""
    assert dialog.session is None
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClicks(dialog.password, PASSWORDS["olga"])
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.session is not None
    assert dialog.session.principal.role is Role.OFFICER


@pytest.mark.parametrize(
    ("user", "administration", "may_review"),
    [("olga", False, False), ("sam", False, True), ("ada", True, True)],
)
def test_station_menu_shows_only_what_the_role_may(
    qtbot: QtBot,
    sessions: dict[str, StationSession],
    user: str,
    administration: bool,
    may_review: bool,
) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    calls: list[str] = []
    menu = add_station_menu(
        window, sessions[user], lock=lambda: calls.append("lock"), log_out=lambda: None
    )
    names = [action.objectName() for action in menu.actions() if action.objectName()]
    hit_log_installed = window_class(*HIT_LOG) is not None
    assert ("hit-log" in names) == (may_review and hit_log_installed)
    assert ("administration" in names) == administration
    assert names[-2:] == ["lock", "log-out"]
    next(a for a in menu.actions() if a.objectName() == "lock").trigger()
    assert calls == ["lock"]


def test_idle_station_locks_and_unlocks_for_the_same_or_another_user(
    qtbot: QtBot, checkpoint_home: Path, sessions: dict[str, StationSession]
) -> None:
    opened: list[tuple[str, QMainWindow]] = []
    stopped: list[QMainWindow] = []

    class Desk(QMainWindow):
        def pause(self) -> None:
            calls.append("pause")

        def resume(self) -> None:
            calls.append("resume")

    calls: list[str] = []

    def factory(session: StationSession) -> QMainWindow:
        window = Desk()
        window.setWindowTitle(session.principal.username)
        window.show()
        opened.append((session.principal.username, window))
        return window

    guard = StationGuard(checkpoint_home, SETTINGS, factory, stopped.append, idle_timeout_ms=150)
    first = guard.open(sessions["olga"])
    qtbot.addWidget(first)
    other = QMainWindow(first)  # a window opened from the desk, e.g. the hit log
    other.show()
    with qtbot.waitSignal(guard.locked, timeout=5000) as locked:
        pass
    dialog = locked.args[0]
    assert isinstance(dialog, LoginDialog)
    assert not first.isVisible()
    assert not other.isVisible()
    assert dialog.username.text() == "olga"
    # The same officer comes back: the same desk, shown again.
    qtbot.keyClicks(dialog.password, PASSWORDS["olga"])
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert first.isVisible()
    assert other.isVisible()
    assert calls == ["pause", "resume"]
    assert [name for name, _ in opened] == ["olga"]

    # Locked again from the menu; a supervisor takes over the desk: a new window.
    guard.lock()
    assert guard.dialog is not None
    guard.dialog.username.setText("sam")
    qtbot.keyClicks(guard.dialog.password, PASSWORDS["sam"])
    qtbot.keyClick(guard.dialog.password, Qt.Key.Key_Return)
    assert [name for name, _ in opened] == ["olga", "sam"]
    assert stopped == [first]
    second = opened[-1][1]
    qtbot.addWidget(second)
    assert second.isVisible()
    assert not other.isVisible()
    assert guard.session is not None
    assert guard.session.principal.username == "sam"
    guard.stop()
    actions = audit_actions(sessions["ada"])
    assert actions.count(("olga", "lock")) == 2
    assert ("sam", "login") in actions
    assert actions[-1] == ("sam", "logout")


def test_users_page_lists_creates_and_changes_accounts(
    qtbot: QtBot, qtmodeltester: ModelTester, sessions: dict[str, StationSession]
) -> None:
    page = UsersPage(sessions["ada"])
    qtbot.addWidget(page)

    def settled() -> None:
        assert not page.runner.busy

    qtbot.waitUntil(lambda: page.model.rowCount() == 3)
    assert [user.username for user in page.model.users] == ["ada", "olga", "sam"]
    assert page.model.data(page.model.index(1, 1)) == "Officer"
    qtmodeltester.check(page.model)

    assert page.add_user("Pia", "pia's password", Role.OFFICER)
    qtbot.waitUntil(lambda: page.model.rowCount() == 4)
    assert page.message.text() == "pia created."

    page.select("pia")
    assert page.set_selected_disabled(True)
    qtbot.waitUntil(lambda: page.model.data(page.model.index(2, 2)) == "Disabled")
    qtbot.waitUntil(settled)
    assert page.toggle_button.text().replace("&", "") == "Enable"
    assert page.change_selected_role(Role.SUPERVISOR)
    qtbot.waitUntil(lambda: page.model.data(page.model.index(2, 1)) == "Supervisor")
    qtbot.waitUntil(settled)
    assert page.reset_selected_password("pia's new password")
    qtbot.waitUntil(lambda: page.message.text() == "Password of pia reset.")
    qtbot.waitUntil(settled)

    page.select("ada")
    assert page.set_selected_disabled(True)
    qtbot.waitUntil(lambda: "last enabled administrator" in page.message.text())
    qtbot.waitUntil(settled)
    assert page.add_user("x", "short", Role.OFFICER)
    qtbot.waitUntil(lambda: "too short" in page.message.text())
    qtbot.waitUntil(settled)
    users = {user.username: user for user in list_users(sessions["ada"])}
    assert users["pia"].disabled
    assert users["pia"].role is Role.SUPERVISOR
    assert not users["ada"].disabled
    assert "x" not in users
    page.pool.waitForDone()
