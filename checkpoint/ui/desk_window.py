"""The officer's desk: live view, traveller, screening and decisions, in one window.

The GUI thread only draws and reacts: the capture loop runs on its own QThread, and screening
a frame, recording a decision and reading the station's status run as jobs on a thread pool.
One frame is screened at a time, always the newest; results of a traveller already sent away
are dropped by a generation token (except hits they recorded, which still must be decided).
The live view is redrawn through a throttle, not at the camera's rate.

A hit cannot be passed by accident: while one is undecided the desk stops screening, the
banner says so in red, and "Next traveller" refuses; the officer refers it to second line
(F8) or dismisses it with a reason chosen from the station's list (F9).

While the station is locked (`pause()`) the camera keeps running but no frame is screened,
so no hit is recorded under the name of a user who is not there; `resume()` goes on where
the desk was. At start and once a day the station's writer purges what is past its
retention period.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import numpy as np
from PySide6.QtCore import QItemSelectionModel, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QFont, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from checkpoint.accounts.roles import Principal
from checkpoint.audit.retention import PurgeReport, purge_database
from checkpoint.camera.source import FrameSource
from checkpoint.config import RetentionSettings
from checkpoint.documents.image import Image
from checkpoint.hits.desk import DocumentChecked, DocumentLane, Processed, ScreeningDesk
from checkpoint.hits.model import DEFAULT_DISMISS_REASONS, Decision, Hit, Outcome
from checkpoint.hits.store import decide
from checkpoint.screening.model import Capture, ScreeningResult, Severity
from checkpoint.storage import DatabaseWriter
from checkpoint.sync.outbox import OutboxSummary
from checkpoint.ui.imaging import Preview, outlined
from checkpoint.ui.models import FindingsModel
from checkpoint.ui.panels import ManualEntry, TravellerPanel, escape, table
from checkpoint.ui.present import finding_row, hit_row
from checkpoint.ui.status import StationStatus, read_status
from checkpoint.ui.throttle import Throttle
from checkpoint.ui.workers import CaptureThread, JobRunner
from checkpoint.watchlist.store import ListStatus

log = logging.getLogger("checkpoint.ui")

PURGE_INTERVAL_MS = 24 * 3600 * 1000
"""Retention is applied at start and then daily: a desk may stay open for weeks."""

FRAME_INTERVAL_MS = 66
"""The live view is redrawn at most ~15 times a second, whatever the camera's rate."""

BANNER_STYLES = {
    "idle": "background:#d9dde3; color:#222;",
    "checking": "background:#b9dfc4; color:#123;",
    "clear": "background:#1e8c45; color:white;",
    "alert": "background:#e8a317; color:black;",
    "hit": "background:#c8102e; color:white;",
    "decided": "background:#2d5b9a; color:white;",
}


@dataclass(frozen=True)
class DeskServices:
    """What the window works with, built by `checkpoint gui` (or a test) and passed in."""

    source: FrameSource
    open_desk: Callable[[], ScreeningDesk]
    """Builds the desk (loads the readers, a second or more): run on a worker at start.
    `checkpoint gui` gives a `ProcessDesk`, whose readers live in a process of their own."""
    database: Path
    writer: DatabaseWriter
    officer: str
    hq_url: str | None = None
    database_key: str | None = None
    """The logged-in session's key on a station with accounts (its database is encrypted)."""
    principal: Principal | None = None
    """The logged-in user: their decisions are audited under their role, and the retention
    purge under their name. None (or another name than `officer`): decisions are audited
    as `officer`'s, an officer's."""
    retention: RetentionSettings | None = None
    """The station's retention periods; None: this desk purges nothing."""
    reasons: tuple[str, ...] = DEFAULT_DISMISS_REASONS
    status_interval_ms: int = 5000
    purge_interval_ms: int = PURGE_INTERVAL_MS
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)


@dataclass(frozen=True)
class Screened:
    """A screened frame: the pixels the readers saw and what the desk made of them."""

    frame: Image
    processed: Processed


