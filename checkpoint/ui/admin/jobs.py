"""Running the administrator's actions off the GUI thread, with progress, one at a time per page.

An import of a million-person list takes minutes and an unreachable HQ a timeout: the page
must keep drawing. Each page owns a `JobRunner`; a job gets a `progress(per cent, what)`
callable it may call from its thread, and its result, error sentence and progress come back
to the GUI thread by queued signals. A page runs one job at a time (its buttons are disabled
while `busy`), so a slow answer can never land on top of a newer one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from checkpoint.errors import CheckpointError

log = logging.getLogger("checkpoint.ui.admin")

Work = Callable[[Callable[[int, str], None]], Any]


class _Signals(QObject):
    progress = Signal(int, int, str)
    done = Signal(int, object)
    failed = Signal(int, str)


class _Job(QRunnable):
    def __init__(self, token: int, work: Work, signals: _Signals) -> None:
        super().__init__()
        self.token = token
        self.work = work
        self.signals = signals

    def run(self) -> None:
        def progress(percent: int, what: str) -> None:
            self.signals.progress.emit(self.token, percent, what)

        try:
            result = self.work(progress)
        except CheckpointError as exc:
            self.signals.failed.emit(self.token, str(exc))
            return
        except Exception as exc:
            # A bug, not bad input: the log gets the traceback, the administrator one sentence.
            log.exception("administration job failed")
            self.signals.failed.emit(
                self.token, f"Internal error ({type(exc).__name__}): see the log and report it."
            )
            return
        self.signals.done.emit(self.token, result)


class JobRunner(QObject):
    """Runs jobs on `pool` and calls back on the GUI thread; `busy` while one is running."""

    busy_changed = Signal(bool)

    def __init__(self, pool: QThreadPool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = pool
        self._token = 0
        self._current: (
            tuple[
                int,
                _Signals,
                Callable[[Any], None],
                Callable[[str], None],
                Callable[[int, str], None],
            ]
            | None
        ) = None
        self.closed = False

    @property
    def busy(self) -> bool:
        return self._current is not None

    def submit(
        self,
        work: Work,
        done: Callable[[Any], None],
        failed: Callable[[str], None],
        progress: Callable[[int, str], None] | None = None,
    ) -> bool:
        """Start `work(progress)`; refused (False) while another job of this runner runs."""
        if self._current is not None or self.closed:
            return False
        self._token += 1
        signals = _Signals()
        signals.progress.connect(self._on_progress)
        signals.done.connect(self._on_done)
        signals.failed.connect(self._on_failed)
        self._current = (self._token, signals, done, failed, progress or (lambda _p, _w: None))
        self.busy_changed.emit(True)
        self.pool.start(_Job(self._token, work, signals))
        return True

    def _finish(self, token: int) -> tuple[Callable[[Any], None], Callable[[str], None]] | None:
        if self._current is None or self._current[0] != token:
            return None
        _, _, done, failed, _ = self._current
        self._current = None
        self.busy_changed.emit(False)
        return None if self.closed else (done, failed)

    @Slot(int, int, str)
    def _on_progress(self, token: int, percent: int, what: str) -> None:
        if self._current is not None and self._current[0] == token and not self.closed:
            self._current[4](percent, what)

    @Slot(int, object)
    def _on_done(self, token: int, result: object) -> None:
        handlers = self._finish(token)
        if handlers is not None:
            handlers[0](result)

    @Slot(int, str)
    def _on_failed(self, token: int, message: str) -> None:
        handlers = self._finish(token)
        if handlers is not None:
            handlers[1](message)
