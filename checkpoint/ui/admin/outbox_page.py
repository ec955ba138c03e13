"""The Outbox page: what the station still owes HQ, why the last attempt failed, retry now.

The counts and HQ's reachability come from one read and one health probe on a worker; the
items are read page by page as the table scrolls. "Retry now" runs one upload pass; "Queue
refused items again" first puts the items HQ refused back in the queue (after HQ or the data
was fixed) and then runs the pass. Both are recorded in the audit log.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from checkpoint.accounts import StationSession
from checkpoint.ui.admin import operations
from checkpoint.ui.admin.jobs import JobRunner
from checkpoint.ui.admin.models import OutboxModel
from checkpoint.ui.admin.operations import OutboxOverview, RetryOutcome
from checkpoint.ui.admin.watchlists_page import BAD_STYLE, OK_STYLE

PAGE_ROWS = 200


def _age(seconds: float) -> str:
    minutes, _ = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    if days:
        text = QCoreApplication.translate("OutboxPage", "{days} d {hours} h")
    elif hours:
        text = QCoreApplication.translate("OutboxPage", "{hours} h {minutes} min")
    else:
        text = QCoreApplication.translate("OutboxPage", "{minutes} min")
    return text.format(days=days, hours=hours, minutes=minutes)


class OutboxPage(QWidget):
    """Counts, HQ reachability, the owed items, and the retry buttons."""

    def __init__(
        self, session: StationSession, runner: JobRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = runner
        # Pages of rows load beside a retry: a long upload must not freeze the table.
        self.rows_runner = JobRunner(runner.pool, self)
        self.overview: OutboxOverview | None = None
        self.last_retry: RetryOutcome | None = None
        self._build()
        runner.busy_changed.connect(self._update_controls)

    def _build(self) -> None:
        self.counts_label = QLabel(self.tr("outbox: …"))
        self.hq_label = QLabel(self.tr("HQ: …"))
        self.hq_label.setWordWrap(True)
        self.model = OutboxModel()
        self.model.wanted.connect(self._load_rows)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.retry_button = QPushButton(self.tr("&Retry now"))
        self.retry_button.clicked.connect(lambda: self.retry(requeue_failed=False))
        self.requeue_button = QPushButton(self.tr("&Queue refused items again and retry"))
        self.requeue_button.clicked.connect(lambda: self.retry(requeue_failed=True))
        self.refresh_button = QPushButton(self.tr("Re&fresh"))
        self.refresh_button.clicked.connect(self.refresh)
        buttons = QHBoxLayout()
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.requeue_button)
        buttons.addWidget(self.refresh_button)
        buttons.addStretch(1)
        self.result = QLabel()
        self.result.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.counts_label)
        layout.addWidget(self.hq_label)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.result)
        self._update_controls()

    def _update_controls(self, *_args: object) -> None:
        idle = not self.runner.busy
        for button in (self.retry_button, self.requeue_button, self.refresh_button):
            button.setEnabled(idle)
        if self.overview is not None and not self.overview.summary.failed:
            self.requeue_button.setEnabled(False)

    # --- reading ------------------------------------------------------------------------

    def refresh(self) -> bool:
        """Count the outbox and probe HQ (on a worker), then list the owed items afresh."""
        session = self.session

        def work(_progress: Any) -> OutboxOverview:
            return operations.outbox_overview(session)

        return self.runner.submit(work, self._show_overview, self._show_failure)

    def _show_overview(self, result: object) -> None:
        assert isinstance(result, OutboxOverview)
        self.overview = result
        summary = result.summary
        age = summary.oldest_pending_age
        oldest = "" if age is None else self.tr(" (oldest queued {age} ago)").format(age=_age(age))
        self.counts_label.setText(
            self.tr("Pending {pending}{oldest}; refused by HQ {failed}; sent {sent}.").format(
                pending=summary.pending, oldest=oldest, failed=summary.failed, sent=summary.sent
            )
        )
        if result.hq is None:
            self.hq_label.setText(self.tr("HQ: no address is set (see the Settings page)."))
            self.hq_label.setStyleSheet("color:#8a5a00;")
        elif result.hq.reachable:
            self.hq_label.setText(self.tr("HQ at {url} is reachable.").format(url=result.hq_url))
            self.hq_label.setStyleSheet("color:#1e8c45;")
        else:
            self.hq_label.setText(
                self.tr("HQ at {url} is unreachable: {detail}.").format(
                    url=result.hq_url, detail=result.hq.detail
                )
            )
            self.hq_label.setStyleSheet("color:#c8102e;")
        self.model.reset(summary.pending + summary.failed)
        self.model.fetchMore()
        self._update_controls()

    def _load_rows(self, offset: int) -> None:
        session = self.session

        def work(_progress: Any) -> tuple[int, list[Any]]:
            return offset, operations.owed_items(session, offset, PAGE_ROWS)

        def done(result: object) -> None:
            assert isinstance(result, tuple)
            self.model.append(result[0], result[1])

        if not self.rows_runner.submit(work, done, self._show_failure):
            # Should never happen (the model asks once at a time), but never leave it waiting.
            self.model.reset(self.model.total)

    def _show_failure(self, message: str) -> None:
        self.result.setStyleSheet(BAD_STYLE)
        self.result.setText(html.escape(message))

    # --- retrying -----------------------------------------------------------------------

    def retry(self, *, requeue_failed: bool = False) -> bool:
        """One upload pass on a worker (first queueing refused items again, if asked)."""
        session = self.session

        def work(_progress: Any) -> RetryOutcome:
            return operations.retry_outbox(session, requeue_failed=requeue_failed)

        started = self.runner.submit(work, self._retried, self._show_failure)
        if started:
            self.result.setStyleSheet("")
            self.result.setText(self.tr("Sending…"))
        return started

    def _retried(self, result: object) -> None:
        assert isinstance(result, RetryOutcome)
        self.last_retry = result
        sentences = []
        if result.requeued:
            sentences.append(
                self.tr("{count} refused item(s) were queued again.").format(count=result.requeued)
            )
        sentences.append(
            self.tr("Sent {sent} item(s) ({duplicates} were already at HQ).").format(
                sent=result.sent, duplicates=result.duplicates
            )
        )
        if result.failed:
            sentences.append(
                self.tr("HQ refused {failed} item(s) for good: see their last error.").format(
                    failed=result.failed
                )
            )
        if result.trouble:
            sentences.append(result.trouble)
        ok = not result.trouble and not result.failed
        self.result.setStyleSheet(OK_STYLE if ok else BAD_STYLE)
        self.result.setText(" ".join(html.escape(s) for s in sentences))
        self.refresh()
