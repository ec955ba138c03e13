"""`checkpoint` on an empty home: closing the first-run wizard opens nothing and leaves the
home to be set up at the next start."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from checkpoint.cli import main
from checkpoint.firstrun import needs_setup
from checkpoint.ui.desk_window import DeskWindow
from checkpoint.ui.wizard import FirstRunWizard

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_closing_the_wizard_opens_nothing(
    qtbot: QtBot, checkpoint_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    closed: list[str] = []

    def close_the_wizard() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, FirstRunWizard) and widget.isVisible():
                closed.append(widget.windowTitle())
                widget.close()
                return
        QTimer.singleShot(50, close_the_wizard)

    QTimer.singleShot(50, close_the_wizard)
    assert main(["--home", str(checkpoint_home)]) == 0
    assert closed == ["Checkpoint — first start"]
    assert "not set up" in capsys.readouterr().out
    desks = [w for w in QApplication.topLevelWidgets() if isinstance(w, DeskWindow)]
    assert not [desk for desk in desks if desk.isVisible()]
    assert needs_setup(checkpoint_home)
