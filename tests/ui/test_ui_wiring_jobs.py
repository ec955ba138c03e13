"""The one job runner: results on the GUI thread, and nothing of the GUI's let go on a pool
thread (a QObject destroyed on another thread than its own crashes at garbage collection)."""

from __future__ import annotations

import gc
import threading
from typing import Any

from PySide6.QtCore import QObject, QThreadPool
from pytestqt.qtbot import QtBot

from checkpoint.errors import CheckpointError
from checkpoint.ui.admin.jobs import JobRunner as AdminRunner
from checkpoint.ui.workers import JobRunner, JobSignals

WAIT_MS = 10_000


class Work:
    """A job's work that notes the thread it runs on and the one that lets it go."""

    def __init__(self, released: list[str], value: int) -> None:
        self.released = released
        self.value = value
        self.ran_on = ""

    def __call__(self) -> int:
        self.ran_on = threading.current_thread().name
        gc.collect()  # a collection on the pool thread, as in the crashes seen
        return self.value

    def __del__(self) -> None:
        self.released.append(threading.current_thread().name)


def test_work_is_let_go_on_the_gui_thread_and_one_signals_object_serves_every_job(
    qtbot: QtBot,
) -> None:
    owner = QObject()
    pool = QThreadPool(owner)
    pool.setMaxThreadCount(2)
    runner = JobRunner(pool, owner)
    released: list[str] = []
    results: list[int] = []
    ran_on: list[str] = []
    for value in range(40):
        work = Work(released, value)

        def done(result: Any, work: Work = work) -> None:
            results.append(int(result))
            ran_on.append(work.ran_on)

        assert runner.submit(work, done, lambda _m: None)
        del work, done
    qtbot.waitUntil(lambda: not runner.busy, timeout=WAIT_MS)
    pool.waitForDone()
    gc.collect()
    assert sorted(results) == list(range(40))
    main = threading.main_thread().name
    assert main not in ran_on
    assert len(released) == 40
    assert set(released) == {main}
    assert len(owner.findChildren(JobSignals)) == 1


def test_failures_and_progress_come_back_by_token(qtbot: QtBot) -> None:
    runner = JobRunner(QThreadPool.globalInstance())
    seen: list[object] = []

    def work(report: Any) -> str:
        report("document")
        return "faces"

    def broken() -> None:
        raise CheckpointError("The source is gone: choose another.")

    with qtbot.waitSignal(runner.busy_changed, check_params_cb=lambda busy: not busy):
        runner.submit(work, seen.append, seen.append, progress=lambda p: seen.append(("p", p)))
    with qtbot.waitSignal(runner.busy_changed, check_params_cb=lambda busy: not busy):
        runner.submit(broken, seen.append, seen.append)
    assert seen == [("p", "document"), "faces", "The source is gone: choose another."]


def test_an_administration_runner_runs_one_job_at_a_time_with_per_cent_progress(
    qtbot: QtBot,
) -> None:
    runner = AdminRunner(QThreadPool.globalInstance())
    gate = threading.Event()
    progress: list[tuple[int, str]] = []

    def work(report: Any) -> str:
        report(50, "half")
        gate.wait(WAIT_MS / 1000)
        return "done"

    results: list[str] = []
    assert runner.submit(work, results.append, results.append, lambda p, w: progress.append((p, w)))
    assert runner.busy
    assert not runner.submit(work, results.append, results.append)
    gate.set()
    qtbot.waitUntil(lambda: not runner.busy, timeout=WAIT_MS)
    assert results == ["done"]
    assert progress == [(50, "half")]
    runner.close()
    assert not runner.submit(work, results.append, results.append)
