"""The first-run wizard: demo or set-up, then the answers, the set-up, the recovery key.

`choice` says how it ended: "demo" (the officer tried the demo), "done" (the station is set
up; `outcome` holds the session and the settings), or None (closed without deciding). The
wizard only asks and shows; `checkpoint.firstrun` checks and writes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from PySide6.QtWidgets import QWidget, QWizard

from checkpoint.doctor.camera import video_devices
from checkpoint.firstrun import Answers, Outcome
from checkpoint.ui.wizard.camera_page import CameraPage
from checkpoint.ui.wizard.common import PageId
from checkpoint.ui.wizard.intro_pages import AdministratorPage, StationPage, WelcomePage
from checkpoint.ui.wizard.lists_pages import BundlePage, KeyPage
from checkpoint.ui.wizard.setup_pages import RecoveryPage, SetupPage

Choice = Literal["demo", "done"]


class FirstRunWizard(QWizard):
    def __init__(self, home: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.home = home
        self.choice: Choice | None = None
        self.setWindowTitle(self.tr("Checkpoint — first start"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        # Once set up, the only way out is acknowledging the recovery key.
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.resize(760, 620)
        self.welcome = WelcomePage()
        self.station_page = StationPage()
        self.administrator_page = AdministratorPage()
        self.key_page = KeyPage()
        self.bundle_page = BundlePage()
        self.camera_page = CameraPage(video_devices())
        self.setup_page = SetupPage(home)
        self.recovery_page = RecoveryPage()
        for page_id, page in (
            (PageId.WELCOME, self.welcome),
            (PageId.STATION, self.station_page),
            (PageId.ADMINISTRATOR, self.administrator_page),
            (PageId.KEY, self.key_page),
            (PageId.BUNDLE, self.bundle_page),
            (PageId.CAMERA, self.camera_page),
            (PageId.SETUP, self.setup_page),
            (PageId.RECOVERY, self.recovery_page),
        ):
            self.setPage(page_id, page)
        self.setStartId(PageId.WELCOME)
        self.welcome.demo_button.clicked.connect(self.try_demo)
        self.welcome.setup_button.clicked.connect(self.next)
        self.currentIdChanged.connect(self._entered)

    def _entered(self, page_id: int) -> None:
        if page_id == PageId.WELCOME:
            self.welcome.make_demo_the_default()
        elif page_id == PageId.RECOVERY and self.outcome is not None:
            self.recovery_page.show_key(self.outcome.recovery_key, self.outcome.settings.station_id)

    @property
    def outcome(self) -> Outcome | None:
        return self.setup_page.outcome

    def answers(self) -> Answers:
        """The answers as typed so far (checked by `checkpoint.firstrun` when applied)."""
        station = self.station_page
        administrator = self.administrator_page
        return Answers(
            station_id=station.station_id.text().strip(),
            admin_username=administrator.username.text().strip(),
            admin_password=administrator.password.text(),
            key_file=self.key_page.file.path or Path(),
            bundle_file=self.bundle_page.bundle_file,
            hq_url=station.hq_url.text().strip() or None,
            hq_token=station.hq_token.text().strip() or None,
            camera=self.camera_page.spec or "demo",
        )

    def try_demo(self) -> None:
        self.choice = "demo"
        self.accept()

    def accept(self) -> None:
        if self.choice is None and self.outcome is not None:
            self.choice = "done"
        self.shutdown()
        super().accept()

    def reject(self) -> None:
        """Cancel, Escape and closing the window; refused while it would lose something."""
        if self.setup_page.running:
            return  # the set-up finishes (or fails) before the wizard can close
        if self.outcome is not None and not self.recovery_page.stored.isChecked():
            return  # the recovery key is shown once: it must be stored before leaving
        self.shutdown()
        super().reject()

    def shutdown(self) -> None:
        """Stop the camera test and wait for background work: no thread outlives the wizard."""
        self.camera_page.shutdown()
        self.setup_page.shutdown()
