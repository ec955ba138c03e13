"""The hit log's table model: a count, and pages of rows fetched on demand into a small LRU.

The model never holds the log: it knows how many hits match, and asks its `DatabaseJobs`
for the page of 200 rows around whatever the view paints (`checkpoint.hits.query.page_seqs`
reads it from the nearer end of the order). Until a page arrives its rows show an ellipsis;
when it arrives the rows are updated in place. Only the last pages asked for are fetched, so
dragging the scroll bar across a million rows does not queue thousands of page reads, and a
new filter or sort (a new generation) drops every answer still on its way for the old one.
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from checkpoint.hits.query import (
    DecisionState,
    HitFilter,
    HitSort,
    LogRow,
    SortKey,
    count_hits,
    page_seqs,
    rows_for,
    search_size,
)
from checkpoint.screening.model import FindingKind
from checkpoint.ui.review.jobs import DatabaseJobs

Index = QModelIndex | QPersistentModelIndex

PAGE_ROWS = 200
CACHED_PAGES = 30
WANTED_PAGES = 6
"""How many of the most recently asked pages are still worth reading when their turn comes."""

COLUMNS: tuple[tuple[object, SortKey | None], ...] = (
    (QT_TRANSLATE_NOOP("HitLogModel", "Time (UTC)"), SortKey.CREATED),
    (QT_TRANSLATE_NOOP("HitLogModel", "Station"), SortKey.STATION),
    (QT_TRANSLATE_NOOP("HitLogModel", "Officer"), SortKey.OFFICER),
    (QT_TRANSLATE_NOOP("HitLogModel", "Kind"), SortKey.KIND),
    (QT_TRANSLATE_NOOP("HitLogModel", "Score"), SortKey.SCORE),
    (QT_TRANSLATE_NOOP("HitLogModel", "List"), SortKey.LIST),
    (QT_TRANSLATE_NOOP("HitLogModel", "Traveller"), None),
    (QT_TRANSLATE_NOOP("HitLogModel", "Listed"), None),
    (QT_TRANSLATE_NOOP("HitLogModel", "Decision"), SortKey.STATE),
    (QT_TRANSLATE_NOOP("HitLogModel", "Reason"), None),
)
STATE_WORDS = {
    DecisionState.UNDECIDED: QT_TRANSLATE_NOOP("HitLogModel", "to decide"),
    DecisionState.CONFIRMED: QT_TRANSLATE_NOOP("HitLogModel", "referred"),
    DecisionState.DISMISSED: QT_TRANSLATE_NOOP("HitLogModel", "dismissed"),
}
KIND_WORDS: dict[str, object] = {
    FindingKind.DOCUMENT_ALERT: QT_TRANSLATE_NOOP("HitLogModel", "document alert"),
    FindingKind.LISTED_DOCUMENT: QT_TRANSLATE_NOOP("HitLogModel", "listed document"),
    FindingKind.NAME: QT_TRANSLATE_NOOP("HitLogModel", "name"),
    FindingKind.FACE: QT_TRANSLATE_NOOP("HitLogModel", "face"),
    FindingKind.PORTRAIT: QT_TRANSLATE_NOOP("HitLogModel", "portrait"),
    FindingKind.EXPIRED: QT_TRANSLATE_NOOP("HitLogModel", "expired document"),
    FindingKind.CHECK_DIGITS: QT_TRANSLATE_NOOP("HitLogModel", "check digits"),
    FindingKind.SPECIMEN: QT_TRANSLATE_NOOP("HitLogModel", "specimen"),
    FindingKind.BARCODE: QT_TRANSLATE_NOOP("HitLogModel", "barcode"),
    FindingKind.STALE_LIST: QT_TRANSLATE_NOOP("HitLogModel", "stale list"),
}
HIT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
OVERTURNED = QColor(255, 236, 200)
UNDECIDED = QColor(255, 215, 215)
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole.value)
_TEXT_ROLES = frozenset({_DISPLAY, _TOOLTIP})
_SHOWN_ROLES = frozenset(
    {_DISPLAY, _TOOLTIP, _BACKGROUND, int(Qt.ItemDataRole.FontRole.value), int(HIT_ID_ROLE)}
)


def translated(text: object) -> str:
    """A word marked with QT_TRANSLATE_NOOP above, in the application's language."""
    return QCoreApplication.translate("HitLogModel", str(text))


def kind_text(kind: str) -> str:
    """A hit's kind as the officer reads it; the stored code itself if it is a new kind."""
    word = KIND_WORDS.get(kind)
    return translated(word) if word is not None else kind


def state_text(row: LogRow) -> str:
    shown = translated(STATE_WORDS[row.state])
    if row.overturned:
        return QCoreApplication.translate("HitLogModel", "{state} (overturned)").format(state=shown)
    return shown


@dataclass(frozen=True)
class ShownRow:
    """A log row as painted: its texts formatted once, when its page arrives."""

    row: LogRow
    texts: tuple[str, ...]
    background: QBrush | None
    undecided: bool

    @classmethod
    def of(cls, row: LogRow) -> ShownRow:
        texts = (
            row.created.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
            row.station,
            row.officer,
            kind_text(row.kind),
            f"{row.score:.2f}",
            row.list_id,
            row.traveller,
            row.listed,
            state_text(row),
            row.reason,
        )
        undecided = row.state is DecisionState.UNDECIDED
        background = None
        if row.overturned:
            background = QBrush(OVERTURNED)
        elif undecided:
            background = QBrush(UNDECIDED)
        return cls(row, texts, background, undecided)


