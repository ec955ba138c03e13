"""Creating the one QApplication every Checkpoint window runs in.

Names the application for QSettings and window titles, keeps Qt's own messages in
Checkpoint's log instead of on a terminal the officer never sees, and installs the window's
translation (`resources/translations/checkpoint_LANG.qm`, made by `update.sh` there) for the
language asked for or the system's locale; English, the source language, needs none.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import (
    QLibraryInfo,
    QLocale,
    QMessageLogContext,
    QtMsgType,
    QTranslator,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication

from checkpoint import __version__
from checkpoint.paths import resource

TRANSLATIONS = resource("translations")

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


def create_application(argv: Sequence[str] = (), language: str | None = None) -> QApplication:
    """The process's QApplication, created once with Checkpoint's names and translation."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    qInstallMessageHandler(_qt_message)
    app = QApplication(["checkpoint", *argv])
    app.setApplicationName("Checkpoint")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Checkpoint")
    install_translation(app, QLocale(language) if language else QLocale.system())
    return app


def install_translation(app: QApplication, locale: QLocale) -> list[QTranslator]:
    """Install Checkpoint's and Qt's own translations for `locale`, where they exist.

    Returns the translators installed (kept as children of `app`, so they live as long as it).
    """
    installed = []
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in (("checkpoint", str(TRANSLATIONS)), ("qtbase", qt_folder)):
        translator = QTranslator(app)
        if translator.load(locale, name, "_", folder):
            app.installTranslator(translator)
            installed.append(translator)
        else:
            translator.deleteLater()
    if installed:
        log.info("translations for %s: %d", locale.name(), len(installed))
    return installed
