"""Work off the GUI thread: the capture loop (one QThread) and one-off jobs (QThreadPool).

The capture loop reads the frame source for as long as the desk is open and hands each
frame to the GUI by a queued signal, tagged with an epoch the GUI uses to drop frames of a
document already sent away. One-off jobs (screening a frame, recording a decision, reading
the station's status) run through a `JobRunner`: QRunnables on a thread pool reporting
through the runner's QObject, because a QRunnable cannot emit signals itself.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from PySide6.QtCore import QObject, QRunnable, QThread, QThreadPool, Signal, Slot

from checkpoint.camera.source import FrameSource
from checkpoint.errors import CheckpointError
from checkpoint.ui.imaging import preview

log = logging.getLogger("checkpoint.ui")


class CaptureThread(QThread):
    """Reads `source` until interrupted; emits `frame(epoch, image, preview)` and its state.

    `preview` is the frame fitted to `preview_size` (set by the GUI, read here), made at most
    every `preview_interval_s`, else None: the live view never converts a full frame itself.
    """

    frame = Signal(int, object, object)
    state = Signal(str, str)
    """(state, detail): `on`, `no frames`, `off`, or `failed` with the source's message; the
    window words it in the officer's language."""

    def __init__(self, source: FrameSource, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self._skips = 0
        self._epoch = 0
        self.preview_size: tuple[int, int] | None = None
        self.preview_interval_s = 0.0

    def skip(self) -> None:
        """Ask the source for the next traveller's document (the demo source can do that).

        Counted, not flagged: each request moves the epoch on once, as the GUI expects.
        """
        self._skips += 1

    def run(self) -> None:
        self.state.emit("on", "")
        misses = 0
        last_preview = 0.0
        while not self.isInterruptionRequested():
            while self._epoch < self._skips:
                skip = getattr(self.source, "skip", None)
                if callable(skip):
                    skip()
                self._epoch += 1
            started = time.monotonic()
            try:
                image = self.source.read()
            except CheckpointError as exc:
                self.state.emit("failed", str(exc))
                return
            if image is None:
                misses += 1
                if misses == 1:
                    # A source that knows why (a folder of unreadable images) says so.
                    self.state.emit("no frames", getattr(self.source, "problem", None) or "")
                self.msleep(200)
                continue
            if misses:
                self.state.emit("on", "")
            misses = 0
            fit, shown = self.preview_size, None
            if fit is not None and started - last_preview >= self.preview_interval_s:
                shown = preview(image, fit)
                last_preview = started
            self.frame.emit(self._epoch, image, shown)
            rest = self.source.interval_s - (time.monotonic() - started)
            if rest > 0:
                self.msleep(int(rest * 1000))
        self.state.emit("off", "")


class JobSignals(QObject):
    """What jobs report: a token and result, a token and a one-sentence error, or a token and
    a partial result (the arguments the job gave its report function, as a tuple)."""

    done = Signal(int, object)
    failed = Signal(int, str)
    progress = Signal(int, object)


class Job(QRunnable):
    """Runs `work()` on a pool thread and reports through `signals` with `token`.

    The pool deletes the runnable on its own thread, so the runnable owns nothing of the
    GUI's: `signals` belongs to a `JobRunner` (it outlives every job), and `work` is let go
    before the result is sent, so the runner, on the GUI thread, drops its last reference.
    With `reports`, `work` is called with a function that sends a partial result.
    """

    def __init__(
        self, token: int, work: Callable[..., Any], signals: JobSignals, *, reports: bool = False
    ) -> None:
        super().__init__()
        self.token = token
        self.work: Callable[..., Any] | None = work
        self.signals = signals
        self.reports = reports

    def report(self, *partial: object) -> None:
        self.signals.progress.emit(self.token, partial)

    def run(self) -> None:
        work, self.work = self.work, None
        if work is None:
            return
        try:
            result = work(self.report) if self.reports else work()
        except CheckpointError as exc:
            del work
            self.signals.failed.emit(self.token, str(exc))
            return
        except Exception as exc:
            del work
            # A bug, not bad input: the log gets the traceback, the user one sentence.
            log.exception("background job failed")
            self.signals.failed.emit(
                self.token, f"Internal error ({type(exc).__name__}): see the log and report it."
            )
            return
        del work
        self.signals.done.emit(self.token, result)


@dataclass(frozen=True)
class _Pending:
    work: Callable[..., Any]
    done: Callable[[Any], None]
    failed: Callable[[str], None]
    progress: Callable[..., None] | None


class JobRunner(QObject):
    """Runs jobs on `pool` and calls their handlers back on the GUI thread.

    The one place jobs are run from (desk, hit log, administration, wizard). The runner owns
    one `JobSignals` for all its jobs, a child deleted with it on its own thread: no Qt
    object a job reports through is ever made or destroyed on a pool thread. It also keeps
    each job's work until the result is delivered. With `one_at_a_time`, `submit` refuses a
    job while another runs (an administration page: a slow answer never lands on a newer
    one). Once `closed`, results still arriving are dropped. Results must not be QObjects.
    """

    busy_changed = Signal(bool)

    def __init__(
        self,
        pool: QThreadPool,
        parent: QObject | None = None,
        *,
        one_at_a_time: bool = False,
        reports: bool = False,
    ) -> None:
        super().__init__(parent)
        self.pool = pool
        self.one_at_a_time = one_at_a_time
        self.reports = reports
        """Every job's work is called with a report function (the administration's pages)."""
        self.signals = JobSignals(self)
        self.signals.done.connect(self._on_done)
        self.signals.failed.connect(self._on_failed)
        self.signals.progress.connect(self._on_progress)
        self._pending: dict[int, _Pending] = {}
        self._tokens = 0
        self.closed = False

    @property
    def busy(self) -> bool:
        """Some job has not reported yet."""
        return bool(self._pending)

    def submit(
        self,
        work: Callable[..., Any],
        done: Callable[[Any], None],
        failed: Callable[[str], None],
        progress: Callable[..., None] | None = None,
    ) -> bool:
        """Start `work`; `done(result)` or `failed(sentence)` follow on the GUI thread.

        With `progress` (or a runner made with `reports`), `work` takes a function it may
        call from its thread with a partial result, which reaches `progress` with the same
        arguments. False when refused: the runner is closed, or busy and one at a time.
        """
        if self.closed or (self.one_at_a_time and self._pending):
            return False
        self._tokens += 1
        token = self._tokens
        was_busy = self.busy
        self._pending[token] = _Pending(work, done, failed, progress)
        reports = self.reports or progress is not None
        self.pool.start(Job(token, work, self.signals, reports=reports))
        if not was_busy:
            self.busy_changed.emit(True)
        return True

    def close(self) -> None:
        """Deliver nothing more: the owner is going away (its jobs may still be running)."""
        self.closed = True

    def _finish(self, token: int) -> _Pending | None:
        pending = self._pending.pop(token, None)
        if pending is None:
            return None
        if not self._pending:
            self.busy_changed.emit(False)
        return None if self.closed else pending

    @Slot(int, object)
    def _on_progress(self, token: int, partial: object) -> None:
        pending = self._pending.get(token)
        if pending is not None and pending.progress is not None and not self.closed:
            pending.progress(*cast(tuple[object, ...], partial))

    @Slot(int, object)
    def _on_done(self, token: int, result: object) -> None:
        pending = self._finish(token)
        if pending is not None:
            pending.done(result)

    @Slot(int, str)
    def _on_failed(self, token: int, message: str) -> None:
        pending = self._finish(token)
        if pending is not None:
            pending.failed(message)
