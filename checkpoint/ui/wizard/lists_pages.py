"""The trust pages: the key HQ signs lists with, and the first watchlist (a file or HQ).

Only the manifest's signature is checked here (instant); the full verification of every
record runs with the rest of the set-up, off the GUI thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from checkpoint.errors import CheckpointError
from checkpoint.firstrun.setup import signed_by_another_key
from checkpoint.ui.wizard.common import FileField, error_label
from checkpoint.watchlist.bundle import read_manifest
from checkpoint.watchlist.keys import TrustedKey, load_public_key
from checkpoint.watchlist.model import WatchlistError

if TYPE_CHECKING:
    from checkpoint.ui.wizard.wizard import FirstRunWizard


class KeyPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Watchlist signing key"))
        self.setSubTitle(
            self.tr(
                "The public key HQ signs its watchlists with (a .pub file HQ gave you). The "
                "station imports only lists signed with a key it trusts."
            )
        )
        self.file = FileField(self.tr("HQ's public key"), self.tr("Public keys (*.pub)"))
        self.identity = QLabel()
        self.error = error_label()
        form = QFormLayout(self)
        form.addRow(self.tr("Public &key file:"), self.file)
        form.addRow(self.identity)
        form.addRow(self.error)
        self.registerField("key_file*", self.file.edit)
        self.key: TrustedKey | None = None

    def validatePage(self) -> bool:  # noqa: N802
        path = self.file.path
        try:
            if path is None:
                raise CheckpointError("Choose HQ's public key file.")
            self.key = load_public_key(path)
        except CheckpointError as exc:
            self.error.setText(str(exc))
            self.identity.clear()
            self.file.setFocus()
            return False
        self.error.clear()
        self.identity.setText(
            self.tr("Key {key_id} ({name})").format(key_id=self.key.key_id, name=self.key.name)
        )
        return True


class BundlePage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("First watchlist"))
        self.setSubTitle(
            self.tr(
                "A signed bundle from HQ: a file (USB stick, download) or fetched from HQ at "
                "the address given on the station page."
            )
        )
        self.from_file = QRadioButton(self.tr("From a &file"))
        self.from_hq = QRadioButton(self.tr("Fetch from &HQ"))
        self.from_file.setChecked(True)
        self.choice = QButtonGroup(self)
        self.choice.addButton(self.from_file)
        self.choice.addButton(self.from_hq)
        self.file = FileField(self.tr("Watchlist bundle"), self.tr("Watchlist bundles (*.zip)"))
        self.hq_note = QLabel()
        self.hq_note.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.error = error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.from_file)
        layout.addWidget(self.file)
        layout.addWidget(self.from_hq)
        layout.addWidget(self.hq_note)
        layout.addWidget(self.summary)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.from_file.toggled.connect(self._update)

    def _wizard(self) -> FirstRunWizard:
        from checkpoint.ui.wizard.wizard import FirstRunWizard  # noqa: PLC0415

        wizard = self.wizard()
        assert isinstance(wizard, FirstRunWizard)
        return wizard

    def initializePage(self) -> None:  # noqa: N802
        station = self._wizard().station_page
        can_fetch = bool(station.hq_url.text().strip() and station.hq_token.text().strip())
        self.from_hq.setEnabled(can_fetch)
        if not can_fetch:
            self.from_file.setChecked(True)
            self.hq_note.setText(
                self.tr("Fetching needs HQ's address and the station token (station page).")
            )
        else:
            self.hq_note.setText(self.tr("HQ at {url}").format(url=station.hq_url.text().strip()))
        self._update()
        self.file.setFocus()

    def _update(self) -> None:
        self.file.setEnabled(self.from_file.isChecked())
        self.summary.clear()
        self.error.clear()

    @property
    def bundle_file(self) -> Path | None:
        """The bundle chosen, or None when the lists are to be fetched from HQ."""
        return self.file.path if self.from_file.isChecked() else None

    def validatePage(self) -> bool:  # noqa: N802
        if self.from_hq.isChecked():
            return True
        key = self._wizard().key_page.key
        path = self.file.path
        try:
            if path is None:
                raise CheckpointError("Choose the watchlist bundle file, or fetch from HQ.")
            assert key is not None
            trusted = {key.key_id: key}
            try:
                manifest, _ = read_manifest(path, trusted)
            except WatchlistError as exc:
                raise signed_by_another_key(path, trusted, key) or exc from exc
        except CheckpointError as exc:
            self.error.setText(str(exc))
            self.file.setFocus()
            return False
        self.error.clear()
        self.summary.setText(
            self.tr("{name} version {version}, expires {expires}").format(
                name=manifest.list_name,
                version=manifest.version,
                expires=f"{manifest.expires:%Y-%m-%d}",
            )
        )
        return True
