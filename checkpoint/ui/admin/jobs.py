"""Running the administrator's actions off the GUI thread, with progress, one at a time per page.

An import of a million-person list takes minutes and an unreachable HQ a timeout: the page
must keep drawing. Each page owns a `JobRunner`; a job gets a `progress(per cent, what)`
callable it may call from its thread, and its result, error sentence and progress come back
to the GUI thread by queued signals. A page runs one job at a time (its buttons are disabled
while `busy`), so a slow answer can never land on top of a newer one. The runner is the
desk's (`checkpoint.ui.workers.JobRunner`), set up for that.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool

from checkpoint.ui import workers

Work = Callable[[Callable[[int, str], None]], Any]


class JobRunner(workers.JobRunner):
    """Runs `work(progress)` jobs on `pool`, one at a time; `busy` while one is running."""

    def __init__(self, pool: QThreadPool, parent: QObject | None = None) -> None:
        super().__init__(pool, parent, one_at_a_time=True, reports=True)