class DeskWindow(QMainWindow):
    """The desk window; call `shutdown()` (or close it) to stop its threads."""

    banner_changed = Signal(str)
    """The banner's state (idle, clear, alert, hit, decided), each time it is set."""

    def __init__(self, services: DeskServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle(
            self.tr("Checkpoint — desk ({officer})").format(officer=services.officer)
        )
        self.resize(1600, 960)
        self.desk: ScreeningDesk | None = None
        self._opened: ScreeningDesk | None = None
        self.lane: DocumentLane | None = None
        self._lane_busy = False
        self._lane_frame_number = 0
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(4)
        self.jobs = JobRunner(self.pool, self)
        self._generation = 0
        self._min_epoch = 0
        self._screening = False
        self._end_session = False
        self._status_busy = False
        self._closed = False
        self.paused = False
        self.frames_while_paused = 0
        self.last_purge: PurgeReport | None = None
        self._frame: Image | None = None
        self._preview: tuple[Image, Preview] | None = None
        self._fresh_frame = False
        self._result: ScreeningResult | None = None
        self._partial: ScreeningResult | None = None
        """The document stage of the frame being screened, shown until its faces are read."""
        self._result_frame: Image | None = None
        self._result_frame_number = 0
        self._hits: list[Hit] = []
        self._deciding: set[str] = set()
        self.frames_seen = 0
        self.banner_state = "idle"
        self.last_status: StationStatus | None = None
        self.frames_screened = 0

        self._build()
        self._show_throttled = Throttle(self._show_frame, FRAME_INTERVAL_MS, self)
        self.capture = CaptureThread(services.source, self)
        self.capture.frame.connect(self._on_frame)
        self.capture.state.connect(self._camera_state)
        self.status_timer = QTimer(self)
        self.status_timer.setInterval(services.status_interval_ms)
        self.status_timer.timeout.connect(self.refresh_status)
        self.purge_timer = QTimer(self)
        self.purge_timer.setInterval(services.purge_interval_ms)
        self.purge_timer.timeout.connect(self.purge)

    # --- building -------------------------------------------------------------------------

    def _build(self) -> None:
        big = QFont()
        big.setPixelSize(30)
        big.setBold(True)
        self.banner = QLabel()
        self.banner.setFont(big)
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setMinimumHeight(64)
        self.banner.setWordWrap(True)

        self.live = QLabel(self.tr("No frame yet"))
        self.live.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.live.setMinimumSize(640, 360)
        self.live.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.live.setStyleSheet("background:#111; color:#ccc;")

        self.traveller = TravellerPanel()

        # Screening panel.
        self.findings = FindingsModel()
        self.findings_view = table(self.findings)
        header = self.findings_view.horizontalHeader()
        for column in (0, 2, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.reason_box = QComboBox()
        self.reason_box.addItems([self.tr("Choose a reason to dismiss…"), *self.services.reasons])
        self.reason_box.currentIndexChanged.connect(lambda _i: self._update_controls())
        self.refer_button = QPushButton(self.tr("&Refer to second line (F8)"))
        self.refer_button.clicked.connect(self.refer)
        self.dismiss_button = QPushButton(self.tr("&Dismiss with reason (F9)"))
        self.dismiss_button.clicked.connect(self.dismiss)
        self.next_button = QPushButton(self.tr("&Next traveller (F12)"))
        self.next_button.clicked.connect(self.next_traveller)
        decisions = QHBoxLayout()
        decisions.addWidget(self.refer_button)
        decisions.addWidget(self.reason_box, 1)
        decisions.addWidget(self.dismiss_button)
        decisions.addStretch(0)
        decisions.addWidget(self.next_button)
        screening = QGroupBox(self.tr("Screening"))
        screening_layout = QVBoxLayout(screening)
        screening_layout.addWidget(self.findings_view)
        screening_layout.addLayout(decisions)

        self.manual = ManualEntry(lambda: self.services.clock().date())

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.live, 3)
        left_layout.addWidget(screening, 2)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.traveller, 1)
        right_layout.addWidget(self.manual)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)

        self.lists_label = QLabel(self.tr("lists: …"))
        self.lists_label.setTextFormat(Qt.TextFormat.RichText)
        self.outbox_label = QLabel(self.tr("outbox: …"))
        self.hq_label = QLabel(self.tr("HQ: …"))
        self.camera_label = QLabel(
            self.tr("{source}: starting").format(source=self.services.source.name)
        )
        bar = self.statusBar()
        for label in (self.lists_label, self.outbox_label, self.hq_label, self.camera_label):
            bar.addPermanentWidget(label)

        for keys, action in (
            ("F8", self.refer),
            ("F9", self.dismiss),
            ("F12", self.next_traveller),
            ("Ctrl+N", self.next_traveller),
            ("Ctrl+M", self.manual.text.setFocus),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(action)
        self._set_banner("idle", self.tr("Loading the readers…"))
        self._update_controls()

    # --- life cycle ---------------------------------------------------------------------------

    def start(self) -> None:
        """Start the camera, load the desk and the station status, all in the background."""
        self.capture.start()
        self._submit(self._open_desk, self._desk_ready, self._desk_failed)
        self.refresh_status()
        self.status_timer.start()
        self.purge()
        self.purge_timer.start()

    def pause(self) -> None:
        """The station is locked: keep the camera, screen nothing, show the view black.

        A frame already being screened finishes (it was taken while the user was there);
        nothing after it is screened or checked until `resume()`."""
        if self.paused or self._closed:
            return
        self.paused = True
        self.status_timer.stop()
        self._show_throttled.cancel()
        self.live.setPixmap(QPixmap())
        self.live.setText(self.tr("Locked"))

    def resume(self) -> None:
        """The same user is back: screening goes on where it was (an undecided hit stays)."""
        if not self.paused or self._closed:
            return
        self.paused = False
        self.live.setText(self.tr("No frame yet"))
        self.status_timer.start()
        self.refresh_status()
        if self._preview is not None:
            self._show_throttled(*self._preview)

    def shutdown(self) -> None:
        """Stop the camera loop and wait for every job: no thread outlives the window."""
        if self._closed:
            return
        self._closed = True
        self.jobs.close()
        self.status_timer.stop()
        self.purge_timer.stop()
        self._show_throttled.cancel()
        self.capture.requestInterruption()
        self.capture.wait()
        self.pool.waitForDone()
        # A desk that finished loading after the window closed never reached it: close it
        # too, so no screening process outlives the window.
        desk, self.desk, self._opened = self.desk or self._opened, None, None
        self.lane = None
        if desk is not None:
            desk.close()
        self.services.source.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.shutdown()
        super().closeEvent(event)

    def _open_desk(self) -> ScreeningDesk:
        desk = self.services.open_desk()
        self._opened = desk
        return desk

    # --- jobs ---------------------------------------------------------------------------------

    def _submit(
        self,
        work: Callable[..., Any],
        done: Callable[[Any], None],
        failed: Callable[[str], None],
        progress: Callable[[Any], None] | None = None,
    ) -> None:
        """Run `work` on the pool; with `progress`, `work` takes a function to report a
        partial result with, delivered to `progress` on the GUI thread."""
        self.jobs.submit(work, done, failed, progress)

    @property
    def busy(self) -> bool:
        """Some background job has not reported yet."""
        return self.jobs.busy

    # --- the desk -----------------------------------------------------------------------------

    def _desk_ready(self, desk: object) -> None:
        self.desk = cast(ScreeningDesk, desk)
        self.lane = self.desk.document_lane
        self._set_banner("idle", self.tr("Waiting for a document"))
        self._screen_next()

    def _desk_failed(self, message: str) -> None:
        self._set_banner(
            "hit", self.tr("The desk cannot screen: {message}").format(message=message)
        )

    @Slot(int, object, object)
    def _on_frame(self, epoch: int, image: object, shown: object) -> None:
        if epoch < self._min_epoch or self._closed:
            return
        if self.paused:
            # Nobody is logged in at the desk: the frame is neither shown nor screened.
            self.frames_while_paused += 1
            return
        if not isinstance(image, np.ndarray):
            return
        self._frame = image
        self._fresh_frame = True
        self.frames_seen += 1
        # The capture thread makes a preview ~15 times a second once it knows the view's
        # size; frames without one are not drawn.
        if isinstance(shown, Preview):
            self._preview = (image, shown)
            self._show_throttled(image, shown)
        elif self.capture.preview_size is None:
            self._show_throttled(image, None)
        self._screen_next()
        self._check_next()

    def _show_frame(self, image: Image, shown: Preview | None) -> None:
        # Outlines belong to the frame they were found in: drawn on it or on the next couple
        # of frames (a hand barely moves in that time), never on a frame long after.
        near = self._result_frame is image or self.frames_seen - self._result_frame_number <= 2
        found = self._partial or self._result
        size = self.live.size()
        fit = (size.width(), size.height())
        self.capture.preview_interval_s = FRAME_INTERVAL_MS / 1000.0
        self.capture.preview_size = fit
        qimage = outlined(shown or image, found if near else None, fit)
        self.live.setPixmap(QPixmap.fromImage(qimage))

    def _screen_next(self) -> None:
        if (
            self.desk is None
            or self._screening
            or not self._fresh_frame
            or self._frame is None
            or self.undecided
            or self._closed
            or self.paused
        ):
            return
        desk, frame, number = self.desk, self._frame, self.frames_seen
        end, self._end_session = self._end_session, False
        generation = self._generation
        source = self.services.source.name
        self._fresh_frame = False
        self._screening = True

        def work(report: Callable[[object], None]) -> Screened:
            if end:
                desk.end_traveller()
            return Screened(frame, desk.process(Capture(frame, source=source), report))

        self._submit(
            work,
            lambda screened: self._screened(generation, number, screened),
            self._screen_failed,
            progress=lambda checked: self._document_checked(generation, number, frame, checked),
        )

    def _screen_failed(self, message: str) -> None:
        self._screening = False
        self._partial = None
        self.statusBar().showMessage(message, 10_000)
        self._update_banner()

    @property
    def _hit_being_recorded(self) -> bool:
        return self._partial is not None and self._partial.hit

    @property
    def faces_pending(self) -> bool:
        """The desk shows a document's checks while its faces are still being searched."""
        return self._partial is not None

    def _document_checked(
        self, generation: int, number: int, frame: Image, checked: DocumentChecked
    ) -> None:
        """Show the document and list checks of a frame before its face search ends, when
        they are news: a traveller not screened yet, or another document put down."""
        if generation != self._generation or not isinstance(checked, DocumentChecked):
            return
        partial = checked.result
        shown = self._result.traveller if self._result is not None else None
        if partial.traveller is None or (
            shown is not None and shown.document_key == partial.traveller.document_key
        ):
            return
        self._partial = partial
        self._result_frame = frame
        self._result_frame_number = number
        self.traveller.show_read(checked.best_read, partial, self.services.clock().date())
        self.traveller.show_faces_pending()
        self._show_findings()

    def _screened(self, generation: int, number: int, screened: Screened) -> None:
        self._screening = False
        self.frames_screened += 1
        processed = screened.processed
        if generation == self._generation and processed.observation.session.best_read:
            # The traveller's document has been screened whole: no more partial result.
            self._partial = None
        # Hits are recorded whatever the generation: a recorded hit is always shown and decided.
        self._hits.extend(processed.recorded)
        if processed.recorded:
            self.refresh_status()
        if generation == self._generation:
            self._result = processed.result
            self._result_frame = screened.frame
            self._result_frame_number = number
            self._show_traveller(screened)
            if self._preview is not None:
                self._show_throttled(*self._preview)
        self._show_findings()
        self._screen_next()

    # --- the document lane ---------------------------------------------------------------------

    def _check_next(self) -> None:
        """Check the newest frame's document in the lane while the desk is busy with an older
        frame and this traveller's document is not shown yet."""
        if (
            self.lane is None
            or self._lane_busy
            or not self._screening
            or self._frame is None
            or self._partial is not None
            or (self._result is not None and self._result.traveller is not None)
            or self._lane_frame_number == self.frames_seen
            or self.undecided
            or self._closed
            or self.paused
        ):
            return
        lane, frame, number = self.lane, self._frame, self.frames_seen
        generation, source = self._generation, self.services.source.name
        self._lane_busy = True
        self._lane_frame_number = number

        def checked(result: DocumentChecked) -> None:
            self._lane_busy = False
            self._document_checked(generation, number, frame, result)
            self._check_next()

        def failed(message: str) -> None:
            self._lane_busy = False
            log.warning("document lane: %s", message)

        self._submit(lambda: lane.check(Capture(frame, source=source)), checked, failed)

    def _show_traveller(self, screened: Screened) -> None:
        result = screened.processed.result
        read = screened.processed.observation.session.best_read
        self.traveller.show_read(read, result, self.services.clock().date())
        self.traveller.show_faces(screened.frame, result)

    def _show_findings(self) -> None:
        rows = [hit_row(hit) for hit in self._hits]
        if self._partial is not None:
            # Hits of the document stage are recorded with the frame's faces: shown at once,
            # decided once recorded.
            rows += [finding_row(f) for f in self._partial.findings]
        elif self._result is not None:
            rows += [
                finding_row(f) for f in self._result.findings if f.severity is not Severity.HIT
            ]
        self.findings.set_rows(rows)
        self._select_undecided()
        self._update_banner()
        self._update_controls()

    def _select_undecided(self) -> None:
        for number, row in enumerate(self.findings.rows):
            if row.undecided:
                self.findings_view.selectionModel().setCurrentIndex(
                    self.findings.index(number, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
                return

    @property
    def deciding(self) -> bool:
        """A decision is being recorded."""
        return bool(self._deciding)

    @property
    def undecided(self) -> list[Hit]:
        return [hit for hit in self._hits if hit.decision is None]

    def _update_banner(self) -> None:
        undecided = self.undecided
        if undecided:
            count = len(undecided)
            self._set_banner(
                "hit",
                self.tr(
                    "HIT — {count} to decide: F8 refer to second line, F9 dismiss with a reason"
                ).format(count=count),
            )
        elif self._partial is not None and self._partial.hit:
            self._set_banner(
                "hit",
                self.tr("HIT — {count} on the document or lists, being recorded…").format(
                    count=len(self._partial.hit_groups())
                ),
            )
        elif self._hits:
            self._set_banner("decided", self.tr("Hit decided — F12 for the next traveller"))
        elif self._partial is not None:
            alerts = [f for f in self._partial.findings if f.severity is Severity.ALERT]
            self._set_banner(
                "checking",
                self.tr(
                    "No hit on the document or lists, {count} alert(s) — face check under way…"
                ).format(count=len(alerts)),
            )
        elif self._result is None or self._result.traveller is None:
            self._set_banner(
                "idle",
                self.tr("Waiting for a document")
                if self.desk is not None
                else self.tr("Loading the readers…"),
            )
        else:
            alerts = [f for f in self._result.findings if f.severity is Severity.ALERT]
            if alerts:
                self._set_banner(
                    "alert", self.tr("NO HIT — {count} alert(s) to check").format(count=len(alerts))
                )
            else:
                self._set_banner("clear", self.tr("CLEAR — no hits"))

    def _set_banner(self, state: str, text: str) -> None:
        self.banner_state = state
        self.banner_changed.emit(state)
        self.banner.setText(text)
        self.banner.setStyleSheet(BANNER_STYLES[state] + "padding:8px; border-radius:4px;")

    def _update_controls(self) -> None:
        target = self.decision_target()
        deciding = target is not None and target.id in self._deciding
        self.refer_button.setEnabled(target is not None and not deciding)
        self.dismiss_button.setEnabled(
            target is not None and not deciding and self.reason_box.currentIndex() > 0
        )
        self.reason_box.setEnabled(target is not None)
        self.next_button.setEnabled(not self.undecided and not self._hit_being_recorded)

    # --- decisions ------------------------------------------------------------------------

    def decision_target(self) -> Hit | None:
        """The hit a decision applies to: the selected row if undecided, else the first."""
        index = self.findings_view.currentIndex()
        if index.isValid():
            row = self.findings.rows[index.row()]
            if row.undecided:
                return next((h for h in self._hits if h.id == row.hit_id), None)
        undecided = self.undecided
        return undecided[0] if undecided else None

    @Slot()
    def refer(self) -> None:
        """Confirm the hit: the traveller goes to second line."""
        self._decide(Outcome.CONFIRMED, "")

    @Slot()
    def dismiss(self) -> None:
        """Dismiss the hit with the chosen reason; without one, go to the reason list first."""
        if self.decision_target() is None:
            return
        if self.reason_box.currentIndex() <= 0:
            self.reason_box.setFocus()
            self.statusBar().showMessage(
                self.tr("Choose why the hit is dismissed (arrow keys), then press F9 again."),
                10_000,
            )
            return
        self._decide(Outcome.DISMISSED, self.reason_box.currentText())

    def _decide(self, outcome: Outcome, reason: str) -> None:
        hit = self.decision_target()
        if hit is None or hit.id in self._deciding:
            return
        writer, officer, reasons = (
            self.services.writer,
            self.services.officer,
            self.services.reasons,
        )
        principal = self.services.principal
        actor = principal if principal is not None and principal.username == officer else None
        hit_id = hit.id
        self._deciding.add(hit_id)
        self._update_controls()

        def work() -> Decision:
            future = writer.submit(
                lambda db: decide(
                    db.conn,
                    hit_id,
                    outcome,
                    user=officer,
                    reason=reason,
                    reasons=reasons,
                    actor=actor,
                )
            )
            return future.result()

        self._submit(
            work, lambda decision: self._decided(hit_id, decision), self._decide_failed(hit_id)
        )

    def _decide_failed(self, hit_id: str) -> Callable[[str], None]:
        def failed(message: str) -> None:
            self._deciding.discard(hit_id)
            self.statusBar().showMessage(message, 15_000)
            self._update_controls()

        return failed

    def _decided(self, hit_id: str, decision: Decision) -> None:
        self._deciding.discard(hit_id)
        self._hits = [
            dataclasses.replace(h, decision=decision) if h.id == hit_id else h for h in self._hits
        ]
        self.reason_box.setCurrentIndex(0)
        for number, row in enumerate(self.findings.rows):
            if row.hit_id == hit_id:
                hit = next(h for h in self._hits if h.id == hit_id)
                self.findings.replace_row(number, hit_row(hit))
        self._select_undecided()
        self._update_banner()
        self._update_controls()
        self.statusBar().showMessage(
            self.tr("Referred to second line.") if decision.referred else self.tr("Hit dismissed."),
            5_000,
        )
        self.refresh_status()
        self._screen_next()

    @Slot()
    def next_traveller(self) -> None:
        """Clear the desk for the next traveller; refused while a hit is undecided, or
        shown and not yet recorded."""
        if self.undecided or self._hit_being_recorded:
            self.statusBar().showMessage(
                self.tr(
                    "Decide the hit first: F8 refers to second line, F9 dismisses with a reason."
                ),
                10_000,
            )
            return
        self._generation += 1
        self._min_epoch += 1
        self._end_session = True
        self.capture.skip()
        self._frame = None
        self._preview = None
        self._fresh_frame = False
        self._result = None
        self._partial = None
        self._result_frame = None
        self._hits = []
        self.findings.set_rows([])
        self.traveller.clear()
        self.manual.clear()
        self.reason_box.setCurrentIndex(0)
        self._update_banner()
        self._update_controls()

    # --- retention -----------------------------------------------------------------------

    @Slot()
    def purge(self) -> None:
        """Purge what is past the station's retention periods, on the station's one writer."""
        principal, retention = self.services.principal, self.services.retention
        if principal is None or retention is None or self._closed:
            return
        writer, now = self.services.writer, self.services.clock()

        def work() -> PurgeReport:
            future = writer.submit(
                lambda db: purge_database(db.conn, principal, retention, now=now)
            )
            return future.result()

        self._submit(work, self._purged, self._purge_failed)

    def _purged(self, report: PurgeReport) -> None:
        self.last_purge = report
        if any(report.counts().values()):
            log.info("retention purge: %s", report.counts())

    def _purge_failed(self, message: str) -> None:
        log.warning("retention purge failed: %s", message)
        self.statusBar().showMessage(
            self.tr("Old records could not be purged: {message}").format(message=message),
            30_000,
        )

    # --- status bar -----------------------------------------------------------------------

    @Slot()
    def refresh_status(self) -> None:
        if self._status_busy or self._closed:
            return
        self._status_busy = True
        database, hq_url, now = self.services.database, self.services.hq_url, self.services.clock()
        self._submit(
            lambda: read_status(database, hq_url, now, self.services.database_key),
            self._status_ready,
            self._status_failed,
        )

    def _status_failed(self, message: str) -> None:
        self._status_busy = False
        self.outbox_label.setText(self.tr("status: {message}").format(message=message))

    def _status_ready(self, status: StationStatus) -> None:
        self._status_busy = False
        parts = []
        for item in status.lists:
            text, stale = self._list_text(item, status.now)
            parts.append(f"<b style='color:#c8102e'>{escape(text)}</b>" if stale else escape(text))
        none = self.tr("NONE")
        self.lists_label.setText(
            self.tr("lists: ")
            + (" · ".join(parts) if parts else f"<b style='color:#c8102e'>{none}</b>")
        )
        self.outbox_label.setText(self._outbox_text(status.outbox))
        if status.hq is None:
            self.hq_label.setText(self.tr("HQ: not configured"))
        elif status.hq.reachable:
            self.hq_label.setText(self.tr("HQ: reachable"))
        else:
            self.hq_label.setText(
                self.tr("HQ: unreachable ({detail})").format(detail=status.hq.detail)
            )
        self.last_status = status

    def _list_text(self, status: ListStatus, now: datetime) -> tuple[str, bool]:
        """`DEMO v3 (2 d)` in the officer's language, and whether the list is stale."""
        age = status.age_days(now)
        age_text = (
            self.tr("{days} d").format(days=f"{age:.0f}")
            if age >= 1
            else self.tr("{hours} h").format(hours=f"{age * 24:.0f}")
        )
        stale = status.is_stale(now)
        if stale:
            age_text = self.tr("{age}, STALE").format(age=age_text)
        text = self.tr("{list} v{version} ({age})").format(
            list=status.list_id, version=status.version, age=age_text
        )
        return text, stale

    def _outbox_text(self, summary: OutboxSummary) -> str:
        text = self.tr("outbox {pending} pending").format(pending=summary.pending)
        if summary.failed:
            text += self.tr(", {failed} failed").format(failed=summary.failed)
        age = summary.oldest_pending_age
        if age is not None and age >= 60:
            text += self.tr(" (oldest {minutes} min)").format(minutes=f"{age / 60:.0f}")
        return text

    @Slot(str, str)
    def _camera_state(self, state: str, detail: str) -> None:
        source = self.services.source.name
        words = {
            "on": self.tr("{source}: on"),
            "off": self.tr("{source}: off"),
            "no frames": self.tr("{source}: no frames"),
        }
        if state in words:
            self.camera_label.setText(words[state].format(source=source))
            # Why a source gives no frames (a folder of unreadable images), when it knows.
            self.camera_label.setToolTip(detail)
        else:
            self.camera_label.setText(
                self.tr("{source}: {problem}").format(source=source, problem=detail)
            )
