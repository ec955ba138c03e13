"""The Qt models behind the desk's tables: the traveller's fields and the screening findings.

Both are flat tables replaced wholesale per traveller (a reset) and updated in place when a
hit is decided (dataChanged), so views keep their selection and the officer's place.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from checkpoint.screening.model import Severity
from checkpoint.ui.present import BAD, OK, FieldRow, FindingRow

Index = QModelIndex | QPersistentModelIndex

# The words `checkpoint.ui.present` writes into rows, listed here for lupdate; rows keep
# them in English (tests and comparisons read them) and the models translate them as shown.
PRESENT_WORDS = (
    QT_TRANSLATE_NOOP("present", "Surname"),
    QT_TRANSLATE_NOOP("present", "Given names"),
    QT_TRANSLATE_NOOP("present", "Document"),
    QT_TRANSLATE_NOOP("present", "Number"),
    QT_TRANSLATE_NOOP("present", "Issuer"),
    QT_TRANSLATE_NOOP("present", "Nationality"),
    QT_TRANSLATE_NOOP("present", "Birth date"),
    QT_TRANSLATE_NOOP("present", "Sex"),
    QT_TRANSLATE_NOOP("present", "Expiry"),
    QT_TRANSLATE_NOOP("present", "Optional"),
    QT_TRANSLATE_NOOP("present", "All checks"),
    QT_TRANSLATE_NOOP("present", "valid"),
    QT_TRANSLATE_NOOP("present", "FAILED"),
    QT_TRANSLATE_NOOP("present", "to decide"),
    QT_TRANSLATE_NOOP("present", "referred to second line"),
    QT_TRANSLATE_NOOP("present", "dismissed: {reason}"),
)
DISMISSED = "dismissed: "


def shown(word: str) -> str:
    """A word of `checkpoint.ui.present` in the application's language."""
    if word.startswith(DISMISSED):
        reason = word.removeprefix(DISMISSED)
        return QCoreApplication.translate("present", "dismissed: {reason}").format(reason=reason)
    return QCoreApplication.translate("present", word)


SEVERITY_COLORS = {
    Severity.HIT: QColor(255, 205, 205),
    Severity.ALERT: QColor(255, 235, 190),
    Severity.NOTE: QColor(235, 240, 245),
}


class RowsModel(QAbstractTableModel):
    """A read-only table of rows with translated column headers; subclasses give `data`.

    The desk's, the administration's and the users' tables all stand on it: a header is
    translated in the context named after the subclass, and `_row` gives the row an index
    points at (None for an index the model does not have).
    """

    HEADERS: tuple[object, ...] = ()

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[Any] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.HEADERS)
        ):
            return QCoreApplication.translate(type(self).__name__, str(self.HEADERS[section]))
        return None

    def _row(self, index: Index) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        if not 0 <= index.row() < len(self._rows) or not 0 <= index.column() < len(self.HEADERS):
            return None
        return self._rows[index.row()]


class FieldsModel(RowsModel):
    """The traveller's document fields: label, value, and the check's mark (✔/✘) and why."""

    HEADERS = (
        QT_TRANSLATE_NOOP("FieldsModel", "Field"),
        QT_TRANSLATE_NOOP("FieldsModel", "Value"),
        QT_TRANSLATE_NOOP("FieldsModel", "Check"),
    )

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[FieldRow] = []

    @property
    def rows(self) -> tuple[FieldRow, ...]:
        return tuple(self._rows)

    def set_rows(self, rows: Sequence[FieldRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            check = f"{row.mark} {row.note}" if row.mark == BAD else row.mark
            value = shown(row.value) if row.label == "All checks" else row.value
            return (shown(row.label), value, check)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return (row.label, row.value, row.note)[column]
        if role == Qt.ItemDataRole.ForegroundRole and column == 2 and row.mark:
            return QBrush(QColor(0, 140, 60) if row.mark == OK else QColor(200, 0, 0))
        if role == Qt.ItemDataRole.FontRole and column == 1:
            font = QFont()
            font.setBold(True)
            return font
        return None


class FindingsModel(RowsModel):
    """Hits first (each with its decision state), then alerts and notes."""

    HEADERS = (
        "",
        QT_TRANSLATE_NOOP("FindingsModel", "Reason"),
        QT_TRANSLATE_NOOP("FindingsModel", "Score"),
        QT_TRANSLATE_NOOP("FindingsModel", "Listed"),
        QT_TRANSLATE_NOOP("FindingsModel", "Action"),
        QT_TRANSLATE_NOOP("FindingsModel", "Decision"),
    )

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[FindingRow] = []

    @property
    def rows(self) -> tuple[FindingRow, ...]:
        return tuple(self._rows)

    def set_rows(self, rows: Sequence[FindingRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def replace_row(self, number: int, row: FindingRow) -> None:
        self._rows[number] = row
        self.dataChanged.emit(self.index(number, 0), self.index(number, len(self.HEADERS) - 1))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (
                row.severity.value.upper(),
                row.reason,
                f"{row.score:.2f}",
                row.listed,
                row.action,
                shown(row.state) if row.state else "",
            )[column]
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(SEVERITY_COLORS[row.severity])
        if role == Qt.ItemDataRole.FontRole and (row.undecided or column == 0):
            font = QFont()
            font.setBold(True)
            return font
        return None
