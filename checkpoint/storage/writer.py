"""The single writer thread: every write to the database goes through one queue.

SQLite allows one writer at a time; funnelling writes through one thread with its own
connection means no "database is locked" between our own threads, and the GUI thread only
ever submits work and receives a future. Readers open their own connections (WAL).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils

from checkpoint.storage.database import open_database

log = logging.getLogger("checkpoint.storage")

T = TypeVar("T")
_STOP = object()


class DatabaseWriter:
    """A thread that owns the writing connection and runs submitted jobs in order."""

    def __init__(self, path: Path, key: str | None = None) -> None:
        self._queue: queue.Queue[Any] = queue.Queue()
        self._ready: Future[None] = Future()
        self._thread = threading.Thread(
            target=self._run, args=(path, key), name="checkpoint-db-writer", daemon=True
        )
        self._thread.start()
        self._ready.result()

    def submit(self, job: Callable[[sqlite_utils.Database], T]) -> Future[T]:
        """Queue `job(db)`; its result or exception arrives through the returned future."""
        if not self._thread.is_alive():
            raise RuntimeError("the database writer is closed")
        future: Future[T] = Future()
        self._queue.put((job, future))
        return future

    def close(self) -> None:
        """Finish the queued jobs, then stop the thread and close the connection."""
        if self._thread.is_alive():
            self._queue.put(_STOP)
            self._thread.join()

    def __enter__(self) -> DatabaseWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _run(self, path: Path, key: str | None) -> None:
        try:
            db = open_database(path, key)
        except BaseException as exc:
            self._ready.set_exception(exc)
            return
        self._ready.set_result(None)
        try:
            while True:
                item = self._queue.get()
                if item is _STOP:
                    break
                job, future = item
                if not future.set_running_or_notify_cancel():
                    continue
                try:
                    future.set_result(job(db))
                except BaseException as exc:
                    log.debug("database job failed", exc_info=True)
                    future.set_exception(exc)
        finally:
            db.conn.close()