class HitLogModel(QAbstractTableModel):
    """Rows of the filtered, sorted hit log; call `reload()` to apply a filter or sort."""

    loaded = Signal(int)
    """The count of the new filter or sort is known and its first page is in (the total)."""
    page_loaded = Signal(int)
    failed = Signal(str)

    def __init__(self, jobs: DatabaseJobs, parent: Any = None) -> None:
        super().__init__(parent)
        self.jobs = jobs
        self.filter = HitFilter()
        self.sort_order = HitSort()
        self.total = 0
        self._matches: int | None = None
        self._generation = 0
        self._pages: OrderedDict[int, list[ShownRow]] = OrderedDict()
        self._bold = QFont()
        self._bold.setBold(True)
        self._asked: set[int] = set()
        self._wanted: deque[int] = deque(maxlen=WANTED_PAGES)
        self.wanted_pages: frozenset[int] = frozenset()

    # --- loading ----------------------------------------------------------------------------

    def reload(self, hit_filter: HitFilter | None = None, sort: HitSort | None = None) -> None:
        """Count and fetch the first page for a new filter or sort (or again, for fresh data)."""
        self.filter = hit_filter if hit_filter is not None else self.filter
        self.sort_order = sort if sort is not None else self.sort_order
        self._generation += 1
        generation, query, order = self._generation, self.filter, self.sort_order

        def work(conn: sqlite3.Connection) -> tuple[int, int | None, list[LogRow]]:
            matches = search_size(conn, query)
            total = count_hits(conn, query, matches=matches)
            seqs = page_seqs(conn, query, order, 0, PAGE_ROWS, total=total, matches=matches)
            return total, matches, rows_for(conn, seqs)

        def done(result: tuple[int, int | None, list[LogRow]]) -> None:
            if generation != self._generation:
                return
            total, self._matches, rows = result
            self.beginResetModel()
            self.total = total
            self._pages = OrderedDict({0: [ShownRow.of(row) for row in rows]})
            self._asked = set()
            self._wanted.clear()
            self.wanted_pages = frozenset()
            self.endResetModel()
            self.loaded.emit(total)

        self.jobs.submit(work, done, self._failed(generation))

    def _failed(self, generation: int) -> Callable[[str], None]:
        def failed(message: str) -> None:
            if generation == self._generation:
                self.failed.emit(message)

        return failed

    def _ask(self, page: int) -> None:
        if not self._wanted or self._wanted[-1] != page:
            self._wanted.append(page)
            # Jobs read this from their thread: a new frozen set, swapped in whole.
            self.wanted_pages = frozenset(self._wanted)
        if page in self._asked:
            return
        self._asked.add(page)
        generation, query, order, total, matches = (
            self._generation,
            self.filter,
            self.sort_order,
            self.total,
            self._matches,
        )

        def work(conn: sqlite3.Connection) -> list[LogRow] | None:
            if page not in self.wanted_pages:  # scrolled past before its turn came
                return None
            seqs = page_seqs(
                conn, query, order, page * PAGE_ROWS, PAGE_ROWS, total=total, matches=matches
            )
            return rows_for(conn, seqs)

        def done(rows: list[LogRow] | None) -> None:
            if generation != self._generation:
                return
            self._asked.discard(page)
            if rows is None:
                return
            self._pages[page] = [ShownRow.of(row) for row in rows]
            while len(self._pages) > CACHED_PAGES:
                self._pages.popitem(last=False)
            first = page * PAGE_ROWS
            last = min(self.total, first + PAGE_ROWS) - 1
            if last >= first:
                self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))
            self.page_loaded.emit(page)

        def failed(message: str) -> None:
            self._asked.discard(page)
            self._failed(generation)(message)

        self.jobs.submit(work, done, failed)

    def row_at(self, number: int) -> LogRow | None:
        """The row at `number` if its page is loaded (asking for the page if not)."""
        if not 0 <= number < self.total:
            return None
        page, offset = divmod(number, PAGE_ROWS)
        rows = self._pages.get(page)
        if rows is None:
            self._ask(page)
            return None
        self._pages.move_to_end(page)
        return rows[offset].row if offset < len(rows) else None

    @property
    def cached_pages(self) -> int:
        return len(self._pages)

    def is_loaded(self, first: int, last: int) -> bool:
        """Whether every row from `first` to `last` (inclusive) is in the cache."""
        pages = range(max(0, first) // PAGE_ROWS, min(last, self.total - 1) // PAGE_ROWS + 1)
        return all(page in self._pages for page in pages)

    # --- the model ---------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self.total

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(COLUMNS)
        ):
            return translated(COLUMNS[section][0])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every role of every painted cell: the roles not shown return first.
        if role not in _SHOWN_ROLES or not index.isValid():
            return None
        number = index.row()
        page, offset = divmod(number, PAGE_ROWS)
        rows = self._pages.get(page)
        if rows is None or offset >= len(rows):
            if 0 <= number < self.total:
                self._ask(page)
            return "…" if role == _DISPLAY and index.column() == 0 else None
        shown = rows[offset]
        if role in _TEXT_ROLES:
            if index.column() == 0:
                self._pages.move_to_end(page)  # pages on screen stay the most recent
            return shown.texts[index.column()]
        if role == HIT_ID_ROLE:
            return shown.row.hit_id
        if role == _BACKGROUND:
            return shown.background
        return self._bold if shown.undecided and index.column() == 8 else None

    def sort_key(self, column: int) -> SortKey | None:
        """The sort key of a column, or None when the column cannot be sorted."""
        return COLUMNS[column][1] if 0 <= column < len(COLUMNS) else None
