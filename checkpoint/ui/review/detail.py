"""A hit in detail for the supervisor: evidence side by side, the findings, the officer's
decision, earlier reviews, and the annotate and overturn actions.

Opening the dialog is an access to personal data, so loading it records `hit.view` and
`listed.view` in the audit log, in the same background job that reads the hit; a refresh
after the supervisor's own review does not record a second view. Images are decoded on the
job's thread; the dialog only scales them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from checkpoint import audit
from checkpoint.accounts.roles import Permission
from checkpoint.accounts.session import StationSession
from checkpoint.hits.model import Hit, HitError, Outcome
from checkpoint.hits.query import DecisionState, LogRow, log_row
from checkpoint.hits.review import Review, ReviewKind, annotate, overturn, reviews_of
from checkpoint.hits.store import get_evidence, get_hit
from checkpoint.storage.transaction import transaction
from checkpoint.ui.review.jobs import DatabaseJobs
from checkpoint.ui.review.log_model import kind_text

IMAGE_SIDE = 280
LIVE_FACE = ("face.jpg",)
DOCUMENT = ("document.jpg", "portrait.jpg")
LISTED = ("listed.jpg",)


@dataclass(frozen=True)
class HitDetail:
    """Everything the dialog shows, read in one job."""

    hit: Hit
    row: LogRow
    images: dict[str, QImage]
    reviews: tuple[Review, ...]


def load_detail(
    conn: sqlite3.Connection, session: StationSession, hit_id: str, *, record_view: bool
) -> HitDetail:
    """Read a hit, its evidence and reviews; with `record_view`, audit the access."""
    session.require(Permission.REVIEW_HITS)
    hit = get_hit(conn, hit_id)
    row = log_row(conn, hit_id)
    if hit is None or row is None:
        raise HitError(f"There is no hit {hit_id}: it may have been purged; refresh the log.")
    images = {}
    for name in hit.evidence_names:
        evidence = get_evidence(conn, hit_id, name)
        if evidence is not None:
            images[name] = QImage.fromData(evidence.data)
    if record_view:
        with transaction(conn, savepoint="view"):
            audit.record(conn, session.principal, "hit.view", hit_id)
            audit.record(
                conn,
                session.principal,
                "listed.view",
                hit_id,
                {"list_id": hit.list_id, "reference": hit.reference},
            )
    return HitDetail(hit, row, images, tuple(reviews_of(conn, hit_id)))


def when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def outcome_text(outcome: str | None) -> str:
    return {
        "confirmed": QCoreApplication.translate("HitDetailDialog", "referred to second line"),
        "dismissed": QCoreApplication.translate("HitDetailDialog", "dismissed"),
        None: QCoreApplication.translate("HitDetailDialog", "not decided yet"),
    }.get(outcome, str(outcome))


def review_text(review: Review) -> str:
    stamp = when(review.reviewed_at)
    if review.kind is ReviewKind.OVERTURN:
        outcome = review.outcome.value if review.outcome else None
        text = QCoreApplication.translate(
            "HitDetailDialog", "{when} — {who} overturned to {outcome}: {reason}"
        ).format(
            when=stamp, who=review.reviewed_by, outcome=outcome_text(outcome), reason=review.reason
        )
        return f"{text} ({review.note})" if review.note else text
    return QCoreApplication.translate("HitDetailDialog", "{when} — {who} noted: {note}").format(
        when=stamp, who=review.reviewed_by, note=review.note
    )


class EvidencePane(QGroupBox):
    """One evidence image with its caption, or a sentence saying what there is instead."""

    def __init__(self, title: str) -> None:
        super().__init__(title)
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setMinimumSize(IMAGE_SIDE, IMAGE_SIDE)
        self.image.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.image.setStyleSheet("background:#1b1b1b; color:#ddd;")
        self.image.setWordWrap(True)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.image, 1)
        layout.addWidget(self.caption)

    def show_image(self, image: QImage | None, caption: str, missing: str) -> None:
        self.caption.setText(caption)
        if image is None or image.isNull():
            self.image.setPixmap(QPixmap())
            self.image.setText(missing)
            return
        pixmap = QPixmap.fromImage(image).scaled(
            IMAGE_SIDE,
            IMAGE_SIDE,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        self.image.setText("")
        self.image.setPixmap(pixmap)


class HitDetailDialog(QDialog):
    """One hit in detail; `reviewed(hit_id)` is emitted after an annotation or overturn."""

    reviewed = Signal(str)
    loaded = Signal()
    failed = Signal(str)

    def __init__(
        self,
        session: StationSession,
        hit_id: str,
        jobs: DatabaseJobs,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        session.require(Permission.REVIEW_HITS)
        self.session = session
        self.hit_id = hit_id
        self.jobs = jobs
        self.detail: HitDetail | None = None
        self.saving = False
        self.setWindowTitle(self.tr("Hit {hit}").format(hit=hit_id[:8]))
        self.resize(1100, 860)
        self._build()
        self._load(record_view=True)

    def _build(self) -> None:
        self.face = EvidencePane(self.tr("Live face"))
        self.document = EvidencePane(self.tr("Document"))
        self.listed = EvidencePane(self.tr("Listed person"))
        evidence = QHBoxLayout()
        for pane in (self.face, self.document, self.listed):
            evidence.addWidget(pane, 1)

        self.headline = QLabel(self.tr("Loading the hit…"))
        headline_font = self.headline.font()
        headline_font.setPointSizeF(headline_font.pointSizeF() * 1.3)
        headline_font.setBold(True)
        self.headline.setFont(headline_font)
        self.headline.setWordWrap(True)

        facts = QGroupBox(self.tr("Hit"))
        self.facts = QFormLayout(facts)
        self.fact_labels: dict[str, QLabel] = {}
        for key, label in (
            ("time", self.tr("Time")),
            ("where", self.tr("Station, officer")),
            ("list", self.tr("List")),
            ("traveller", self.tr("Traveller")),
            ("listed", self.tr("Listed")),
            ("findings", self.tr("Findings")),
            ("decision", self.tr("Officer's decision")),
            ("state", self.tr("Current state")),
        ):
            value = QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fact_labels[key] = value
            self.facts.addRow(label, value)

        reviews_box = QGroupBox(self.tr("Reviews"))
        self.reviews = QListWidget()
        self.reviews.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(
            self.tr("A note to annotate with, or the reason to overturn the decision")
        )
        self.text.setMaximumHeight(90)
        self.annotate_button = QPushButton(self.tr("&Annotate (Ctrl+Enter)"))
        self.annotate_button.clicked.connect(self.annotate)
        self.overturn_button = QPushButton(self.tr("&Overturn"))
        self.overturn_button.clicked.connect(self.overturn)
        self.close_button = QPushButton(self.tr("Close (Esc)"))
        self.close_button.clicked.connect(self.reject)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color:#b00020;")
        buttons = QHBoxLayout()
        buttons.addWidget(self.annotate_button)
        buttons.addWidget(self.overturn_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        reviews_layout = QVBoxLayout(reviews_box)
        reviews_layout.addWidget(self.reviews, 1)
        reviews_layout.addWidget(self.text)
        reviews_layout.addLayout(buttons)
        reviews_layout.addWidget(self.message)

        lower = QHBoxLayout()
        lower.addWidget(facts, 3)
        lower.addWidget(reviews_box, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addLayout(evidence, 3)
        layout.addLayout(lower, 2)

        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(self.annotate)
        self._update_controls()

    # --- loading ------------------------------------------------------------------------------

    def _load(self, *, record_view: bool) -> None:
        session, hit_id = self.session, self.hit_id
        self.jobs.submit(
            lambda conn: load_detail(conn, session, hit_id, record_view=record_view),
            self._show,
            self._failed,
        )

    def _failed(self, message: str) -> None:
        self.saving = False
        self.message.setText(message)
        self._update_controls()
        self.failed.emit(message)

    def _show(self, detail: HitDetail) -> None:
        self.detail = detail
        hit, row = detail.hit, detail.row
        self.headline.setText(
            self.tr("{kind} hit, score {score:.2f}: {reason}").format(
                kind=kind_text(hit.kind), score=hit.score, reason=hit.reason
            )
        )
        images = detail.images
        face = next((images[n] for n in LIVE_FACE if n in images), None)
        document = next((images[n] for n in DOCUMENT if n in images), None)
        listed_image = next((images[n] for n in LISTED if n in images), None)
        traveller = hit.traveller or {}
        self.face.show_image(
            face, self.tr("As seen at the desk"), self.tr("No face was recorded with this hit.")
        )
        self.document.show_image(
            document,
            self.tr("{number} ({issuer})").format(
                number=traveller.get("document_number") or "—",
                issuer=traveller.get("issuer") or traveller.get("nationality") or "—",
            ),
            self.tr("No document image was recorded with this hit."),
        )
        self.listed.show_image(
            listed_image,
            self._listed_summary(hit),
            self.tr("The list holds no photo of this entry:\n{who}").format(
                who=self._listed_summary(hit)
            ),
        )
        labels = self.fact_labels
        labels["time"].setText(when(hit.created))
        labels["where"].setText(f"{hit.station}, {hit.officer}")
        version = f" v{hit.list_version}" if hit.list_version is not None else ""
        stale = self.tr(" (list was out of date)") if hit.list_stale else ""
        labels["list"].setText(f"{hit.list_id or '—'}{version}, {hit.reference or '—'}{stale}")
        labels["traveller"].setText(
            ", ".join(
                str(traveller[key])
                for key in ("surname", "given_names", "birth_date", "nationality", "sex")
                if traveller.get(key)
            )
            or "—"
        )
        labels["listed"].setText(self._listed_summary(hit))
        labels["findings"].setText(
            "\n".join(
                f"{kind_text(str(finding.get('kind')))} {float(finding.get('score', 0)):.2f}: "
                f"{finding.get('reason')}"
                for finding in hit.findings
            )
        )
        decision = hit.decision
        if decision is None:
            labels["decision"].setText(outcome_text(None))
        else:
            text = self.tr("{outcome} by {who} at {when}").format(
                outcome=outcome_text(decision.outcome.value),
                who=decision.decided_by,
                when=when(decision.decided_at),
            )
            details = "; ".join(part for part in (decision.reason, decision.note) if part)
            labels["decision"].setText(f"{text} — {details}" if details else text)
        state = outcome_text(None if row.state is DecisionState.UNDECIDED else row.state.value)
        if row.overturned:
            state = self.tr("{state} (overturned by a supervisor)").format(state=state)
        labels["state"].setText(state)
        self.reviews.clear()
        for review in detail.reviews:
            self.reviews.addItem(review_text(review))
        self.saving = False
        self._update_controls()
        self.loaded.emit()

    @staticmethod
    def _listed_summary(hit: Hit) -> str:
        listed: dict[str, Any] = hit.listed
        names = [str(n.get("name")) for n in listed.get("names") or [] if isinstance(n, dict)]
        parts = [
            "; ".join(names) or str(listed.get("entry_id") or listed.get("number") or "—"),
            ", ".join(str(d) for d in listed.get("birth_dates") or []),
            ", ".join(str(n) for n in listed.get("nationalities") or []),
            str(listed.get("category") or ""),
            str(listed.get("action") or ""),
        ]
        return "\n".join(part for part in parts if part)

    # --- reviewing ----------------------------------------------------------------------------

    def overturn_target(self) -> Outcome | None:
        """The outcome an overturn would set now (None while the hit is undecided)."""
        if self.detail is None or self.detail.hit.decision is None:
            return None
        if self.detail.row.state is DecisionState.CONFIRMED:
            return Outcome.DISMISSED
        return Outcome.CONFIRMED

    def _update_controls(self) -> None:
        ready = self.detail is not None and not self.saving
        target = self.overturn_target()
        self.annotate_button.setEnabled(ready)
        self.overturn_button.setEnabled(ready and target is not None)
        if target is None:
            self.overturn_button.setText(self.tr("&Overturn"))
        else:
            self.overturn_button.setText(
                self.tr("&Overturn to {outcome}").format(outcome=outcome_text(target.value))
            )

    def annotate(self) -> None:
        note = self.text.toPlainText().strip()
        if self.detail is None or self.saving:
            return
        if not note:
            self.message.setText(self.tr("Write the note to annotate the hit with first."))
            return
        principal, hit_id = self.session.principal, self.hit_id
        self._save(lambda conn: annotate(conn, principal, hit_id, note))

    def overturn(self) -> None:
        target = self.overturn_target()
        reason = self.text.toPlainText().strip()
        if target is None or self.saving:
            return
        if not reason:
            self.message.setText(self.tr("Write why the decision was wrong before overturning it."))
            return
        principal, hit_id = self.session.principal, self.hit_id
        self._save(lambda conn: overturn(conn, principal, hit_id, target, reason))

    def _save(self, work: Callable[[sqlite3.Connection], Review]) -> None:
        self.saving = True
        self.message.setText("")
        self._update_controls()

        def done(_review: Review) -> None:
            self.text.clear()
            self.reviewed.emit(self.hit_id)
            self._load(record_view=False)

        self.jobs.submit(work, done, self._failed)
