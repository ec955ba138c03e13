"""The first-run wizard offscreen, walked by keyboard: Enter tries the demo; the set-up path
fills every page, tests the camera live, sets the station up off the GUI thread and shows
the recovery key, which must be acknowledged; a refused bundle keeps the wizard on the
set-up page with the reason and the home unchanged."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from firstrun_helpers import (
    DEMO_BUNDLE,
    DEMO_KEY,
    PASSWORD,
    Hq,
    other_signed_bundle,
    running_hq,
    snapshot,
)
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget, QWizard
from pytestqt.qtbot import QtBot

from checkpoint.accounts.store import has_accounts
from checkpoint.config import load_settings
from checkpoint.firstrun import needs_setup
from checkpoint.sync.station_token import load_token
from checkpoint.ui.wizard import FirstRunWizard
from checkpoint.ui.wizard.common import PageId

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")
WAIT_MS = 30_000


@pytest.fixture
def wizard(qtbot: QtBot, checkpoint_home: Path) -> Iterator[FirstRunWizard]:
    shown = FirstRunWizard(checkpoint_home)
    qtbot.addWidget(shown)
    shown.show()
    shown.activateWindow()
    qtbot.waitActive(shown)
    yield shown
    shown.shutdown()


def enter(widget: QWidget) -> None:
    QTest.keyClick(widget, Qt.Key.Key_Return)


def type_into(widget: QWidget, text: str) -> None:
    widget.setFocus()
    QTest.keyClicks(widget, text)


def mnemonic(wizard: FirstRunWizard, qtbot: QtBot, key: Qt.Key, done: Callable[[], bool]) -> None:
    """Alt+key: a button's mnemonic animates a click, which lands ~100 ms later."""
    QTest.keyClick(wizard, key, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(done, timeout=WAIT_MS)


def test_enter_on_the_first_page_tries_the_demo(wizard: FirstRunWizard, qtbot: QtBot) -> None:
    assert wizard.currentId() == PageId.WELCOME
    assert wizard.welcome.demo_button.isDefault()
    assert QApplication.focusWidget() is wizard.welcome.demo_button
    with qtbot.waitSignal(wizard.accepted):
        enter(QApplication.focusWidget())
    assert wizard.choice == "demo"


def walk_to_setup(
    wizard: FirstRunWizard,
    qtbot: QtBot,
    bundle: Path | None,
    hq: Hq | None = None,
    other_signer: Path | None = None,
) -> None:
    """Every page filled by keys; Enter moves on; the camera page tests the demo source.

    With `bundle` None the lists are fetched from `hq`; `other_signer`, a bundle signed with
    another key, is offered first and must be refused on the list page.
    """
    mnemonic(wizard, qtbot, Qt.Key.Key_S, lambda: wizard.currentId() == PageId.STATION)
    type_into(wizard.station_page.station_id, "BORDER-7")
    type_into(wizard.station_page.hq_url, hq.url if hq else "https://hq.example")
    if hq is not None:
        type_into(wizard.station_page.hq_token, hq.token)
    enter(wizard.station_page.hq_url)
    assert wizard.currentId() == PageId.ADMINISTRATOR
    page = wizard.administrator_page
    type_into(page.username, "chief")
    type_into(page.password, PASSWORD)
    type_into(page.confirmation, PASSWORD + "x")
    enter(page.confirmation)
    assert wizard.currentId() == PageId.ADMINISTRATOR
    assert "differ" in page.error.text()
    type_into(page.confirmation, PASSWORD)
    enter(page.confirmation)
    assert wizard.currentId() == PageId.KEY
    type_into(wizard.key_page.file.edit, str(DEMO_BUNDLE))
    enter(wizard.key_page.file.edit)
    assert wizard.currentId() == PageId.KEY
    assert "not a readable Ed25519 public key" in wizard.key_page.error.text()
    wizard.key_page.file.edit.clear()
    type_into(wizard.key_page.file.edit, str(DEMO_KEY))
    enter(wizard.key_page.file.edit)
    assert wizard.currentId() == PageId.BUNDLE
    lists = wizard.bundle_page
    assert lists.from_hq.isEnabled() == (hq is not None)  # fetching needs the token
    if bundle is None:
        mnemonic(wizard, qtbot, Qt.Key.Key_H, lists.from_hq.isChecked)  # fetch from &HQ
        assert not lists.file.isEnabled()
        enter(lists.from_hq)
    else:
        if other_signer is not None:
            type_into(lists.file.edit, str(other_signer))
            enter(lists.file.edit)
            assert wizard.currentId() == PageId.BUNDLE
            assert "not by the key chosen" in lists.error.text()
            lists.file.edit.clear()
        type_into(lists.file.edit, str(bundle))
        enter(lists.file.edit)
    assert wizard.currentId() == PageId.CAMERA
    camera = wizard.camera_page
    line = camera.source_box.lineEdit()
    assert line is not None
    line.clear()
    type_into(line, "/dev/video9")
    enter(line)
    qtbot.waitUntil(lambda: bool(camera.error.text()), timeout=WAIT_MS)
    assert "cannot be opened" in camera.error.text()
    assert "demo source" in camera.error.text()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    mnemonic(wizard, qtbot, Qt.Key.Key_D, lambda: camera.pictures > 0)  # use the &demo
    assert not camera.live.pixmap().isNull()
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    enter(line)
    assert wizard.currentId() == PageId.SETUP
    assert camera.capture is None  # the camera is let go when the page is left


def test_the_set_up_walk_ends_on_the_recovery_key(
    wizard: FirstRunWizard, qtbot: QtBot, checkpoint_home: Path, tmp_path: Path
) -> None:
    walk_to_setup(wizard, qtbot, DEMO_BUNDLE, other_signer=other_signed_bundle(tmp_path))
    assert "BORDER-7" in wizard.setup_page.summary.text()
    enter(wizard.button(QWizard.WizardButton.CommitButton))
    qtbot.waitUntil(lambda: wizard.currentId() == PageId.RECOVERY, timeout=WAIT_MS)
    key = wizard.recovery_page.key.text()
    assert len(key) >= 20
    assert wizard.outcome is not None
    assert wizard.outcome.recovery_key == key
    assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    assert not wizard.button(QWizard.WizardButton.CancelButton).isVisible()
    QTest.keyClick(wizard, Qt.Key.Key_Escape)
    wizard.close()
    assert wizard.isVisible()  # the key is shown once: no way out before it is stored
    wizard.recovery_page.save_to(tmp_path / "recovery.txt")
    assert key in (tmp_path / "recovery.txt").read_text(encoding="utf-8")
    assert (tmp_path / "recovery.txt").stat().st_mode & 0o077 == 0
    mnemonic(wizard, qtbot, Qt.Key.Key_S, wizard.recovery_page.stored.isChecked)  # &stored
    with qtbot.waitSignal(wizard.accepted):
        enter(wizard.button(QWizard.WizardButton.FinishButton))
    assert wizard.choice == "done"
    settings = load_settings(checkpoint_home)
    assert (settings.station_id, settings.hq_url, settings.camera, settings.first_run) == (
        "BORDER-7",
        "https://hq.example",
        "demo",
        "done",
    )
    assert has_accounts(checkpoint_home)


def test_a_refused_bundle_keeps_the_wizard_on_the_set_up_page(
    wizard: FirstRunWizard, qtbot: QtBot, checkpoint_home: Path, tmp_path: Path
) -> None:
    """The manifest is intact (so the bundle page accepts it) but a payload was altered."""
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(DEMO_BUNDLE) as source, zipfile.ZipFile(tampered, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "names.jsonl":
                data = data.replace(b"a", b"e", 1)
            target.writestr(item, data)
    before = snapshot(checkpoint_home)
    walk_to_setup(wizard, qtbot, tampered)
    enter(wizard.button(QWizard.WizardButton.CommitButton))
    page = wizard.setup_page
    qtbot.waitUntil(lambda: bool(page.error.text()), timeout=WAIT_MS)
    assert "does not match its manifest" in page.error.text()
    assert wizard.currentId() == PageId.SETUP
    assert wizard.button(QWizard.WizardButton.BackButton).isEnabled()
    assert snapshot(checkpoint_home) == before
    assert needs_setup(checkpoint_home)
    wizard.reject()
    assert wizard.choice is None


def test_the_first_lists_can_come_from_a_real_hq(
    wizard: FirstRunWizard, qtbot: QtBot, checkpoint_home: Path, tmp_path: Path
) -> None:
    offered = tmp_path / "offered"
    offered.mkdir()
    shutil.copy(DEMO_BUNDLE, offered / DEMO_BUNDLE.name)
    with running_hq(tmp_path, offered) as hq:
        walk_to_setup(wizard, qtbot, None, hq)
        assert "fetched from HQ" in wizard.setup_page.summary.text()
        enter(wizard.button(QWizard.WizardButton.CommitButton))
        qtbot.waitUntil(lambda: wizard.currentId() == PageId.RECOVERY, timeout=WAIT_MS)
    assert wizard.outcome is not None
    assert [(r.list_id, r.version) for r in wizard.outcome.imported] == [("DEMO", 1)]
    assert load_settings(checkpoint_home).hq_url == hq.url
    assert load_token(checkpoint_home) == hq.token
