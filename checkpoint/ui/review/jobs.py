"""Database work for the review screens, off the GUI thread: one thread, one connection.

Each `DatabaseJobs` runs its jobs one after another (a pool of one thread), over one
connection it opens on first use, and hands results back to the GUI thread through queued
signals; an idle pool lets its thread go, and the next job may run on a new one, which the
connection allows (it is opened without the same-thread check and never used by two jobs at
once). The hit log uses two: one for pages, hits and reviews (short
jobs the supervisor waits for), one for reports and exports (long scans), so a page never
queues behind a million-row export. Results of a job its owner no longer wants are simply
not delivered once `shutdown()` started.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TypeVar

import sqlite_utils
from PySide6.QtCore import QObject, QThreadPool

from checkpoint.accounts.session import StationSession
from checkpoint.ui.workers import JobRunner

T = TypeVar("T")


class DatabaseJobs(QObject):
    """Runs `work(connection)` jobs in order on one thread; `shutdown()` waits for them."""

    def __init__(self, session: StationSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._db: sqlite_utils.Database | None = None
        self._runner = JobRunner(self._pool, self)

    def _connection(self) -> sqlite3.Connection:
        # Only ever called by the one job running.
        if self._db is None:
            self._db = self.session.open_database()
        return self._db.conn

    def submit(
        self,
        work: Callable[[sqlite3.Connection], T],
        done: Callable[[T], None],
        failed: Callable[[str], None],
    ) -> bool:
        """Queue `work`; `done(result)` or `failed(sentence)` follow on the GUI thread."""
        return self._runner.submit(lambda: work(self._connection()), done, failed)

    @property
    def busy(self) -> bool:
        """Some job has not reported yet."""
        return self._runner.busy

    def shutdown(self) -> None:
        """Wait for the queued jobs, drop their results and close the connection."""
        if self._runner.closed:
            return
        self._runner.close()
        self._pool.waitForDone()
        if self._db is not None:
            self._db.conn.close()
            self._db = None
