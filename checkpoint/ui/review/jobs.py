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
from typing import Any, TypeVar

import sqlite_utils
from PySide6.QtCore import QObject, QThreadPool, Slot

from checkpoint.accounts.session import StationSession
from checkpoint.ui.workers import Job, JobSignals

T = TypeVar("T")


class DatabaseJobs(QObject):
    """Runs `work(connection)` jobs in order on one thread; `shutdown()` waits for them."""

    def __init__(self, session: StationSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._db: sqlite_utils.Database | None = None
        self._handlers: dict[int, tuple[Callable[[Any], None], Callable[[str], None]]] = {}
        self._signals: dict[int, JobSignals] = {}
        self._tokens = 0
        self._closed = False

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
    ) -> int:
        """Queue `work`; `done(result)` or `failed(sentence)` follow on the GUI thread."""
        self._tokens += 1
        token = self._tokens
        job = Job(token, lambda: work(self._connection()))
        job.signals.done.connect(self._job_done)
        job.signals.failed.connect(self._job_failed)
        self._handlers[token] = (done, failed)
        # The pool deletes the job when it has run; its signals must live until delivered.
        self._signals[token] = job.signals
        self._pool.start(job)
        return token

    @property
    def busy(self) -> bool:
        """Some job has not reported yet."""
        return bool(self._handlers)

    @Slot(int, object)
    def _job_done(self, token: int, result: object) -> None:
        self._signals.pop(token, None)
        handlers = self._handlers.pop(token, None)
        if handlers is not None and not self._closed:
            handlers[0](result)

    @Slot(int, str)
    def _job_failed(self, token: int, message: str) -> None:
        self._signals.pop(token, None)
        handlers = self._handlers.pop(token, None)
        if handlers is not None and not self._closed:
            handlers[1](message)

    def shutdown(self) -> None:
        """Wait for the queued jobs, drop their results and close the connection."""
        if self._closed:
            return
        self._closed = True
        self._pool.waitForDone()
        if self._db is not None:
            self._db.conn.close()
            self._db = None
