"""Folding a burst of calls into few: the live view must not redraw at the camera's rate.

The first call runs at once; calls within the next `interval_ms` are folded into one, run
when the interval ends with the newest arguments. Written by hand because Qt has no such
helper; it is a single-shot QTimer on the GUI thread, so nothing ever waits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer


class Throttle(QObject):
    """Calls `target` at most once per `interval_ms`, always with the newest arguments."""

    def __init__(
        self, target: Callable[..., None], interval_ms: int, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._target = target
        self._pending: tuple[Any, ...] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._fire)

    def __call__(self, *args: Any) -> None:
        if self._timer.isActive():
            self._pending = args
            return
        self._target(*args)
        self._timer.start()

    @property
    def pending(self) -> bool:
        return self._pending is not None

    def cancel(self) -> None:
        self._pending = None
        self._timer.stop()

    def _fire(self) -> None:
        if self._pending is None:
            return
        args, self._pending = self._pending, None
        self._target(*args)
        self._timer.start()
