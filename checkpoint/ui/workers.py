"""Work off the GUI thread: the capture loop (one QThread) and one-off jobs (QThreadPool).

The capture loop reads the frame source for as long as the desk is open and hands each
frame to the GUI by a queued signal, tagged with an epoch the GUI uses to drop frames of a
document already sent away. One-off jobs (screening a frame, recording a decision, reading
the station's status) are QRunnables reporting through a QObject's signals, because a
QRunnable cannot emit signals itself.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThread, Signal

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
                    self.state.emit("no frames", "")
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
    """What a job reports: its token and result, or its token and a one-sentence error."""

    done = Signal(int, object)
    failed = Signal(int, str)
    progress = Signal(int, object)
    """A partial result the job reports before it is done (the screening's document stage)."""


class Job(QRunnable):
    """Runs `work()` on a pool thread and reports through `signals` with `token`.

    With `reports`, `work` is called with a function that sends a partial result as
    `signals.progress`.
    """

    def __init__(self, token: int, work: Callable[..., Any], *, reports: bool = False) -> None:
        super().__init__()
        self.token = token
        self.work = work
        self.reports = reports
        self.signals = JobSignals()

    def report(self, partial: object) -> None:
        self.signals.progress.emit(self.token, partial)

    def run(self) -> None:
        try:
            result = self.work(self.report) if self.reports else self.work()
        except CheckpointError as exc:
            self.signals.failed.emit(self.token, str(exc))
            return
        except Exception as exc:
            # A bug, not bad input: the log gets the traceback, the officer one sentence.
            log.exception("background job failed")
            self.signals.failed.emit(
                self.token, f"Internal error ({type(exc).__name__}): see the log and report it."
            )
            return
        self.signals.done.emit(self.token, result)
