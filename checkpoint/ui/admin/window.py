"""The administration window: one tab per screen the logged-in user's role may use.

Tabs are chosen by permission, never by role name, so `checkpoint.accounts.roles` stays the
one place that says who may do what (and the actions check it again on their own). The
Users tab comes from `checkpoint.ui.admin.users` when that module is installed.
"""

from __future__ import annotations

import importlib
import importlib.util

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QThreadPool
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QWidget

from checkpoint.accounts import Permission, Role, StationSession
from checkpoint.ui.admin.jobs import JobRunner
from checkpoint.ui.admin.outbox_page import OutboxPage
from checkpoint.ui.admin.settings_page import SettingsPage
from checkpoint.ui.admin.watchlists_page import WatchlistsPage

USERS_MODULE = "checkpoint.ui.admin.users"
ROLE_NAMES = {
    Role.OFFICER: QT_TRANSLATE_NOOP("AdministrationWindow", "officer"),
    Role.SUPERVISOR: QT_TRANSLATE_NOOP("AdministrationWindow", "supervisor"),
    Role.ADMINISTRATOR: QT_TRANSLATE_NOOP("AdministrationWindow", "administrator"),
}
"""Role names as a sentence uses them, in the window's language."""


class AdministrationWindow(QMainWindow):
    """Watchlists, Outbox, Settings and Users tabs, as the session's permissions allow."""

    def __init__(self, session: StationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(
            self.tr("Checkpoint — administration ({user})").format(user=session.principal.username)
        )
        self.resize(1280, 860)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(3)
        self.tabs = QTabWidget()
        self.watchlists: WatchlistsPage | None = None
        self.outbox: OutboxPage | None = None
        self.settings: SettingsPage | None = None
        self.users: QWidget | None = None
        self.runners: list[JobRunner] = []
        self._closed = False
        self._started = False
        may = session.principal.may
        if may(Permission.MANAGE_WATCHLISTS):
            self.watchlists = WatchlistsPage(session, self._runner())
            self.tabs.addTab(self.watchlists, self.tr("&Watchlists"))
        if may(Permission.MANAGE_OUTBOX):
            self.outbox = OutboxPage(session, self._runner())
            self.runners.append(self.outbox.rows_runner)
            self.tabs.addTab(self.outbox, self.tr("&Outbox"))
        if may(Permission.MANAGE_SETTINGS):
            self.settings = SettingsPage(session, self._runner())
            self.runners.append(self.settings.measure_runner)
            self.tabs.addTab(self.settings, self.tr("&Settings"))
        if may(Permission.MANAGE_USERS) and importlib.util.find_spec(USERS_MODULE) is not None:
            users_page = importlib.import_module(USERS_MODULE).UsersPage
            self.users = users_page(session, self)
            self.tabs.addTab(self.users, self.tr("&Users"))
        if self.tabs.count():
            self.setCentralWidget(self.tabs)
        else:
            refusal = QLabel(
                self.tr(
                    "{user} ({role}) may not administer this station: ask an administrator."
                ).format(
                    user=session.principal.username,
                    role=self.tr(str(ROLE_NAMES[session.principal.role])),
                )
            )
            refusal.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.setCentralWidget(refusal)

    def _runner(self) -> JobRunner:
        runner = JobRunner(self.pool, self)
        self.runners.append(runner)
        return runner

    @property
    def tab_names(self) -> list[str]:
        """The tabs shown, in order, without their shortcut marks (tests and screenshots)."""
        return [self.tabs.tabText(i).replace("&", "") for i in range(self.tabs.count())]

    @property
    def busy(self) -> bool:
        """Some page's job has not reported yet."""
        return any(runner.busy for runner in self.runners)

    def start(self) -> None:
        """Read every page's data (in the background); showing the window does it once."""
        self._started = True
        for page in (self.watchlists, self.outbox, self.settings):
            if page is not None:
                page.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._started and not self._closed:
            self.start()

    def shutdown(self) -> None:
        """Wait for the jobs in flight: no thread outlives the window."""
        if self._closed:
            return
        self._closed = True
        for runner in self.runners:
            runner.closed = True
        self.pool.waitForDone()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.shutdown()
        super().closeEvent(event)
