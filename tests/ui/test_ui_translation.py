"""The desk in French and right to left: the shipped translation is complete and current,
it is loaded for a French locale, and the window builds and shows mirrored without warnings."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from desk_helpers import idle_desk_window
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from checkpoint.storage import DatabaseWriter, open_database
from checkpoint.ui.application import TRANSLATIONS, install_translation
from checkpoint.ui.desk_window import DeskWindow
from checkpoint.ui.models import shown

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def make(qtbot: QtBot, checkpoint_home: Path) -> Iterator[Callable[[], DeskWindow]]:
    """Builds desk windows (not started: no readers, no camera) and shuts all down after."""
    database = checkpoint_home / "checkpoint.db"
    open_database(database).conn.close()
    writer = DatabaseWriter(database)
    windows: list[DeskWindow] = []

    def build() -> DeskWindow:
        window = idle_desk_window(database, writer)
        qtbot.addWidget(window)
        windows.append(window)
        return window

    yield build
    for window in windows:
        window.shutdown()
    writer.close()


@pytest.fixture
def french(qapp: QApplication) -> Iterator[None]:
    translators = install_translation(qapp, QLocale("fr_FR"))
    yield
    for translator in translators:
        qapp.removeTranslator(translator)


def test_the_french_locale_loads_the_french_desk(
    make: Callable[[], DeskWindow], french: None
) -> None:
    window = make()
    assert window.windowTitle() == "Checkpoint — guichet (o1)"
    assert window.banner.text() == "Chargement des lecteurs…"
    assert window.next_button.text() == "&Voyageur suivant (F12)"
    assert window.reason_box.itemText(0) == "Choisir un motif d’écartement…"
    assert window.traveller.title() == "Voyageur"
    assert window.findings.headerData(1, Qt.Orientation.Horizontal) == "Motif"
    window.manual.text.setPlainText(
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
    )
    assert "tous les chiffres de contrôle concordent" in window.manual.result.text()
    fields = window.manual.fields
    assert fields.data(fields.index(0, 0)) == "Nom"
    assert fields.rows[0].label == "Surname"  # rows stay English; only the view is French
    assert shown("dismissed: known false match") == "écarté : known false match"


def test_without_a_translation_the_desk_speaks_english(
    make: Callable[[], DeskWindow], qapp: QApplication
) -> None:
    translators = install_translation(qapp, QLocale("en_GB"))
    try:
        assert not any("checkpoint_" in t.filePath() for t in translators)
        assert make().next_button.text() == "&Next traveller (F12)"
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)


def test_the_desk_builds_and_shows_right_to_left(
    qtbot: QtBot, make: Callable[[], DeskWindow], qapp: QApplication
) -> None:
    qapp.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    try:
        window = make()
        window.show()
        qtbot.waitExposed(window)
        assert window.isRightToLeft()
        # The screening panel sits left of the traveller in English, so right of it here.
        assert window.traveller.mapTo(window, window.traveller.rect().topLeft()).x() < (
            window.findings_view.mapTo(window, window.findings_view.rect().topLeft()).x()
        )
        window.grab()
    finally:
        qapp.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


def test_the_french_translation_is_complete_and_current(tmp_path: Path) -> None:
    """Every string a window shows (checkpoint/ui and its subpackages) is in the .ts,
    translated, and compiled into the .qm."""
    shipped = TRANSLATIONS / "checkpoint_fr.ts"
    copy = tmp_path / "checkpoint_fr.ts"
    shutil.copyfile(shipped, copy)
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    sources = sorted(str(p) for p in (TRANSLATIONS.parents[1] / "checkpoint" / "ui").rglob("*.py"))
    done = subprocess.run(
        [str(lupdate), "-no-obsolete", "-locations", "none", *sources, "-ts", str(copy)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "(0 new and" in done.stdout, done.stdout
    assert messages(copy) == messages(shipped)  # nothing new, nothing gone from the code
    assert [(context, source) for context, source, french in messages(shipped) if not french] == []
    assert (TRANSLATIONS / "checkpoint_fr.qm").stat().st_mtime >= shipped.stat().st_mtime - 1


def messages(ts: Path) -> list[tuple[str, str, str]]:
    """(context, English, French) of each entry of a .ts; French is empty while unfinished."""
    found = []
    for context in ET.parse(ts).getroot().iter("context"):
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            finished = translation.get("type") is None
            found.append(
                (
                    context.findtext("name") or "",
                    message.findtext("source") or "",
                    (translation.text or "") if finished else "",
                )
            )
    return found


PLACEHOLDERS = re.compile(r"\{[^}]*\}|%L?\d|%L?n")


def test_each_translation_keeps_the_placeholders_and_one_alt_key() -> None:
    """Every {name}, %1 and %n of the English text is in the French, and a text with an Alt key
    (one &) keeps one; a lost placeholder would show a raw brace or drop a value."""
    wrong = []
    for context, source, french in messages(TRANSLATIONS / "checkpoint_fr.ts"):
        keys = (source.replace("&&", "").count("&"), french.replace("&&", "").count("&"))
        if sorted(PLACEHOLDERS.findall(source)) != sorted(PLACEHOLDERS.findall(french)) or (
            keys[0] != keys[1]
        ):
            wrong.append((context, source, french))
    assert wrong == []
