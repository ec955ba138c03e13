"""Pieces every wizard page uses: the error line, a file field with Browse, page ids."""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget


class PageId(IntEnum):
    WELCOME = 0
    STATION = 1
    ADMINISTRATOR = 2
    KEY = 3
    BUNDLE = 4
    CAMERA = 5
    SETUP = 6
    RECOVERY = 7


def error_label() -> QLabel:
    """A red line for the one sentence saying what is wrong with an answer; empty until then."""
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet("color:#b00020; font-weight:bold;")
    label.setObjectName("error")
    return label


class FileField(QWidget):
    """A path typed (keyboard first) or chosen with a Browse… dialog."""

    def __init__(self, caption: str, pattern: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = caption
        self.pattern = pattern
        self.edit = QLineEdit()
        self.browse = QPushButton(
            QCoreApplication.translate("FileField", "&Browse…"), autoDefault=False
        )
        self.browse.clicked.connect(self._choose)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.browse)
        self.setFocusProxy(self.edit)

    @property
    def path(self) -> Path | None:
        text = self.edit.text().strip()
        return Path(text).expanduser() if text else None

    def _choose(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, self.caption, "", self.pattern)
        if chosen:
            self.edit.setText(chosen)
