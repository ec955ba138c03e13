"""The Watchlists page: installed lists, importing a bundle (file, USB stick, HQ), trusted keys.

An import runs on a worker with a progress bar; its outcome is spelled out in sentences (who
signed, with which key, that the signature is valid, that the version is newer, what the
bundle holds) or, when refused, the one sentence that says why and that nothing changed.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from checkpoint.accounts import StationSession
from checkpoint.ui.admin import operations
from checkpoint.ui.admin.jobs import JobRunner
from checkpoint.ui.admin.media import bundles_on_media, media_roots
from checkpoint.ui.admin.models import KeysModel, ListsModel
from checkpoint.ui.admin.operations import BundleImported, FetchOutcome, WatchlistOverview

OK_STYLE = "background:#e3f4e8; border:1px solid #1e8c45; padding:8px;"
BAD_STYLE = "background:#fbe3e6; border:1px solid #c8102e; padding:8px;"


def _table(model: Any) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class WatchlistsPage(QWidget):
    """Lists in force and their state, imports with their verdict, the keys trusted."""

    def __init__(
        self, session: StationSession, runner: JobRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.media_roots: list[Path] = media_roots()
        self.confirmation: QMessageBox | None = None
        self.last_outcome: BundleImported | FetchOutcome | str | None = None
        self._build()
        runner.busy_changed.connect(self._update_controls)

    # --- building -----------------------------------------------------------------------

    def _build(self) -> None:
        self.lists = ListsModel()
        self.lists_view = _table(self.lists)
        self.import_button = QPushButton(self.tr("&Import bundle…"))
        self.import_button.clicked.connect(self.choose_bundle)
        self.fetch_button = QPushButton(self.tr("&Fetch from HQ"))
        self.fetch_button.clicked.connect(self.fetch)
        self.refresh_button = QPushButton(self.tr("&Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        self.media_box = QComboBox()
        self.media_box.setMinimumContentsLength(30)
        self.media_import_button = QPushButton(self.tr("Import from &USB"))
        self.media_import_button.clicked.connect(self.import_from_media)
        actions = QHBoxLayout()
        actions.addWidget(self.import_button)
        actions.addWidget(self.fetch_button)
        actions.addWidget(self.refresh_button)
        actions.addSpacing(24)
        actions.addWidget(QLabel(self.tr("On removable media:")))
        actions.addWidget(self.media_box, 1)
        actions.addWidget(self.media_import_button)

        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.progress_label = QLabel()
        progress = QHBoxLayout()
        progress.addWidget(self.progress, 1)
        progress.addWidget(self.progress_label)

        self.result = QLabel(self.tr("Import a bundle to see its verification here."))
        self.result.setWordWrap(True)
        self.result.setTextFormat(Qt.TextFormat.RichText)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        lists_box = QGroupBox(self.tr("Watchlists in force"))
        lists_layout = QVBoxLayout(lists_box)
        lists_layout.addWidget(self.lists_view, 1)
        lists_layout.addLayout(actions)
        lists_layout.addLayout(progress)
        lists_layout.addWidget(self.result)

        self.keys = KeysModel()
        self.keys_view = _table(self.keys)
        self.keys_view.selectionModel().selectionChanged.connect(
            lambda *_args: self._update_controls()
        )
        self.trust_button = QPushButton(self.tr("&Add key from file…"))
        self.trust_button.clicked.connect(self.choose_key)
        self.revoke_button = QPushButton(self.tr("Re&voke key…"))
        self.revoke_button.clicked.connect(self.revoke_selected)
        key_actions = QHBoxLayout()
        key_actions.addWidget(self.trust_button)
        key_actions.addWidget(self.revoke_button)
        key_actions.addStretch(1)
        keys_box = QGroupBox(self.tr("Trusted signing keys"))
        keys_layout = QVBoxLayout(keys_box)
        keys_layout.addWidget(self.keys_view, 1)
        keys_layout.addLayout(key_actions)

        layout = QVBoxLayout(self)
        layout.addWidget(lists_box, 3)
        layout.addWidget(keys_box, 1)
        self._update_controls()

    def _update_controls(self, *_args: object) -> None:
        idle = not self.runner.busy
        for button in (
            self.import_button,
            self.fetch_button,
            self.refresh_button,
            self.trust_button,
        ):
            button.setEnabled(idle)
        self.media_import_button.setEnabled(idle and self.media_box.count() > 0)
        self.revoke_button.setEnabled(idle and bool(self.keys_view.selectionModel().hasSelection()))

    # --- reading ------------------------------------------------------------------------

    def refresh(self) -> bool:
        """Read the lists, keys and media again (on a worker)."""
        session, roots = self.session, list(self.media_roots)

        def work(_progress: Any) -> tuple[WatchlistOverview, list[Path]]:
            return operations.watchlist_overview(session), bundles_on_media(roots)

        return self.runner.submit(work, self._show_overview, self._show_failure)

    def _show_overview(self, result: object) -> None:
        assert isinstance(result, tuple)
        overview: WatchlistOverview = result[0]
        media: list[Path] = result[1]
        self.lists.set_lists(overview.lists, overview.now)
        self.keys.set_keys(overview.keys, overview.lists)
        self.media_box.clear()
        for path in media:
            self.media_box.addItem(str(path), str(path))
        self._update_controls()

    def _show_failure(self, message: str) -> None:
        self.last_outcome = message
        self._show_result(False, [message])

    def _show_result(self, ok: bool, sentences: list[str]) -> None:
        self.result.setStyleSheet(OK_STYLE if ok else BAD_STYLE)
        self.result.setText("<br>".join(html.escape(s) for s in sentences))

    # --- importing ----------------------------------------------------------------------

    def choose_bundle(self) -> None:
        start = str(self.media_roots[0]) if self.media_roots else str(Path.home())
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import a watchlist bundle"), start, self.tr("Bundles (*.zip)")
        )
        if path:
            self.import_file(Path(path))

    def import_from_media(self) -> None:
        data = self.media_box.currentData()
        if data:
            self.import_file(Path(str(data)))

    def import_file(self, path: Path) -> bool:
        """Verify and import `path` on a worker; the verdict appears in the result panel."""
        session = self.session

        def work(progress: Any) -> BundleImported:
            return operations.import_bundle_file(session, path, progress)

        return self._run(work, self.tr("Checking {name}…").format(name=path.name))

    def fetch(self) -> bool:
        """Ask HQ for newer bundles and import them (each verified like a file)."""
        session = self.session

        def work(progress: Any) -> FetchOutcome:
            return operations.fetch_from_hq(session, progress)

        return self._run(work, self.tr("Asking HQ…"))

    def _run(self, work: Any, what: str) -> bool:
        started = self.runner.submit(work, self._imported, self._rejected, self._on_progress)
        if started:
            self.progress.setValue(0)
            self.progress_label.setText(what)
        return started

    def _on_progress(self, percent: int, what: str) -> None:
        self.progress.setValue(max(0, min(100, percent)))
        words = {
            "verifying": self.tr("verifying"),
            "importing": self.tr("writing the list"),
            "downloading": self.tr("downloading"),
            "asking HQ": self.tr("asking HQ"),
            "done": self.tr("done"),
        }
        self.progress_label.setText(words.get(what, what))

    def _imported(self, result: object) -> None:
        self.progress.setValue(100)
        self.progress_label.setText(self.tr("done"))
        if isinstance(result, BundleImported):
            self.last_outcome = result
            self._show_result(True, self.verdict(result))
        elif isinstance(result, FetchOutcome):
            self.last_outcome = result
            sentences = [
                self.tr("HQ at {url} offers {count} bundle(s).").format(
                    url=result.hq_url, count=result.offered
                )
            ]
            if not result.imported:
                sentences.append(self.tr("Every list is up to date: nothing was imported."))
            for imported in result.imported:
                sentences.extend(self.verdict(imported))
            self._show_result(True, sentences)
        self.refresh()

    def _rejected(self, message: str) -> None:
        self.progress.setValue(0)
        self.progress_label.setText(self.tr("refused"))
        self.last_outcome = message
        self._show_result(
            False,
            [
                self.tr("Refused: {reason}").format(reason=message),
                self.tr("Nothing was changed: the lists in force are the ones before."),
            ],
        )
        self.refresh()

    def verdict(self, done: BundleImported) -> list[str]:
        """The verification of an imported bundle, one sentence per check."""
        counts = done.counts
        if done.previous_version is None:
            newer = self.tr("Version {version} is new: {list} was not installed before.").format(
                version=done.version, list=done.list_id
            )
        else:
            newer = self.tr("Version {version} is newer than version {previous} installed.").format(
                version=done.version, previous=done.previous_version
            )
        kind = self.tr("full") if done.kind == "full" else self.tr("delta")
        return [
            self.tr("Imported {name} ({list}) version {version}, a {kind} bundle.").format(
                name=done.list_name, list=done.list_id, version=done.version, kind=kind
            ),
            self.tr(
                "Signature valid: signed by {signer} with key {key}, which this station trusts."
            ).format(signer=done.signer_name, key=done.key_id),
            newer,
            self.tr(
                "Every file matches its hash; made {created} UTC, valid until {expires} UTC."
            ).format(
                created=f"{done.created:%Y-%m-%d %H:%M}", expires=f"{done.expires:%Y-%m-%d %H:%M}"
            ),
            self.tr(
                "It holds {persons} persons, {names} names, {documents} documents, {alerts} "
                "document alerts, {templates} face templates and {deletions} deletions."
            ).format(
                persons=counts.get("persons", 0),
                names=counts.get("names", 0),
                documents=counts.get("documents", 0),
                alerts=counts.get("alerts", 0),
                templates=counts.get("templates", 0),
                deletions=counts.get("deletions", 0),
            ),
        ]

    # --- keys ---------------------------------------------------------------------------

    def choose_key(self) -> None:
        start = str(self.media_roots[0]) if self.media_roots else str(Path.home())
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Trust a signing key"), start, self.tr("Public keys (*.pub *.pem)")
        )
        if path:
            self.trust_file(Path(path))

    def trust_file(self, path: Path) -> bool:
        session = self.session

        def work(_progress: Any) -> Any:
            return operations.trust_key_file(session, path)

        return self.runner.submit(work, self._key_trusted, self._show_failure)

    def _key_trusted(self, key: object) -> None:
        self._show_result(
            True,
            [
                self.tr("Key {key} ({name}) is now trusted for bundle signatures.").format(
                    key=getattr(key, "key_id", ""), name=getattr(key, "name", "")
                )
            ],
        )
        self.refresh()

    def revoke_selected(self) -> None:
        """Ask to confirm, then revoke the selected key."""
        rows = self.keys_view.selectionModel().selectedRows()
        if not rows:
            return
        key = self.keys.keys[rows[0].row()]
        question = self.tr(
            "Revoke key {key} ({name})? Bundles signed with it will be refused from now "
            "on; the lists already installed stay in force."
        ).format(key=key.key_id, name=key.name)
        signed = self.keys.signed_lists(key)
        if signed:
            question += " " + self.tr(
                "It signed {lists}: their next versions must come signed with another trusted key."
            ).format(lists=", ".join(signed))
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Revoke key"),
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda answer: self._revoke_answered(key.key_id, answer))
        self.confirmation = box
        box.open()

    def _revoke_answered(self, key_id: str, answer: int) -> None:
        box, self.confirmation = self.confirmation, None
        if box is not None:
            box.deleteLater()
        if answer != QMessageBox.StandardButton.Yes.value:
            return
        session = self.session

        def work(_progress: Any) -> Any:
            return operations.revoke_trusted_key(session, key_id)

        self.runner.submit(work, self._key_revoked, self._show_failure)

    def _key_revoked(self, key: object) -> None:
        self._show_result(
            True,
            [
                self.tr("Key {key} ({name}) is revoked: bundles it signs are refused.").format(
                    key=getattr(key, "key_id", ""), name=getattr(key, "name", "")
                )
            ],
        )
        self.refresh()
