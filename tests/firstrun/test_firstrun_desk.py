"""From an empty home to a screening desk, the way an administrator does it on first start:
`checkpoint` opens the wizard, every page is answered by keyboard (the demo signing key and
list, a folder of scans as the camera), the recovery key is saved and acknowledged, the
login dialog takes the new administrator, and the desk screens a rendered passport and
shows its hit under the administrator's name."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from firstrun_helpers import DEMO_BUNDLE, DEMO_KEY, PASSWORD
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget, QWizard
from pytestqt.qtbot import QtBot

from checkpoint.accounts.store import has_accounts
from checkpoint.cli import main
from checkpoint.config import load_settings
from checkpoint.documents.mrz.formats import MrzFormat
from checkpoint.documents.synth import photograph, render_specimen
from checkpoint.documents.synth.demo import ERIKSSON
from checkpoint.ui.desk_window import DeskWindow
from checkpoint.ui.login import LoginDialog
from checkpoint.ui.wizard import FirstRunWizard
from checkpoint.ui.wizard.common import PageId

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")
GIVE_UP_MS = 180_000
TICK_MS = 100


def scans(folder: Path) -> Path:
    """A folder holding one photographed passport of the demo list's specimen holder."""
    folder.mkdir()
    rng = np.random.default_rng(3)
    specimen = render_specimen(MrzFormat.TD3, ERIKSSON, rng=rng)
    photo = photograph(specimen, rng, size=(960, 540), fill=0.6, angle=2.0, degrade="clean")
    cv2.imwrite(str(folder / "passport.png"), photo.image)
    return folder


def enter(widget: QWidget) -> None:
    QTest.keyClick(widget, Qt.Key.Key_Return)


def fill(edit: QLineEdit, text: str) -> None:
    if edit.text() != text:
        edit.clear()
        edit.setFocus()
        QTest.keyClicks(edit, text)


class Administrator:
    """Answers whatever window is up, one step per tick, as a person at the keyboard would."""

    def __init__(self, camera: Path, recovery_file: Path) -> None:
        self.camera = camera
        self.recovery_file = recovery_file
        self.pages: list[int] = []
        self.logins = 0
        self.seen: list[tuple[str, str]] = []
        self.gave_up: list[str] = []

    def tick(self) -> None:
        visible = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        for widget in visible:
            if isinstance(widget, FirstRunWizard):
                self.answer(widget)
                break
            if isinstance(widget, LoginDialog):
                self.log_in(widget)
                break
            if isinstance(widget, DeskWindow) and self.watch(widget):
                return
        QTimer.singleShot(TICK_MS, self.tick)

    def answer(self, wizard: FirstRunWizard) -> None:
        page = wizard.currentId()
        if not self.pages or self.pages[-1] != page:
            self.pages.append(page)
        if page == PageId.WELCOME:
            wizard.welcome.setup_button.setFocus()
            QTest.keyClick(wizard.welcome.setup_button, Qt.Key.Key_Space)
        elif page == PageId.STATION:
            fill(wizard.station_page.station_id, "BORDER-7")
            enter(wizard.station_page.station_id)
        elif page == PageId.ADMINISTRATOR:
            admin = wizard.administrator_page
            fill(admin.username, "chief")
            fill(admin.password, PASSWORD)
            fill(admin.confirmation, PASSWORD)
            enter(admin.confirmation)
        elif page == PageId.KEY:
            fill(wizard.key_page.file.edit, str(DEMO_KEY))
            enter(wizard.key_page.file.edit)
        elif page == PageId.BUNDLE:
            fill(wizard.bundle_page.file.edit, str(DEMO_BUNDLE))
            enter(wizard.bundle_page.file.edit)
        elif page == PageId.CAMERA:
            line = wizard.camera_page.source_box.lineEdit()
            assert line is not None
            fill(line, str(self.camera))
            enter(line)  # tests the folder; once it shows a picture, moves on
        elif page == PageId.SETUP:
            if not wizard.setup_page.running and not wizard.setup_page.error.text():
                enter(wizard.button(QWizard.WizardButton.CommitButton))
            elif wizard.setup_page.error.text():
                self.gave_up.append(wizard.setup_page.error.text())
                wizard.reject()
        elif page == PageId.RECOVERY:
            recovery = wizard.recovery_page
            if not self.recovery_file.exists():
                recovery.save_to(self.recovery_file)
            if not recovery.stored.isChecked():
                recovery.stored.setFocus()
                QTest.keyClick(recovery.stored, Qt.Key.Key_Space)
            enter(wizard.button(QWizard.WizardButton.FinishButton))

    def log_in(self, dialog: LoginDialog) -> None:
        self.logins += 1
        fill(dialog.username, "chief")
        fill(dialog.password, PASSWORD)
        enter(dialog.password)

    def watch(self, desk: DeskWindow) -> bool:
        shown = desk.traveller.heading.text().startswith("ERIKSSON")
        if shown and not desk.faces_pending and desk.banner_state in ("hit", "clear"):
            self.seen.append((desk.banner_state, desk.windowTitle()))
            desk.close()
            return True
        return False

    def give_up(self) -> None:
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible() and isinstance(widget, FirstRunWizard | LoginDialog | DeskWindow):
                self.gave_up.append(type(widget).__name__)
                widget.close()


def test_from_an_empty_home_to_a_desk_that_screens(
    qtbot: QtBot, checkpoint_home: Path, tmp_path: Path
) -> None:
    person = Administrator(scans(tmp_path / "scans"), tmp_path / "recovery.txt")
    QTimer.singleShot(TICK_MS, person.tick)
    watchdog = QTimer()
    watchdog.setSingleShot(True)
    watchdog.timeout.connect(person.give_up)
    watchdog.start(GIVE_UP_MS)
    code = main(["--home", str(checkpoint_home)])
    watchdog.stop()

    assert person.gave_up == []
    assert code == 0
    assert person.pages == [
        PageId.WELCOME,
        PageId.STATION,
        PageId.ADMINISTRATOR,
        PageId.KEY,
        PageId.BUNDLE,
        PageId.CAMERA,
        PageId.SETUP,
        PageId.RECOVERY,
    ]
    assert person.logins >= 1
    assert len(person.seen) == 1
    state, title = person.seen[0]
    assert state == "hit"  # the specimen holder is on the demo list
    assert "chief" in title
    assert has_accounts(checkpoint_home)
    settings = load_settings(checkpoint_home)
    assert (settings.station_id, settings.camera, settings.first_run) == (
        "BORDER-7",
        str(tmp_path / "scans"),
        "done",
    )
    assert "Checkpoint recovery key" in person.recovery_file.read_text(encoding="utf-8")
