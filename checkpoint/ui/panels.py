"""The desk's passive panels: the traveller as read, and manual MRZ entry.

They show what they are given and keep no screening state, so the window (which owns the
flow: frames, screening, hits and decisions) stays one readable piece and these stay small.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from checkpoint.documents.barcodes.present import barcode_lines, cross_check_lines
from checkpoint.documents.image import Image
from checkpoint.documents.mrz.model import MrzRead
from checkpoint.documents.mrz.parse import parse_mrz
from checkpoint.errors import CheckpointError
from checkpoint.screening.model import FindingKind, ScreeningResult, Severity
from checkpoint.ui.imaging import crop, to_qimage
from checkpoint.ui.models import FieldsModel, FindingsModel, shown
from checkpoint.ui.present import field_rows

RED = "#c8102e"
GREEN = "#1e8c45"


def escape(text: str) -> str:
    """Text for a rich-text label, shown as written."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def table(model: FieldsModel | FindingsModel) -> QTableView:
    """A read-only table of whole rows whose rows grow to fit wrapped text."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.setWordWrap(True)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return view


def _face_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setFixedSize(170, 200)
    label.setStyleSheet("background:#eee; color:#666; border:1px solid #bbb;")
    return label


def _set_face(label: QLabel, image: Image) -> None:
    if image.size == 0:
        return
    pixmap = QPixmap.fromImage(to_qimage(image)).scaled(
        label.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    label.setPixmap(pixmap)


class TravellerPanel(QGroupBox):
    """The document's fields with their marks, its barcodes, and the live face beside the
    document's portrait with the 1:1 result."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Traveller"), parent)
        self.heading = QLabel()
        title_font = QFont()
        title_font.setPixelSize(22)
        title_font.setBold(True)
        self.heading.setFont(title_font)
        self.heading.setWordWrap(True)
        self.fields = FieldsModel()
        self.fields_view = table(self.fields)
        header = self.fields_view.horizontalHeader()
        for column in (0, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.barcodes = QLabel()
        self.barcodes.setWordWrap(True)
        self.barcodes.setTextFormat(Qt.TextFormat.RichText)
        self.live_face = _face_label(self.tr("live face"))
        self.portrait_face = _face_label(self.tr("document portrait"))
        self.face_result = QLabel()
        self.face_result.setWordWrap(True)
        faces = QHBoxLayout()
        faces.addWidget(self.live_face)
        faces.addWidget(self.portrait_face)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.fields_view, 3)
        layout.addWidget(self.barcodes)
        layout.addLayout(faces)
        layout.addWidget(self.face_result)
        self.clear()

    def clear(self) -> None:
        self.heading.setText(self.tr("No document read yet"))
        self.fields.set_rows([])
        self.barcodes.setText(self.tr("No barcode seen"))
        for label, text in (
            (self.live_face, self.tr("live face")),
            (self.portrait_face, self.tr("document portrait")),
        ):
            label.clear()
            label.setText(text)
        self.face_result.setText(self.tr("1:1: waiting for the traveller's face and the portrait"))

    def show_read(self, read: MrzRead | None, result: ScreeningResult, today: date) -> None:
        """The traveller's best read so far, and what this frame's result adds."""
        if read is not None:
            fields = read.fields
            self.heading.setText(
                f"{fields.surname}, {fields.given_names} — {fields.issuer} {fields.document_code}"
                f" {fields.document_number}"
            )
            self.fields.set_rows(field_rows(read, today))
        lines = [escape(line) for item in result.document.barcodes for line in barcode_lines(item)]
        checks = result.document.cross_checks
        for check, line in zip(checks, cross_check_lines(checks), strict=True):
            lines.append(
                escape(line) if check.agrees else f"<b style='color:{RED}'>⚠ {escape(line)}</b>"
            )
        if lines:
            self.barcodes.setText("<br>".join(lines))
        elif read is not None:
            self.barcodes.setText(self.tr("No barcode seen on this document"))

    def show_faces_pending(self) -> None:
        """The document is read; the faces of the same frame are still being searched."""
        self.face_result.setText(self.tr("1:1 and face search: under way…"))

    def show_faces(self, frame: Image, result: ScreeningResult) -> None:
        """The live face and the portrait, cut from the frame they were found in."""
        if result.subject is not None:
            _set_face(self.live_face, crop(frame, result.subject.box))
        if result.portrait is not None:
            _set_face(self.portrait_face, crop(frame, result.portrait.box))
        one_to_one = next((f for f in result.findings if f.kind is FindingKind.PORTRAIT), None)
        if one_to_one is not None:
            same = one_to_one.severity is Severity.NOTE
            verdict = self.tr("1:1 MATCH") if same else self.tr("1:1 NO MATCH")
            self.face_result.setText(
                f"<b style='color:{GREEN if same else RED}'>{verdict}</b>"
                f" — {escape(one_to_one.reason)}"
            )
        elif result.portrait is None:
            self.face_result.setText(
                self.tr("1:1: the document's portrait was not found in this frame")
            )
        elif result.subject is None:
            self.face_result.setText(self.tr("1:1: no live face of the traveller in this frame"))


class ManualEntry(QGroupBox):
    """MRZ lines typed or pasted by the officer, parsed and checked at every keystroke."""

    def __init__(self, today: Callable[[], date], parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Manual entry"), parent)
        self._today = today
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(self.tr("Type or paste the MRZ lines here (Ctrl+M)"))
        mono = QFont("OCR-B")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        mono.setPixelSize(14)
        self.text.setFont(mono)
        self.text.setMaximumHeight(90)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.textChanged.connect(self._changed)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.fields = FieldsModel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.result)

    def clear(self) -> None:
        self.text.clear()

    def _changed(self) -> None:
        lines = [line.strip() for line in self.text.toPlainText().splitlines() if line.strip()]
        if not lines:
            self.result.setText("")
            self.fields.set_rows([])
            return
        today = self._today()
        try:
            read = parse_mrz(lines, today=today)
        except CheckpointError as exc:
            self.result.setText(f"<span style='color:#666'>{escape(str(exc))}</span>")
            self.fields.set_rows([])
            return
        rows = field_rows(read, today)
        self.fields.set_rows(rows)
        marks = " · ".join(
            f"{shown(row.label)}: {escape(row.value)} {row.mark}"
            for row in rows
            if row.label != "Document"
        )
        agree, fail = self.tr("all check digits agree"), self.tr("check digits fail")
        verdict = (
            f"<b style='color:{GREEN}'>✔ {agree}</b>"
            if read.valid
            else f"<b style='color:{RED}'>✘ {fail}</b>"
        )
        self.result.setText(f"{verdict}<br>{marks}")
