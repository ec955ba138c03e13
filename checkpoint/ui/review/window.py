"""The supervisor's hit log: filter bar, the lazy table, counts, exports, and hit details.

Every query runs on the window's `DatabaseJobs` (one for the log and the hits, one for
reports), never on the GUI thread; the table model asks for pages as the view paints. The
search box waits for a short pause in typing before it filters; the other filters apply at
once. Keyboard first: the table has the focus, Enter opens the hit, Ctrl+F goes to the search,
F5 refreshes, Ctrl+E and Ctrl+P export; exports need the EXPORT_HITS right, their buttons are
hidden otherwise.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, QLocale, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from checkpoint.accounts.roles import Permission
from checkpoint.accounts.session import StationSession
from checkpoint.config import load_settings
from checkpoint.hits.query import (
    DecisionState,
    FilterChoices,
    HitFilter,
    HitSort,
    SortKey,
    filter_choices,
)
from checkpoint.hits.report import ExportError, export_csv, publish_export, statistics
from checkpoint.ui.review.detail import HitDetailDialog
from checkpoint.ui.review.jobs import DatabaseJobs
from checkpoint.ui.review.log_model import COLUMNS, HIT_ID_ROLE, HitLogModel, kind_text
from checkpoint.ui.review.pdf_report import write_pdf

SEARCH_PAUSE_MS = 250
ANY_DATE = QDate(2000, 1, 1)
COLUMN_WIDTHS = (150, 90, 110, 120, 60, 120, 190, 190, 150)


class HitLogWindow(QMainWindow):
    """The hit log of the station; needs REVIEW_HITS. Close it (or `shutdown()`) to stop its
    jobs."""

    exported = Signal(str)
    """A report was written (its path)."""
    detail_opened = Signal(object)

    def __init__(self, session: StationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        session.require(Permission.REVIEW_HITS)
        self.session = session
        self.may_export = session.principal.may(Permission.EXPORT_HITS)
        self.jobs = DatabaseJobs(session, self)
        self.reports = DatabaseJobs(session, self)
        self.model = HitLogModel(self.jobs, self)
        self.dialogs: list[HitDetailDialog] = []
        self._closed = False
        self._restore_row: int | None = None
        self.setWindowTitle(
            self.tr("Checkpoint — hit log ({user})").format(user=session.principal.username)
        )
        self.resize(1500, 900)
        self._build()
        self.model.loaded.connect(self._loaded)
        self.model.failed.connect(self.show_message)
        self._choices_loaded = False
        self.model.reload(self.current_filter(), HitSort())

    # --- building -------------------------------------------------------------------------

    def _date_edit(self) -> QDateEdit:
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMinimumDate(ANY_DATE)
        edit.setSpecialValueText(self.tr("any"))
        edit.setDate(ANY_DATE)
        edit.dateChanged.connect(lambda _d: self.apply_filter())
        return edit

    def _combo(self, everything: str) -> QComboBox:
        combo = QComboBox()
        combo.addItem(everything, None)
        combo.setMinimumContentsLength(10)
        combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        return combo

    def _build(self) -> None:
        self.since = self._date_edit()
        self.until = self._date_edit()
        self.station = self._combo(self.tr("All stations"))
        self.officer = self._combo(self.tr("All officers"))
        self.kind = self._combo(self.tr("All kinds"))
        self.list_box = self._combo(self.tr("All lists"))
        self.decision = self._combo(self.tr("Any decision"))
        for state, label in (
            (DecisionState.UNDECIDED, self.tr("To decide")),
            (DecisionState.CONFIRMED, self.tr("Referred")),
            (DecisionState.DISMISSED, self.tr("Dismissed")),
            (DecisionState.OVERTURNED, self.tr("Overturned")),
        ):
            self.decision.addItem(label, state.value)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search names, documents, reasons… (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_PAUSE_MS)
        self.search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self.search_timer.start())
        self.search.returnPressed.connect(self._search_now)

        bar = QHBoxLayout()
        fields: tuple[tuple[str | None, QWidget], ...] = (
            (self.tr("&From"), self.since),
            (self.tr("&To"), self.until),
            (None, self.station),
            (None, self.officer),
            (None, self.kind),
            (None, self.list_box),
            (None, self.decision),
        )
        for caption_text, widget in fields:
            if caption_text is not None:
                caption = QLabel(caption_text)
                caption.setBuddy(widget)
                bar.addWidget(caption)
            bar.addWidget(widget)
        bar.addWidget(self.search, 1)

        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        vertical = self.view.verticalHeader()
        vertical.setVisible(False)
        # Fixed row heights: the view never measures rows, whatever the log's size.
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.view.fontMetrics().height() + 8)
        header = self.view.horizontalHeader()
        for column, width in enumerate(COLUMN_WIDTHS):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        header.sortIndicatorChanged.connect(self._sort_changed)
        self.view.activated.connect(self.open_index)

        self.count_label = QLabel(self.tr("Counting…"))
        self.message = QLabel()
        self.refresh_button = QPushButton(self.tr("Refresh (F5)"))
        self.refresh_button.clicked.connect(self.refresh)
        self.csv_button = QPushButton(self.tr("Export &CSV… (Ctrl+E)"))
        self.csv_button.clicked.connect(self.ask_export_csv)
        self.pdf_button = QPushButton(self.tr("Export &PDF report… (Ctrl+P)"))
        self.pdf_button.clicked.connect(self.ask_export_pdf)
        self.csv_button.setVisible(self.may_export)
        self.pdf_button.setVisible(self.may_export)
        actions = QHBoxLayout()
        actions.addWidget(self.count_label)
        actions.addWidget(self.message, 1)
        actions.addWidget(self.refresh_button)
        actions.addWidget(self.csv_button)
        actions.addWidget(self.pdf_button)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addLayout(actions)
        self.setCentralWidget(central)

        shortcuts = [("Ctrl+F", self._focus_search), ("F5", self.refresh)]
        if self.may_export:
            shortcuts += [("Ctrl+E", self.ask_export_csv), ("Ctrl+P", self.ask_export_pdf)]
        for keys, action in shortcuts:
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(action)
        self.view.setFocus()

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _search_now(self) -> None:
        self.search_timer.stop()
        self.apply_filter()
        self.view.setFocus()

    # --- filtering and sorting ------------------------------------------------------------

    def current_filter(self) -> HitFilter:
        """The filter the bar shows (dates are whole UTC days, the end day included)."""

        def moment(edit: QDateEdit, extra_days: int) -> datetime | None:
            chosen = edit.date()
            if chosen == ANY_DATE:
                return None
            day = date(chosen.year(), chosen.month(), chosen.day()) + timedelta(days=extra_days)
            return datetime.combine(day, time(), tzinfo=UTC)

        decision = self.decision.currentData()
        return HitFilter(
            since=moment(self.since, 0),
            until=moment(self.until, 1),
            station=self.station.currentData(),
            officer=self.officer.currentData(),
            kind=self.kind.currentData(),
            decision=DecisionState(decision) if decision else None,
            list_id=self.list_box.currentData(),
            text=self.search.text().strip(),
        )

    def apply_filter(self) -> None:
        self.count_label.setText(self.tr("Counting…"))
        self.model.reload(self.current_filter())

    def refresh(self) -> None:
        """Read the log again (new hits, new reviews), keeping the current row."""
        current = self.view.currentIndex()
        self._restore_row = current.row() if current.isValid() else None
        self.model.reload()
        self.load_choices()

    def _sort_changed(self, column: int, order: Qt.SortOrder) -> None:
        key = self.model.sort_key(column)
        header = self.view.horizontalHeader()
        if key is None:
            # Free-text columns are not sorted: put the indicator back where the order is.
            current = self.model.sort_order
            back = next(i for i, (_, k) in enumerate(COLUMNS) if k is current.key)
            header.blockSignals(True)
            header.setSortIndicator(
                back,
                Qt.SortOrder.DescendingOrder if current.descending else Qt.SortOrder.AscendingOrder,
            )
            header.blockSignals(False)
            return
        self.sort_by(key, descending=order == Qt.SortOrder.DescendingOrder)

    def sort_by(self, key: SortKey, *, descending: bool) -> None:
        column = next(i for i, (_, k) in enumerate(COLUMNS) if k is key)
        header = self.view.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(
            column, Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        )
        header.blockSignals(False)
        self.model.reload(sort=HitSort(key, descending))

    def _loaded(self, total: int) -> None:
        self.count_label.setText(self.tr("{count} hits").format(count=QLocale().toString(total)))
        if not self._choices_loaded:
            # After the first rows, so the filter boxes never delay them.
            self._choices_loaded = True
            self.load_choices()
        if total == 0:
            return
        row = min(self._restore_row or 0, total - 1)
        self._restore_row = None
        self.view.setCurrentIndex(self.model.index(row, 0))

    def load_choices(self) -> None:
        self.reports.submit(filter_choices, self._fill_choices, self.show_message)

    def _fill_choices(self, choices: FilterChoices) -> None:
        for combo, values in (
            (self.station, choices.stations),
            (self.officer, choices.officers),
            (self.kind, choices.kinds),
            (self.list_box, choices.lists),
        ):
            chosen = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for value in values:
                combo.addItem(kind_text(value) if combo is self.kind else value, value)
            found = combo.findData(chosen) if chosen is not None else 0
            combo.setCurrentIndex(max(found, 0))
            combo.blockSignals(False)

    def show_message(self, text: str) -> None:
        self.message.setText(text)

    # --- details ------------------------------------------------------------------------------

    def open_index(self, index: QModelIndex) -> HitDetailDialog | None:
        hit_id = self.model.data(index, HIT_ID_ROLE) if index.isValid() else None
        return self.open_hit(hit_id) if isinstance(hit_id, str) else None

    def open_hit(self, hit_id: str) -> HitDetailDialog:
        dialog = HitDetailDialog(self.session, hit_id, self.jobs, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.reviewed.connect(lambda _id: self.refresh())
        dialog.finished.connect(lambda _r, d=dialog: self._forget(d))
        self.dialogs.append(dialog)
        dialog.show()
        self.detail_opened.emit(dialog)
        return dialog

    def _forget(self, dialog: HitDetailDialog) -> None:
        if dialog in self.dialogs:
            self.dialogs.remove(dialog)
        self.view.setFocus()

    # --- exports ------------------------------------------------------------------------------

    def ask_export_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export the hit log as CSV"), "hits.csv", self.tr("CSV files (*.csv)")
        )
        if path:
            self.export_csv_to(Path(path))

    def ask_export_pdf(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the hit report"), "hit-report.pdf", self.tr("PDF files (*.pdf)")
        )
        if path:
            self.export_pdf_to(Path(path))

    def export_csv_to(self, path: Path) -> None:
        """Write the filtered, sorted log to `path` in the background; `exported` follows."""
        principal, query, order = self.session.principal, self.model.filter, self.model.sort_order
        self.show_message(self.tr("Exporting…"))

        def done(count: int) -> None:
            self.show_message(
                self.tr("Exported {count} hits to {path}.").format(
                    count=QLocale().toString(count), path=path
                )
            )
            self.exported.emit(str(path))

        self.reports.submit(
            lambda conn: export_csv(conn, principal, query, order, path), done, self.show_message
        )

    def export_pdf_to(self, path: Path) -> None:
        """Compute, draw, publish and audit the report in one background job."""
        self.session.require(Permission.EXPORT_HITS)
        principal, query = self.session.principal, self.model.filter
        filter_text, home = self.filter_text(query), self.session.home
        self.show_message(self.tr("Computing the report…"))

        def work(conn: sqlite3.Connection) -> int:
            station = load_settings(home).station_id
            stats = statistics(conn, query)
            partial = path.with_name(f".{path.name}.partial")
            try:
                write_pdf(
                    partial,
                    stats,
                    filter_text=filter_text,
                    station=station,
                    generated=datetime.now(UTC),
                )
                if not partial.is_file() or partial.stat().st_size == 0:
                    raise ExportError(f"Cannot write {path}: choose a folder you may write to.")
                publish_export(
                    conn,
                    principal,
                    query,
                    written=partial,
                    path=path,
                    file_format="pdf",
                    rows=stats.total,
                )
            finally:
                partial.unlink(missing_ok=True)
            return stats.total

        def done(_rows: int) -> None:
            self.show_message(self.tr("Saved the report to {path}.").format(path=path))
            self.exported.emit(str(path))

        self.reports.submit(work, done, self.show_message)

    def filter_text(self, hit_filter: HitFilter) -> str:
        parts = [f"{key}={value}" for key, value in hit_filter.to_json().items()]
        return ", ".join(parts) if parts else self.tr("all hits")

    # --- life cycle ---------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self.jobs.busy or self.reports.busy

    def shutdown(self) -> None:
        """Close the hit dialogs and wait for every job: no thread outlives the window."""
        if self._closed:
            return
        self._closed = True
        self.search_timer.stop()
        for dialog in list(self.dialogs):
            dialog.close()
        self.jobs.shutdown()
        self.reports.shutdown()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.shutdown()
        super().closeEvent(event)
