"""The Settings page: one form over `checkpoint.config.Settings`, checked before it is saved.

Every field is typed as text and the whole form goes through the same pydantic model that
reads settings.json, so the form accepts exactly what the file accepts; an invalid value is
named beside its field and nothing is saved. Beside each threshold the page says what it
implies: for names, the share of sample travellers on no list who would be a hit against
the lists in force; for faces, the 1:N distance threshold the target rate gives at the
current gallery size and the share of listed people it would miss. The HQ token is written
to its own owner-only file, never into settings.json or the audit log.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from checkpoint.accounts import StationSession
from checkpoint.config import Settings
from checkpoint.documents.image import Image
from checkpoint.ui.admin import operations
from checkpoint.ui.admin.jobs import JobRunner
from checkpoint.ui.admin.operations import SettingsSnapshot
from checkpoint.ui.admin.watchlists_page import BAD_STYLE, OK_STYLE
from checkpoint.ui.imaging import to_qimage

ERROR_STYLE = "color:#c8102e;"
PREVIEW_WIDTH = 240
NOTE_STYLE = "color:#555;"


@dataclass
class Field:
    """One setting on the form: where it lives in the model, its editor and its error label."""

    path: tuple[str, ...]
    editor: QLineEdit
    error: QLabel

    @property
    def name(self) -> str:
        return ".".join(self.path)


class SettingsPage(QWidget):
    """The station's settings, the HQ token, and what the thresholds imply."""

    def __init__(
        self, session: StationSession, runner: JobRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = runner
        # Measuring the name threshold loads the lists' index: apart, so the form stays usable.
        self.measure_runner = JobRunner(runner.pool, self)
        self.snapshot: SettingsSnapshot | None = None
        self.name_scores: tuple[float, ...] | None = None
        self.fields: dict[str, Field] = {}
        self.last_changes: dict[str, list[Any]] | None = None
        self._loading = False
        self._build()
        runner.busy_changed.connect(self._update_controls)

    # --- building -----------------------------------------------------------------------

    def _field(
        self,
        form: QFormLayout,
        path: tuple[str, ...],
        label: str,
        note: str = "",
        beside: QWidget | None = None,
    ) -> QLineEdit:
        editor = QLineEdit()
        error = QLabel()
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        if beside is None:
            column.addWidget(editor)
        else:
            line = QHBoxLayout()
            line.addWidget(editor, 1)
            line.addWidget(beside)
            column.addLayout(line)
        if note:
            hint = QLabel(note)
            hint.setStyleSheet(NOTE_STYLE)
            hint.setWordWrap(True)
            column.addWidget(hint)
            editor.setToolTip(note)
        column.addWidget(error)
        holder = QWidget()
        holder.setLayout(column)
        form.addRow(label, holder)
        self.fields[".".join(path)] = Field(path, editor, error)
        editor.textChanged.connect(lambda _text: self._field_edited())
        return editor

    def _group(self, title: str) -> tuple[QGroupBox, QFormLayout]:
        box = QGroupBox(title)
        form = QFormLayout(box)
        return box, form

    def _build(self) -> None:
        station, station_form = self._group(self.tr("Station"))
        self._field(station_form, ("station_id",), self.tr("Station identifier"))
        self.test_source_button = QPushButton(self.tr("&Test"))
        self.test_source_button.clicked.connect(self.test_source)
        self.source_editor = self._field(
            station_form,
            ("camera",),
            self.tr("Frame source"),
            self.tr("demo, a camera number, a device, a video file or a folder of images"),
            beside=self.test_source_button,
        )
        self.source_preview = QLabel()
        self.source_preview.setWordWrap(True)
        station_form.addRow("", self.source_preview)

        hq, hq_form = self._group(self.tr("Headquarters"))
        self._field(hq_form, ("hq_url",), self.tr("HQ address"), self.tr("https://… or empty"))
        self.token_edit = QLineEdit()
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.textChanged.connect(lambda _text: self._field_edited())
        self.token_error = QLabel()
        self.token_error.setStyleSheet(ERROR_STYLE)
        self.token_error.hide()
        token_column = QVBoxLayout()
        token_column.setContentsMargins(0, 0, 0, 0)
        token_column.addWidget(self.token_edit)
        token_column.addWidget(self.token_error)
        token_holder = QWidget()
        token_holder.setLayout(token_column)
        hq_form.addRow(self.tr("Station token"), token_holder)

        screening, screening_form = self._group(self.tr("Screening thresholds"))
        self.name_threshold = self._field(
            screening_form,
            ("screening", "name_hit_threshold"),
            self.tr("Name hit threshold"),
            self.tr("Score from 0 to 1 at which a name match is a hit."),
        )
        self.name_rate = QLabel()
        self.name_rate.setWordWrap(True)
        screening_form.addRow("", self.name_rate)
        self.face_rate = self._field(
            screening_form,
            ("screening", "face_target_false_match_rate"),
            self.tr("Face false-alert rate"),
            self.tr("Target share of travellers falsely matched to a listed face, e.g. 0.0001."),
        )
        self.face_threshold = QLabel()
        self.face_threshold.setWordWrap(True)
        screening_form.addRow("", self.face_threshold)
        self.name_threshold.textChanged.connect(lambda _text: self._show_implications())
        self.face_rate.textChanged.connect(lambda _text: self._show_implications())

        accounts, accounts_form = self._group(self.tr("Accounts"))
        self._field(
            accounts_form,
            ("accounts", "idle_timeout_minutes"),
            self.tr("Idle timeout (minutes)"),
            self.tr("The station locks after this long without use."),
        )
        self._field(
            accounts_form,
            ("accounts", "max_failed_logins"),
            self.tr("Failed logins before lockout"),
        )
        self._field(accounts_form, ("accounts", "lockout_minutes"), self.tr("Lockout (minutes)"))

        retention, retention_form = self._group(self.tr("Retention"))
        self._field(retention_form, ("retention", "hits_days"), self.tr("Keep hits (days)"))
        self._field(
            retention_form,
            ("retention", "evidence_days"),
            self.tr("Keep evidence images (days)"),
            self.tr("Never longer than the hits they belong to."),
        )
        self._field(retention_form, ("retention", "audit_days"), self.tr("Keep audit rows (days)"))

        self.save_button = QPushButton(self.tr("&Save settings"))
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(self.tr("Re&vert"))
        self.revert_button.clicked.connect(self.refresh)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.revert_button)
        buttons.addStretch(1)
        self.result = QLabel()
        self.result.setWordWrap(True)

        content = QWidget()
        columns = QHBoxLayout(content)
        left = QVBoxLayout()
        left.addWidget(station)
        left.addWidget(hq)
        left.addWidget(accounts)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(screening)
        right.addWidget(retention)
        right.addStretch(1)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.result)
        self._update_controls()

    def _update_controls(self, *_args: object) -> None:
        idle = not self.runner.busy
        self.save_button.setEnabled(idle and self.snapshot is not None)
        self.revert_button.setEnabled(idle)
        self.test_source_button.setEnabled(idle)

    def _field_edited(self) -> None:
        if self._loading:
            return
        self.result.clear()
        self.result.setStyleSheet("")

    # --- reading ------------------------------------------------------------------------

    def refresh(self) -> bool:
        """Read the saved settings, and measure the name threshold against the lists (workers)."""
        session = self.session

        def work(_progress: Any) -> SettingsSnapshot:
            return operations.settings_snapshot(session)

        def measure(_progress: Any) -> tuple[float, ...]:
            return operations.name_sample_scores(session)

        if self.measure_runner.submit(measure, self._show_scores, self._show_failure):
            self.name_scores = None
        return self.runner.submit(work, self._show_snapshot, self._show_failure)

    def _show_scores(self, result: object) -> None:
        assert isinstance(result, tuple)
        self.name_scores = result
        self._show_implications()

    def _show_snapshot(self, result: object) -> None:
        assert isinstance(result, SettingsSnapshot)
        self.snapshot = result
        document = result.settings.model_dump(mode="json")
        self._loading = True
        for field in self.fields.values():
            value: Any = document
            for part in field.path:
                value = value[part]
            field.editor.setText("" if value is None else str(value))
            field.error.hide()
        self.token_edit.clear()
        self.token_edit.setPlaceholderText(
            self.tr("stored; type a new one to replace it")
            if result.has_token
            else self.tr("none stored; paste the token HQ issued")
        )
        self.token_error.hide()
        self._loading = False
        self._show_implications()
        self._update_controls()

    def _show_failure(self, message: str) -> None:
        self.result.setStyleSheet(BAD_STYLE)
        self.result.setText(html.escape(message))

    def _show_implications(self) -> None:
        snapshot = self.snapshot
        if snapshot is None:
            return
        scores = self.name_scores
        try:
            name_threshold = float(self.name_threshold.text())
        except ValueError:
            self.name_rate.setText(self.tr("Enter a number from 0 to 1."))
        else:
            rate = (
                None if scores is None else operations.name_false_hit_rate(scores, name_threshold)
            )
            if scores is None:
                self.name_rate.setText(self.tr("Measuring against the lists in force…"))
            elif rate is None:
                self.name_rate.setText(
                    self.tr("No list is installed: nothing to measure the threshold against.")
                )
            else:
                self.name_rate.setText(
                    self.tr(
                        "At {threshold}, {rate} of {count} sample travellers on no list would be "
                        "a name hit against the lists in force."
                    ).format(
                        threshold=f"{name_threshold:.2f}",
                        rate=f"{rate:.1%}",
                        count=len(scores),
                    )
                )
        try:
            target = float(self.face_rate.text())
            if not 0.0 < target < 1.0:
                raise ValueError(target)
        except ValueError:
            self.face_threshold.setText(self.tr("Enter a rate between 0 and 1, e.g. 0.0001."))
            return
        policy = operations.face_threshold(snapshot.face_gallery, target)
        limits = {
            "target": self.tr("set by the target"),
            "ceiling": self.tr("held at the 1:1 threshold"),
            "floor": self.tr("held at the floor: the target cannot be met"),
        }
        self.face_threshold.setText(
            self.tr(
                "With {gallery} face templates in force: 1:N threshold {threshold} ({limit}), "
                "expected false alerts {fpir} of travellers, listed people missed {fnir}."
            ).format(
                gallery=snapshot.face_gallery,
                threshold=f"{policy.threshold:.3f}",
                limit=limits.get(policy.limited_by, policy.limited_by),
                fpir=f"{policy.expected_fpir:.2g}",
                fnir=f"{policy.expected_fnir:.1%}",
            )
        )

    # --- the frame source ---------------------------------------------------------------

    def test_source(self) -> bool:
        """Open the frame source typed (not yet saved) and show one frame from it (worker)."""
        spec = self.source_editor.text().strip()

        def work(_progress: Any) -> tuple[str, Image | None]:
            return operations.preview_source(spec)

        started = self.runner.submit(work, self._show_preview, self._preview_failed)
        if started:
            self.source_preview.setPixmap(QPixmap())
            self.source_preview.setText(self.tr("Opening {source}…").format(source=spec))
        return started

    def _show_preview(self, result: object) -> None:
        assert isinstance(result, tuple)
        name, frame = result
        if frame is None:
            self.source_preview.setStyleSheet(ERROR_STYLE)
            self.source_preview.setText(
                self.tr("{source} opened but gave no frame: check it is connected.").format(
                    source=name
                )
            )
            return
        self.source_preview.setStyleSheet("")
        image = to_qimage(frame).scaledToWidth(PREVIEW_WIDTH)
        self.source_preview.setPixmap(QPixmap.fromImage(image))
        self.source_preview.setToolTip(
            self.tr("{source}: a {width}×{height} frame").format(
                source=name, width=frame.shape[1], height=frame.shape[0]
            )
        )

    def _preview_failed(self, message: str) -> None:
        self.source_preview.setPixmap(QPixmap())
        self.source_preview.setStyleSheet(ERROR_STYLE)
        self.source_preview.setText(message)

    # --- saving -------------------------------------------------------------------------

    def validated(self) -> Settings | None:
        """The form as settings, or None after naming each invalid field beside it."""
        assert self.snapshot is not None
        document: dict[str, Any] = self.snapshot.settings.model_dump(mode="json")
        for field in self.fields.values():
            field.error.hide()
            target = document
            for part in field.path[:-1]:
                target = target[part]
            text = field.editor.text().strip()
            target[field.path[-1]] = None if (field.name == "hq_url" and not text) else text
        errors: dict[str, str] = {}
        settings: Settings | None = None
        try:
            settings = Settings.model_validate(document)
        except ValidationError as exc:
            for error in exc.errors():
                name = ".".join(str(part) for part in error["loc"])
                errors.setdefault(name, str(error["msg"]))
        hq_url = document.get("hq_url")
        if hq_url and not str(hq_url).startswith(("https://", "http://")):
            errors.setdefault(
                "hq_url", self.tr("The address must begin with https:// (or http:// on a LAN).")
            )
        retention = document["retention"]
        if "retention.evidence_days" not in errors and "retention.hits_days" not in errors:
            try:
                longer = int(retention["evidence_days"]) > int(retention["hits_days"])
            except (TypeError, ValueError):
                longer = False
            if longer:
                errors["retention.evidence_days"] = self.tr(
                    "Evidence cannot be kept longer than the hits it belongs to."
                )
        token = self.token_edit.text().strip()
        self.token_error.hide()
        if token and any(ch.isspace() for ch in token):
            self.token_error.setText(self.tr("A token is one line without spaces."))
            self.token_error.show()
            errors["hq_token"] = self.token_error.text()
        for name, message in errors.items():
            marked = self.fields.get(name)
            if marked is not None:
                marked.error.setText(message)
                marked.error.show()
        if errors:
            self.result.setStyleSheet(BAD_STYLE)
            self.result.setText(
                html.escape(
                    self.tr("Nothing was saved: correct the {count} field(s) marked.").format(
                        count=len(errors)
                    )
                )
            )
            return None
        return settings

    def save(self) -> bool:
        """Validate the form; when valid, save it (and the token) on a worker and audit it."""
        if self.snapshot is None:
            return False
        settings = self.validated()
        if settings is None:
            return False
        token = self.token_edit.text().strip() or None
        session = self.session

        def work(_progress: Any) -> dict[str, list[Any]]:
            return operations.save_settings_change(session, settings, token)

        return self.runner.submit(work, self._saved, self._show_failure)

    def _saved(self, result: object) -> None:
        assert isinstance(result, dict)
        self.last_changes = result
        self.result.setStyleSheet(OK_STYLE)
        if result:
            self.result.setText(
                html.escape(
                    self.tr("Saved {count} change(s): {names}.").format(
                        count=len(result), names=", ".join(sorted(result))
                    )
                )
            )
        else:
            self.result.setText(self.tr("Nothing changed: nothing to save."))
        self.refresh()
