"""The screening process: captures go to a spawned child and results come back, the document
stage first; a child that cannot start or that dies is one sentence; closing leaves no process.

The child serves a small screener defined here (it must be importable by the spawned
interpreter); the real desk in a child process is driven in tests/ui/test_ui_desk_session.py.
"""

from __future__ import annotations

import functools
import os
import signal
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest

from checkpoint.errors import CheckpointError
from checkpoint.screening.model import Capture
from checkpoint.screening.process import ScreeningProcess, ScreeningProcessError


class FrameSums:
    """Answers each capture with its pixel sum, after reporting its shape."""

    def __init__(self) -> None:
        self.travellers = 0

    def screen(self, capture: Capture, on_document: Callable[[Any], None] | None = None) -> Any:
        if capture.source == "bad input":
            raise CheckpointError("The frame is empty: hold the document under the camera.")
        if capture.source == "bug":
            raise ZeroDivisionError("division by zero")
        if on_document is not None:
            on_document(capture.frame.shape)
        return (self.travellers, int(capture.frame.sum()), os.getpid())

    def end_traveller(self) -> None:
        self.travellers += 1

    def close(self) -> None:
        pass


def refuses(message: str) -> FrameSums:
    raise CheckpointError(message)


@pytest.fixture
def child() -> Iterator[ScreeningProcess]:
    process = ScreeningProcess(FrameSums)
    yield process
    process.close()
    assert not process.alive


def test_results_come_from_the_child_document_stage_first(child: ScreeningProcess) -> None:
    frame = np.full((40, 60, 3), 2, dtype=np.uint8)
    stages: list[object] = []
    travellers, total, pid = child.screen(Capture(frame), stages.append)
    assert stages == [(40, 60, 3)]
    assert total == 40 * 60 * 3 * 2
    assert pid == child.pid != os.getpid()
    child.end_traveller()
    assert child.screen(Capture(frame))[0] == travellers + 1


def test_bad_input_and_bugs_are_one_sentence_and_the_child_goes_on(
    child: ScreeningProcess, caplog: pytest.LogCaptureFixture
) -> None:
    frame = np.zeros((4, 4, 3), dtype=np.uint8)
    with pytest.raises(CheckpointError, match=r"^The frame is empty: hold the document"):
        child.screen(Capture(frame, source="bad input"))
    with pytest.raises(ScreeningProcessError) as bug:
        child.screen(Capture(frame, source="bug"))
    assert "\n" not in str(bug.value)
    assert "ZeroDivisionError" in str(bug.value)
    assert "Traceback" in caplog.text  # the log has the child's traceback
    assert child.screen(Capture(frame))[1] == 0


def test_a_child_that_dies_is_reported_not_waited_for(child: ScreeningProcess) -> None:
    assert child.pid is not None
    os.kill(child.pid, signal.SIGKILL)
    with pytest.raises(ScreeningProcessError, match="stopped unexpectedly") as stopped:
        child.screen(Capture(np.zeros((4, 4, 3), dtype=np.uint8)))
    assert "\n" not in str(stopped.value)
    assert not child.alive


def test_a_child_that_cannot_start_says_why() -> None:
    message = "The OCR-B model file is missing: reinstall Checkpoint."
    with pytest.raises(CheckpointError, match=r"^The OCR-B model file is missing"):
        ScreeningProcess(functools.partial(refuses, message))
