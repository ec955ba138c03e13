"""The last pages: set the station up (off the GUI thread), then the recovery key.

The set-up page is the wizard's commit page: until it succeeds the officer can go back and
change any answer (a rejected answer changed nothing); once it has, there is no way back,
and the recovery key — shown once, stored nowhere by Checkpoint — must be printed or saved
and acknowledged before the wizard can finish.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QThreadPool
from PySide6.QtGui import QFont, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from checkpoint.firstrun import Answers, Outcome, apply
from checkpoint.ui.wizard.common import error_label
from checkpoint.ui.workers import JobRunner

if TYPE_CHECKING:
    from checkpoint.ui.wizard.wizard import FirstRunWizard


class SetupPage(QWizardPage):
    def __init__(self, home: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.home = home
        self.setTitle(self.tr("Set up the station"))
        self.setSubTitle(
            self.tr(
                "Everything is checked before anything is written: if an answer is refused, "
                "go back, change it and try again."
            )
        )
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("Set &up"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.progress = QLabel()
        self.error = error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.progress)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        # The set-up's progress lines come back from the pool thread through the runner.
        self.runner = JobRunner(self.pool, self)
        self.outcome: Outcome | None = None

    def _wizard(self) -> FirstRunWizard:
        from checkpoint.ui.wizard.wizard import FirstRunWizard  # noqa: PLC0415

        wizard = self.wizard()
        assert isinstance(wizard, FirstRunWizard)
        return wizard

    @property
    def running(self) -> bool:
        return self.runner.busy

    def initializePage(self) -> None:  # noqa: N802
        answers = self._wizard().answers()
        lists = (
            self.tr("fetched from HQ") if answers.bundle_file is None else str(answers.bundle_file)
        )
        self.summary.setText(
            self.tr(
                "Station {station}, administrator {user}, signing key {key}, first list "
                "{lists}, HQ {hq}, camera {camera}."
            ).format(
                station=answers.station_id,
                user=answers.admin_username,
                key=answers.key_file.name,
                lists=lists,
                hq=answers.hq_url or self.tr("none"),
                camera=answers.camera,
            )
        )
        self.error.clear()
        self.progress.clear()

    def isComplete(self) -> bool:  # noqa: N802
        return not self.running

    def validatePage(self) -> bool:  # noqa: N802
        if self.outcome is not None:
            return True
        if not self.running:
            self.start(self._wizard().answers())
        return False

    def start(self, answers: Answers) -> None:
        """Run the set-up on the pool; the page moves on by itself when it succeeds."""
        self.error.clear()
        home = self.home
        self.runner.submit(
            lambda report: apply(home, answers, progress=report),
            self._done,
            self._failed,
            self._step,
        )
        self.completeChanged.emit()

    def _step(self, text: str) -> None:
        self.progress.setText(self.tr("{step}…").format(step=text))

    def _done(self, outcome: object) -> None:
        assert isinstance(outcome, Outcome)
        self.outcome = outcome
        self.progress.setText(self.tr("The station is set up."))
        self.completeChanged.emit()
        self._wizard().next()

    def _failed(self, message: str) -> None:
        self.progress.clear()
        self.error.setText(message)
        self.completeChanged.emit()

    def shutdown(self) -> None:
        self.pool.waitForDone()


class RecoveryPage(QWizardPage):
    """Shows the recovery key once; finishing requires saying it has been stored."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Recovery key"))
        self.setSubTitle(
            self.tr(
                "If every administrator password is lost, this key is the only way into the "
                "station's data. It is shown now and never again: print it or save it to a "
                "removable medium, and keep it locked away."
            )
        )
        self.key = QLineEdit()
        self.key.setReadOnly(True)
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPixelSize(22)
        self.key.setFont(font)
        self.print_button = QPushButton(self.tr("&Print…"), autoDefault=False)
        self.save_button = QPushButton(self.tr("Sa&ve to file…"), autoDefault=False)
        self.saved = QLabel()
        self.stored = QCheckBox(self.tr("I have &stored the recovery key"))
        self.error = error_label()
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.key)
        layout.addLayout(buttons)
        layout.addWidget(self.saved)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.stored)
        self.registerField("recovery_key_stored*", self.stored)
        self.print_button.clicked.connect(self.print_key)
        self.save_button.clicked.connect(self.choose_file)
        self.station_id = ""

    def show_key(self, recovery_key: str, station_id: str) -> None:
        self.key.setText(recovery_key)
        self.station_id = station_id
        self.stored.setFocus()

    def text(self) -> str:
        return self.tr(
            "Checkpoint recovery key for station {station}:\n\n{key}\n\n"
            "Keep it locked away; it opens the station's data without a password.\n"
        ).format(station=self.station_id, key=self.key.text())

    def save_to(self, path: Path) -> None:
        """Write the key to `path`, readable by its owner only."""
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
                stream.write(self.text())
        except OSError as exc:
            self.error.setText(
                self.tr(
                    "The key could not be saved to {path} ({reason}): choose another place."
                ).format(path=path, reason=exc.strerror or exc)
            )
            return
        self.error.clear()
        self.saved.setText(self.tr("Saved to {path}.").format(path=path))

    def choose_file(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the recovery key"),
            f"checkpoint-recovery-{self.station_id}.txt",
            self.tr("Text files (*.txt)"),
        )
        if chosen:
            self.save_to(Path(chosen))

    def print_key(self) -> None:
        printer = QPrinter()
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        document = QTextDocument()
        document.setPlainText(self.text())
        document.print_(printer)
        self.saved.setText(self.tr("Sent to the printer."))
