"""The Qt models of the administrator's tables: installed lists, trusted keys, the outbox.

Lists and keys are small and replaced wholesale on each refresh. The outbox can hold
millions of rows after a long outage, so its model knows only how many rows are owed and
asks for them page by page as the view scrolls (`canFetchMore` / `fetchMore`); the page
reads each page on a worker and hands it back with `append`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, ClassVar

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from checkpoint.sync.outbox import OutboxItem, OutboxState
from checkpoint.ui.models import RowsModel
from checkpoint.watchlist.keys import TrustedKey
from checkpoint.watchlist.store import ListStatus

Index = QModelIndex | QPersistentModelIndex

EXPIRING_SOON = timedelta(days=3)
"""A list this close to its expiry is marked so the administrator fetches a new one in time."""

RED = QColor(255, 205, 205)
AMBER = QColor(255, 235, 190)
GREEN = QColor(0, 120, 50)


def _age(days: float) -> str:
    if days < 1:
        return QCoreApplication.translate("ListsModel", "{hours} h").format(hours=int(days * 24))
    return QCoreApplication.translate("ListsModel", "{days} d").format(days=f"{days:.1f}")


class ListsModel(RowsModel):
    """Installed lists: version, age, expiry, signer, contents, and whether they are current."""

    HEADERS = (
        QT_TRANSLATE_NOOP("ListsModel", "List"),
        QT_TRANSLATE_NOOP("ListsModel", "Name"),
        QT_TRANSLATE_NOOP("ListsModel", "Version"),
        QT_TRANSLATE_NOOP("ListsModel", "Age"),
        QT_TRANSLATE_NOOP("ListsModel", "Expires (UTC)"),
        QT_TRANSLATE_NOOP("ListsModel", "Signer"),
        QT_TRANSLATE_NOOP("ListsModel", "Persons"),
        QT_TRANSLATE_NOOP("ListsModel", "Alerts"),
        QT_TRANSLATE_NOOP("ListsModel", "State"),
    )
    STATE_COLUMN = 8

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[ListStatus] = []
        self._now: datetime | None = None

    @property
    def lists(self) -> tuple[ListStatus, ...]:
        return tuple(self._rows)

    def set_lists(self, lists: Sequence[ListStatus], now: datetime) -> None:
        self.beginResetModel()
        self._rows = list(lists)
        self._now = now
        self.endResetModel()

    def state(self, status: ListStatus) -> str:
        """`expired`, `expiring` or `current` (the words the State column shows, translated)."""
        assert self._now is not None
        if status.is_stale(self._now):
            return "expired"
        if status.expires - self._now <= EXPIRING_SOON:
            return "expiring"
        return "current"

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        status = self._row(index)
        if status is None or self._now is None:
            return None
        column = index.column()
        state = self.state(status)
        if role == Qt.ItemDataRole.DisplayRole:
            left = status.expires - self._now
            words = {
                "expired": QCoreApplication.translate(
                    "ListsModel", "EXPIRED: screening marks its hits stale"
                ),
                "expiring": QCoreApplication.translate(
                    "ListsModel", "expires in {hours} h: fetch a new one"
                ).format(hours=max(0, int(left.total_seconds() // 3600))),
                "current": QCoreApplication.translate("ListsModel", "current"),
            }
            return (
                status.list_id,
                status.name,
                str(status.version),
                _age(status.age_days(self._now)),
                f"{status.expires:%Y-%m-%d %H:%M}",
                status.signer,
                str(status.counts.get("persons", 0)),
                str(status.counts.get("alerts", 0)),
                words[state],
            )[column]
        if role == Qt.ItemDataRole.BackgroundRole and state != "current":
            return QBrush(RED if state == "expired" else AMBER)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.STATE_COLUMN:
            return QBrush(GREEN if state == "current" else QColor(150, 0, 0))
        if role == Qt.ItemDataRole.ToolTipRole:
            return QCoreApplication.translate(
                "ListsModel", "Made {created} UTC, imported {imported} UTC"
            ).format(
                created=f"{status.created:%Y-%m-%d %H:%M}",
                imported=f"{status.imported_at:%Y-%m-%d %H:%M}",
            )
        return None


class KeysModel(RowsModel):
    """The public keys whose signatures this station accepts on bundles, and the installed
    lists each signed (whose next versions it would no longer vouch for once revoked)."""

    HEADERS = (
        QT_TRANSLATE_NOOP("KeysModel", "Name"),
        QT_TRANSLATE_NOOP("KeysModel", "Key id"),
        QT_TRANSLATE_NOOP("KeysModel", "Signed the lists installed"),
    )

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[TrustedKey] = []
        self._signed: dict[str, list[str]] = {}

    @property
    def keys(self) -> tuple[TrustedKey, ...]:
        return tuple(self._rows)

    def set_keys(self, keys: Sequence[TrustedKey], lists: Sequence[ListStatus] = ()) -> None:
        self.beginResetModel()
        self._rows = list(keys)
        # The store records the signer as "name (key id)".
        self._signed = {
            key.key_id: [s.list_id for s in lists if f"({key.key_id})" in s.signer]
            for key in self._rows
        }
        self.endResetModel()

    def signed_lists(self, key: TrustedKey) -> list[str]:
        return list(self._signed.get(key.key_id, []))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        key = self._row(index)
        if key is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (key.name, key.key_id, ", ".join(self.signed_lists(key)))[index.column()]
        return None


class OutboxModel(RowsModel):
    """Failed, then pending, outbox items, fetched page by page as the view needs them.

    `wanted(offset)` asks the owner for the rows from `offset`; it answers with `append`.
    """

    HEADERS = (
        QT_TRANSLATE_NOOP("OutboxModel", "State"),
        QT_TRANSLATE_NOOP("OutboxModel", "Kind"),
        QT_TRANSLATE_NOOP("OutboxModel", "Recorded (UTC)"),
        QT_TRANSLATE_NOOP("OutboxModel", "Attempts"),
        QT_TRANSLATE_NOOP("OutboxModel", "Last attempt (UTC)"),
        QT_TRANSLATE_NOOP("OutboxModel", "Last error"),
    )
    STATE_WORDS: ClassVar[dict[OutboxState, object]] = {
        OutboxState.PENDING: QT_TRANSLATE_NOOP("OutboxModel", "pending"),
        OutboxState.FAILED: QT_TRANSLATE_NOOP("OutboxModel", "refused by HQ"),
        OutboxState.SENT: QT_TRANSLATE_NOOP("OutboxModel", "sent"),
    }

    wanted = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[OutboxItem] = []
        self._total = 0
        self._asked = False

    @property
    def items(self) -> tuple[OutboxItem, ...]:
        return tuple(self._rows)

    @property
    def total(self) -> int:
        """Rows owed in all (failed and pending), loaded or not."""
        return self._total

    def reset(self, total: int) -> None:
        """Forget the loaded rows: `total` are owed now and will be fetched as needed."""
        self.beginResetModel()
        self._rows = []
        self._total = total
        self._asked = False
        self.endResetModel()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and not self._asked and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        if self.canFetchMore(parent):
            self._asked = True
            self.wanted.emit(len(self._rows))

    def append(self, offset: int, items: Sequence[OutboxItem]) -> None:
        """Rows read from `offset` (ignored when the model was reset since they were asked)."""
        if offset != len(self._rows) or not self._asked:
            return
        self._asked = False
        room = self._total - len(self._rows)
        items = list(items)[:room]
        if not items:
            # Fewer rows than counted (sent meanwhile): stop asking until the next reset.
            self._total = len(self._rows)
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(items) - 1)
        self._rows.extend(items)
        self.endInsertRows()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self._row(index)
        if item is None:
            return None
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (
                QCoreApplication.translate("OutboxModel", str(self.STATE_WORDS[item.state])),
                item.kind,
                f"{item.created:%Y-%m-%d %H:%M:%S}",
                str(item.attempts),
                "" if item.last_attempt is None else f"{item.last_attempt:%Y-%m-%d %H:%M:%S}",
                item.last_error or "",
            )[column]
        if role == Qt.ItemDataRole.BackgroundRole and item.state is OutboxState.FAILED:
            return QBrush(RED)
        return None
