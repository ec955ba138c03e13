"""Creating the one QApplication every Checkpoint window runs in.

Names the application for QSettings and window titles, and keeps Qt's own messages in
Checkpoint's log instead of on a terminal the officer never sees.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from checkpoint import __version__

log = logging.getLogger("checkpoint.ui.qt")

_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _qt_message(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    log.log(_LEVELS.get(kind, logging.WARNING), "%s", message)


def create_application(argv: Sequence[str] = ()) -> QApplication:
    """The process's QApplication, created once with Checkpoint's names."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    qInstallMessageHandler(_qt_message)
    app = QApplication(["checkpoint", *argv])
    app.setApplicationName("Checkpoint")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Checkpoint")
    return app
